"""The paper's workflow on two simulated samples (Kang et al., Acta Mater. 2023):
NMF on sample A (as-spun) gives the basis PDFs of the structural types, MLLS
fits A's basis onto A and onto sample B (annealed), and the populations of the
types are compared (paper: solid-like 46.8 % -> 67.2 %).

    pvbatch docs/examples/two_samples.py --build build --out DIR [--seeds 11 12]

1. Makes two small scans with the simulator into DIR (kept when already there):
   sample_A with a solid-like share of 0.47, sample_B with 0.67 (32 x 32
   positions of 128 x 128 px, 0.0287 1/A per pixel: the detector reaches
   s ~ 1.75 1/A, the analysis uses the paper's 0.25-1.6 1/A).
2. In ParaView, for each sample: Azimuthal Integrate (Find Center) ->
   Structure Factor -> Pair Distribution.
3. NMF Decompose on A (3 components); the structural types are named by the
   basis PDFs: the component with the smallest total weight is the noise
   component, of the other two the one with the shorter first peak
   (2-3 A) is solid-like, the other liquid-like.
4. MLLS Fit of A's basis onto A and onto B; fractions of the two structural
   types. Prints the populations next to the simulator's true solid-like share
   and writes DIR/two_samples.png.

Exits non-zero with a message when the plugin or the simulator is missing.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = {"A": dict(solid_fraction=0.47, label="A (as-spun)"),
           "B": dict(solid_fraction=0.67, label="B (annealed)")}
# Small scans (< 2 s each); centre off the middle like real data; 64 px * 0.0287 ~ 1.8 1/A.
SIMULATOR_OPTIONS = ["--scan", "32", "32", "--detector", "128", "128", "--pixel-size", "0.0287",
                     "--center", "65.3", "62.7"]

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--build", default=os.path.join(ROOT, "build"), help="the STEMPDF build folder (default: build/)")
parser.add_argument("--out", required=True, help="folder for the scans, their ground truth and two_samples.png")
parser.add_argument("--seeds", type=int, nargs=2, metavar=("A", "B"), default=[11, 12],
                    help="simulator seeds of the two samples (default 11 12)")
args = parser.parse_args()
SAMPLES["A"]["seed"], SAMPLES["B"]["seed"] = args.seeds
started = time.perf_counter()


def progress(message):
    print(f"[{time.perf_counter() - started:5.1f} s] {message}", flush=True)


plugin = os.path.join(args.build, "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so")
simulator = os.path.join(args.build, "bin", "stempdf-simulate")
if not os.path.isfile(plugin):
    sys.exit(f"two_samples: the STEMPDF plugin is missing ({plugin}); build it with scripts/setup "
             "or give the build folder with --build")
if not os.access(simulator, os.X_OK):
    sys.exit(f"two_samples: the simulator is missing ({simulator}); build it with scripts/setup "
             "or give the build folder with --build")
try:
    import numpy as np
    from paraview import servermanager
    from paraview.simple import LoadPlugin, OpenDataFile, OutputPort
    from vtkmodules.numpy_interface import dataset_adapter as dsa
except ImportError as error:
    sys.exit(f"two_samples: run this script with pvbatch or pvpython ({error})")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "python"))
from stempdf.peaks import first_peak  # noqa: E402

try:
    LoadPlugin(plugin, remote=False, ns=globals())
except RuntimeError as error:
    sys.exit(f"two_samples: the STEMPDF plugin {plugin} does not load: {error}")

# 1. The simulated scans.
os.makedirs(args.out, exist_ok=True)
truth = {}
for name, sample in SAMPLES.items():
    stem = os.path.join(args.out, f"sample_{name}")
    if os.path.exists(stem + ".h5") and os.path.exists(stem + "_truth.json"):
        parameters = json.load(open(stem + "_truth.json"))["parameters"]
        if (parameters["solid_fraction"], parameters["seed"]) != (sample["solid_fraction"], sample["seed"]):
            sys.exit(f"two_samples: {stem}.h5 was made with other parameters (solid fraction "
                     f"{parameters['solid_fraction']}, seed {parameters['seed']}); remove it or choose another --out")
        progress(f"sample {name}: using {stem}.h5")
    else:
        progress(f"sample {name}: simulating {stem}.h5 (solid-like share {sample['solid_fraction']}, "
                 f"seed {sample['seed']}) ...")
        run = subprocess.run([simulator, "--out", stem, *SIMULATOR_OPTIONS, "--solid-fraction",
                              str(sample["solid_fraction"]), "--seed", str(sample["seed"]), "--force"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"two_samples: the simulator failed:\n{run.stdout}{run.stderr}")
    truth[name] = json.load(open(stem + "_truth.json"))

# 2. G(r) of every position, per sample.
pdfs = {}
for name in SAMPLES:
    scan = OpenDataFile(os.path.join(args.out, f"sample_{name}.h5"))
    scan.UpdatePipeline()
    profiles = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1)
    phi = StructureFactor(Input=profiles, Profiles=["POINTS", "Intensity"],
                          Composition=truth[name]["parameters"]["composition"])
    pdfs[name] = PairDistribution(Input=phi, ReducedIntensity=["POINTS", "Phi"])
    pdfs[name].UpdatePipeline()
    progress(f"sample {name}: G(r) of every position")


def read_table(proxy, port):
    """Output `port` of a proxy (a vtkTable) as {column name: NumPy array or list of str}."""
    table = proxy.GetClientSideObject().GetOutputDataObject(port)
    columns = {}
    for k in range(table.GetNumberOfColumns()):
        values = [table.GetValue(i, k) for i in range(table.GetNumberOfRows())]
        numeric = table.GetColumn(k).IsNumeric()
        columns[table.GetColumnName(k)] = np.array([v.ToDouble() for v in values]) if numeric else \
            [v.ToString() for v in values]
    return columns


def neighbour_correlation(values):
    """Correlation of a map with its neighbours one step away: about 1 for domains
    several steps wide, about 0 for a map of independent noise."""
    d = values - values.mean()
    return 0.5 * ((d[:, 1:] * d[:, :-1]).mean() + (d[1:] * d[:-1]).mean()) / (d * d).mean()


# 3. NMF on A: the basis PDFs of the structural types.
nmf = NMFDecompose(Input=pdfs["A"], PairDistribution=["POINTS", "G"])  # 3 components, weights = fractions
nmf.UpdatePipeline()
nmf.UpdatePropertyInformation()
maps = servermanager.Fetch(nmf)
nx, ny, _ = maps.GetDimensions()
weights = np.asarray(dsa.WrapDataObject(maps).PointData["Weights"])  # [position, component], fractions
total = weights.sum(axis=0)
basis = read_table(nmf, 1)
r = basis["r"]
count = len(total)
peaks = [first_peak(r, basis[f"Basis {k}"]) for k in range(1, count + 1)]
progress(f"NMF on A: {nmf.GetProperty('Iterations')[0]} iterations, objective "
         f"{nmf.GetProperty('FinalObjective')[0]:.1f}")
# Naming: the noise component has the smallest total weight; of the others, the
# shorter first peak is solid-like (simulator: 2.45 A over this s range, liquid-like 2.51 A).
noise = int(np.argmin(total)) + 1
solid, liquid = sorted((k for k in range(1, count + 1) if k != noise), key=lambda k: peaks[k - 1])
kind = {solid: "solid-like", liquid: "liquid-like", noise: "noise"}
for k in range(1, count + 1):
    print(f"  Basis {k}: mean weight {total[k - 1] / weights.shape[0]:.3f}, first peak {peaks[k - 1]:.3f} A, "
          f"neighbour correlation of its map {neighbour_correlation(weights[:, k - 1].reshape(ny, nx)):.2f}"
          f" -> {kind[k]}", flush=True)

# 4. MLLS: A's basis fitted onto both samples; fractions of the two structural types.
fits, populations = {}, {}
for name in SAMPLES:
    fits[name] = MLLSFit(Input=pdfs[name], Basis=OutputPort(nmf, 1), PairDistribution=["POINTS", "G"],
                         Components=f"{solid},{liquid}")  # all basis columns fitted, fractions of these two
    fits[name].UpdatePipeline()
    populations[name] = read_table(fits[name], 1)
progress("MLLS of A's basis on A and B")

print("\npopulations (MLLS on A's NMF basis, fractions of the two structural types):")
print(f"{'sample':<7}{'type':<13}{'component':>10}{'mean_fraction':>15}{'area_fraction':>15}{'true_share':>12}")
for name in SAMPLES:
    rows = populations[name]
    share = truth[name]["results"]["solid_fraction_of_two_types"]
    for k in (solid, liquid):
        i = rows["Component"].index(f"Basis {k}")
        true = f"{share if k == solid else 1 - share:12.3f}"  # the simulator's share of the type among the two
        print(f"{name:<7}{kind[k]:<13}{k:>10}{rows['MeanFraction'][i]:>15.3f}{rows['AreaFraction'][i]:>15.3f}{true}")
print(flush=True)

# The figure: the basis PDFs, and the solid-like fraction maps of A and B on one colour scale.
fig, axes = plt.subplots(1, 3, figsize=(14.5, 4.3), dpi=110, gridspec_kw=dict(width_ratios=[1.25, 1, 1]))
colours = {"solid-like": "tab:blue", "liquid-like": "tab:red", "noise": "0.55"}
for k in range(1, count + 1):
    axes[0].plot(r, basis[f"Basis {k}"], color=colours[kind[k]], lw=1.3 if kind[k] != "noise" else 1.0,
                 label=f"Basis {k}: {kind[k]} (R1 {peaks[k - 1]:.2f} Å, mean weight "
                       f"{total[k - 1] / weights.shape[0]:.2f})")
axes[0].axhline(0, color="0.8", lw=0.6)
axes[0].set_xlim(0, 10)
axes[0].set_xlabel("r (Å)")
axes[0].set_ylabel("G(r) (Å$^{-2}$)")
axes[0].set_title("NMF basis PDFs of sample A", fontsize=10)
axes[0].legend(fontsize=7.5)
for ax, name in zip(axes[1:], SAMPLES):
    image = servermanager.Fetch(fits[name])
    dx, dy, _ = image.GetSpacing()
    x0, y0, _ = image.GetOrigin()
    fraction = np.asarray(dsa.WrapDataObject(image).PointData[f"Fraction Basis {solid}"]).reshape(ny, nx)
    shown = ax.imshow(fraction, origin="lower", cmap="viridis", vmin=0, vmax=1, interpolation="nearest",
                      extent=[x0 - dx / 2, x0 + (nx - 0.5) * dx, y0 - dy / 2, y0 + (ny - 0.5) * dy])
    i = populations[name]["Component"].index(f"Basis {solid}")
    ax.set_title(f"{SAMPLES[name]['label']}: solid-like {100 * populations[name]['MeanFraction'][i]:.1f} %\n"
                 f"(area {100 * populations[name]['AreaFraction'][i]:.1f} %; "
                 f"truth {100 * truth[name]['results']['solid_fraction_of_two_types']:.1f} %)", fontsize=9.5)
    ax.set_xlabel("scan x (nm)")
    ax.set_ylabel("scan y (nm)")
fig.colorbar(shown, ax=axes[1:], label="solid-like fraction (MLLS)", shrink=0.9)
png = os.path.join(args.out, "two_samples.png")
fig.savefig(png, bbox_inches="tight")
progress(f"wrote {png}")
