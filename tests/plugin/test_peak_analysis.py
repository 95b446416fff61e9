"""Peak Analysis in ParaView on a CSV of G(r) curves made in NumPy (read by
ParaView's CSV reader, NMF-style column names): an exact curve (a Gaussian
first peak, two Gaussians and a line around the second) is recovered to
1e-6 A; on Gaussian-shell G(r) = 4 pi rho0 r (g - 1) the first peak and its
FWHM agree with the exact maximum and half-maximum crossings of the analytic
curve (0.005 A, 2 %) and the second peak and shoulder with SciPy's
least_squares (trust-region reflective, another algorithm than the filter's
Levenberg-Marquardt) fitting the same model; the "(shifted)" column is
skipped; the marker table draws what the peak table says; bad input is
reported naming the property."""
import os
import tempfile

import numpy as np
from paraview.simple import CSVReader
from scipy.optimize import least_squares

import stempdf_testing as t

t.load_plugin(globals())
work = tempfile.mkdtemp(prefix="stempdf-peaks-")
SIGMA_TO_FWHM = 2 * np.sqrt(2 * np.log(2))
R = np.round(np.arange(1001) * 0.01, 10)  # 0-10 A


def gauss(r, height, centre, fwhm):
    return height * np.exp(-0.5 * ((r - centre) / (fwhm / SIGMA_TO_FWHM)) ** 2)


def shell_pdf(r, shells, rho0=0.085, core=2.0):
    """G(r) = 4 pi rho0 r (g - 1), g = H(r) [1 + sum of Gaussian shells], H a hard-core edge."""
    from math import erfc
    hard = 0.5 * np.array([erfc((core - x) / 0.12) for x in r])
    excess = sum(gauss(r, a, c, w) for c, w, a in shells)
    return 4 * np.pi * rho0 * r * (hard * (1 + excess) - 1)


SHELLS = {
    "Basis 1": [(2.46, 0.50, 2.7), (3.30, 0.8, -0.75), (3.96, 0.75, 0.55), (4.66, 0.6, 0.37), (5.58, 1.0, -0.15)],
    "Basis 2": [(2.50, 0.70, 2.0), (3.39, 0.8, -0.75), (4.16, 0.75, 0.55), (4.95, 0.6, 0.35), (5.74, 1.07, -0.10)],
}
EXACT = dict(first=2.4837, firstFWHM=0.35, c1=4.1234, h1=3.0, w1=0.71, c2=4.7321, h2=1.7, w2=0.58, b0=0.2, b1=-0.15)


def exact_curve(r):
    e = EXACT
    second = gauss(r, e["h1"], e["c1"], e["w1"]) + gauss(r, e["h2"], e["c2"], e["w2"]) + e["b0"] + e["b1"] * (r - 4.5)
    return np.where(r < 1.0, 0.0, gauss(r, 5.0, e["first"], e["firstFWHM"]) + np.where(r >= 3.3, second, 0.0))


curves = {name: shell_pdf(R, shells) for name, shells in SHELLS.items()}
curves["exact"] = exact_curve(R)
# The exact curve's pieces do not overlap: at 3.6 A the first Gaussian is 1e-12 of its height.
curves["Basis 1 (shifted)"] = curves["Basis 1"] + 3.0
path = os.path.join(work, "basis.csv")
names = ["Basis 1", "Basis 2", "exact", "Basis 1 (shifted)"]
np.savetxt(path, np.column_stack([R] + [curves[n] for n in names]), delimiter=",", header=",".join(["r"] + names),
           comments="", fmt="%.17g")

csv = CSVReader(FileName=[path])
peaks = PeakAnalysis(Input=csv)
peaks.UpdatePipeline()


def table(proxy, port):
    return t.table_columns(proxy, port, dtype=float)


result = table(peaks, 0)
expected_columns = ["Curve", "R1 (A)", "FWHM (A)", "SecondPeak (A)", "Shoulder (A)", "2R1 (A)", "sqrt3R1 (A)",
                    "sqrt8/3R1 (A)", "FitOK"]
t.check(list(result)[:9] == expected_columns, f"the peak table's first columns: {list(result)}")
t.check(result["Curve"] == ["Basis 1", "Basis 2", "exact"], f"one row per curve, '(shifted)' skipped: {result['Curve']}")
t.check(np.all(result["FitOK"] == 1), f"every fit OK: {result['Message']}")
row = {name: {k: (v[i] if not isinstance(v, list) else v[i]) for k, v in result.items()} for i, name in enumerate(result["Curve"])}

