"""Figures of STEMPDF results as PNG files (matplotlib, no display needed)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def save_map(values, spacing, origin, png, title, label, cmap="gray"):
    """A map over the scan grid (`values` shaped [scan y, scan x]) with axes in
    nm: each scan position is one square pixel centred on its position, scan
    row 0 at the bottom as in ParaView."""
    ny, nx = values.shape
    x0, y0 = origin[0] - 0.5 * spacing[0], origin[1] - 0.5 * spacing[1]
    extent = [x0, x0 + nx * spacing[0], y0, y0 + ny * spacing[1]]
    fig, ax = plt.subplots(figsize=(5.2, 4.2 * ny / max(nx, ny) + 0.6), dpi=120)
    shown = ax.imshow(values, origin="lower", extent=extent, cmap=cmap, interpolation="nearest")
    ax.set_xlabel("scan x (nm)")
    ax.set_ylabel("scan y (nm)")
    ax.set_title(title, fontsize=10)
    fig.colorbar(shown, ax=ax, label=label, shrink=0.85)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)
    return png


def save_pattern(pattern, png, title, circles=()):
    """One diffraction pattern (shape [det y, det x], log scale) with circles
    (cx, cy, r, colour) drawn over it, e.g. the virtual detectors."""
    fig, ax = plt.subplots(figsize=(4.6, 4.2), dpi=120)
    shown = ax.imshow(np.log1p(pattern.astype(float)), origin="lower", cmap="magma",
                      interpolation="nearest")
    for cx, cy, r, colour in circles:
        ax.add_patch(plt.Circle((cx, cy), r, fill=False, color=colour, lw=1.2))
    ax.set_xlabel("detector x (px)")
    ax.set_ylabel("detector y (px)")
    ax.set_title(title, fontsize=10)
    fig.colorbar(shown, ax=ax, label="log(1 + counts)", shrink=0.85)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)
    return png
