"""docs/examples/overlay_haadf.py as a user runs it (pvpython): a synthetic
HAADF image of a simulated scan (the simulator's true thickness map, 4x
upsampled, Poisson noise, a 16-bit PNG whose first row is the first scan line)
is put onto the scan grid of the maps scripts/analyze wrote. With the
simulator's thickness added to maps.vti as a map, the correlation the example
reports for it is > 0.9 (the image lands on the right positions); without the
row flip it is lower; an image with a margin, placed with --pixel-size and
--origin, lands as well; the maps are put onto the image's grid; bad input
gives a message and a non-zero exit."""
import os
import re
import shutil
import subprocess
import tempfile

import h5py
import numpy as np
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOImage import vtkPNGWriter

import stempdf_testing as t

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(ROOT, "docs", "examples", "overlay_haadf.py")
work = tempfile.mkdtemp(prefix="stempdf-overlay-")
stem = os.path.join(work, "scan")
subprocess.run([os.environ["STEMPDF_SIMULATE"], "--out", stem, "--scan", "32", "32", "--detector", "64", "64",
                "--pixel-size", "0.055", "--center", "32.4", "31.2", "--seed", "5"], check=True, capture_output=True)
run = subprocess.run([os.path.join(ROOT, "scripts", "analyze"), stem + ".h5", "--out", os.path.join(work, "results"),
                      "--components", "2"], env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
t.check(run.returncode == 0, f"scripts/analyze makes maps.vti (exit {run.returncode}):\n{run.stdout[-2000:]}"
                             f"{run.stderr[-2000:]}")
thickness = h5py.File(stem + "_truth.h5", "r")["/maps/thickness"][...]      # [scan y, scan x]

# maps.vti with the true thickness as one more map.
grid = t.read_vti(os.path.join(work, "results", "maps.vti"))
t.check(grid.GetDimensions()[:2] == thickness.shape[::-1], "maps.vti is on the simulated scan grid")
t.add_point_array(grid, "TrueThickness", thickness.ravel().astype(np.float64))
maps = os.path.join(work, "maps_with_truth.vti")
t.write_vti(maps, grid)


def write_png(path, rows):
    """A 16-bit grayscale PNG whose first row is rows[0] (VTK writes its y = 0 row last)."""
    image = vtkImageData()
    image.SetDimensions(rows.shape[1], rows.shape[0], 1)
    image.GetPointData().SetScalars(numpy_to_vtk(np.flipud(rows).ravel(), deep=1))
    png = vtkPNGWriter()
    png.SetFileName(path)
    png.SetInputData(image)
    png.Write()


rng = np.random.default_rng(3)
haadf = rng.poisson(np.kron(thickness / thickness.mean(), np.ones((4, 4))) * 2000).astype(np.uint16)
write_png(os.path.join(work, "haadf.png"), haadf)
margin = 8                                         # the same image inside a larger field of view
wide = rng.poisson(2000, (haadf.shape[0] + 2 * margin, haadf.shape[1] + 2 * margin)).astype(np.uint16)
wide[margin:-margin, margin:-margin] = haadf
write_png(os.path.join(work, "haadf_wide.png"), wide)


def example(*args):
    run = subprocess.run([os.environ.get("PVPYTHON", "pvpython"), EXAMPLE, *args], env=t.subprocess_env(),
                         capture_output=True, text=True, timeout=120)
    return run.returncode, run.stdout + run.stderr


def correlations(log):
    return {m[0]: float(m[1]) for m in re.findall(r"^\s+'([^']+)'\s+([+-][\d.]+)\s*$", log, re.M)}


out = os.path.join(work, "overlay")
code, log = example(maps, os.path.join(work, "haadf.png"), "--out", out)
print(log)
t.check(code == 0, f"the example runs (exit {code})")
r = correlations(log)
t.check(set(r) >= {"Weight 1", "Weight 2", "TrueThickness"}, f"it reports a correlation for every map: {r}")
t.check(r["TrueThickness"] > 0.9, f"the image on the scan grid correlates with the true thickness: "
                                  f"{r['TrueThickness']}")
t.check("pixel 0.3 x 0.3 nm, first pixel centre (-0.45, -0.45) nm" in log,
        "by default the image covers the scanned area (0.3 nm pixels, first centre at -0.45 nm)")
for name, dims in (("image_on_scan_grid.vti", (32, 32, 1)), ("maps_on_image_grid.vti", (128, 128, 1))):
    t.check(t.read_vti(os.path.join(out, name)).GetDimensions() == dims, f"{name} is on the expected grid {dims}")
back = t.read_vti(os.path.join(out, "maps_on_image_grid.vti"))
spacing, origin = back.GetSpacing(), back.GetOrigin()
t.check(np.allclose(spacing[:2], 0.3) and np.allclose(origin[:2], -0.45),
        f"the maps on the image's grid have its pixel size and origin ({spacing[:2]}, {origin[:2]})")
on_image = dsa.WrapDataObject(back).PointData["TrueThickness"]
inside = np.asarray(dsa.WrapDataObject(back).PointData["vtkValidPointMask"]).reshape(128, 128) > 0
c = np.corrcoef(np.asarray(on_image).reshape(128, 128)[inside], haadf[inside])[0, 1]
t.check(c > 0.9, f"the true thickness on the image's grid correlates with the image: {c:.4f}")

code, log = example(maps, os.path.join(work, "haadf.png"), "--flip", "no")
unflipped = correlations(log).get("TrueThickness", 1.0)
t.check(code == 0 and unflipped < r["TrueThickness"] - 0.1,
        f"without the row flip the image lands wrongly: {unflipped} against {r['TrueThickness']}")

code, log = example(maps, os.path.join(work, "haadf_wide.png"), "--pixel-size", "0.3",
                    "--origin", str(-0.45 - 0.3 * margin), str(-0.45 - 0.3 * margin))
wide_r = correlations(log).get("TrueThickness", 0.0)
t.check(code == 0 and wide_r > 0.9, f"an image with a margin, placed with --pixel-size/--origin: {wide_r}")
code, log = example(maps, os.path.join(work, "haadf_wide.png"))
t.check(code == 0 and correlations(log).get("TrueThickness", 1.0) < 0.9,
        "the same image taken as covering the scanned area does not line up")

for args, message in (((maps, os.path.join(work, "missing.png")), "does not exist"),
                      ((maps, stem + "_truth.json"), "expected a .png"),
                      ((maps, os.path.join(work, "haadf.png"), "--pixel-size", "0"), "expected a size > 0"),
                      ((maps, os.path.join(work, "haadf.png"), "--origin", "500", "500"), "does not cover"),
                      ((maps, os.path.join(work, "haadf.png"), "--array", "HAADF"), "no point array 'HAADF'")):
    code, log = example(*args)
    t.check(code != 0 and message in log, f"bad input {args[1:]} gives '{message}' (exit {code}): {log.strip()[-200:]}")
shutil.rmtree(work)
print("overlay example checks passed")