# The exact curve: everything to 1e-6 A.
e, x = EXACT, row["exact"]
dense = np.arange(3.6, 5.4, 1e-6)
second = gauss(dense, e["h1"], e["c1"], e["w1"]) + gauss(dense, e["h2"], e["c2"], e["w2"]) + e["b0"] + e["b1"] * (dense - 4.5)
t.check(abs(x["R1 (A)"] - e["first"]) < 1e-9 and abs(x["FWHM (A)"] - e["firstFWHM"]) < 1e-4,
        f"exact curve: R1 {x['R1 (A)']:.9f} (true {e['first']}), FWHM {x['FWHM (A)']:.6f} (true {e['firstFWHM']})")
t.check(abs(x["SecondComponent (A)"] - e["c1"]) < 1e-6 and abs(x["Shoulder (A)"] - e["c2"]) < 1e-6,
        f"exact curve: components at {x['SecondComponent (A)']:.7f} and {x['Shoulder (A)']:.7f} (true {e['c1']}, {e['c2']})")
t.check(abs(x["SecondPeak (A)"] - dense[np.argmax(second)]) < 1e-5,
        f"exact curve: second peak {x['SecondPeak (A)']:.6f} = the highest point of the sum ({dense[np.argmax(second)]:.6f})")
t.check(np.isclose(x["2R1 (A)"], 2 * x["R1 (A)"]) and np.isclose(x["sqrt3R1 (A)"], np.sqrt(3) * x["R1 (A)"])
        and np.isclose(x["sqrt8/3R1 (A)"], np.sqrt(8 / 3) * x["R1 (A)"]), "polyhedra distances 2, sqrt(3), sqrt(8/3) R1")

# Gaussian-shell curves: the first peak against the analytic curve's exact maximum and half-maximum crossings.
for name, shells in SHELLS.items():
    fine = np.arange(2.0, 3.2, 1e-5)
    g = shell_pdf(fine, shells)
    top = fine[np.argmax(g)]
    above = fine[g >= 0.5 * g.max()]
    fwhm = above.max() - above.min()
    x = row[name]
    t.check(abs(x["R1 (A)"] - top) < 0.005 and abs(x["FWHM (A)"] / fwhm - 1) < 0.02,
            f"{name}: R1 {x['R1 (A)']:.4f} (analytic {top:.4f}), FWHM {x['FWHM (A)']:.4f} (analytic {fwhm:.4f})")

    # The second peak: SciPy fits the same model (two Gaussians + line) over the same samples.
    inside = (R >= 3.6 - 1e-9) & (R <= 5.4 + 1e-9)
    r, v = R[inside], curves[name][inside]
    middle = 0.5 * (r[0] + r[-1])

    def model(p, r):
        return (p[0] * np.exp(-0.5 * ((r - p[1]) / p[2]) ** 2) + p[3] * np.exp(-0.5 * ((r - p[4]) / p[5]) ** 2)
                + p[6] + p[7] * (r - middle))

    fit = least_squares(lambda p: model(p, r) - v, [v.max(), r[np.argmax(v)] - 0.1, 0.3, v.max() / 2,
                                                     r[np.argmax(v)] + 0.5, 0.3, 0.0, 0.0], method="trf",
                        xtol=1e-14, ftol=1e-14, gtol=1e-14)
    p = fit.x
    curve = model(p, dense)
    scipy_peak = dense[np.argmax(curve)]
    near, far = (1, 4) if abs(p[1] - scipy_peak) <= abs(p[4] - scipy_peak) else (4, 1)
    t.check(abs(x["SecondPeak (A)"] - scipy_peak) < 1e-4 and abs(x["Shoulder (A)"] - p[far]) < 1e-4
            and abs(x["SecondComponent (A)"] - p[near]) < 1e-4,
            f"{name}: second peak {x['SecondPeak (A)']:.5f}, shoulder {x['Shoulder (A)']:.5f} "
            f"(SciPy: {scipy_peak:.5f}, {p[far]:.5f}; shell {shells[3][0]})")
    rms = np.sqrt(np.mean(fit.fun ** 2))
    t.check(abs(x["Fit RMS"] - rms) < 1e-6, f"{name}: fit RMS {x['Fit RMS']:.6f} (SciPy {rms:.6f})")

