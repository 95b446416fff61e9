"""Run by `mpiexec -n K pvbatch` from test_virtual_detector_mpi.py: applies
VirtualDetector to the bundled sample on K ranks and writes the result as a
parallel .pvti (one piece per rank)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, SaveData

import stempdf_testing as t

output = sys.argv[1]
t.load_plugin(globals())
ranks = servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()
print(f"pvbatch runs on {ranks} ranks")

reader = OpenDataFile(t.SAMPLE)
adf = VirtualDetector(Input=reader, CenterOnDetectorMiddle=0, Center=[23.3, 20.6],
                      InnerRadius=10.0, OuterRadius=20.0)
SaveData(output, proxy=adf)
print(f"wrote {output}")
