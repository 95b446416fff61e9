#include "stempdfBridge.h"

#include "stempdfMetaDataKeys.h"

#include "itkCommand.h"
#include "itkMetaDataObject.h"

#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkInformation.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkStringArray.h"

namespace stempdf
{
namespace bridge
{
namespace
{
void
AddStringArray(vtkFieldData * fieldData, const char * name, const std::string & value)
{
  vtkNew<vtkStringArray> array;
  array->SetName(name);
  array->InsertNextValue(value);
  fieldData->AddArray(array);
}

template <typename TArray, typename TValue>
void
AddPairArray(vtkFieldData * fieldData, const char * name, const std::array<TValue, 2> & value)
{
  vtkNew<TArray> array;
  array->SetName(name);
  array->SetNumberOfTuples(2);
  array->SetValue(0, value[0]);
  array->SetValue(1, value[1]);
  fieldData->AddArray(array);
}

template <typename TValue>
bool
ReadPair(vtkFieldData * fieldData, const char * name, std::array<TValue, 2> & value)
{
  vtkDataArray * array = fieldData->GetArray(name);
  if (array == nullptr || array->GetNumberOfValues() != 2)
  {
    return false;
  }
  value[0] = static_cast<TValue>(array->GetComponent(0, 0));
  value[1] = static_cast<TValue>(array->GetComponent(1, 0));
  return true;
}

std::string
ReadString(vtkFieldData * fieldData, const char * name)
{
  auto * array = vtkStringArray::SafeDownCast(fieldData->GetAbstractArray(name));
  return (array != nullptr && array->GetNumberOfValues() > 0) ? array->GetValue(0) : std::string();
}
} // namespace

void
WriteVectorAxis(const VectorAxis & axis, vtkFieldData * fieldData)
{
  RemoveVectorAxis(fieldData);
  AddStringArray(fieldData, AxisQuantityName, axis.Quantity);
  AddStringArray(fieldData, AxisUnitName, axis.Unit);
  AddPairArray<vtkIntArray>(fieldData, AxisSizeName, axis.Size);
  AddPairArray<vtkDoubleArray>(fieldData, AxisOriginName, axis.Origin);
  AddPairArray<vtkDoubleArray>(fieldData, AxisSpacingName, axis.Spacing);
}

bool
ReadVectorAxis(vtkFieldData * fieldData, VectorAxis & axis)
{
  if (fieldData == nullptr)
  {
    return false;
  }
  VectorAxis result;
  result.Quantity = ReadString(fieldData, AxisQuantityName);
  result.Unit = ReadString(fieldData, AxisUnitName);
  if (result.Quantity.empty() || !ReadPair(fieldData, AxisSizeName, result.Size))
  {
    return false;
  }
  ReadPair(fieldData, AxisOriginName, result.Origin);
  ReadPair(fieldData, AxisSpacingName, result.Spacing);
  axis = result;
  return true;
}

void
RemoveVectorAxis(vtkFieldData * fieldData)
{
  for (const char * name : { AxisQuantityName, AxisUnitName, AxisSizeName, AxisOriginName, AxisSpacingName })
  {
    fieldData->RemoveArray(name);
  }
}

void
ReadCalibration(vtkFieldData * fieldData, itk::MetaDataDictionary & dictionary)
{
  const std::pair<const char *, const char *> names[] = { { "STEMPDF_ScanStep", ScanStepKey },
                                                          { "STEMPDF_DetectorPixelSize", DetectorPixelSizeKey },
                                                          { "STEMPDF_BeamEnergy", BeamEnergyKey } };
  for (const auto & name : names)
  {
    vtkDataArray * array = fieldData ? fieldData->GetArray(name.first) : nullptr;
    if (array != nullptr && array->GetNumberOfTuples() > 0)
    {
      itk::EncapsulateMetaData<double>(dictionary, name.second, array->GetComponent(0, 0));
    }
  }
}

vtkDataArray *
ResolvePatterns(vtkAlgorithm * algorithm, vtkDataArray * chosen, vtkImageData * input, std::string & error)
{
  if (chosen != nullptr)
  {
    return chosen;
  }
  const char * name = algorithm->GetInputArrayInformation(0)->Get(vtkDataObject::FIELD_NAME());
  if (name != nullptr && *name != '\0')
  {
    error = std::string("Patterns: the input has no point-data array named '") + name + "'";
    return nullptr;
  }
  vtkDataArray * scalars = input ? input->GetPointData()->GetScalars() : nullptr;
  if (scalars == nullptr)
  {
    error = "no array of diffraction patterns: choose a point-data array with the Patterns property "
            "(SetInputArrayToProcess)";
  }
  return scalars;
}

void
Fail(const std::string & message)
{
  throw itk::ExceptionObject(__FILE__, __LINE__, message, "stempdf::bridge");
}

void
CheckScanGrid(vtkImageData * image)
{
  const int * extent = image->GetExtent();
  if (extent[4] != extent[5])
  {
    Fail("the input image has " + std::to_string(extent[5] - extent[4] + 1) +
         " slices along z; a field over the scan grid has exactly one (extent z0 = z1)");
  }
  if (extent[1] < extent[0] || extent[3] < extent[2])
  {
    Fail("the input image is empty");
  }
}

void
ForwardProgress(itk::ProcessObject * filter, vtkAlgorithm * algorithm)
{
  itk::ProcessObject * observed = filter; // not owned: the observer dies with the filter
  filter->AddObserver(itk::ProgressEvent(), [observed, algorithm](const itk::EventObject &) {
    algorithm->UpdateProgress(observed->GetProgress());
  });
}
void
ExportComponentMaps(const double *                   values,
                    vtkIdType                        positions,
                    const std::string &              prefix,
                    const std::vector<std::string> & names,
                    vtkImageData *                   output)
{
  const size_t k = names.size();
  for (size_t i = 0; i < k; ++i)
  {
    vtkNew<vtkDoubleArray> map;
    map->SetName((prefix + " " + names[i]).c_str());
    map->SetNumberOfTuples(positions);
    for (vtkIdType p = 0; p < positions; ++p)
    {
      map->SetValue(p, values[static_cast<size_t>(p) * k + i]);
    }
    output->GetPointData()->AddArray(map);
  }
}
} // namespace bridge
} // namespace stempdf
