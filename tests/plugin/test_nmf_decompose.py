"""NMF Decompose in ParaView on the simulated scan (AzimuthalIntegrate ->
StructureFactor -> PairDistribution -> NMFDecompose): the outputs have the
documented arrays and columns; the weights are fractions; W H reproduces G up
to the residual map; side by side with scikit-learn's NMF
(solver="cd", init="nndsvda", max_iter=1000, tol=1e-7) on the identical
matrix, our objective is at most 1.001 x scikit-learn's (skipped, exit 77,
when scikit-learn is not installed); the same seed gives the same maps;
2 MPI ranks give the maps of one process; bad parameters are reported."""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
from paraview import servermanager
from paraview.simple import Delete, OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

import stempdf_testing as t

t.load_plugin(globals())
here = os.path.dirname(os.path.abspath(__file__))
source = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16.h5")
composition = json.load(open(os.path.join(t.TESTING_DATA, "simulated", "sim_16x16_truth.json")))["parameters"]["composition"]
az = AzimuthalIntegrate(Input=OpenDataFile(source), Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0,
                        Center=[32.6, 30.9], EllipseRatio=1.02, EllipseAngle=30, SRange=[0.25, 1.4])
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], SRange=[0.25, 1.4], Composition=composition)
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"])
nmf.UpdatePipeline()


def table_columns(proxy, port):
    table = proxy.GetClientSideObject().GetOutputDataObject(port)
    return {table.GetColumnName(c): np.array([table.GetValue(i, c).ToDouble() for i in range(table.GetNumberOfRows())])
            for c in range(table.GetNumberOfColumns())}


G = np.asarray(dsa.WrapDataObject(servermanager.Fetch(pd)).PointData["G"])
maps = dsa.WrapDataObject(servermanager.Fetch(nmf))
W = np.stack([np.asarray(maps.PointData[f"Weight {j}"]) for j in (1, 2, 3)], axis=1)
residual = np.asarray(maps.PointData["Residual"])
basis = table_columns(nmf, 1)
history = table_columns(nmf, 2)
shift = maps.FieldData["STEMPDF_NMFShift"][0]
singular = np.asarray(maps.FieldData["STEMPDF_NMFSingularValues"])
exact_singular = np.linalg.svd(G - G.min(), compute_uv=False)
t.check(np.allclose(singular[:3], exact_singular[:3], rtol=1e-6),
        f"the leading singular values of V are NumPy's ({singular[:3]} vs {exact_singular[:3]})")
t.check(np.isclose(shift, -G.min()), f"the shift is minus the global minimum of G ({shift:.4f})")
t.check(sorted(basis) == sorted(["r"] + [f"Basis {j}" for j in (1, 2, 3)] + [f"Basis {j} (shifted)" for j in (1, 2, 3)]),
        f"the basis table has r, Basis k and Basis k (shifted) ({sorted(basis)})")
H = np.stack([basis[f"Basis {j} (shifted)"] for j in (1, 2, 3)])
t.check(np.allclose(H - shift, np.stack([basis[f"Basis {j}"] for j in (1, 2, 3)])), "Basis k = shifted basis - shift")
t.check(W.min() >= 0 and np.abs(W.sum(axis=1) - 1).max() < 1e-12, "the weights are fractions (SumToOne)")
totals = W.sum(axis=0)
t.check(totals[0] >= totals[1] >= totals[2], f"components are ordered by total weight ({totals})")
V = G - G.min()
fit_rms = np.sqrt(((V - W @ H) ** 2).mean(axis=1))
t.check(np.allclose(fit_rms, residual, rtol=1e-8, atol=1e-12), "the residual map is the RMS of G - W H per position")
objective = 0.5 * np.sum((V - W @ H) ** 2)
nmf.UpdatePropertyInformation()
reported = nmf.GetProperty("FinalObjective")[0]
t.check(np.isclose(objective, reported, rtol=1e-9), f"FinalObjective is ||V - W H||^2 / 2 ({reported:.6g})")
t.check(len(history["Objective"]) == nmf.GetProperty("Iterations")[0] and
        np.all(np.diff(history["Objective"][history["Compressed"] == 1]) <= 1e-9 * history["Objective"][0]),
        f"the objective table has one row per iteration and falls ({len(history['Objective'])} iterations)")

# Same seed, same maps.
again = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"])
W2 = np.stack([t.point_array(again, f"Weight {j}")[0].ravel() for j in (1, 2, 3)], axis=1)
t.check(np.array_equal(W, W2), "the same parameters give identical maps")
Delete(again)

# Bad input: more components than r samples; an inverted r range.
for rrange, name in (([2.0, 2.01], "NumberOfComponents"), ([5.0, 3.0], "RRange")):
    bad = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"], RRange=rrange)
    catcher = t.ErrorCatcher(bad)
    bad.UpdatePipeline()
    t.check(name in catcher.text(), f"RRange {rrange}: reported naming {name} ({catcher.text()[-160:].strip()})")
    Delete(bad)

# 2 MPI ranks: the maps and basis of one process.
work = tempfile.mkdtemp(prefix="stempdf-nmf-mpi-")
maps_file, basis_file = os.path.join(work, "maps.pvti"), os.path.join(work, "basis.csv")
run = subprocess.run(["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
                      os.path.join(here, "mpi_nmf_worker.py"), source, composition, maps_file, basis_file],
                     env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
t.check(run.returncode == 0 and "runs on 2 ranks" in run.stdout, f"mpiexec -n 2 pvbatch ran (stderr: {run.stderr[-1500:]})")
distributed = np.stack([t.point_array(OpenDataFile(maps_file), f"Weight {j}")[0].ravel() for j in (1, 2, 3)], axis=1)
rows = list(csv.DictReader(open(basis_file)))
distributed_H = np.array([[float(row[f"Basis {j} (shifted)"]) for row in rows] for j in (1, 2, 3)])
t.check(np.abs(distributed - W).max() < 1e-6 and np.abs(distributed_H - H).max() < 1e-6 * np.abs(H).max(),
        f"2 ranks give the maps and basis of one process (worst {np.abs(distributed - W).max():.1e})")
shutil.rmtree(work)

# Side by side with scikit-learn on the identical matrix.
try:
    from sklearn.decomposition import NMF
except ImportError:
    print("skipped: scikit-learn is not installed (Debian python3-sklearn); the comparison did not run")
    sys.exit(77)
start = time.perf_counter()
model = NMF(n_components=3, solver="cd", init="nndsvda", max_iter=1000, tol=1e-7)
Ws = model.fit_transform(V)
seconds = time.perf_counter() - start
theirs = 0.5 * np.sum((V - Ws @ model.components_) ** 2)
t.check(objective <= 1.001 * theirs,
        f"our objective {objective:.6g} <= 1.001 x scikit-learn's {theirs:.6g} (ratio {objective / theirs:.4f}; "
        f"scikit-learn {model.n_iter_} iterations, {seconds:.2f} s)")
print("NMFDecompose checks passed")
