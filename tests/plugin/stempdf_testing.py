"""Helpers shared by the pvpython tests of the STEMPDF plugin.

ctest sets STEMPDF_PLUGIN (the built plugin) and STEMPDF_TESTING_DATA (the
testing-data folder) in the environment of every test.
"""
import os
import sys

import numpy as np
from paraview import servermanager
from vtkmodules.numpy_interface import dataset_adapter as dsa

from stempdf import plugin

TESTING_DATA = os.environ["STEMPDF_TESTING_DATA"]
SAMPLE = os.path.join(TESTING_DATA, "virtual_detector_sample.vti")


def load_plugin(namespace):
    """Load the plugin ctest points at (STEMPDF_PLUGIN) into `namespace`."""
    plugin.load(namespace)


def point_array(proxy, name):
    """The point-data array `name` of a proxy's output as a NumPy array shaped
    [scan y, scan x, ...] together with the fetched vtkImageData."""
    data = servermanager.Fetch(proxy)
    nx, ny, _ = data.GetDimensions()
    values = np.asarray(dsa.WrapDataObject(data).PointData[name])
    return values.reshape((ny, nx) + values.shape[1:]), data


def sample_counts():
    """The bundled sample's counts read with VTK alone: [scan y, scan x, det y, det x]."""
    image = read_vti(SAMPLE)
    nx, ny, _ = image.GetDimensions()
    kx, ky = (int(v) for v in dsa.WrapDataObject(image).FieldData["STEMPDF_AxisSize"])
    counts = np.asarray(dsa.WrapDataObject(image).PointData["Counts"])
    return counts.reshape(ny, nx, ky, kx)


def virtual_detector_numpy(counts, center, inner, outer):
    """Independent NumPy version of the virtual detector: pixel (kx, ky) counts
    when its centre is at distance inner <= d < outer from `center`."""
    ky, kx = counts.shape[2:]
    y, x = np.mgrid[0:ky, 0:kx]
    d = np.hypot(x - center[0], y - center[1])
    mask = (d >= inner) & (d < outer)
    return counts[:, :, mask].astype(np.float64).sum(axis=2)


def read_vti(path):
    """The vtkImageData of a .vti file, read with VTK alone."""
    from vtkmodules.vtkIOXML import vtkXMLImageDataReader
    reader = vtkXMLImageDataReader()
    reader.SetFileName(path)
    reader.Update()
    return reader.GetOutput()


def write_vti(path, image):
    """Write the vtkImageData `image` to the .vti file `path`."""
    from vtkmodules.vtkIOXML import vtkXMLImageDataWriter
    writer = vtkXMLImageDataWriter()
    writer.SetFileName(path)
    writer.SetInputData(image)
    writer.Write()


def add_point_array(image, name, values):
    """Add NumPy `values` (a deep copy, one row a point) to the point data of
    the vtkImageData `image` as the array `name`."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    array = numpy_to_vtk(values, deep=1)
    array.SetName(name)
    image.GetPointData().AddArray(array)


def double_array(name, values):
    """A one-component vtkDoubleArray `name` holding `values` in order."""
    from vtkmodules.vtkCommonCore import vtkDoubleArray
    array = vtkDoubleArray()
    array.SetName(name)
    for v in values:
        array.InsertNextValue(v)
    return array


def table_columns(proxy, port, dtype=None):
    """The columns of the vtkTable on output `port` of a proxy's VTK object,
    by name: a list of str for a string column, else a NumPy array (of
    `dtype` when given)."""
    table = proxy.GetClientSideObject().GetOutputDataObject(port)
    columns = {}
    for c in range(table.GetNumberOfColumns()):
        column = table.GetColumn(c)
        values = [column.GetValue(i) for i in range(table.GetNumberOfRows())]
        columns[table.GetColumnName(c)] = values if column.IsA("vtkStringArray") else np.array(values, dtype=dtype)
    return columns


class ErrorCatcher:
    """Collects the vtkErrorMacro messages of a proxy's VTK object (builtin session)."""

    def __init__(self, proxy):
        self.messages = []
        self.algorithm = proxy.GetClientSideObject()
        self.tag = self.algorithm.AddObserver("ErrorEvent", self._on_error)

    def _on_error(self, obj, event, message=None):
        self.messages.append(str(message))

    _on_error.CallDataType = "string0"

    def text(self):
        return "\n".join(self.messages)


def subprocess_env(**extra):
    """The environment for a child pvbatch/mpiexec. pvpython is itself an MPI
    singleton: its OMPI_/PMIX_ variables would make the child believe it runs
    inside that job, so they are dropped. OpenMPI refuses root unless told;
    CI runs as root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_", "OPAL_"))}
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", **extra)
    return env


def check(condition, message):
    if not condition:
        print("FAILED:", message, file=sys.stderr)
        sys.exit(1)
    print("ok:", message)
