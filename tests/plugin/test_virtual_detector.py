"""VirtualDetector through the ParaView plugin: known answers against an
independent NumPy computation on the bundled sample, scan geometry and
metadata carried through, and a clear error for every bad parameter."""
import numpy as np
from paraview.simple import OpenDataFile

import stempdf_testing as t

t.load_plugin(globals())

reader = OpenDataFile(t.SAMPLE)
counts = t.sample_counts()
t.check(counts.shape == (20, 24, 40, 48), f"sample is 24 x 20 scan of 48 x 40 px patterns, got {counts.shape}")

# Bright field around the detector middle (the default centre).
bf = VirtualDetector(Input=reader, OuterRadius=6.0, OutputArrayName="VirtualBF")
values, image = t.point_array(bf, "VirtualBF")
expected = t.virtual_detector_numpy(counts, (23.5, 19.5), 0.0, 6.0)
t.check(np.array_equal(values, expected), "virtual BF equals the NumPy sum over the central disk")
t.check(image.GetSpacing()[:2] == (1.2, 1.2) and image.GetDimensions() == (24, 20, 1),
        "output keeps the scan grid (24 x 20, 1.2 nm step)")
t.check(image.GetFieldData().GetArray("STEMPDF_AxisSize") is None,
        "the detector axis is not claimed by the scalar output")

# Annular dark field around the true pattern centre.
# (Patterns named: paraview.simple picks defaults from the active source, bf.)
adf = VirtualDetector(Input=reader, Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0, Center=[23.3, 20.6],
                      InnerRadius=10.0, OuterRadius=20.0, OutputArrayName="VirtualADF")
adf_values, _ = t.point_array(adf, "VirtualADF")
t.check(np.array_equal(adf_values, t.virtual_detector_numpy(counts, (23.3, 20.6), 10.0, 20.0)),
        "virtual ADF equals the NumPy sum over the annulus 10 <= d < 20 around (23.3, 20.6)")

# Physics of the sample: thick areas are dark in BF and bright in ADF.
r = np.corrcoef(values.ravel(), adf_values.ravel())[0, 1]
t.check(r < -0.9, f"BF and ADF are anti-correlated on the thickness map (r = {r:.3f})")

# Bad parameters: a vtkErrorMacro naming the parameter and an empty output.
def error_of(**properties):
    properties.setdefault("Patterns", ["POINTS", "Counts"])
    proxy = VirtualDetector(Input=reader, **properties)
    catcher = t.ErrorCatcher(proxy)
    proxy.UpdatePipeline()
    empty = proxy.GetDataInformation().GetNumberOfPoints() == 0
    return catcher.text(), empty

message, empty = error_of(InnerRadius=8.0, OuterRadius=5.0)
t.check("InnerRadius (8) must be smaller than OuterRadius (5)" in message and empty,
        f"InnerRadius >= OuterRadius is reported: {message!r}")
message, empty = error_of(CenterOnDetectorMiddle=0, Center=[60.0, 10.0])
t.check("Center (60, 10) lies off the 48 x 40 detector" in message and empty,
        f"a centre off the detector is reported: {message!r}")
message, empty = error_of(Patterns=["POINTS", "NoSuchArray"])
t.check("no point-data array named 'NoSuchArray'" in message and empty,
        f"an unknown pattern array is reported: {message!r}")
# A pattern array of a type no detector delivers (int64) is refused by name.
wide = ProgrammableFilter(Input=reader)
wide.Script = """
import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
source = self.GetInput()
self.GetOutput().ShallowCopy(source)
array = numpy_to_vtk(np.zeros((source.GetNumberOfPoints(), 48 * 40), dtype=np.int64), deep=1)
array.SetName("Wide")
self.GetOutput().GetPointData().AddArray(array)
"""
proxy = VirtualDetector(Input=wide, Patterns=["POINTS", "Wide"])
catcher = t.ErrorCatcher(proxy)
proxy.UpdatePipeline()
t.check("array 'Wide' holds" in catcher.text() and "expected detector counts as uint8" in catcher.text(),
        f"an int64 pattern array is refused: {catcher.text()[:300]!r}")
print("all VirtualDetector plugin checks passed")
