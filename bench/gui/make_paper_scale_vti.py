"""Write a paper-scale 4D-STEM scan for the GUI responsiveness check
(docs/gui-responsiveness.md): 128 x 128 scan positions (1 nm step) of
256 x 256 px uint16 diffraction patterns, in the STEMPDF data model
(docs/data-model.md): one point-data array "Counts" of 65536 components.

Run:  pvpython bench/gui/make_paper_scale_vti.py /tmp/paper_scale.vti [NX NY KX KY]

The file is about 2 GiB: keep it under /tmp, never in the repository.

Content: a thickness map t(x, y) (two Gaussian bumps on a ramp), and per
pattern a direct-beam disk (radius 20 px) whose counts fall as exp(-t), an
amorphous ring (radius 70 px) whose counts grow with t, a diffuse background
and Poisson noise. To keep generation fast, t is quantised to LEVELS values and
VARIANTS noisy patterns are drawn per level (LEVELS * VARIANTS distinct
patterns); every scan position takes one of the patterns of its level, so a
virtual bright-field image still shows the thickness map.

Written uncompressed, raw appended data, 64-bit headers (the array is larger
than 2^31 bytes), so ParaView reads it at disk speed.
"""
import os
import sys
import time

import numpy as np
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from stempdf.datamodel import pattern_field  # noqa: E402

STEP_NM = 1.0
LEVELS, VARIANTS = 64, 4
DISK_RADIUS = 20.0
RING_RADIUS, RING_WIDTH = 70.0, 8.0


def thickness(nx, ny):
    y, x = np.mgrid[0:ny, 0:nx].astype(float)
    bump = lambda cx, cy, s: np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))
    return (1.0 + 0.3 * x / nx + 0.8 * bump(0.3 * nx, 0.3 * ny, 0.12 * nx)
            + 0.5 * bump(0.65 * nx, 0.65 * ny, 0.16 * nx))


def distinct_patterns(levels_t, kx, ky, rng):
    """[len(levels_t), VARIANTS, ky, kx] uint16 noisy patterns."""
    gy, gx = np.mgrid[0:ky, 0:kx].astype(np.float32)
    cx, cy = 0.5 * (kx - 1) + 0.7, 0.5 * (ky - 1) - 0.4
    d = np.hypot(gx - cx, gy - cy)
    disk = 1.0 / (1.0 + np.exp((d - DISK_RADIUS * kx / 256.0) / 0.6))
    ring = np.exp(-0.5 * ((d - RING_RADIUS * kx / 256.0) / (RING_WIDTH * kx / 256.0)) ** 2)
    diffuse = np.exp(-d / (80.0 * kx / 256.0))
    t = levels_t.astype(np.float32)[:, None, None]
    mean = 60.0 * np.exp(-t) * disk + 6.0 * t * ring + 2.0 * t * diffuse      # [level, ky, kx]
    mean = np.broadcast_to(mean[:, None], (len(levels_t), VARIANTS, ky, kx))
    return rng.poisson(mean).astype(np.uint16)


def main(path, nx=128, ny=128, kx=256, ky=256):
    t0 = time.perf_counter()
    rng = np.random.default_rng(11)
    t = thickness(nx, ny)
    edges = np.linspace(t.min(), t.max(), LEVELS + 1)
    level = np.clip(np.digitize(t, edges) - 1, 0, LEVELS - 1)              # [ny, nx]
    centres = 0.5 * (edges[:-1] + edges[1:])
    table = distinct_patterns(centres, kx, ky, rng).reshape(LEVELS * VARIANTS, kx * ky)
    which = level * VARIANTS + rng.integers(0, VARIANTS, size=level.shape)
    data = table[which.ravel()]                                            # [ny*nx, ky*kx]
    t1 = time.perf_counter()

    image = pattern_field(data, nx, ny, kx, ky, STEP_NM, deep=False)  # shares `data`, which stays alive below

    writer = vtkXMLImageDataWriter()
    writer.SetFileName(path)
    writer.SetInputData(image)
    writer.SetCompressorTypeToNone()
    writer.SetDataModeToAppended()
    writer.EncodeAppendedDataOff()
    writer.SetHeaderTypeToUInt64()
    if not writer.Write():
        sys.exit(f"could not write {path}")
    t2 = time.perf_counter()
    print(f"wrote {path}: {nx} x {ny} scan, {kx} x {ky} px uint16 patterns, "
          f"{data.nbytes / 2**30:.2f} GiB, {LEVELS * VARIANTS} distinct patterns; "
          f"generate {t1 - t0:.1f} s, write {t2 - t1:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 6):
        sys.exit("usage: pvpython make_paper_scale_vti.py OUTPUT.vti [NX NY KX KY]")
    main(sys.argv[1], *(int(v) for v in sys.argv[2:]))
