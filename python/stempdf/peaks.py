"""The first peak of a sampled curve G(r), the one definition the scripts print.

NumPy only (no ParaView), so it imports under pvpython, pvbatch and
/usr/bin/python3 alike. (The plugin's Peak Analysis, filters/Analysis/
stempdfPeakAnalysis, measures R1 by a fit to the top of the peak instead.)"""
import numpy as np


def first_peak(r, g, low=2.0, high=3.0):
    """Position of the largest g over low < r < high (A), refined by the parabola
    through that sample and its two neighbours; r evenly spaced, as NumPy arrays."""
    inside = np.flatnonzero((r > low) & (r < high))
    k = inside[np.argmax(g[inside])]
    return r[k] + 0.5 * (r[1] - r[0]) * (g[k - 1] - g[k + 1]) / (g[k - 1] - 2 * g[k] + g[k + 1])
