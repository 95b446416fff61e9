"""Figures of STEMPDF results as PNG files (matplotlib, no display needed)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _finish(fig, ax, png, xlabel, ylabel, title, title_size=10, legend=None, colorbar=None):
    """Label the axes, title the plot, add a legend (`legend`: ax.legend's
    options) and a colour bar (`colorbar`: (mappable, label)) when given, then
    write `png` and close the figure. Returns `png`."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=title_size)
    if legend is not None:
        ax.legend(**legend)
    if colorbar is not None:
        fig.colorbar(colorbar[0], ax=ax, label=colorbar[1], shrink=0.85)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)
    return png


def _scan_extent(ny, nx, spacing, origin):
    """imshow's extent (nm) of an ny x nx scan map: each position one pixel centred on it."""
    x0, y0 = origin[0] - 0.5 * spacing[0], origin[1] - 0.5 * spacing[1]
    return [x0, x0 + nx * spacing[0], y0, y0 + ny * spacing[1]]


def save_map(values, spacing, origin, png, title, label, cmap="gray"):
    """A map over the scan grid (`values` shaped [scan y, scan x]) with axes in
    nm: each scan position is one square pixel centred on its position, scan
    row 0 at the bottom as in ParaView."""
    ny, nx = values.shape
    fig, ax = plt.subplots(figsize=(5.2, 4.2 * ny / max(nx, ny) + 0.6), dpi=120)
    shown = ax.imshow(values, origin="lower", extent=_scan_extent(ny, nx, spacing, origin), cmap=cmap,
                      interpolation="nearest")
    return _finish(fig, ax, png, "scan x (nm)", "scan y (nm)", title, colorbar=(shown, label))


def save_pattern(pattern, png, title, circles=()):
    """One diffraction pattern (shape [det y, det x], log scale) with circles
    (cx, cy, r, colour) drawn over it, e.g. the virtual detectors."""
    fig, ax = plt.subplots(figsize=(4.6, 4.2), dpi=120)
    shown = ax.imshow(np.log1p(pattern.astype(float)), origin="lower", cmap="magma",
                      interpolation="nearest")
    for cx, cy, r, colour in circles:
        ax.add_patch(plt.Circle((cx, cy), r, fill=False, color=colour, lw=1.2))
    return _finish(fig, ax, png, "detector x (px)", "detector y (px)", title, colorbar=(shown, "log(1 + counts)"))


def save_calibration(pattern, excluded, center, ratio, angle, pixel_size, png, rings=(0.5, 1.0, 1.5),
                     title="mean pattern, found centre and rings"):
    """The mean pattern (shape [det y, det x], log scale) with the excluded
    pixels in cyan, the found centre and the ellipses of constant s at `rings`
    (1/A): s = pixel_size * sqrt(u^2/e + v^2 e), (u, v) rotated by `angle`."""
    fig, ax = plt.subplots(figsize=(5.0, 4.4), dpi=120)
    shown = ax.imshow(np.log1p(np.clip(pattern, 0, None)), origin="lower", cmap="magma", interpolation="nearest")
    ky, kx = np.nonzero(excluded)
    ax.scatter(kx, ky, s=6, marker="s", color="cyan", linewidths=0, label=f"excluded ({len(kx)} px)")
    a = np.deg2rad(angle)
    t = np.linspace(0, 2 * np.pi, 361)
    for s in rings:
        radius = s / pixel_size
        u, v = radius * np.sqrt(ratio) * np.cos(t), radius / np.sqrt(ratio) * np.sin(t)
        ax.plot(center[0] + np.cos(a) * u - np.sin(a) * v, center[1] + np.sin(a) * u + np.cos(a) * v,
                color="white", lw=0.8)
        ax.annotate(f"s = {s:g}", (center[0], center[1] + radius / np.sqrt(ratio)), color="white", fontsize=7,
                    ha="center", va="bottom")
    ax.plot(*center, "+", color="white", markersize=10)
    return _finish(fig, ax, png, "detector x (px)", "detector y (px)", title,
                   legend=dict(loc="lower left", fontsize=7, framealpha=0.6), colorbar=(shown, "log(1 + counts)"))


