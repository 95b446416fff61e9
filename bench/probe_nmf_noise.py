"""Why plain NMF compresses the fractions on the paper-scale simulated scan
(docs/method.md, section 6), measured on the plugin's G(r) cube:

1. The bases the data imply: least squares of G on the true fraction maps
   (solid-like, liquid-like, noise). Fractions fitted with them (affine, sum 1)
   follow the truth with slope 1 and a per-position noise.
2. NMF Decompose's two basis curves, with and without Spatial Smoothing, in the
   coordinates of those bases: corners beyond 0 and 1 compress the fractions.
3. What the true fractions leave: its largest principal component against the
   thickness map.

    pvbatch bench/probe_nmf_noise.py [--data /tmp/stempdf-bench]

The scan is made by bench/run_azimuthal_integrate.py.
"""
import argparse
import os
import sys

import h5py
import numpy as np
from paraview import servermanager
from paraview.simple import OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "python"))
from stempdf import plugin  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="/tmp/stempdf-bench")
args = parser.parse_args()
scan = os.path.join(args.data, "paper.h5")
if not os.path.exists(scan):
    sys.exit(f"probe_nmf_noise: {scan} is missing; make it with bench/run_azimuthal_integrate.py")
plugin.load(globals())

az = AzimuthalIntegrate(Input=OpenDataFile(scan), Patterns=["POINTS", "Counts"], FindCenter=1)
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"])
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
G = np.asarray(dsa.WrapDataObject(servermanager.Fetch(pd)).PointData["G"])
with h5py.File(os.path.join(args.data, "paper_truth.h5")) as f:
    F = np.column_stack([f[f"maps/fraction_{name}"][:].ravel() for name in ("solid_like", "liquid_like", "noise")])
    thickness = f["maps/thickness"][:].ravel()


def affine_fractions(bases, data):
    """Least-squares weights of each row of data on the bases, adding up to 1 (no sign constraint)."""
    steps = np.linalg.lstsq((bases[1:] - bases[0]).T, (data - bases[0]).T, rcond=None)[0].T
    return np.column_stack([1 - steps.sum(axis=1), steps])


implied = np.linalg.lstsq(F, G, rcond=None)[0]  # 3 x r
fractions = affine_fractions(implied, G)
for k, name in enumerate(("solid-like", "liquid-like", "noise")):
    error = fractions[:, k] - F[:, k]
    print(f"1. {name}: with the implied bases, slope {np.polyfit(F[:, k], fractions[:, k], 1)[0]:.3f}, "
          f"per-position error {error.std():.4f}")
for sigma in (0.0, 1.5):
    nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"], NumberOfComponents=2, SpatialSmoothing=sigma)
    nmf.UpdatePipeline()
    table = dsa.WrapDataObject(nmf.GetClientSideObject().GetOutputDataObject(1))
    bases = np.stack([np.asarray(table.RowData[f"Basis {k}"]) for k in (1, 2)])
    corners = affine_fractions(implied[:2], bases)
    print(f"2. Spatial Smoothing {sigma:g}: NMF's two bases as (solid-like, liquid-like) of the implied ones: "
          + "; ".join(f"({c[0]:+.3f}, {c[1]:+.3f})" for c in corners))
left = G - F @ implied
u, singular, _ = np.linalg.svd(left - left.mean(axis=0), full_matrices=False)
print(f"3. what the true fractions leave: singular values {np.round(singular[:4], 1).tolist()}; the largest "
      f"component correlates {np.corrcoef(u[:, 0], thickness)[0, 1]:+.2f} with the thickness map")
