"""Autocorrelation in ParaView against an independent NumPy implementation of
the same definition (np.fft on a zero-padded grid, divided by the overlap
counts): the images to 1e-10, the radial profiles, the three lengths (the
exponential fit as the root of the analytic gradient, SciPy's brentq); the
default maps (every one-component array but "Residual"), an explicit
selection and LengthDefinition; the output geometry (zero shift at (0, 0),
spacing in nm); a constant map is an error naming it; 2 MPI ranks give the
result of one process."""
import csv
import os
import shutil
import subprocess
import tempfile

import numpy as np
from paraview import servermanager
from paraview.simple import Delete, OpenDataFile, OutputPort
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkCommonDataModel import vtkImageData

import stempdf_testing as t

t.load_plugin(globals())
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="stempdf-acf-")
STEP = 1.3  # nm
NX, NY = 96, 80


def gaussian_field(fwhm, seed):
    """White noise smoothed by a Gaussian kernel in Fourier space (padded, cropped):
    autocorrelation exp(-d^2 / (2 s^2)) with FWHM = 2 s sqrt(2 ln 2) = fwhm (steps)."""
    s = fwhm / (2 * np.sqrt(2 * np.log(2)))
    kernel_sigma = s / np.sqrt(2)
    pad = int(np.ceil(4 * kernel_sigma))
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((NY + 2 * pad, NX + 2 * pad))
    fy = np.fft.fftfreq(noise.shape[0])[:, None]
    fx = np.fft.rfftfreq(noise.shape[1])[None, :]
    smooth = np.fft.irfft2(np.fft.rfft2(noise) * np.exp(-2 * np.pi**2 * kernel_sigma**2 * (fx**2 + fy**2)),
                           s=noise.shape)
    return smooth[pad:pad + NY, pad:pad + NX]


def write_vti(path, arrays):
    image = vtkImageData()
    image.SetDimensions(NX, NY, 1)
    image.SetSpacing(STEP, STEP, 1.0)
    image.SetOrigin(10.0, -4.0, 0.0)
    for name, values in arrays.items():
        t.add_point_array(image, name,
                          np.ascontiguousarray(values.reshape(NX * NY, -1) if values.ndim == 3 else values.ravel()))
    t.write_vti(path, image)


def acf_numpy(w):
    """The definition with NumPy: mean removed, zero padded to 2N, divided by
    the overlapping pairs, normalised at zero shift; shifts +-N//2."""
    ny, nx = w.shape
    wp = w - w.mean()
    c = np.fft.irfft2(np.abs(np.fft.rfft2(wp, s=(2 * ny, 2 * nx))) ** 2, s=(2 * ny, 2 * nx))
    hx, hy = nx // 2, ny // 2
    dy, dx = np.arange(-hy, hy + 1), np.arange(-hx, hx + 1)
    pairs = np.outer(ny - np.abs(dy), nx - np.abs(dx))
    return c[np.ix_(dy % (2 * ny), dx % (2 * nx))] / pairs / (c[0, 0] / (nx * ny))


def profile_numpy(a, bin_width=0.5):
    hy, hx = a.shape[0] // 2, a.shape[1] // 2
    dy, dx = np.mgrid[-hy:hy + 1, -hx:hx + 1]
    d = np.hypot(dx, dy)
    inside = d <= min(hx, hy)
    bins = np.floor(d[inside] / bin_width + 0.5).astype(int)
    count = np.bincount(bins)
    keep = count > 0
    return (np.bincount(bins, d[inside])[keep] / count[keep] * STEP,
            np.bincount(bins, a[inside])[keep] / count[keep])


def crossing(dist, corr, level):
    i = np.argmax(corr[1:] < level) + 1
    return dist[i - 1] + (corr[i - 1] - level) / (corr[i - 1] - corr[i]) * (dist[i] - dist[i - 1])


def exponential_fit(dist, corr):
    from scipy.optimize import brentq
    last = np.argmax(corr[1:] < 0.1) + 1
    d, c = dist[:last + 1], corr[:last + 1]
    gradient = lambda xi: np.sum((np.exp(-d / xi) - c) * np.exp(-d / xi) * d / xi**2)
    guess = crossing(dist, corr, np.exp(-1))
    return brentq(gradient, 0.3 * guess, 3 * guess, xtol=1e-14, rtol=1e-14)


maps = {"Weight 1": gaussian_field(6.0, 1), "Weight 2": 0.3 * gaussian_field(3.0, 2) + 2.0}
source = os.path.join(work, "maps.vti")
residual = np.random.default_rng(3).random((NY, NX))
write_vti(source, dict(maps, Residual=residual, Weights=np.stack(list(maps.values()), axis=2)))
reader = OpenDataFile(source)
acf = Autocorrelation(Input=reader)
acf.UpdatePipeline()

# Port 0: one image per default map, on the grid of shifts.
image = servermanager.Fetch(acf)
hx, hy = NX // 2, NY // 2
t.check(image.GetDimensions() == (2 * hx + 1, 2 * hy + 1, 1), f"the images have (2*{hx}+1) x (2*{hy}+1) points")
t.check(np.allclose(image.GetSpacing()[:2], [STEP, STEP]), f"their spacing is the scan step ({image.GetSpacing()[:2]} nm)")
zero = [image.GetOrigin()[i] + (hx, hy)[i] * STEP for i in (0, 1)]
t.check(np.allclose(zero, 0, atol=1e-12), f"the zero shift sits at (0, 0) ({zero})")
names = sorted(image.GetPointData().GetArrayName(i) for i in range(image.GetPointData().GetNumberOfArrays()))
t.check(names == ["Weight 1", "Weight 2"], f"the default maps: every one-component array but Residual ({names})")
expected = {name: acf_numpy(w) for name, w in maps.items()}
worst = max(np.abs(np.asarray(dsa.WrapDataObject(image).PointData[name]).reshape(2 * hy + 1, 2 * hx + 1) - a).max()
            for name, a in expected.items())
