"""Make testing-data/virtual_detector_sample.vti: a small 4D-STEM scan in the
STEMPDF data model (docs/data-model.md), used by the demo and the plugin tests.

Run:  pvpython testing-data/make_virtual_detector_sample.py testing-data/virtual_detector_sample.vti

What it holds: a 24 x 20 scan (1.2 nm step) of 48 x 40 px uint16 patterns.
The specimen has a thickness map t(x, y) = 1 + two Gaussian bumps. Each pattern
has a direct-beam disk (radius 6 px, centre (23.3, 20.6) px) whose counts fall
as exp(-t), an amorphous ring (radius 15 px) whose counts grow with t, a weak
diffuse background, and Poisson noise (seed 7). So a virtual bright-field image
is dark where the specimen is thick and a virtual annular dark-field image is
bright there. The expected images are not stored: tests compute them from the
stored counts with NumPy.
"""
import os
import sys

import numpy as np
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from stempdf.datamodel import pattern_field  # noqa: E402

NX, NY = 24, 20          # scan positions
KX, KY = 48, 40          # detector pixels
STEP_NM = 1.2
CENTER = (23.3, 20.6)    # pattern centre, detector pixels
DISK_RADIUS = 6.0
RING_RADIUS, RING_WIDTH = 15.0, 2.5


def thickness():
    y, x = np.mgrid[0:NY, 0:NX].astype(float)
    bump = lambda cx, cy, s: np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s))
    return 1.0 + 0.8 * bump(7, 6, 3.0) + 0.5 * bump(16, 13, 4.0)


def patterns(t, rng):
    ky, kx = np.mgrid[0:KY, 0:KX].astype(float)
    d = np.hypot(kx - CENTER[0], ky - CENTER[1])
    disk = 1.0 / (1.0 + np.exp((d - DISK_RADIUS) / 0.4))          # soft-edged disk
    ring = np.exp(-0.5 * ((d - RING_RADIUS) / RING_WIDTH) ** 2)
    diffuse = np.exp(-d / 20.0)
    mean = (400.0 * np.exp(-t)[..., None, None] * disk
            + 30.0 * t[..., None, None] * ring
            + 5.0 * t[..., None, None] * diffuse)
    return rng.poisson(mean).astype(np.uint16)               # [scan y, scan x, det y, det x]


def main(path):
    rng = np.random.default_rng(7)
    data = patterns(thickness(), rng)

    image = pattern_field(data, NX, NY, KX, KY, STEP_NM)

    writer = vtkXMLImageDataWriter()
    writer.SetFileName(path)
    writer.SetInputData(image)
    writer.SetCompressorTypeToZLib()
    writer.SetDataModeToAppended()
    writer.EncodeAppendedDataOff()
    if not writer.Write():
        sys.exit(f"could not write {path}")
    print(f"wrote {path}: {NX} x {NY} scan, {KX} x {KY} px patterns, total counts {int(data.sum())}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pvpython make_virtual_detector_sample.py OUTPUT.vti")
    main(sys.argv[1])
