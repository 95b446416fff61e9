"""PairDistribution in ParaView on the simulated scan (AzimuthalIntegrate ->
StructureFactor -> PairDistribution): G(r) of every position agrees with an
independent NumPy evaluation of G(r) = 8 pi sum phi(s) sin(2 pi s r) ds; the
same curves as a table give the same G; g(r) follows from G and rho0; the mean
table is the mean of the field; a bad r step is reported."""
import os

import numpy as np
from paraview import servermanager
from paraview.simple import OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

import stempdf_testing as t

t.load_plugin(globals())
scan = OpenDataFile(os.path.join(t.TESTING_DATA, "simulated", "sim_16x16.h5"))
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, SRange=[0.25, 1.4])
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], SRange=[0.25, 1.4])
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"], NumberDensity=0.085)
pd.UpdatePipeline()

phi_field = dsa.WrapDataObject(servermanager.Fetch(sf))
phi = np.asarray(phi_field.PointData["Phi"])
s = phi_field.FieldData["STEMPDF_AxisOrigin"][0] + phi_field.FieldData["STEMPDF_AxisSpacing"][0] * np.arange(phi.shape[1])
ds = phi_field.FieldData["STEMPDF_AxisSpacing"][0]
out = dsa.WrapDataObject(servermanager.Fetch(pd))
G, g = np.asarray(out.PointData["G"]), np.asarray(out.PointData["g"])
r = out.FieldData["STEMPDF_AxisOrigin"][0] + out.FieldData["STEMPDF_AxisSpacing"][0] * np.arange(G.shape[1])
t.check(G.shape == (256, 1001) and abs(r[-1] - 10.0) < 1e-9, f"G(r) on 0-10 A by 0.01 A for 256 positions {G.shape}")

expected = phi @ (8 * np.pi * ds * np.sin(2 * np.pi * np.outer(s, r)))
t.check(np.abs(G - expected).max() < 1e-9 * np.abs(expected).max(),
        f"every G(r) agrees with NumPy (worst {np.abs(G - expected).max() / np.abs(expected).max():.1e} of max |G|)")
inside = r > 0
t.check(np.allclose(g[:, inside], 1 + G[:, inside] / (4 * np.pi * r[inside] * 0.085), rtol=1e-12) and
        np.all(np.isfinite(g)), "g(r) = 1 + G / (4 pi r rho0), finite at r = 0")
peak = r[np.argmax(G.mean(axis=0)[(r > 2) & (r < 3)]) + np.searchsorted(r, 2, side="right")]
t.check(2.3 < peak < 2.7, f"the mean G(r) has its first peak at the nearest-neighbour distance ({peak:.2f} A)")

mean = pd.GetClientSideObject().GetOutputDataObject(1)
mean_g = np.array([mean.GetValue(i, 1).ToDouble() for i in range(mean.GetNumberOfRows())])
t.check(mean.GetColumnName(0) == "r" and mean.GetColumnName(1) == "MeanG" and
        np.allclose(mean_g, G.mean(axis=0), rtol=1e-12, atol=1e-12), "the table holds the mean G(r) of the scan")

# The same profiles as a table (StructureFactor's table path fed from a CSV-like table).
from paraview.simple import PVTrivialProducer  # noqa: E402
from vtkmodules.vtkCommonDataModel import vtkTable  # noqa: E402

table = vtkTable()
for name, values in (("s", s), ("first", phi[0]), ("last", phi[-1])):
    table.AddColumn(t.double_array(name, values))
source = PVTrivialProducer()
source.GetClientSideObject().SetOutput(table)
curves = PairDistribution(Input=source, SColumn="s")
curves.UpdatePipeline()
result = curves.GetClientSideObject().GetOutputDataObject(0)
column = {result.GetColumnName(k): np.array([result.GetValue(i, k).ToDouble() for i in range(result.GetNumberOfRows())])
          for k in range(result.GetNumberOfColumns())}
t.check(sorted(column) == ["first", "last", "r"], f"a table of curves gives a table of G: {sorted(column)}")
t.check(np.allclose(column["first"], G[0], rtol=1e-9, atol=1e-9 * np.abs(G).max()) and
        np.allclose(column["last"], G[-1], rtol=1e-9, atol=1e-9 * np.abs(G).max()),
        "with the G(r) of the same curves in the field")

bad = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"], RStep=0.0)
catcher = t.ErrorCatcher(bad)
bad.UpdatePipeline()
t.check("RStep is 0" in catcher.text(), f"RStep 0 is reported: {catcher.text()[:300]!r}")
print("PairDistribution plugin checks passed")
