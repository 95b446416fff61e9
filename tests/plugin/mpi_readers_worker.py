"""Run by `mpiexec -n K pvbatch` from test_readers_mpi.py: reads a scan on K
ranks and writes it as a parallel .pvti (one piece per rank)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, SaveData

import stempdf_testing as t

source, output = sys.argv[1], sys.argv[2]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
SaveData(output, proxy=OpenDataFile(source))