def save_profiles(s, curves, png, title="radial profiles I(s)", ylabel="I(s) (counts per pixel)"):
    """Curves over s (1/A): `curves` is a list of (values, label, style dict);
    a (low, high) band may be given as values for a shaded range."""
    fig, ax = plt.subplots(figsize=(5.6, 3.6), dpi=120)
    for values, label, style in curves:
        if isinstance(values, tuple):
            ax.fill_between(s, values[0], values[1], label=label, **style)
        else:
            ax.plot(s, values, label=label, **style)
    return _finish(fig, ax, png, "s = 1/d (1/A)", ylabel, title, legend=dict(fontsize=8))


def save_curves(x, curves, png, extra=(), xlabel="x", ylabel="y", title="", xlim=(0, 10)):
    """Curves on one abscissa (`curves`: (values, label, style)), and `extra`
    curves on their own abscissae ((x, values, label, style)), e.g. G(r)."""
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=120)
    for values, label, style in curves:
        ax.plot(x, values, label=label, **style)
    for xs, values, label, style in extra:
        ax.plot(xs, values, label=label, **style)
    ax.axhline(0, color="0.7", lw=0.6)
    ax.set_xlim(*xlim)
    return _finish(fig, ax, png, xlabel, ylabel, title, legend=dict(fontsize=7))


CONNECTIONS = ((1.0, "R1", "-"), (np.sqrt(8.0 / 3.0), "sqrt(8/3) R1", ":"), (np.sqrt(3.0), "sqrt(3) R1", "--"),
               (2.0, "2 R1", "-."))


def save_basis_pdfs(r, curves, first_peaks, png, title="basis PDFs and polyhedra-connection distances"):
    """Basis G(r) curves (`curves`: (values, label)) with, for each, the
    distances of polyhedra sharing a vertex, edge or face (2R1, sqrt(3) R1,
    sqrt(8/3) R1) as vertical marks in the curve's colour (the paper's Fig. 3a)."""
    fig, ax = plt.subplots(figsize=(6.6, 4.0), dpi=120)
    for (values, label), r1 in zip(curves, first_peaks):
        line, = ax.plot(r, values, label=f"{label} (R1 = {r1:.3f} A)")
        if np.isfinite(r1):
            for factor, _, style in CONNECTIONS[1:]:
                ax.axvline(factor * r1, color=line.get_color(), ls=style, lw=0.8, alpha=0.8)
    for factor, name, style in CONNECTIONS[1:]:
        ax.plot([], [], color="0.4", ls=style, lw=0.8, label=name)
    ax.axhline(0, color="0.7", lw=0.6)
    ax.set_xlim(float(r[0]), float(r[-1]))
    return _finish(fig, ax, png, "r (A)", "G(r) (1/A^2)", title, legend=dict(fontsize=7))


def save_color_mix(fractions, spacing, origin, png, labels, title="colour mix of the fraction maps"):
    """Up to three fraction maps ([scan y, scan x, channel]) as red, green and
    blue, each scaled from its own minimum to maximum (the paper's Fig. 3b)."""
    ny, nx, channels = fractions.shape
    rgb = np.zeros((ny, nx, 3))
    for c in range(min(channels, 3)):
        low, high = fractions[..., c].min(), fractions[..., c].max()
        rgb[..., c] = (fractions[..., c] - low) / (high - low) if high > low else 0.0
    fig, ax = plt.subplots(figsize=(5.0, 4.6 * ny / max(nx, ny) + 0.6), dpi=120)
    ax.imshow(rgb, origin="lower", extent=_scan_extent(ny, nx, spacing, origin), interpolation="nearest")
    return _finish(fig, ax, png, "scan x (nm)", "scan y (nm)",
                   title + "\n" + ", ".join(f"{colour}: {label}" for colour, label in zip(("red", "green", "blue"),
                                                                                         labels)), title_size=9)
