"""How long ParaView's data-information gathering (vtkPVDataInformation, what
every Apply of a source pays) takes on 2 GiB of raw uint16 counts held in
memory, for three ways of laying them out (docs/gui-responsiveness.md):

  wide       Nx x Ny x 1 image, one point-data array of Kx*Ky components
             (the STEMPDF data model)
  stack      Kx x Ky x (Nx*Ny) image, one point-data array of 1 component
  prefilled  as `wide`, with the array's range cache filled beforehand
             (what a STEMPDF reader could do while reading)

Run:  pvpython bench/gui/data_information_layouts.py [wide] [stack] [prefilled]
Needs about 8 GiB of memory (prefilled's NumPy ranges make temporaries).
"""
import sys
import time

import numpy as np
from paraview.modules.vtkRemotingCore import vtkPVDataInformation
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkDataArray, vtkInformationVector
from vtkmodules.vtkCommonDataModel import vtkImageData

NX = NY = 128
K = 256


def gather(image, label):
    t0 = time.perf_counter()
    info = vtkPVDataInformation()
    info.CopyFromObject(image)
    print(f"{label}: vtkPVDataInformation {time.perf_counter() - t0:.2f} s", flush=True)


def scan_image(array):
    image = vtkImageData()
    image.SetDimensions(NX, NY, 1)
    image.GetPointData().SetScalars(array)
    return image


def fill_range_cache(array, data):
    """Store per-component and magnitude ranges in the array's information, so
    vtkDataArray::GetRange/GetFiniteRange return them without a pass over the data."""
    lo = data.min(axis=0).astype(float)
    hi = data.max(axis=0).astype(float)
    norm = np.sqrt(np.einsum("ij,ij->i", data, data, dtype=np.float64))
    info = array.GetInformation()
    for key in (vtkDataArray.PER_COMPONENT(), vtkDataArray.PER_FINITE_COMPONENT()):
        per_component = vtkInformationVector()
        per_component.SetNumberOfInformationObjects(array.GetNumberOfComponents())
        for c in range(array.GetNumberOfComponents()):
            per_component.GetInformationObject(c).Set(vtkDataArray.COMPONENT_RANGE(), (lo[c], hi[c]), 2)
        info.Set(key, per_component)
    for key in (vtkDataArray.L2_NORM_RANGE(), vtkDataArray.L2_NORM_FINITE_RANGE()):
        info.Set(key, (float(norm.min()), float(norm.max())), 2)


def main(which):
    rng = np.random.default_rng(1)
    table = rng.poisson(5.0, size=(256, K * K)).astype(np.uint16)
    data = table[rng.integers(0, 256, NX * NY)]          # [Nx*Ny, K*K], 2 GiB
    if "wide" in which:
        array = numpy_to_vtk(data, deep=0)
        array.SetName("Counts")
        gather(scan_image(array), f"wide: {NX} x {NY} x 1 image, {K * K} components")
    if "stack" in which:
        array = numpy_to_vtk(data.reshape(-1), deep=0)
        array.SetName("Counts")
        image = vtkImageData()
        image.SetDimensions(K, K, NX * NY)
        image.GetPointData().SetScalars(array)
        gather(image, f"stack: {K} x {K} x {NX * NY} image, 1 component")
    if "prefilled" in which:
        array = numpy_to_vtk(data, deep=0)
        array.SetName("Counts")
        t0 = time.perf_counter()
        fill_range_cache(array, data)
        print(f"prefilled: filling the range cache from NumPy/Python took "
              f"{time.perf_counter() - t0:.2f} s", flush=True)
        gather(scan_image(array), f"prefilled: {NX} x {NY} x 1 image, {K * K} components, "
                                  "range cache filled")


if __name__ == "__main__":
    main(set(sys.argv[1:]) or {"wide", "stack", "prefilled"})
