"""Run by `mpiexec -n K pvbatch` from test_autocorrelation.py: Autocorrelation
of the maps of a .vti on K ranks; writes the autocorrelation images (.pvti),
the radial profiles and the lengths (.csv)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, OutputPort, SaveData

import stempdf_testing as t

source, images, profiles, lengths = sys.argv[1:5]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
acf = Autocorrelation(Input=OpenDataFile(source))
SaveData(images, proxy=acf)
SaveData(profiles, proxy=OutputPort(acf, 1), Precision=17)
SaveData(lengths, proxy=OutputPort(acf, 2), Precision=17)