t.check(worst < 1e-10, f"the images are NumPy's (zero padding, overlap counts) to {worst:.1e}")

# Port 1: the radial profiles.
profiles = t.table_columns(acf, 1)
t.check(list(profiles) == ["Distance (nm)", "Weight 1", "Weight 2"], f"profile columns {list(profiles)}")
for name, a in expected.items():
    dist, corr = profile_numpy(a)
    t.check(np.allclose(profiles["Distance (nm)"], dist, rtol=0, atol=1e-12) and
            np.allclose(profiles[name], corr, rtol=0, atol=1e-10), f"the radial profile of {name} is NumPy's")

# Port 2: the lengths.
lengths = t.table_columns(acf, 2)
t.check(list(lengths) == ["Map", "FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)", "CorrelationLength (nm)"],
        f"length columns {list(lengths)}")
t.check(lengths["Map"] == ["Weight 1", "Weight 2"], f"one row per map ({lengths['Map']})")
for row, (name, a) in enumerate(expected.items()):
    dist, corr = profile_numpy(a)
    fwhm, e, fit = 2 * crossing(dist, corr, 0.5), crossing(dist, corr, np.exp(-1)), exponential_fit(dist, corr)
    got = [lengths[c][row] for c in ("FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)")]
    t.check(np.allclose(got, [fwhm, e, fit], rtol=1e-9, atol=0),
            f"{name}: FWHM {got[0]:.4f}, 1/e {got[1]:.4f}, exponential fit {got[2]:.4f} nm are NumPy's "
            f"({fwhm:.4f}, {e:.4f}, {fit:.4f})")
    t.check(lengths["CorrelationLength (nm)"][row] == got[0], "CorrelationLength is the FWHM by default")
design = 6.0 * STEP
t.check(abs(lengths["FWHM (nm)"][0] - design) < 0.15 * design,
        f"Weight 1's FWHM {lengths['FWHM (nm)'][0]:.2f} nm is near the field's design {design:.2f} nm (one 96 x 80 field)")

# An explicit selection, another length definition, another bin width.
one = Autocorrelation(Input=reader, Maps=["Residual"], LengthDefinition="OneOverE", BinWidth=1.0)
one.UpdatePipeline()
chosen = t.table_columns(one, 2)
t.check(chosen["Map"] == ["Residual"], f"Maps selects the arrays ({chosen['Map']})")
t.check(chosen["CorrelationLength (nm)"][0] == chosen["OneOverE (nm)"][0], "LengthDefinition picks the column")
dist, corr = profile_numpy(acf_numpy(residual), 1.0)
t.check(np.allclose(t.table_columns(one, 1)["Residual"], corr, atol=1e-10), "BinWidth 1: rings of one step")
Delete(one)

# A constant map is an error naming it.
constant = os.path.join(work, "constant.vti")
write_vti(constant, {"Weight 1": np.full((NY, NX), 0.25)})
bad = Autocorrelation(Input=OpenDataFile(constant))
catcher = t.ErrorCatcher(bad)
bad.UpdatePipeline()
t.check("'Weight 1'" in catcher.text() and "constant" in catcher.text(),
        f"a constant map is reported by name ({catcher.text()[-200:].strip()})")
Delete(bad)

# 2 MPI ranks: the images, profiles and lengths of one process.
out = {k: os.path.join(work, f"mpi_{k}") for k in ("images.pvti", "profiles.csv", "lengths.csv")}
run = subprocess.run(["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
                      os.path.join(here, "mpi_autocorrelation_worker.py"), source,
                      out["images.pvti"], out["profiles.csv"], out["lengths.csv"]],
                     env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
t.check(run.returncode == 0 and "runs on 2 ranks" in run.stdout, f"mpiexec -n 2 pvbatch ran (stderr: {run.stderr[-1500:]})")
rows = list(csv.DictReader(open(out["lengths.csv"])))
t.check([r["Map"] for r in rows] == ["Weight 1", "Weight 2"], f"2 ranks: one row per map, once ({[r['Map'] for r in rows]})")
mpi_lengths = np.array([[float(r[c]) for c in ("FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)")] for r in rows])
serial = np.array([[lengths[c][i] for c in ("FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)")] for i in (0, 1)])
t.check(np.allclose(mpi_lengths, serial, rtol=1e-12, atol=0), f"2 ranks give the lengths of one process ({mpi_lengths[:, 0]})")
profile_rows = list(csv.DictReader(open(out["profiles.csv"])))
t.check(len(profile_rows) == len(profiles["Distance (nm)"]), "2 ranks: the profile table appears once")
distributed = OpenDataFile(out["images.pvti"])
mpi_image = servermanager.Fetch(distributed)
worst = max(np.abs(np.asarray(dsa.WrapDataObject(mpi_image).PointData[name]).reshape(2 * hy + 1, 2 * hx + 1) - a).max()
            for name, a in expected.items())
t.check(mpi_image.GetDimensions() == image.GetDimensions() and worst < 1e-10,
        f"2 ranks give the images of one process (pieces reassembled; {worst:.1e})")
shutil.rmtree(work)
print("Autocorrelation checks passed")
