"""The STEMPDF data model on the Python side (docs/data-model.md): a field of
diffraction patterns over the scan grid as a vtkImageData."""
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkDoubleArray, vtkIntArray, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkImageData


def pattern_field(counts, nx, ny, kx, ky, step_nm, name="Counts", deep=True):
    """A vtkImageData of nx x ny scan positions holding `counts` (any array
    of nx * ny * kx * ky values in the order [scan y, scan x, det y, det x])
    as one point array of kx * ky components, with the detector VectorAxis as
    field data. With deep=False the array shares `counts`, which must then
    stay alive."""
    image = vtkImageData()
    image.SetDimensions(nx, ny, 1)
    image.SetSpacing(step_nm, step_nm, 1.0)
    image.SetOrigin(0.0, 0.0, 0.0)
    array = numpy_to_vtk(counts.reshape(nx * ny, kx * ky), deep=deep)
    array.SetName(name)
    image.GetPointData().SetScalars(array)
    write_detector_axis(image.GetFieldData(), kx, ky)
    return image


def write_detector_axis(field, kx, ky):
    """The STEMPDF_Axis* field-data arrays of a kx x ky detector."""
    for name, value in (("STEMPDF_AxisQuantity", "detector"), ("STEMPDF_AxisUnit", "px")):
        array = vtkStringArray()
        array.SetName(name)
        array.InsertNextValue(value)
        field.AddArray(array)
    for cls, name, values in ((vtkIntArray, "STEMPDF_AxisSize", (kx, ky)),
                              (vtkDoubleArray, "STEMPDF_AxisOrigin", (0.0, 0.0)),
                              (vtkDoubleArray, "STEMPDF_AxisSpacing", (1.0, 1.0))):
        array = cls()
        array.SetName(name)
        for value in values:
            array.InsertNextValue(value)
        field.AddArray(array)
