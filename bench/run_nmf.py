"""NMFDecompose and MLLSFit on the paper-scale G(r) cube (16,384 positions x
1,001 r samples), side by side with scikit-learn on the identical matrix, and
the structural types found compared with the simulator's ground truth.

    pvbatch bench/run_nmf.py [--build build] [--data /tmp/stempdf-bench] [--repetitions 5]

1. The paper-scale scan (DIR/paper.h5, made by bench/run_azimuthal_integrate.py
   or `build/bin/stempdf-simulate --out DIR/paper --scan 128 128 --seed 7`)
   goes through the plugin's chain (AzimuthalIntegrate with Find Center ->
   StructureFactor -> PairDistribution); V = G - min(G) is written to
   DIR/nmf_V.h5.
2. scikit-learn 1.2 (Debian python3-sklearn) on the same file in a child
   /usr/bin/python3 with OpenBLAS on 2 threads:
   NMF(n_components=3, solver="cd", init="nndsvda", max_iter=1000, tol=1e-7).
   Its final objective is the target: bench_nmf --target times our run cut
   at the first iteration that reaches it (BM_NMFToTarget), and the whole
   default run (BM_NMF).
3. Ours, on that file: build/bin/bench_nmf (the solver, 2 threads, default
   parameters, median of --repetitions runs) and the NMF Decompose filter in
   this pvbatch (the GUI's code path, including the copies in and out).
4. MLLS of a 3-curve basis plus offset on a cube of the same size, timed
   with build/bin/bench_mlls_fit (median; the fit alone, and a new filter).
5. Quality: each method's fraction maps against the true ones (also the
   filter with Spatial Smoothing 1.5, 3 and 2 components)
   (DIR/paper_truth.h5), the first peak of each basis in 2-3 A against the
   true types' (2.46 / 2.53 A; 2.449 / 2.509 A for the measured s range).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--build", default=os.path.join(root, "build"))
parser.add_argument("--data", default="/tmp/stempdf-bench")
parser.add_argument("--repetitions", type=int, default=5)
args = parser.parse_args()
scan_file = os.path.join(args.data, "paper.h5")
if not os.path.exists(scan_file):
    sys.exit(f"run_nmf: {scan_file} is missing; make it with bench/run_azimuthal_integrate.py")

from paraview import servermanager  # noqa: E402
from paraview.simple import LoadPlugin, OpenDataFile  # noqa: E402
from vtkmodules.numpy_interface import dataset_adapter as dsa  # noqa: E402
import h5py  # noqa: E402

sys.path.insert(0, os.path.join(root, "python"))
from stempdf.peaks import first_peak  # noqa: E402

LoadPlugin(os.path.join(args.build, "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so"), remote=False, ns=globals())
truth_parameters = json.load(open(os.path.join(args.data, "paper_truth.json")))
composition = truth_parameters["parameters"]["composition"]

print("the chain: AzimuthalIntegrate -> StructureFactor -> PairDistribution ...", flush=True)
az = AzimuthalIntegrate(Input=OpenDataFile(scan_file), Patterns=["POINTS", "Counts"], FindCenter=1)
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], Composition=composition)
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
pd.UpdatePipeline()
field = dsa.WrapDataObject(servermanager.Fetch(pd))
G = np.asarray(field.PointData["G"])
r = field.FieldData["STEMPDF_AxisOrigin"][0] + field.FieldData["STEMPDF_AxisSpacing"][0] * np.arange(G.shape[1])
V = G - G.min()
matrix_file = os.path.join(args.data, "nmf_V.h5")
with h5py.File(matrix_file, "w") as f:
    f["V"] = V
print(f"V: {V.shape[0]} positions x {V.shape[1]} r samples -> {matrix_file}", flush=True)

# scikit-learn on the identical matrix, in a child with OpenBLAS on 2 threads.
sklearn_file = os.path.join(args.data, "nmf_sklearn.h5")
child = f"""
import time, h5py, numpy as np
from sklearn.decomposition import NMF
V = h5py.File({matrix_file!r})["V"][:]
start = time.perf_counter()
model = NMF(n_components=3, solver="cd", init="nndsvda", max_iter=1000, tol=1e-7)
W = model.fit_transform(V)
seconds = time.perf_counter() - start
with h5py.File({sklearn_file!r}, "w") as f:
    f["W"], f["H"] = W, model.components_
    f.attrs["seconds"], f.attrs["iterations"] = seconds, model.n_iter_
