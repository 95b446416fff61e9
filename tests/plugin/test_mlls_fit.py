"""MLLSFit in ParaView: a G(r) field of known mixtures of PDF-like curves
(.vti) and a basis CSV on another r grid read by ParaView's CSV reader. The
weights, offsets and residuals agree with a NumPy brute force over every
active set, the fractions and populations follow from them, the error cases
are reported naming what is wrong, and `mpiexec -n 2 pvbatch` gives the
populations of one process."""
import os
import shutil
import subprocess
import tempfile

import numpy as np
from paraview import servermanager
from paraview.simple import CSVReader, OpenDataFile

import mlls_testing as m
import stempdf_testing as t

t.load_plugin(globals())
work = tempfile.mkdtemp(prefix="stempdf-mlls-")
weights, offsets, G = m.mixtures()
field_path = os.path.join(work, "g.vti")
m.write_field(field_path, G)
# The basis on a finer, shifted grid (0.02 A from -0.01 A) than the data (0.05 A from 0).
basis_r = -0.01 + 0.02 * np.arange(502)
basis_path = os.path.join(work, "basis.csv")
m.write_basis(basis_path, basis_r, extra={"solid (shifted)": m.basis(basis_r)[0] + 3.0})

field = OpenDataFile(field_path)
csv = CSVReader(FileName=[basis_path])
fit = MLLSFit(Input=field, Basis=csv, PairDistribution=["POINTS", "G"], Components="1,2")
fit.UpdatePipeline()

# NumPy: the basis interpolated linearly onto the data's r, every active set tried.
B = np.array([np.interp(m.R, basis_r, curve) for curve in m.basis(basis_r)])
expected_w, expected_c = m.nnls_brute_force(B, G)
out = servermanager.Fetch(fit)
names = [out.GetPointData().GetArrayName(i) for i in range(out.GetPointData().GetNumberOfArrays())]
t.check(sorted(names) == sorted(["Residual", "Offset"] + [f"{p} {n}" for p in ("Weight", "Fraction") for n in m.NAMES]),
        f"one map per component, named after the basis columns (the shifted column left out): {names}")
w = np.column_stack([t.point_array(fit, f"Weight {n}")[0].ravel() for n in m.NAMES])
f = np.column_stack([t.point_array(fit, f"Fraction {n}")[0].ravel() for n in m.NAMES])
c = t.point_array(fit, "Offset")[0].ravel()
residual = t.point_array(fit, "Residual")[0].ravel()
scale = np.abs(expected_w).max()
t.check(np.abs(w - expected_w).max() < 1e-9 * scale and np.abs(c - expected_c).max() < 1e-9 * scale,
        f"weights and offsets agree with NumPy's brute-force NNLS (worst {np.abs(w - expected_w).max():.1e})")
t.check((expected_w == 0).any(), "some weights are on the boundary (w = 0), not only interior optima")
expected_rms = np.sqrt(((G - expected_w @ B - expected_c[:, None]) ** 2).mean(axis=1))
t.check(np.allclose(residual, expected_rms, rtol=1e-9), "Residual is the RMS of G - fit")
solid_truth = weights[:, 0] / (weights[:, 0] + weights[:, 1])
t.check(np.abs(f[:, 0] - solid_truth).max() < 0.01,
        f"solid fractions within 0.01 of the true mixtures (worst {np.abs(f[:, 0] - solid_truth).max():.4f})")
expected_f = np.zeros_like(expected_w)
expected_f[:, :2] = expected_w[:, :2] / expected_w[:, :2].sum(axis=1, keepdims=True)
t.check(np.allclose(f, expected_f, rtol=1e-9, atol=1e-12) and np.all(f[:, 2] == 0),
        "fractions are weight / sum of the selected weights; the unselected component has none")

table = fit.GetClientSideObject().GetOutputDataObject(1)
column = {table.GetColumnName(k): [table.GetValue(i, k) for i in range(table.GetNumberOfRows())]
          for k in range(table.GetNumberOfColumns())}
mean, area = m.populations(expected_f, [True, True, False])
got_mean = np.array([v.ToDouble() for v in column["MeanFraction"]])
got_area = np.array([v.ToDouble() for v in column["AreaFraction"]])
t.check([v.ToString() for v in column["Component"]] == m.NAMES, f"one population row per component {column.keys()}")
t.check(np.allclose(got_mean, mean, atol=1e-12) and np.allclose(got_area, area, atol=1e-12),
        f"populations: mean fractions {got_mean.round(4)}, area fractions {got_area.round(4)}")

