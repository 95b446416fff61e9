"""The 4D-STEM readers in ParaView: the HDF5 reader gives what h5py reads, the
MIB reader what a direct NumPy parse of the Merlin frames gives, both the
same scan (the simulator wrote one scan in both formats), with the scan
geometry and calibration, and clear errors for bad files."""
import json
import os
import shutil
import tempfile

import h5py
import numpy as np
from paraview.simple import OpenDataFile

import stempdf_testing as t

t.load_plugin(globals())
base = os.path.join(t.TESTING_DATA, "simulated", "sim_16x16")
truth = json.load(open(base + "_truth.json"))

# HDF5 against h5py.
h5 = OpenDataFile(base + ".h5")
t.check(h5 is not None and h5.GetXMLName() == "STEMPDFHDF5Reader", "OpenDataFile picks the STEM-PDF HDF5 reader")
counts, image = t.point_array(h5, "Counts")
with h5py.File(base + ".h5", "r") as f:
    reference = f["/data/stempdf_scan/data"][...]
t.check(counts.shape == (16, 16, 64 * 64) and counts.dtype == np.uint16, f"16 x 16 scan of 4096-px uint16 frames: {counts.shape} {counts.dtype}")
t.check(np.array_equal(counts.reshape(reference.shape), reference), "every count equals h5py's")
t.check(np.allclose(image.GetSpacing()[:2], (1.2, 1.2)), f"scan step from the file: {image.GetSpacing()[:2]}")
field = image.GetFieldData()
t.check(abs(field.GetArray("STEMPDF_DetectorPixelSize").GetValue(0) - 0.05) < 1e-12, "detector pixel size from the file")
t.check(list(h5.GetProperty("DatasetPaths")[:]) == ["/data/stempdf_scan/data"], "the 4D datasets are listed")
# The reader fills the range cache ParaView's data information uses: it must hold the true ranges.
frames = reference.reshape(256, 4096).astype(np.float64)
info = h5.PointData["Counts"]
t.check(all(info.GetRange(c) == (frames[:, c].min(), frames[:, c].max()) for c in (0, 100, 2080, 4095)),
        "cached component ranges equal NumPy's")
norms = np.sqrt((frames ** 2).sum(axis=1))
t.check(np.allclose(info.GetRange(-1), (norms.min(), norms.max())), "cached magnitude range equals NumPy's")

# MIB against a direct parse: frames of (header, big-endian uint16 64 x 64).
mib = OpenDataFile(base + ".mib")
t.check(mib is not None and mib.GetXMLName() == "STEMPDFMIBReader", "OpenDataFile picks the STEM-PDF MIB reader")
mib.ScanStep = 1.2
mib_counts, mib_image = t.point_array(mib, "Counts")
raw = open(base + ".mib", "rb").read()
header_bytes = int(raw[:64].split(b",")[2])
frame_bytes = header_bytes + 64 * 64 * 2
frames = np.stack([np.frombuffer(raw[i * frame_bytes + header_bytes:(i + 1) * frame_bytes], dtype=">u2")
                   for i in range(len(raw) // frame_bytes)])
t.check(np.array_equal(mib_counts.reshape(256, 4096), frames), "every MIB count equals the NumPy parse")
t.check(np.array_equal(mib_counts, counts), "MIB and HDF5 of the same simulation hold the same scan")
t.check(np.allclose(mib_image.GetSpacing()[:2], (1.2, 1.2)), "the ScanStep property sets the MIB scan step")

# The virtual detector runs on the reader output directly.
vd = VirtualDetector(Input=h5, Patterns=["POINTS", "Counts"], OuterRadius=20.0)
values, _ = t.point_array(vd, "VirtualDetector")
t.check(np.array_equal(values, t.virtual_detector_numpy(reference, (31.5, 31.5), 0.0, 20.0)),
        "VirtualDetector on the HDF5 reader output equals NumPy")

# Bad input: an error naming the file, and no data.
work = tempfile.mkdtemp(prefix="stempdf-readers-")
truncated = os.path.join(work, "cut.mib")
open(truncated, "wb").write(raw[: 5 * frame_bytes + 100])
bad = OpenDataFile(truncated)
catcher = t.ErrorCatcher(bad)
bad.ScanShape = [16, 16]
bad.UpdatePipeline()
t.check("cut.mib" in catcher.text() and bad.GetDataInformation().GetNumberOfPoints() == 0,
        f"a truncated MIB file is reported: {catcher.text()[:300]!r}")

wrong = OpenDataFile(base + ".h5")
catcher = t.ErrorCatcher(wrong)
wrong.DatasetPath = "/no/such/data"
wrong.UpdatePipeline()
t.check("/no/such/data" in catcher.text() and wrong.GetDataInformation().GetNumberOfPoints() == 0,
        f"a missing dataset path is reported: {catcher.text()[:300]!r}")
shutil.rmtree(work)
print("reader checks passed")
