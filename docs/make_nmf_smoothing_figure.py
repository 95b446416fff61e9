"""Figure of NMF Decompose's Spatial Smoothing for docs/method.md (section 6),
made with the plugin on a simulated 64 x 64 scan (two types in 5.5 nm
domains, 1.2 nm steps, a weak noise pattern):
  docs/images/nmf_spatial_smoothing.png  the solid-like fraction of every
      position against the truth, and the two basis PDFs near their first
      peaks against the true types over the same s range, without smoothing
      and with Spatial Smoothing 1.5 scan steps (2 components)

    pvpython docs/make_nmf_smoothing_figure.py [--build build]   (the plugin: $STEMPDF_PLUGIN, else build/'s)
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from paraview import servermanager  # noqa: E402
from paraview.simple import OpenDataFile  # noqa: E402
from vtkmodules.numpy_interface import dataset_adapter as dsa  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "python"))
from stempdf import plugin  # noqa: E402
from stempdf.peaks import first_peak  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--build", default=os.path.join(root, "build"), help="where stempdf-simulate is (bin/)")
args = parser.parse_args()
plugin.load(globals())  # $STEMPDF_PLUGIN, else build/'s

work = tempfile.mkdtemp(prefix="stempdf-figures-")
stem = os.path.join(work, "scan")
subprocess.run([os.path.join(args.build, "bin", "stempdf-simulate"), "--out", stem, "--scan", "64", "64",
                "--detector", "64", "64", "--pixel-size", "0.055", "--center", "32.4", "31.2", "--seed", "3"],
               check=True, capture_output=True)
with h5py.File(stem + "_truth.h5") as f:
    solid, liquid = f["maps/fraction_solid_like"][:].ravel(), f["maps/fraction_liquid_like"][:].ravel()
    r_true = f["pdf/r"][:]
    true_curves = {"solid-like": f["pdf/G_solid_like_s0.25-1.6"][:], "liquid-like": f["pdf/G_liquid_like_s0.25-1.6"][:]}
share = solid / (solid + liquid)

az = AzimuthalIntegrate(Input=OpenDataFile(stem + ".h5"), Patterns=["POINTS", "Counts"], FindCenter=1)
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"])
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
runs = {}
for sigma in (0.0, 1.5):
    nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"], NumberOfComponents=2, SpatialSmoothing=sigma)
    nmf.UpdatePipeline()
    maps = dsa.WrapDataObject(servermanager.Fetch(nmf))
    table = dsa.WrapDataObject(nmf.GetClientSideObject().GetOutputDataObject(1))
    weights = [np.asarray(maps.PointData[f"Weight {k}"]) for k in (1, 2)]
    j = int(np.argmax([np.corrcoef(w, share)[0, 1] for w in weights]))
    runs[sigma] = {"solid": weights[j], "r": np.asarray(table.RowData["r"]),
                   "bases": {"solid-like": np.asarray(table.RowData[f"Basis {j + 1}"]),
                             "liquid-like": np.asarray(table.RowData[f"Basis {2 - j}"])}}

fig, (scatter, curves) = plt.subplots(1, 2, figsize=(11, 4.4))
colors = {0.0: "tab:red", 1.5: "tab:blue"}
for sigma, run in runs.items():
    slope = np.polyfit(share, run["solid"], 1)[0]
    scatter.plot(share, run["solid"], ".", ms=2, alpha=0.35, color=colors[sigma])
    scatter.plot([], [], "o", color=colors[sigma],
                 label=f"Spatial Smoothing {sigma:g}: slope {slope:.2f}, mean {run['solid'].mean():.3f}")
scatter.plot([0, 1], [0, 1], "k--", lw=1, label=f"truth (mean {share.mean():.3f})")
scatter.set(xlabel="true solid-like share", ylabel="NMF solid-like fraction", xlim=(-0.02, 1.02), ylim=(-0.02, 1.02),
            title="fractions of 4,096 positions (2 components)")
scatter.legend(loc="upper left", fontsize=8)


# Heights are scaled to 1: the simulator's plural scattering lowers every
# measured G(r) (docs/method.md, stages 4-5); the positions are what matter here.
for name, style in (("solid-like", "-"), ("liquid-like", "--")):
    near = (r_true > 1.9) & (r_true < 3.1)
    g = true_curves[name]
    curves.plot(r_true[near], g[near] / g[near].max(), style, color="k", lw=2.5, alpha=0.4,
                label=f"true {name}, same s range: {first_peak(r_true, g):.3f} Å")
    for sigma, run in runs.items():
        near = (run["r"] > 1.9) & (run["r"] < 3.1)
        g = run["bases"][name]
        curves.plot(run["r"][near], g[near] / g[near].max(), style, color=colors[sigma], lw=1.2,
                    label=f"{name}, smoothing {sigma:g}: {first_peak(run['r'], g):.3f} Å")
curves.set(xlabel="r (Å)", ylabel="G(r) / its first-peak height",
           title="basis PDFs near the first peak (heights scaled to 1)", xlim=(2.1, 2.95), ylim=(0.3, 1.05))
curves.legend(fontsize=7, loc="lower center")
fig.tight_layout()
out = os.path.join(root, "docs", "images", "nmf_spatial_smoothing.png")
fig.savefig(out, dpi=110)
print(out)