"""
env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
env = {k: v for k, v in env.items() if not k.startswith(("OMPI_", "PMIX_", "OPAL_"))}
print("scikit-learn (about 40 s) ...", flush=True)
subprocess.run(["/usr/bin/python3", "-c", child], env=env, check=True)
with h5py.File(sklearn_file) as f:
    Ws, Hs = f["W"][:], f["H"][:]
    sklearn_seconds, sklearn_iterations = f.attrs["seconds"], f.attrs["iterations"]
sklearn_objective = 0.5 * np.sum((V - Ws @ Hs) ** 2)
print(f"scikit-learn: {sklearn_seconds:.2f} s, {sklearn_iterations} iterations, objective {sklearn_objective:.2f}",
      flush=True)
# Ours: the solver alone (median of repetitions) ...
ours_file = os.path.join(args.data, "nmf_ours.h5")
run = subprocess.run([os.path.join(args.build, "bin", "bench_nmf"), "--matrix", matrix_file, "--out", ours_file,
                      "--target", repr(sklearn_objective), f"--benchmark_repetitions={args.repetitions}",
                      "--benchmark_format=json"], capture_output=True, text=True, check=True)
report = json.loads(run.stdout)


def median_of(name):
    runs = [b for b in report["benchmarks"] if b["run_name"].startswith(name) and b.get("run_type") == "iteration"]
    median = next(b for b in report["benchmarks"] if b["run_name"].startswith(name) and
                  b.get("aggregate_name") == "median")
    return median["real_time"] / 1e3, runs[-1]


ours_seconds, full = median_of("BM_NMF/")
target_seconds, cut = median_of("BM_NMFToTarget")
print(f"ours, whole default run (bench_nmf, median of {args.repetitions}): {ours_seconds:.3f} s, objective "
      f"{full['objective']:.2f}, {full['compressed_iterations']:.0f} compressed + "
      f"{full['refinement_iterations']:.0f} refinement iterations", flush=True)
print(f"ours, to scikit-learn's objective: {target_seconds:.3f} s ({cut['long_run_iterations']:.0f} long-run "
      f"iterations, exact objective {cut['objective']:.2f})", flush=True)

# ... and the ParaView filter (the GUI's path: V imported, maps and tables exported).
start = time.perf_counter()
nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"])
nmf.UpdatePipeline()
filter_seconds = time.perf_counter() - start
print(f"ours (NMF Decompose filter in pvbatch): {filter_seconds:.3f} s", flush=True)

with h5py.File(ours_file) as f:
    W, H = f["W"][:], f["H"][:]
check_objective = 0.5 * np.sum((V - W @ H) ** 2)
print(f"objective ours / scikit-learn's: {check_objective / sklearn_objective:.4f} (ours recomputed in NumPy: "
      f"{check_objective:.2f})")
print(f"speed-up to scikit-learn's objective: {sklearn_seconds / target_seconds:.1f}x; whole default run "
      f"(a lower objective): {sklearn_seconds / ours_seconds:.1f}x (solver), {sklearn_seconds / filter_seconds:.1f}x "
      "(ParaView filter)")

# MLLS on a cube of the same size (bench_mlls_fit makes its own mixtures).
mlls = subprocess.run([os.path.join(args.build, "bin", "bench_mlls_fit"), f"--benchmark_repetitions={args.repetitions}",
                       "--benchmark_format=json"], capture_output=True, text=True)
if mlls.returncode == 0:
    for b in json.loads(mlls.stdout)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            print(f"MLLS {b['run_name']}: median {b['real_time']:.1f} {b['time_unit']}")

# Quality against the ground truth.
with h5py.File(os.path.join(args.data, "paper_truth.h5")) as f:
    fractions = {name: f[f"maps/fraction_{name}"][:].ravel() for name in ("solid_like", "liquid_like", "noise")}


types = {t["name"]: t for t in truth_parameters["results"]["types"]}
# Ours with two components as well (the two structural types, no noise component).
rank2_file = os.path.join(args.data, "nmf_ours_rank2.h5")
subprocess.run([os.path.join(args.build, "bin", "bench_nmf"), "--matrix", matrix_file, "--out", rank2_file, "--rank", "2"],
               capture_output=True, check=True)
with h5py.File(rank2_file) as f:
    W2, H2 = f["W"][:], f["H"][:]


def filter_result(k, smoothing):
    """Weights (positions x k) and basis G(r) (k x samples) of the NMF Decompose filter."""
    nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"], NumberOfComponents=k, SpatialSmoothing=smoothing)
    nmf.UpdatePipeline()
    maps = dsa.WrapDataObject(servermanager.Fetch(nmf))
    table = dsa.WrapDataObject(nmf.GetClientSideObject().GetOutputDataObject(1))
    return (np.stack([np.asarray(maps.PointData[f"Weight {j + 1}"]) for j in range(k)], axis=1),
            np.stack([np.asarray(table.RowData[f"Basis {j + 1}"]) for j in range(k)]))


two_types = truth_parameters["results"]["mean_fractions"]["solid_like"] + \
    truth_parameters["results"]["mean_fractions"]["liquid_like"]
for label, (weights, basis) in (("ours", (W, H)), ("ours, 2 components", (W2, H2)),
                                ("ours, Spatial Smoothing 1.5", filter_result(3, 1.5)),
                                ("ours, 2 components, Spatial Smoothing 1.5", filter_result(2, 1.5)),
                                ("scikit-learn", (Ws, Hs))):
    share = weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-300)
    print(f"{label}:")
    for name in ("solid_like", "liquid_like"):
        correlations = [np.corrcoef(share[:, j], fractions[name])[0, 1] for j in range(weights.shape[1])]
        j = int(np.argmax(correlations))
        true_share = truth_parameters["results"]["mean_fractions"][name] / (two_types if weights.shape[1] == 2 else 1)
        print(f"  {name}: component {j + 1}, fraction map correlation {correlations[j]:.3f}, mean fraction "
              f"{share[:, j].mean():.3f} (true {true_share:.3f}), first peak "
              f"{first_peak(r, basis[j]):.3f} A (true {types[name]['first_peak_A']:.3f}, "
              f"{types[name]['first_peak_s0.25-1.6_A']:.3f} for s <= 1.6 1/A)")
