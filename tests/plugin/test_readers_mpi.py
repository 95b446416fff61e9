"""Both readers under `mpiexec -n 2 pvbatch`: each rank reads a slab of whole
scan rows, and the pieces put together equal the file read by one process."""
import glob
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree

import numpy as np
from paraview.simple import OpenDataFile

import stempdf_testing as t

t.load_plugin(globals())
here = os.path.dirname(os.path.abspath(__file__))
base = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16")
work = tempfile.mkdtemp(prefix="stempdf-readers-mpi-")
for suffix in (".h5", ".mib"):
    output = os.path.join(work, "scan" + suffix.replace(".", "_") + ".pvti")
    command = ["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
               os.path.join(here, "mpi_readers_worker.py"), base + suffix, output]
    run = subprocess.run(command, env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
    t.check(run.returncode == 0 and "runs on 2 ranks" in run.stdout,
            f"{suffix}: mpiexec -n 2 pvbatch read it (stderr: {run.stderr[-1500:]})")
    extents = [piece.get("Extent") for piece in ElementTree.parse(output).getroot().iter("Piece")]
    rows = sorted(tuple(int(v) for v in e.split()[2:4]) for e in extents)
    columns = {tuple(int(v) for v in e.split()[0:2]) for e in extents}
    t.check(len(extents) == 2 and columns == {(0, 15)} and rows[0][0] == 0 and rows[-1][1] == 15,
            f"{suffix}: two pieces of whole scan rows: {extents}")
    distributed, _ = t.point_array(OpenDataFile(output), "Counts")
    serial, _ = t.point_array(OpenDataFile(base + suffix), "Counts")
    t.check(np.array_equal(distributed, serial), f"{suffix}: the pieces equal the serial read")
shutil.rmtree(work)
print("distributed reader checks passed")
