"""Figures of the AzimuthalIntegrate calibration for docs/method.md and the
user guide, made with the plugin on a simulated 32 x 32 scan:
  docs/images/azimuthal_calibration.png  mean pattern, excluded pixels, found
                                          centre and rings of constant s
  docs/images/azimuthal_profiles.png     the mean profile I(s) and the spread of
                                          the single-position profiles
  docs/images/pdf_mean_G.png             Structure Factor + Pair Distribution:
                                          the mean G(r) of the scan and of two
                                          positions, against the simulator's
                                          two structural types over the same s range

    xvfb-run -a pvpython docs/make_calibration_figures.py [--build build]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from paraview import servermanager
from paraview.simple import LoadPlugin, OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "python"))
from stempdf import figures  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--build", default=os.path.join(root, "build"))
args = parser.parse_args()
LoadPlugin(os.path.join(args.build, "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so"), remote=False, ns=globals())

work = tempfile.mkdtemp(prefix="stempdf-figures-")
stem = os.path.join(work, "scan")
subprocess.run([os.path.join(args.build, "bin", "stempdf-simulate"), "--out", stem, "--scan", "32", "32",
                "--center", "130.4", "124.7", "--seed", "11"], check=True, capture_output=True)
truth = json.load(open(stem + "_truth.json"))["parameters"]

scan = OpenDataFile(stem + ".h5")
scan.UpdatePipeline()
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, ComputeVariance=1)
az.UpdatePipeline()
az.UpdatePropertyInformation()
center = list(az.GetProperty("UsedCenter"))
ratio, angle = az.GetProperty("UsedEllipseRatio")[0], az.GetProperty("UsedEllipseAngle")[0]
pixel = az.GetProperty("UsedPixelSize")[0]

counts = dsa.WrapDataObject(servermanager.Fetch(scan)).PointData["Counts"]
mean_pattern = np.asarray(counts).astype(float).mean(axis=0).reshape(256, 256)
# The filter does not output its mask pixel by pixel (only the count); the
# test suite shows it excludes exactly the simulator's dead and hot pixels,
# which are marked here.
with h5py.File(stem + "_truth.h5", "r") as f:
    classes = np.asarray(f["detector/mask"]).astype(int)
excluded = (classes == 1) | (classes == 2)
figures.save_calibration(
    mean_pattern, excluded, center, ratio, angle, pixel, os.path.join(root, "docs", "images", "azimuthal_calibration.png"),
    title=f"found centre ({center[0]:.2f}, {center[1]:.2f}) px, e = {ratio:.4f} at {angle:.1f} deg\n"
          f"(true ({truth['center_px'][0]}, {truth['center_px'][1]}), {truth['ellipse_ratio']} at "
          f"{truth['ellipse_angle_deg']} deg = {1 / truth['ellipse_ratio']:.4f} at {truth['ellipse_angle_deg'] - 90} deg)")

image = servermanager.Fetch(az)
data = dsa.WrapDataObject(image)
intensity = np.asarray(data.PointData["Intensity"])
variance = np.asarray(data.PointData["Variance"])
origin, spacing = data.FieldData["STEMPDF_AxisOrigin"][0], data.FieldData["STEMPDF_AxisSpacing"][0]
s = origin + spacing * np.arange(intensity.shape[1])
low, high = np.percentile(intensity, [5, 95], axis=0)
one = intensity[0]
sigma = np.sqrt(variance[0])
figures.save_profiles(s, [((low, high), "5-95 % of the 1,024 positions", dict(color="0.85")),
                          ((one - sigma, one + sigma), "one position ± Poisson σ", dict(color="tab:orange", alpha=0.4)),
                          (one, "one position", dict(color="tab:orange", lw=0.8)),
                          (intensity.mean(axis=0), "mean profile (the table output)", dict(color="k", lw=1.5))],
                      os.path.join(root, "docs", "images", "azimuthal_profiles.png"),
                      title="Azimuthal Integrate on a simulated 32 x 32 scan (Find Center on)")
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], Composition=truth["composition"])
pdf = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
g_data = dsa.WrapDataObject(servermanager.Fetch(pdf))
G = np.asarray(g_data.PointData["G"])
r = g_data.FieldData["STEMPDF_AxisOrigin"][0] + g_data.FieldData["STEMPDF_AxisSpacing"][0] * np.arange(G.shape[1])
solid = np.asarray(h5py.File(stem + "_truth.h5", "r")["maps/fraction_solid_like"]).ravel()
with h5py.File(stem + "_truth.h5", "r") as f:
    true_r = np.asarray(f["pdf/r"])
    liquid_true = np.asarray(f["pdf/G_liquid_like_s0.25-1.6"])
    solid_true = np.asarray(f["pdf/G_solid_like_s0.25-1.6"])
most, least = int(np.argmax(solid)), int(np.argmin(solid))
figures.save_curves(
    r, [(G.mean(axis=0), "mean G(r) of the 1,024 positions", dict(color="k", lw=1.6)),
        (G[most], f"position with the most solid-like ({solid[most]:.2f})", dict(color="tab:blue", lw=0.8)),
        (G[least], f"position with the least solid-like ({solid[least]:.2f})", dict(color="tab:red", lw=0.8))],
    os.path.join(root, "docs", "images", "pdf_mean_G.png"),
    extra=[(true_r, solid_true, "true solid-like type, same s range", dict(color="tab:blue", ls="--", lw=1)),
           (true_r, liquid_true, "true liquid-like type, same s range", dict(color="tab:red", ls="--", lw=1))],
    xlabel="r (A)", ylabel="G(r) (1/A^2)",
    title="Structure Factor + Pair Distribution on the simulated scan (s = 0.25-1.6 1/A)")
print("wrote docs/images/azimuthal_calibration.png, azimuthal_profiles.png and pdf_mean_G.png")
