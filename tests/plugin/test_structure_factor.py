"""StructureFactor in ParaView: on the field of profiles of the simulated scan
and on the same curves given as a table (a CSV file read by ParaView), the two
paths give the same phi(s) and the same fitted N; the mean-phi table is the
mean of the field; bad input (unknown element, missing s column) is reported."""
import os
import shutil
import tempfile

import numpy as np
from paraview import servermanager
from paraview.simple import CSVReader, OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa

import stempdf_testing as t

t.load_plugin(globals())
scan = OpenDataFile(os.path.join(t.TESTING_DATA, "simulated", "sim_16x16.h5"))
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, SRange=[0.25, 1.4])
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], SRange=[0.25, 1.4])
sf.UpdatePipeline()
field = dsa.WrapDataObject(servermanager.Fetch(sf))
phi = np.asarray(field.PointData["Phi"])
n_map = np.asarray(field.PointData["N"])
t.check(phi.shape == (256, 23) and all(k in field.PointData.keys() for k in ("N", "C", "P1", "P4")),
        f"phi(s) of 256 positions with the N, C, P1..P4 maps ({phi.shape}, {field.PointData.keys()})")
t.check(np.all(np.isfinite(phi)) and np.all(n_map > 0), "phi is finite and N positive everywhere")
mean = sf.GetClientSideObject().GetOutputDataObject(1)
mean_phi = np.array([mean.GetValue(i, 1).ToDouble() for i in range(mean.GetNumberOfRows())])
t.check(np.allclose(mean_phi, phi.mean(axis=0), rtol=1e-12, atol=1e-15), "the table holds the mean phi of the scan")

# The same two profiles as a table of SAED-like curves, through ParaView's CSV reader.
profiles = dsa.WrapDataObject(servermanager.Fetch(az))
intensity = np.asarray(profiles.PointData["Intensity"])
origin, spacing = profiles.FieldData["STEMPDF_AxisOrigin"][0], profiles.FieldData["STEMPDF_AxisSpacing"][0]
s = origin + spacing * np.arange(intensity.shape[1])
work = tempfile.mkdtemp(prefix="stempdf-sf-")
csv = os.path.join(work, "saed.csv")
np.savetxt(csv, np.column_stack([s, intensity[0], intensity[77]]), delimiter=",", header="s,first,other",
           comments="", fmt="%.17g")
table = StructureFactor(Input=CSVReader(FileName=[csv]), SColumn="s", SRange=[0.25, 1.4])
table.UpdatePipeline()
curves = table.GetClientSideObject().GetOutputDataObject(0)
names = [curves.GetColumnName(i) for i in range(curves.GetNumberOfColumns())]
column = {name: np.array([curves.GetValue(i, k).ToDouble() for i in range(curves.GetNumberOfRows())])
          for k, name in enumerate(names)}
t.check(names == ["s", "first", "other"], f"the table keeps its curve names: {names}")
t.check(np.allclose(column["first"], phi[0], rtol=1e-9, atol=1e-12) and
        np.allclose(column["other"], phi[77], rtol=1e-9, atol=1e-12),
        "a table of curves gives the phi(s) of the same profiles in the field")
fitted = table.GetClientSideObject().GetOutputDataObject(1)
t.check(fitted.GetColumnName(1) == "N" and abs(fitted.GetValue(1, 1).ToDouble() / n_map[77] - 1) < 1e-9,
        "the parameters table holds N per curve")

bad = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], Composition="Xx50Fe50", SRange=[0.25, 1.4])
catcher = t.ErrorCatcher(bad)
bad.UpdatePipeline()
t.check("Composition" in catcher.text() and "Xx" in catcher.text(),
        f"an unknown element is reported: {catcher.text()[:300]!r}")
missing = StructureFactor(Input=CSVReader(FileName=[csv]), SColumn="q", SRange=[0.25, 1.4])
catcher = t.ErrorCatcher(missing)
missing.UpdatePipeline()
t.check("no numeric column 'q'" in catcher.text(), f"a missing s column is reported: {catcher.text()[:300]!r}")
shutil.rmtree(work)
print("StructureFactor plugin checks passed")
