"""Run by `mpiexec -n K pvbatch` from test_mlls_fit.py: MLLSFit of a G(r)
field (.vti) with a CSV basis on K ranks; writes the maps (.pvti) and the
population table (.csv)."""
import sys

from paraview import servermanager
from paraview.simple import CSVReader, OpenDataFile, OutputPort, SaveData

import stempdf_testing as t

field, basis, maps, populations = sys.argv[1:5]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
fit = MLLSFit(Input=OpenDataFile(field), Basis=CSVReader(FileName=[basis]), PairDistribution=["POINTS", "G"], Components="1,2")
SaveData(maps, proxy=fit)
SaveData(populations, proxy=OutputPort(fit, 1), Precision=17)
