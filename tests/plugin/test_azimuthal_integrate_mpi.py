"""AzimuthalIntegrate under `mpiexec -n 2 pvbatch`: the profiles are those of
one process, and the mean-profile table counts every scan position once
(neighbouring pieces share a row) and appears once."""
import csv
import os
import shutil
import subprocess
import tempfile

import numpy as np
from paraview.simple import OpenDataFile

import stempdf_testing as t

t.load_plugin(globals())
here = os.path.dirname(os.path.abspath(__file__))
source = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16.h5")
work = tempfile.mkdtemp(prefix="stempdf-az-mpi-")
profiles, table = os.path.join(work, "profiles.pvti"), os.path.join(work, "mean.csv")
found_profiles = os.path.join(work, "found.pvti")
command = ["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
           os.path.join(here, "mpi_azimuthal_worker.py"), source, profiles, table, found_profiles]
run = subprocess.run(command, env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
t.check(run.returncode == 0 and "runs on 2 ranks" in run.stdout, f"mpiexec -n 2 pvbatch ran (stderr: {run.stderr[-1500:]})")

serial = AzimuthalIntegrate(Input=OpenDataFile(source), Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0,
                            Center=[32.6, 30.9], EllipseRatio=1.02, EllipseAngle=30, SRange=[0.25, 1.4])
expected, _ = t.point_array(serial, "Intensity")
distributed, _ = t.point_array(OpenDataFile(profiles), "Intensity")
t.check(np.allclose(distributed, expected, rtol=1e-12, atol=0), "2 ranks give the profiles of one process")

rows = list(csv.DictReader(open(table)))
mean = np.array([float(row["MeanIntensity"]) for row in rows])
reference = expected.reshape(-1, expected.shape[-1]).mean(axis=0)
t.check(len(rows) == expected.shape[-1], f"the table appears once ({len(rows)} rows)")
t.check(np.allclose(mean, reference, rtol=1e-12), "the distributed mean counts every position once")
# The mean pattern (defects, centre) is reduced over the ranks: the same fit everywhere.
serial_found = AzimuthalIntegrate(Input=OpenDataFile(source), Patterns=["POINTS", "Counts"], FindCenter=1,
                                  SRange=[0.25, 1.4])
expected_found, _ = t.point_array(serial_found, "Intensity")
distributed_found, _ = t.point_array(OpenDataFile(found_profiles), "Intensity")
t.check(np.allclose(distributed_found, expected_found, rtol=1e-12, atol=0),
        "with Find Center and defect rejection, 2 ranks give the profiles of one process")
shutil.rmtree(work)
print("distributed AzimuthalIntegrate checks passed")
