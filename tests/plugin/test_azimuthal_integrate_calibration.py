"""AzimuthalIntegrate's calibration helpers in ParaView, on a 32 x 32 scan from
the simulator (off-centre pattern, elliptical rings, dead and hot pixels):
Find Center recovers the true centre within 0.1 px and the ellipse ratio
within 0.002; Reject Defective Pixels finds the simulator's dead and hot
pixels; Camera Length gives the pixel size; a mask file and a mask input
exclude their pixels; a mask of the wrong shape is reported."""
import json
import os
import shutil
import subprocess
import tempfile

import h5py
import numpy as np
from paraview.simple import OpenDataFile, PVTrivialProducer
from vtkmodules.vtkCommonCore import vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.numpy_interface import dataset_adapter as dsa

import stempdf_testing as t

t.load_plugin(globals())
work = tempfile.mkdtemp(prefix="stempdf-calibration-")
stem = os.path.join(work, "scan")
subprocess.run([os.environ["STEMPDF_SIMULATE"], "--out", stem, "--scan", "32", "32", "--center", "130.4", "124.7",
                "--ellipse", "1.02", "30", "--seed", "11"], check=True, capture_output=True)
truth = json.load(open(stem + "_truth.json"))["parameters"]
with h5py.File(stem + "_truth.h5", "r") as f:
    classes = np.asarray(f["detector/mask"]).astype(int)       # 0 good, 1 dead, 2 hot, 3 beam, 4 beam stop
    pixel_s = np.asarray(f["detector/s"])
defects = int(np.count_nonzero(((classes == 1) | (classes == 2)) & (pixel_s > 0.1)))

scan = OpenDataFile(stem + ".h5")
scan.UpdatePipeline()


def field(proxy, name):
    return dsa.WrapDataObject(proxy.GetClientSideObject().GetOutputDataObject(0)).FieldData[name]


# Find Center, with the dead and hot pixels rejected (the default).
found = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1)
found.UpdatePipeline()
found.UpdatePropertyInformation()
center = np.array(found.GetProperty("UsedCenter"))
ratio, angle = found.GetProperty("UsedEllipseRatio")[0], found.GetProperty("UsedEllipseAngle")[0]
true_center = np.array(truth["center_px"])
# The same rings described with the ratio <= 1 (the fit's canonical form).
true_ratio = min(truth["ellipse_ratio"], 1 / truth["ellipse_ratio"])
t.check(np.abs(center - true_center).max() < 0.1,
        f"Find Center recovers the true centre within 0.1 px: {center} vs {true_center}")
t.check(abs(min(ratio, 1 / ratio) - true_ratio) < 0.002,
        f"and the ellipse ratio within 0.002: {ratio:.5f} vs {true_ratio:.5f} (angle {angle:.1f} deg)")
t.check(np.allclose(field(found, "STEMPDF_Center"), center) and
        abs(field(found, "STEMPDF_EllipseRatio")[0] - ratio) < 1e-15,
        "the calibration used travels with the profiles as field data")
found_defects = found.GetProperty("DefectivePixels")[0]
t.check(found_defects == defects,
        f"Reject Defective Pixels finds the simulator's {defects} dead and hot pixels: {found_defects}")
t.check(found.GetProperty("ExcludedPixels")[0] == found_defects, "and excludes exactly those")

# The found calibration gives the profiles of the true one.
given = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0,
                           Center=list(true_center), EllipseRatio=truth["ellipse_ratio"],
                           EllipseAngle=truth["ellipse_angle_deg"])
mine, _ = t.point_array(found, "Intensity")
theirs, _ = t.point_array(given, "Intensity")
difference = np.abs(mine.mean(axis=(0, 1)) - theirs.mean(axis=(0, 1))) / theirs.mean(axis=(0, 1))
t.check(difference.max() < 2e-3, f"mean profiles with found and true calibration agree (worst {difference.max():.1e})")

