#ifndef stempdfBridge_h
#define stempdfBridge_h

// The ITK <-> VTK bridge of STEMPDF (docs/data-model.md).
//
// A field over the scan grid is, on the VTK side, a vtkImageData of
// Nx x Ny x 1 points (spacing = scan step in nm) with one point-data array of
// n components per position, plus the VectorAxis of those components as field
// data; on the ITK side an itk::VectorImage<T, 2> (or itk::Image<T, 2> for one
// component) with the VectorAxis in its MetaDataDictionary. The bridge hands
// pixel buffers across without copying:
//   - ImportField views a VTK array as an ITK image (ITK does not own it);
//   - ExportField moves an ITK output buffer into a VTK array (VTK owns it).
// The image's extent becomes the ITK region's index and size, so a piece of a
// scan keeps its place in the whole.

#include "stempdfPieces.h"
#include "stempdfVectorAxis.h"

#include "itkMacro.h"
#include "itkImage.h"
#include "itkProcessObject.h"
#include "itkVectorImage.h"

#include "vtkAOSDataArrayTemplate.h"
#include "vtkAlgorithm.h"
#include "vtkDataArray.h"
#include "vtkImageData.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkTypeTraits.h"

#include <string>
#include <vector>

class vtkFieldData;

namespace stempdf
{
namespace bridge
{
/** Names of the field-data arrays that carry a VectorAxis in VTK. */
constexpr const char * AxisQuantityName = "STEMPDF_AxisQuantity";
constexpr const char * AxisUnitName = "STEMPDF_AxisUnit";
constexpr const char * AxisSizeName = "STEMPDF_AxisSize";
constexpr const char * AxisOriginName = "STEMPDF_AxisOrigin";
constexpr const char * AxisSpacingName = "STEMPDF_AxisSpacing";

/** Write the axis as field data (replacing an earlier one). */
void
WriteVectorAxis(const VectorAxis & axis, vtkFieldData * fieldData);

/** Read the axis from field data; false when it holds none or a malformed one. */
bool
ReadVectorAxis(vtkFieldData * fieldData, VectorAxis & axis);

/** Remove the axis arrays from field data (for outputs that are scalar maps). */
void
RemoveVectorAxis(vtkFieldData * fieldData);

/** Copy the calibration field data the readers write (STEMPDF_ScanStep,
 *  STEMPDF_DetectorPixelSize, STEMPDF_BeamEnergy) into the dictionary under
 *  the stempdf::*Key names (filters/Core/stempdfMetaDataKeys.h). */
void
ReadCalibration(vtkFieldData * fieldData, itk::MetaDataDictionary & dictionary);

/** Throws itk::ExceptionObject with a message naming what is wrong. */
[[noreturn]] void
Fail(const std::string & message);

/** Check that image holds a field over a 2-D scan grid: extent [x0 x1 y0 y1 0 0]. */
void
CheckScanGrid(vtkImageData * image);

/** The ITK region of the scan points of `extent` (an owned extent of
 *  stempdfPieces.h), in the image TImage of a field over the scan. */
template <typename TImage>
typename TImage::RegionType
ScanRegion(const pieces::ScanExtent & extent)
{
  typename TImage::RegionType region;
  region.SetIndex({ { extent.Extent[0], extent.Extent[2] } });
  region.SetSize({ { static_cast<itk::SizeValueType>(extent.Width()), static_cast<itk::SizeValueType>(extent.Height()) } });
  return region;
}

/** View array (point data of image, AOS layout, value type T) as an ITK image
 *  over the scan grid without copying. TImage is itk::VectorImage<T, 2> or
 *  itk::Image<T, 2>. The VTK array must outlive the returned image. */
template <typename TImage>
typename TImage::Pointer
ImportField(vtkImageData * image, vtkDataArray * array)
{
  using ValueType = typename TImage::InternalPixelType;
  CheckScanGrid(image);
  auto * values = vtkAOSDataArrayTemplate<ValueType>::FastDownCast(array);
  if (values == nullptr)
  {
    Fail(std::string("array '") + (array->GetName() ? array->GetName() : "") + "' is a " + array->GetClassName() +
         "; expected a contiguous array of " + vtkTypeTraits<ValueType>::SizedName());
  }
  const int *             extent = image->GetExtent();
  typename TImage::IndexType start = { { extent[0], extent[2] } };
  typename TImage::SizeType  size = { { static_cast<itk::SizeValueType>(extent[1] - extent[0] + 1),
                                        static_cast<itk::SizeValueType>(extent[3] - extent[2] + 1) } };
  if (static_cast<vtkIdType>(size[0] * size[1]) != array->GetNumberOfTuples())
  {
    Fail(std::string("array '") + array->GetName() + "' has " + std::to_string(array->GetNumberOfTuples()) +
         " tuples but the scan grid has " + std::to_string(size[0] * size[1]) + " positions");
  }

  auto result = TImage::New();
  result->SetRegions(typename TImage::RegionType(start, size));
  const double spacing[2] = { image->GetSpacing()[0], image->GetSpacing()[1] };
  const double origin[2] = { image->GetOrigin()[0], image->GetOrigin()[1] };
  result->SetSpacing(spacing);
  result->SetOrigin(origin);
  result->SetNumberOfComponentsPerPixel(array->GetNumberOfComponents());
  const auto count = static_cast<itk::SizeValueType>(array->GetNumberOfValues());
  result->GetPixelContainer()->SetImportPointer(values->GetPointer(0), count, /*LetContainerManageMemory=*/false);

  VectorAxis axis;
  if (ReadVectorAxis(image->GetFieldData(), axis))
  {
    SetVectorAxis(result->GetMetaDataDictionary(), axis);
  }
  ReadCalibration(image->GetFieldData(), result->GetMetaDataDictionary());
  return result;
}

/** Put an ITK result into output as point-data array `name` (made the active
 *  scalars when `makeActive`), with the ITK image's scan geometry, and its
 *  VectorAxis as field data when it has one. The ITK buffer moves to VTK
 *  without a copy when ITK owns it; otherwise it is copied. */
template <typename TImage>
vtkDataArray *
ExportField(TImage * field, const char * name, vtkImageData * output, bool makeActive = true)
{
  using ValueType = typename TImage::InternalPixelType;
  const auto & region = field->GetBufferedRegion();
  const int    extent[6] = { static_cast<int>(region.GetIndex(0)),
                          static_cast<int>(region.GetIndex(0) + region.GetSize(0)) - 1,
                          static_cast<int>(region.GetIndex(1)),
                          static_cast<int>(region.GetIndex(1) + region.GetSize(1)) - 1,
                          0,
                          0 };
  output->SetExtent(const_cast<int *>(extent));
  output->SetSpacing(field->GetSpacing()[0], field->GetSpacing()[1], 1.0);
  output->SetOrigin(field->GetOrigin()[0], field->GetOrigin()[1], 0.0);

  auto  array = vtkSmartPointer<vtkDataArray>::Take(vtkDataArray::CreateDataArray(vtkTypeTraits<ValueType>::VTK_TYPE_ID));
  auto * values = vtkAOSDataArrayTemplate<ValueType>::FastDownCast(array);
  array->SetName(name);
  array->SetNumberOfComponents(static_cast<int>(field->GetNumberOfComponentsPerPixel()));
  auto *     container = field->GetPixelContainer();
  const auto count = static_cast<vtkIdType>(container->Size());
  if (container->GetContainerManageMemory())
  {
    // ITK allocated the buffer with new[]: VTK takes it over and delete[]s it.
    container->SetContainerManageMemory(false);
    values->SetArray(container->GetBufferPointer(), count, /*save=*/0, vtkAbstractArray::VTK_DATA_ARRAY_DELETE);
  }
  else
  {
    values->SetNumberOfValues(count);
    std::copy(container->GetBufferPointer(), container->GetBufferPointer() + count, values->GetPointer(0));
  }

  if (makeActive)
  {
    output->GetPointData()->SetScalars(array);
  }
  else
  {
    output->GetPointData()->AddArray(array);
  }
  VectorAxis axis;
  if (GetVectorAxis(field->GetMetaDataDictionary(), axis))
  {
    WriteVectorAxis(axis, output->GetFieldData());
  }
  return array;
}

/** One scalar map per component of a field of k-component vectors
 *  (`values`, k per position): point arrays "<prefix> <names[i]>". */
void
ExportComponentMaps(const double *                   values,
                    vtkIdType                        positions,
                    const std::string &              prefix,
                    const std::vector<std::string> & names,
                    vtkImageData *                   output);

/** The array of diffraction patterns a filter works on: `chosen` (what
 *  GetInputArrayToProcess(0, ...) returned) or, when no array was named
 *  (a script made the filter before its input had run, so the Patterns
 *  domain was empty), the input's active point scalars. nullptr, with the
 *  reason in `error`, when the named array does not exist or there is none. */
vtkDataArray *
ResolvePatterns(vtkAlgorithm * algorithm, vtkDataArray * chosen, vtkImageData * input, std::string & error);

/** Calls compute(T{}) with T the value type of a pattern array (uint8,
 *  uint16, uint32, int16, int32, float, double: the detector types every
 *  filter is instantiated for) and returns its result; for any other type
 *  returns false and puts the reason in `error`. */
template <typename TCompute>
bool
DispatchCountType(vtkDataArray * array, TCompute && compute, std::string & error)
{
  switch (array->GetDataType())
  {
    case VTK_UNSIGNED_CHAR:
      return compute(static_cast<unsigned char>(0));
    case VTK_UNSIGNED_SHORT:
      return compute(static_cast<unsigned short>(0));
    case VTK_UNSIGNED_INT:
      return compute(static_cast<unsigned int>(0));
    case VTK_SHORT:
      return compute(static_cast<short>(0));
    case VTK_INT:
      return compute(0);
    case VTK_FLOAT:
      return compute(0.0f);
    case VTK_DOUBLE:
      return compute(0.0);
    default:
      error = std::string("array '") + (array->GetName() ? array->GetName() : "") + "' holds " +
              array->GetDataTypeAsString() +
              " values; expected detector counts as uint8, uint16, uint32, int16, int32, float or double";
      return false;
  }
}

/** Report the progress of an ITK filter as the progress of a VTK algorithm. */
void
ForwardProgress(itk::ProcessObject * filter, vtkAlgorithm * algorithm);
} // namespace bridge
} // namespace stempdf

#endif