# Without the offset, all components selected: NumPy again.
plain = MLLSFit(Input=field, Basis=csv, PairDistribution=["POINTS", "G"], FitOffset=0, BasisColumns="solid, liquid")
plain.UpdatePipeline()
w2 = np.column_stack([t.point_array(plain, f"Weight {n}")[0].ravel() for n in ("solid", "liquid")])
e2, _ = m.nnls_brute_force(B[:2], G, offset=False)
t.check(np.abs(w2 - e2).max() < 1e-9 * np.abs(e2).max() and np.all(t.point_array(plain, "Offset")[0] == 0),
        "FitOffset off and BasisColumns 'solid, liquid': the NNLS of two curves, offset 0")


def error_of(**properties):
    """The error message of an MLLSFit with these properties ('' when none)."""
    bad = MLLSFit(Input=field, PairDistribution=["POINTS", "G"], **properties)
    catcher = t.ErrorCatcher(bad)
    bad.UpdatePipeline()
    return catcher.text()


def basis_csv(name, r, header="r (A)"):
    path = os.path.join(work, name)
    m.write_basis(path, r, r_header=header)
    return CSVReader(FileName=[path])


message = error_of(Basis=basis_csv("no_r.csv", basis_r, header="distance"))
t.check("no r column" in message and "'r (A)'" in message, f"a table without r column is reported: {message[:200]!r}")
message = error_of(Basis=basis_csv("nm.csv", basis_r / 10, header="r (nm)"))
t.check("'r (nm)' is in nm" in message, f"r in nm is reported: {message[:200]!r}")
message = error_of(Basis=csv, Components=" , ")
t.check("Components: select at least one component" in message, f"no component selected: {message[:200]!r}")
message = error_of(Basis=csv, Components="4")
t.check("Components: '4'" in message, f"a component number beyond the basis: {message[:200]!r}")
message = error_of(Basis=basis_csv("narrow.csv", np.linspace(1.0, 9.0, 401)))
t.check("does not cover the input's r samples [0, 10] A" in message, f"a basis not covering G's r range: {message[:200]!r}")
message = error_of(Basis=csv, BasisColumns="solid, glass")
t.check("BasisColumns: 'glass'" in message, f"an unknown basis column: {message[:200]!r}")
t.check(error_of(Basis=basis_csv("plain_r.csv", basis_r, header="r")) == "", "a column named just 'r' is r in A")

# Distributed: 2 ranks, each with half the scan rows; the CSV read on every rank.
maps, populations = os.path.join(work, "maps.pvti"), os.path.join(work, "populations.csv")
command = ["mpiexec", "-n", "2", "--oversubscribe", os.environ["PVBATCH"],
           os.path.join(os.path.dirname(os.path.abspath(__file__)), "mpi_mlls_worker.py"),
           field_path, basis_path, maps, populations]
run = subprocess.run(command, env=t.subprocess_env(), capture_output=True, text=True, timeout=240)
t.check(run.returncode == 0 and "runs on 2 ranks" in run.stdout, f"mpiexec -n 2 pvbatch ran (stderr: {run.stderr[-1500:]})")
import glob  # noqa: E402
t.check(len(glob.glob(os.path.join(work, "maps", "*.vti"))) == 2, "the maps were computed in 2 pieces")
distributed = OpenDataFile(maps)
dw = np.column_stack([t.point_array(distributed, f"Weight {n}")[0].ravel() for n in m.NAMES])
t.check(np.array_equal(dw, w), "2 ranks give the weight maps of one process, bit for bit")
import csv as csvmodule  # noqa: E402
rows = list(csvmodule.DictReader(open(populations)))
t.check(len(rows) == 3, f"the population table appears once ({len(rows)} rows)")
mpi_mean = np.array([float(r["MeanFraction"]) for r in rows])
mpi_area = np.array([float(r["AreaFraction"]) for r in rows])
t.check(np.allclose(mpi_mean, got_mean, rtol=1e-12, atol=1e-15) and np.array_equal(mpi_area, got_area),
        f"populations over 2 ranks equal one process's (each position counted once): {mpi_mean} {mpi_area}")
shutil.rmtree(work)
print("MLLSFit plugin checks passed")
