"""Run by `mpiexec -n K pvbatch` from test_azimuthal_integrate_mpi.py:
AzimuthalIntegrate of the simulated scan on K ranks; writes the profiles
(.pvti) and the mean-profile table (.csv)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, OutputPort, SaveData

import stempdf_testing as t

source, profiles, table = sys.argv[1:4]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
scan = OpenDataFile(source)
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0, Center=[32.6, 30.9],
                        EllipseRatio=1.02, EllipseAngle=30, SRange=[0.25, 1.4])
SaveData(profiles, proxy=az)
SaveData(table, proxy=OutputPort(az, 1), Precision=15)
