"""VirtualDetector distributed with ParaView's own MPI engine: `mpiexec -n 2
pvbatch` must give the same image as one process, each rank computing its
share of the scan rows."""
import glob
import os
import shutil
import subprocess
import tempfile

import numpy as np
from paraview.simple import OpenDataFile

import stempdf_testing as t

t.load_plugin(globals())
here = os.path.dirname(os.path.abspath(__file__))
workdir = tempfile.mkdtemp(prefix="stempdf-mpi-")
output = os.path.join(workdir, "adf.pvti")

env = t.subprocess_env()
command = ["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
           os.path.join(here, "mpi_virtual_detector_worker.py"), output]
run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
print(run.stdout)
t.check(run.returncode == 0, f"{' '.join(command)} exits 0 (stderr: {run.stderr[-2000:]})")
t.check("pvbatch runs on 2 ranks" in run.stdout, "pvbatch ran on 2 MPI ranks")
pieces = glob.glob(os.path.join(workdir, "adf", "*.vti"))
t.check(len(pieces) == 2, f"the result has one piece per rank: {sorted(os.path.basename(p) for p in pieces)}")

distributed, image = t.point_array(OpenDataFile(output), "VirtualDetector")
serial, _ = t.point_array(
    VirtualDetector(Input=OpenDataFile(t.SAMPLE), CenterOnDetectorMiddle=0, Center=[23.3, 20.6],
                    InnerRadius=10.0, OuterRadius=20.0), "VirtualDetector")
t.check(image.GetDimensions() == (24, 20, 1), "the pieces make up the whole 24 x 20 scan")
t.check(np.array_equal(distributed, serial), "2 ranks give exactly the image of one process")
shutil.rmtree(workdir)
print("MPI check passed")
