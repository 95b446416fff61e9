"""The main job, scripts/analyze, as a user runs it: results on the bundled
sample that match an independent NumPy computation, and a clear message and a
non-zero exit for every bad use, without touching earlier results."""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkIOXML import vtkXMLImageDataReader

import stempdf_testing as t

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ANALYZE = os.path.join(ROOT, "scripts", "analyze")
work = tempfile.mkdtemp(prefix="stempdf-analyze-")
out = os.path.join(work, "results")


def analyze(*args):
    run = subprocess.run([ANALYZE, *args], env=t.subprocess_env(), capture_output=True,
                         text=True, timeout=240)
    return run.returncode, run.stdout + run.stderr


def read_map(path, name):
    reader = vtkXMLImageDataReader()
    reader.SetFileName(path)
    reader.Update()
    image = reader.GetOutput()
    nx, ny, _ = image.GetDimensions()
    return np.asarray(dsa.WrapDataObject(image).PointData[name]).reshape(ny, nx), image


code, log = analyze(t.SAMPLE, "--out", out, "--center", "23.3", "20.6", "--adf-radii", "10", "20")
t.check(code == 0, f"analyze runs on the sample (exit {code}):\n{log}")
t.check("stage 2/4: virtual bright field" in log and "done in" in log, "progress is printed per stage")
for name in ("virtual_bf.vti", "virtual_bf.png", "virtual_adf.vti", "virtual_adf.png",
             "mean_pattern.png", "summary.json"):
    t.check(os.path.getsize(os.path.join(out, name)) > 0, f"{name} is written")
summary = json.load(open(os.path.join(out, "summary.json")))
t.check(summary["scan"] == {"nx": 24, "ny": 20, "step_nm": [1.2, 1.2], "origin_nm": [0.0, 0.0]},
        f"summary has the scan geometry: {summary['scan']}")
t.check(set(summary["timings_s"]) == {"read", "virtual bright field", "virtual annular dark field",
                                       "write results"}, "summary has the time of every stage")

adf, image = read_map(os.path.join(out, "virtual_adf.vti"), "VirtualADF")
t.check(image.GetSpacing()[:2] == (1.2, 1.2), "the saved map keeps the scan step in nm")
expected = t.virtual_detector_numpy(t.sample_counts(), (23.3, 20.6), 10.0, 20.0)
t.check(np.array_equal(adf, expected), "the saved ADF map equals the NumPy virtual detector")

before = os.path.getmtime(os.path.join(out, "summary.json"))
code, log = analyze(t.SAMPLE, "--out", out)
t.check(code != 0 and "already holds results" in log, f"earlier results are not overwritten: {log.strip()}")
t.check(os.path.getmtime(os.path.join(out, "summary.json")) == before, "summary.json untouched")

code, log = analyze(os.path.join(work, "missing.vti"), "--out", os.path.join(work, "o1"))
t.check(code != 0 and "missing.vti' does not exist" in log, f"a missing input is named: {log.strip()}")

code, log = analyze(t.SAMPLE, "--out", os.path.join(work, "o2"), "--adf-radii", "20", "10")
t.check(code != 0 and "expected 0 <= INNER < OUTER" in log, f"bad ADF radii are explained: {log.strip()}")

code, log = analyze(os.path.join(out, "virtual_bf.vti"), "--out", os.path.join(work, "o3"))
t.check(code != 0 and "is not a 4D-STEM field" in log, f"a file that is not 4D-STEM is refused: {log.strip()}")

code, log = analyze(t.SAMPLE, "--out", os.path.join(work, "o4"), "--center", "99", "10")
t.check(code != 0 and "lies off the 48 x 40 detector" in log, f"a centre off the detector is refused: {log.strip()[-300:]}")
# Detector files through the readers: HDF5 (calibrated) and MIB (scan step given).
simulated = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16")
code, log = analyze(simulated + ".h5", "--out", os.path.join(work, "h5"), "--bf-radius", "3", "--adf-radii", "5", "30")
summary = json.load(open(os.path.join(work, "h5", "summary.json"))) if code == 0 else {}
t.check(code == 0 and summary["scan"]["nx"] == 16 and summary["scan"]["step_nm"] == [1.2, 1.2],
        f"analyze reads the simulated HDF5 file with its calibration: {log[-300:]}")
code, log = analyze(simulated + ".mib", "--out", os.path.join(work, "mib"), "--scan-step", "1.2",
                    "--bf-radius", "3", "--adf-radii", "5", "30")
t.check(code == 0, f"analyze reads the simulated MIB file: {log[-300:]}")
mib_adf, _ = read_map(os.path.join(work, "mib", "virtual_adf.vti"), "VirtualADF")
h5_adf, _ = read_map(os.path.join(work, "h5", "virtual_adf.vti"), "VirtualADF")
t.check(np.array_equal(mib_adf, h5_adf), "MIB and HDF5 of one scan give the same ADF map")
code, log = analyze(simulated + ".h5", "--out", os.path.join(work, "o5"), "--scan-shape", "4", "4")
t.check(code != 0 and "--scan-shape does not apply" in log, f"an option of another format is refused: {log.strip()}")

shutil.rmtree(work)
print("analyze checks passed")
