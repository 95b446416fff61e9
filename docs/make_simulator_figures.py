#!/usr/bin/python3
"""Figures of docs/simulator.md from one simulated scan.

    build/bin/stempdf-simulate --out /tmp/stempdf-doc/scan --scan 64 64 --force
    /usr/bin/python3 docs/make_simulator_figures.py /tmp/stempdf-doc/scan docs/images
"""
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(stem, out):
    truth = json.load(open(stem + "_truth.json"))
    step = truth["parameters"]["scan_step_nm"]
    with h5py.File(stem + ".h5", "r") as f:
        data = f["/data/stempdf_scan/data"]
        frame = data[10, 20].astype(float)
        mean = data[...].mean(axis=(0, 1))
    with h5py.File(stem + "_truth.h5", "r") as t:
        maps = {k: t["maps/" + k][...] for k in ("fraction_solid_like", "thickness", "fraction_noise")}
        r = t["pdf/r"][...]
        s = t["profiles/s"][...]
        curves = {k: t[k][...] for k in ("pdf/G_liquid_like", "pdf/G_solid_like", "pdf/G_liquid_like_s0.25-1.6",
                                        "pdf/G_solid_like_s0.25-1.6", "profiles/S_liquid_like",
                                        "profiles/S_solid_like", "profiles/I_liquid_like", "profiles/I_solid_like")}

    fig, axes = plt.subplots(1, 2, figsize=(9, 4), dpi=110)
    for ax, image, title in ((axes[0], frame, "one frame (scan position 20, 10)"), (axes[1], mean, "mean of all frames")):
        shown = ax.imshow(np.log1p(image), origin="lower", cmap="magma")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("detector x (px)")
        fig.colorbar(shown, ax=ax, label="log(1 + counts)", shrink=0.8)
    axes[0].set_ylabel("detector y (px)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "simulator_patterns.png"))

    ny, nx = maps["thickness"].shape
    extent = [0, nx * step, 0, ny * step]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), dpi=110)
    for ax, (key, title, cmap) in zip(axes, (("fraction_solid_like", "solid-like fraction", "viridis"),
                                             ("thickness", "relative thickness t", "cividis"),
                                             ("fraction_noise", "noise-pattern fraction", "magma"))):
        shown = ax.imshow(maps[key], origin="lower", extent=extent, cmap=cmap)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("scan x (nm)")
        fig.colorbar(shown, ax=ax, shrink=0.8)
    axes[0].set_ylabel("scan y (nm)")
    fig.suptitle(f"ground-truth maps; realised domain size {truth['results']['realised_domain_size_nm']:.2f} nm "
                 f"(FWHM of the autocorrelation)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "simulator_maps.png"))

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), dpi=110)
    keep = (s > 0.1) & (s < 2.0)
    axes[0].plot(s[keep], curves["profiles/S_liquid_like"][keep], label="liquid-like")
    axes[0].plot(s[keep], curves["profiles/S_solid_like"][keep], label="solid-like")
    axes[0].axvspan(0.25, 1.6, color="0.92", zorder=0, label="analysis range")
    axes[0].set_xlabel("s = 1/d (1/Å)")
    axes[0].set_ylabel("S(s)")
    axes[0].legend()
    for key, label, style in (("pdf/G_liquid_like", "liquid-like", "-"), ("pdf/G_solid_like", "solid-like", "-"),
                              ("pdf/G_liquid_like_s0.25-1.6", "liquid-like, s 0.25–1.6", ":"),
                              ("pdf/G_solid_like_s0.25-1.6", "solid-like, s 0.25–1.6", ":")):
        axes[1].plot(r, curves[key], style, label=label)
    axes[1].set_xlim(0, 10)
    axes[1].set_xlabel("r (Å)")
    axes[1].set_ylabel("G(r) (1/Å²)")
    for x in (2.53, 2.46):
        axes[1].axvline(x, color="0.6", lw=0.6)
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "simulator_curves.png"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