# Markers: a stick at R1 up to the curve, a bar at half height across the FWHM.
markers = table(peaks, 1)
t.check(list(markers)[:2] == ["r", "Marker"] and "Basis 1 peaks" in markers and "exact polyhedra" in markers,
        f"marker columns: {list(markers)}")
labels = markers["Marker"]
stick = [i for i, label in enumerate(labels) if label == "Basis 1: R1"]
x = row["Basis 1"]
t.check(len(stick) == 3 and np.allclose(markers["r"][stick], x["R1 (A)"])
        and markers["Basis 1 peaks"][stick[0]] == 0
        and abs(markers["Basis 1 peaks"][stick[1]] - np.interp(x["R1 (A)"], R, curves["Basis 1"])) < 1e-9
        and np.isnan(markers["Basis 1 peaks"][stick[2]]) and np.all(np.isnan(markers["Basis 2 peaks"][stick])),
        "the R1 marker: (R1, 0), (R1, G(R1)), then NaN to break the line; other curves' columns NaN")
bar = [i for i, label in enumerate(labels) if label == "Basis 1: FWHM"]
t.check(np.isclose(markers["r"][bar[1]] - markers["r"][bar[0]], x["FWHM (A)"])
        and np.isclose(markers["Basis 1 peaks"][bar[0]], 0.5 * x["G(R1)"]), "the FWHM marker: a bar at half height")
poly = sorted(markers["r"][[i for i, label in enumerate(labels) if label.startswith("Basis 1: ") and
                            not np.isnan(markers["Basis 1 polyhedra"][i])]])
t.check(np.allclose(sorted(set(np.round(poly, 12))), sorted(np.round([np.sqrt(8 / 3) * x["R1 (A)"], np.sqrt(3) * x["R1 (A)"],
                                                                     2 * x["R1 (A)"]], 12))),
        "the polyhedra markers at sqrt(8/3), sqrt(3) and 2 R1")

# Chosen columns, and an "r (A)" header with the default RColumn.
chosen = PeakAnalysis(Input=csv, Columns="Basis 2, Basis 1 (shifted)")
chosen.UpdatePipeline()
t.check(table(chosen, 0)["Curve"] == ["Basis 2", "Basis 1 (shifted)"], "Columns picks curves, shifted ones too")
renamed = os.path.join(work, "renamed.csv")
np.savetxt(renamed, np.column_stack([R, curves["Basis 1"]]), delimiter=",", header="r (A),G", comments="")
by_unit = PeakAnalysis(Input=CSVReader(FileName=[renamed]))
by_unit.UpdatePipeline()
t.check(abs(table(by_unit, 0)["R1 (A)"][0] - row["Basis 1"]["R1 (A)"]) < 1e-9, "a column 'r (A)' is r")


def error_of(source, **properties):
    bad = PeakAnalysis(Input=source, **properties)
    catcher = t.ErrorCatcher(bad)
    bad.UpdatePipeline()
    return catcher.text()


message = error_of(csv, Columns="Basis 1, Basis 9")
t.check("Columns: 'Basis 9' is not a numeric curve column" in message, f"an unknown column: {message[:200]!r}")
message = error_of(csv, RColumn="distance")
t.check("RColumn 'distance' is not a numeric column" in message and "'Basis 1'" in message,
        f"a missing r column: {message[:200]!r}")
message = error_of(csv, SecondPeakWindow=[12, 14])
t.check("SecondPeakWindow = [12, 14] A holds 0 r samples" in message, f"a window outside r: {message[:200]!r}")
message = error_of(csv, FirstPeakWindow=[3, 2])
t.check("FirstPeakWindow = [3, 2] A: expected two finite values, lower < upper" in message,
        f"a reversed window: {message[:200]!r}")
bad_values = curves["Basis 2"].copy()
bad_values[300] = np.nan
nan_path = os.path.join(work, "nan.csv")
np.savetxt(nan_path, np.column_stack([R, curves["Basis 1"], bad_values]), delimiter=",", header="r,good,broken",
           comments="")
message = error_of(CSVReader(FileName=[nan_path]))
t.check("curve 'broken'" in message and "G = nan at r = 3 A" in message, f"a NaN in a curve: {message[:200]!r}")
descending = os.path.join(work, "descending.csv")
np.savetxt(descending, np.column_stack([R[::-1], curves["Basis 1"][::-1]]), delimiter=",", header="r,G", comments="")
message = error_of(CSVReader(FileName=[descending]))
t.check("strictly ascending" in message, f"r not ascending: {message[:200]!r}")