# Camera length, pitch and energy give the pixel size (the file's own is 0.01433 1/A).
wavelength = 12.398419843 / np.sqrt(300.0 * (300.0 + 2 * 510.99895))
camera = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], CameraLength=180.0,
                            DetectorPixelPitch=55.0, BeamEnergy=300.0)
camera.UpdatePipeline()
camera.UpdatePropertyInformation()
expected = 55e-3 / (wavelength * 180.0)
used = camera.GetProperty("UsedPixelSize")[0]
t.check(abs(used - expected) < 1e-12, f"Camera Length 180 mm at 55 um and 300 kV: {used:.6f} 1/A per px")

# A mask file (HDF5, as h5py writes it) excludes its pixels: the left half.
mask = np.zeros((256, 256), np.uint8)
mask[:, :128] = 1
with h5py.File(os.path.join(work, "mask.h5"), "w") as f:
    f["mask"] = mask
geometry = dict(CenterOnDetectorMiddle=0, Center=list(true_center), EllipseRatio=truth["ellipse_ratio"],
                EllipseAngle=truth["ellipse_angle_deg"])
half = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], MaskFile=os.path.join(work, "mask.h5"),
                          **geometry)
half.UpdatePipeline()
half.UpdatePropertyInformation()
t.check(half.GetProperty("ExcludedPixels")[0] == 128 * 256 + half.GetProperty("DefectivePixels")[0],
        "the mask file excludes the left half (and the defects of the right)")
inverted = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], MaskFile=os.path.join(work, "mask.h5"),
                              MaskNonZeroIsGood=1, **geometry)
inverted.UpdatePipeline()
inverted.UpdatePropertyInformation()
halves = (half.GetProperty("DefectivePixels")[0], inverted.GetProperty("DefectivePixels")[0])
t.check(inverted.GetProperty("ExcludedPixels")[0] == 128 * 256 + halves[1] and abs(sum(halves) - defects) <= 2,
        f"and, read as 'non-zero is good', the right half (defects found in the halves: {halves}, in all {defects})")
left, _ = t.point_array(inverted, "Intensity")
right, _ = t.point_array(half, "Intensity")
ratio_halves = left.mean(axis=(0, 1)) / right.mean(axis=(0, 1))
t.check(np.abs(ratio_halves - 1).max() < 0.02,
        f"the two halves of radial patterns give the same mean profile (worst {np.abs(ratio_halves - 1).max():.3f})")


# A mask input: an image of the detector's shape, non-zero = excluded.
def mask_source(nx, ny, excluded):
    image = vtkImageData()
    image.SetDimensions(nx, ny, 1)
    values = vtkUnsignedCharArray()
    values.SetName("mask")
    values.SetNumberOfTuples(nx * ny)
    values.Fill(0)
    for p in excluded:
        values.SetValue(p, 1)
    image.GetPointData().SetScalars(values)
    source = PVTrivialProducer()
    source.GetClientSideObject().SetOutput(image)
    return source


stripe = [ky * 256 + kx for ky in range(100, 110) for kx in range(256)]
with_input = AzimuthalIntegrate(Input=scan, Mask=mask_source(256, 256, stripe), Patterns=["POINTS", "Counts"],
                                RejectDefectivePixels=0)
with_input.UpdatePipeline()
with_input.UpdatePropertyInformation()
t.check(with_input.GetProperty("ExcludedPixels")[0] == len(stripe), "a mask input excludes its pixels")

wrong = AzimuthalIntegrate(Input=scan, Mask=mask_source(128, 128, []), Patterns=["POINTS", "Counts"])
catcher = t.ErrorCatcher(wrong)
wrong.UpdatePipeline()
t.check("expected one point array on the 256 x 256 detector" in catcher.text(),
        f"a mask input of the wrong shape is reported: {catcher.text()[:300]!r}")
wrong_file = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], MaskFile=os.path.join(work, "none.h5"))
catcher = t.ErrorCatcher(wrong_file)
wrong_file.UpdatePipeline()
t.check("none.h5" in catcher.text(), f"a missing mask file is reported: {catcher.text()[:300]!r}")

shutil.rmtree(work)
print("AzimuthalIntegrate calibration checks passed")
