"""The chain so far on the paper-scale simulated scan, in pvbatch on the
plugin (the GUI's code path): reader -> Azimuthal Integrate (Find Center,
defect rejection) -> Structure Factor -> Pair Distribution, with the time of
each stage, and the check that the mean G(r)'s first peak lies between the two
structural types' true first peaks.

    pvbatch bench/run_chain_paper_scale.py [--build build] [--data /tmp/stempdf-bench]

The scan is made by bench/run_azimuthal_integrate.py (or by hand:
build/bin/stempdf-simulate --out /tmp/stempdf-bench/paper --scan 128 128 --seed 7).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from paraview import servermanager
from paraview.simple import LoadPlugin, OpenDataFile, UpdatePipeline
from vtkmodules.numpy_interface import dataset_adapter as dsa

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--build", default=os.path.join(root, "build"))
parser.add_argument("--data", default="/tmp/stempdf-bench")
args = parser.parse_args()
scan_file = os.path.join(args.data, "paper.h5")
if not os.path.exists(scan_file):
    sys.exit(f"run_chain_paper_scale: {scan_file} is missing; make it with bench/run_azimuthal_integrate.py")
LoadPlugin(os.path.join(args.build, "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so"), remote=False, ns=globals())
truth = json.load(open(os.path.join(args.data, "paper_truth.json")))["parameters"]

times = {}
start = time.perf_counter()
scan = OpenDataFile(scan_file)
scan.UpdatePipeline()
times["read (2 GiB)"] = time.perf_counter() - start
stages = [("Azimuthal Integrate (Find Center, defects)",
           lambda: AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1)),
          ("Structure Factor", lambda: StructureFactor(Input=proxies[-1], Profiles=["POINTS", "Intensity"],
                                                       Composition=truth["composition"])),
          ("Pair Distribution", lambda: PairDistribution(Input=proxies[-1], ReducedIntensity=["POINTS", "Phi"]))]
proxies = []
for name, make in stages:
    proxies.append(make())
    start = time.perf_counter()
    proxies[-1].UpdatePipeline()
    times[name] = time.perf_counter() - start

az, pd = proxies[0], proxies[-1]
az.UpdatePropertyInformation()
mean = pd.GetClientSideObject().GetOutputDataObject(1)
r = np.array([mean.GetValue(i, 0).ToDouble() for i in range(mean.GetNumberOfRows())])
G = np.array([mean.GetValue(i, 1).ToDouble() for i in range(mean.GetNumberOfRows())])
window = (r > 2.0) & (r < 3.0)
k = np.flatnonzero(window)[np.argmax(G[window])]
peak = r[k] + 0.5 * (r[1] - r[0]) * (G[k - 1] - G[k + 1]) / (G[k - 1] - 2 * G[k] + G[k + 1])
print(f"found centre {list(az.GetProperty('UsedCenter'))} (true {truth['center_px']}), "
      f"{az.GetProperty('DefectivePixels')[0]} defective pixels excluded")
for name, seconds in times.items():
    print(f"| {name} | {seconds:.2f} s |")
print(f"| chain after reading | {sum(v for k_, v in times.items() if not k_.startswith('read')):.2f} s |")
low, high = 2.46, 2.53  # first peaks of the simulator's solid-like and liquid-like types (docs/simulator.md)
print(f"mean G(r) first peak {peak:.3f} A; the types' true first peaks {low} and {high} A: "
      f"{'between them' if low < peak < high else 'NOT between them'}")
