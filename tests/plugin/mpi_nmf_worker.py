"""Run by `mpiexec -n K pvbatch` from test_nmf_decompose.py: the chain on the
simulated scan and NMF Decompose on K ranks; writes the weight maps (.pvti)
and the basis table (.csv)."""
import sys

from paraview import servermanager
from paraview.simple import OpenDataFile, OutputPort, SaveData

import stempdf_testing as t

source, composition, maps, basis = sys.argv[1:5]
t.load_plugin(globals())
print(f"pvbatch runs on {servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions()} ranks")
az = AzimuthalIntegrate(Input=OpenDataFile(source), Patterns=["POINTS", "Counts"], CenterOnDetectorMiddle=0,
                        Center=[32.6, 30.9], EllipseRatio=1.02, EllipseAngle=30, SRange=[0.25, 1.4])
sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], SRange=[0.25, 1.4], Composition=composition)
pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"])
SaveData(maps, proxy=nmf)
SaveData(basis, proxy=OutputPort(nmf, 1), Precision=17)
