"""AzimuthalIntegrate in ParaView on the simulated scan: every profile and the
mean-profile table agree with an independent NumPy integration (each pixel cut
into 32 x 32 sub-pixels binned by their own s), the calibration comes from
the reader, and bad parameters are reported."""
import json
import os

import numpy as np
from paraview import servermanager
from paraview.simple import OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

import stempdf_testing as t

t.load_plugin(globals())
base = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16")
truth = json.load(open(base + "_truth.json"))["parameters"]
cx, cy = truth["center_px"]
ratio, angle = truth["ellipse_ratio"], truth["ellipse_angle_deg"]
pixel = truth["pixel_size_invA"]

scan = OpenDataFile(base + ".h5")
scan.UpdatePipeline()
# Every pixel counts here, as in the NumPy integration below (no defect rejection).
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0, Center=[cx, cy],
                        EllipseRatio=ratio, EllipseAngle=angle, SRange=[0.25, 1.4], RejectDefectivePixels=0)
profiles, image = t.point_array(az, "Intensity")
bins = profiles.shape[-1]
t.check(bins == round(1.15 / pixel), f"one-pixel bins from the file's pixel size: {bins}")
s_axis = dsa.WrapDataObject(image).FieldData
t.check(abs(s_axis["STEMPDF_AxisOrigin"][0] - (0.25 + 0.5 * 1.15 / bins)) < 1e-12 and
        str(image.GetFieldData().GetAbstractArray("STEMPDF_AxisQuantity").GetValue(0)) == "s",
        "the output carries the s axis (bin centres)")


def numpy_profiles(frames, s0=0.25, s1=1.4, n=bins, sub=32):
    """Independent integration: each pixel split into sub x sub points."""
    ky, kx = 64, 64
    offsets = (np.arange(sub) + 0.5) / sub - 0.5
    y, x = np.meshgrid(np.arange(ky), np.arange(kx), indexing="ij")
    shape = (ky, kx, sub, sub)
    px = np.broadcast_to(x[..., None, None] + offsets[None, None, None, :], shape).reshape(ky * kx, -1)
    py = np.broadcast_to(y[..., None, None] + offsets[None, None, :, None], shape).reshape(ky * kx, -1)
    a = np.deg2rad(angle)
    u = np.cos(a) * (px - cx) + np.sin(a) * (py - cy)
    v = -np.sin(a) * (px - cx) + np.cos(a) * (py - cy)
    s = pixel * np.sqrt(u * u / ratio + v * v * ratio)
    b = np.floor((s - s0) / ((s1 - s0) / n)).astype(int)
    inside = (b >= 0) & (b < n)
    weights = np.zeros((n, ky * kx))
    pixel_index = np.repeat(np.arange(ky * kx)[:, None], s.shape[1], axis=1)
    np.add.at(weights, (b[inside], pixel_index[inside]), 1.0 / sub ** 2)
    return frames @ weights.T / weights.sum(axis=1)


counts = servermanager.Fetch(scan)
frames = np.asarray(dsa.WrapDataObject(counts).PointData["Counts"]).astype(float)   # [positions, pixels]
expected = numpy_profiles(frames).reshape(profiles.shape)
error = np.abs(profiles - expected) / np.abs(expected)
t.check(error.max() < 0.005, f"every profile within 0.5 % of the NumPy integration (worst {error.max():.4f})")

table = az.GetClientSideObject().GetOutputDataObject(1)
mean = np.array([table.GetValue(i, 1).ToDouble() for i in range(table.GetNumberOfRows())])
t.check(table.GetColumnName(0) == "s" and np.allclose(mean, profiles.reshape(-1, bins).mean(axis=0), rtol=1e-12),
        "the table holds the mean profile of all 256 positions")

# Without a pixel size (a file with none and none given): a clear error.
bad = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], SRange=[1.2, 0.3])
catcher = t.ErrorCatcher(bad)
bad.UpdatePipeline()
t.check("SRange is (1.2, 0.3)" in catcher.text(), f"a reversed SRange is reported: {catcher.text()[:200]!r}")
# A named array that does not exist is an error, not a silent fall-back.
unknown = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "NoSuchArray"])
catcher = t.ErrorCatcher(unknown)
unknown.UpdatePipeline()
t.check("no point-data array named 'NoSuchArray'" in catcher.text(),
        f"an unknown pattern array is reported: {catcher.text()[:200]!r}")
print("AzimuthalIntegrate plugin checks passed")
