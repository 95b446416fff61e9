"""Run by `mpiexec -n K pvbatch` from test_azimuthal_integrate_mpi.py:
AzimuthalIntegrate of the simulated scan on K ranks; writes the profiles
(.pvti) and the mean-profile table (.csv), and the profiles with the centre
found on the mean pattern and the defects rejected (.pvti)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, OutputPort, SaveData

import stempdf_testing as t

source, profiles, table, found_profiles = sys.argv[1:5]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
scan = OpenDataFile(source)
az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0, Center=[32.6, 30.9],
                        EllipseRatio=1.02, EllipseAngle=30, SRange=[0.25, 1.4])
SaveData(profiles, proxy=az)
SaveData(table, proxy=OutputPort(az, 1), Precision=15)
found = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, SRange=[0.25, 1.4])
SaveData(found_profiles, proxy=found)
