"""Synthetic data of the MLLSFit plugin tests: a small G(r) field of known
non-negative mixtures of PDF-like curves, written as .vti, and basis CSVs."""
import os

import numpy as np

NX, NY = 12, 10
R = np.arange(201) * 0.05  # data r grid, 0-10 A
NAMES = ["solid", "liquid", "noise"]


def pdf(r, first, width, decay):
    """A PDF-like G(r): hard core below ~2 A, damped shells from `first` A on."""
    core = -4 * np.pi * 0.085 * r * 0.5 * (1 - np.tanh((r - 0.85 * first) / 0.1))
    shells = sum(a * np.exp(-0.5 * ((r - f * first) / (width * f)) ** 2)
                 for f, a in ((1.0, 4.0), (1.68, 1.8), (1.95, 1.2), (2.6, 0.8), (3.4, 0.5)))
    return core + shells * np.exp(-r / decay) * (r > 0.5 * first)


def basis(r):
    return np.array([pdf(r, 2.46, 0.09, 6.0), pdf(r, 2.53, 0.12, 4.0), 0.5 * np.sin(1.3 * r) * np.exp(-r / 3)])


def mixtures(seed=1, noise=0.003):
    """Weights (positions x 3), offsets (positions) and G (positions x len(R)), positions row-major (y, x)."""
    rng = np.random.default_rng(seed)
    n = NX * NY
    solid = rng.uniform(0, 1, n)
    solid[::9] = 0.0  # some positions purely liquid
    total = 0.5 + rng.uniform(0, 1, n)
    weights = np.column_stack([total * solid, total * (1 - solid), 0.3 * rng.uniform(0, 1, n)])
    weights[5, 2] = 0.0
    offsets = rng.uniform(-0.5, 0.5, n)
    G = weights @ basis(R) + offsets[:, None] + noise * rng.standard_normal((n, R.size))
    return weights, offsets, G


def write_field(path, G):
    """The G(r) field as a .vti with its r axis as field data (docs/data-model.md)."""
    from vtkmodules.vtkCommonCore import vtkIntArray, vtkStringArray
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.util.numpy_support import numpy_to_vtk

    import stempdf_testing as t

    image = vtkImageData()
    image.SetDimensions(NX, NY, 1)
    image.SetSpacing(1.2, 1.2, 1.0)
    array = numpy_to_vtk(np.ascontiguousarray(G), deep=1)
    array.SetName("G")
    image.GetPointData().SetScalars(array)
    fd = image.GetFieldData()
    for name, value in (("STEMPDF_AxisQuantity", "r"), ("STEMPDF_AxisUnit", "A")):
        s = vtkStringArray()
        s.SetName(name)
        s.InsertNextValue(value)
        fd.AddArray(s)
    size = vtkIntArray()
    size.SetName("STEMPDF_AxisSize")
    for v in (R.size, 1):
        size.InsertNextValue(v)
    fd.AddArray(size)
    for name, values in (("STEMPDF_AxisOrigin", (0.0, 0.0)), ("STEMPDF_AxisSpacing", (0.05, 1.0))):
        fd.AddArray(t.double_array(name, values))
    t.write_vti(path, image)


def write_basis(path, r, r_header="r (A)", extra=None):
    """A basis CSV on grid r; `extra` = {name: values} adds columns."""
    columns = {r_header: r}
    columns.update(dict(zip(NAMES, basis(r))))
    columns.update(extra or {})
    with open(path, "w") as f:
        f.write(",".join(columns) + "\n")
        for row in zip(*columns.values()):
            f.write(",".join(f"{v:.17g}" for v in row) + "\n")


def nnls_brute_force(B, G, offset=True):
    """min ||g - w B - c|| with w >= 0 (c free) for every row g of G, by trying
    every passive set (NumPy least squares on each) and keeping the best feasible."""
    k = B.shape[0]
    rows = [B[i] for i in range(k)] + ([np.ones(B.shape[1])] if offset else [])
    A = np.array(rows).T  # r x (k + offset)
    best_w = np.zeros((G.shape[0], A.shape[1]))
    best = np.full(G.shape[0], np.inf)
    for mask in range(2 ** k):
        cols = [i for i in range(k) if mask >> i & 1] + ([k] if offset else [])
        if not cols:
            x = np.zeros((G.shape[0], 0))
            res = (G ** 2).sum(axis=1)
        else:
            x, *_ = np.linalg.lstsq(A[:, cols], G.T, rcond=None)
            x = x.T
            res = ((G - x @ A[:, cols].T) ** 2).sum(axis=1)
        feasible = np.all(x[:, :len(cols) - (1 if offset else 0)] >= 0, axis=1) if cols else np.ones(G.shape[0], bool)
        better = feasible & (res < best)
        for p in np.nonzero(better)[0]:
            best_w[p] = 0
            best_w[p, cols] = x[p]
            best[p] = res[p]
    return best_w[:, :k], (best_w[:, k] if offset else np.zeros(G.shape[0]))


def populations(fractions, selected):
    """Mean fraction and area fraction (largest selected fraction; ties to the lower index)."""
    mean = fractions.mean(axis=0)
    masked = np.where(np.array(selected)[None, :], fractions, -1.0)
    dominant = np.argmax(masked, axis=1)
    has = fractions[:, selected].sum(axis=1) > 0
    area = np.array([np.mean((dominant == i) & has) for i in range(fractions.shape[1])])
    return mean, area
