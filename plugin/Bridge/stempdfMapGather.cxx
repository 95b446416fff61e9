#include "stempdfMapGather.h"

#include "stempdfPieces.h"

#include "vtkDataArray.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPointData.h"

namespace stempdf
{
namespace bridge
{
/** The maps the selection names, or by default every one-component numeric
 *  point array except "Residual" and VTK's own. */
std::vector<std::string> SelectMaps(
  vtkDataArraySelection* selection, vtkPointData* pointData, std::string& error)
{
  std::vector<std::string> names;
  int enabled = 0;
  for (int i = 0; i < selection->GetNumberOfArrays(); ++i)
  {
    if (selection->GetArraySetting(i) != 0)
    {
      ++enabled;
      names.emplace_back(selection->GetArrayName(i));
    }
  }
  if (enabled == 0)
  {
    for (int i = 0; i < pointData->GetNumberOfArrays(); ++i)
    {
      vtkDataArray* array = pointData->GetArray(i);
      if (array != nullptr && array->GetName() != nullptr && array->GetNumberOfComponents() == 1 &&
        std::string(array->GetName()) != "Residual" &&
        std::string(array->GetName()).rfind("vtk", 0) != 0)
      {
        names.emplace_back(array->GetName());
      }
    }
    if (names.empty())
    {
      error = "Maps: the input has no one-component point array (besides \"Residual\") to take the "
              "autocorrelation of; select the maps";
    }
    return names;
  }
  for (const std::string& name : names)
  {
    vtkDataArray* array = pointData->GetArray(name.c_str());
    if (array == nullptr)
    {
      error = "Maps: the input has no numeric point array named '" + name + "'";
      return {};
    }
    if (array->GetNumberOfComponents() != 1)
    {
      error = "Maps: the point array '" + name + "' has " +
        std::to_string(array->GetNumberOfComponents()) +
        " components; expected a map (1 component)";
      return {};
    }
  }
  return names;
}

bool GatherMaps(vtkImageData* piece, const int whole[6], const std::vector<std::string>& names,
  std::vector<MapImage::Pointer>& maps, std::string& error)
{
  const int* extent = piece->GetExtent();
  const auto owned = pieces::OwnedExtent(extent, whole);
  std::vector<vtkDataArray*> arrays;
  for (const std::string& name : names)
  {
    arrays.push_back(piece->GetPointData()->GetArray(name.c_str()));
    if (!owned.IsEmpty() && error.empty() &&
      (arrays.back() == nullptr || arrays.back()->GetNumberOfComponents() != 1))
    {
      error = "Maps: the point array '" + name + "' is missing from this piece or is not a map";
    }
  }
  if (!pieces::ranks::AllSucceeded(error.empty()))
  {
    return false; // with no error here when it is another rank's
  }

  // Every rank adds the positions it owns and counts them.
  const int nx = whole[1] - whole[0] + 1, ny = whole[3] - whole[2] + 1,
            width = extent[1] - extent[0] + 1;
  const std::size_t positions = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  const std::size_t k = names.size();
  const std::vector<double> gathered = pieces::ReduceOverScan(owned, (k + 1) * positions,
    pieces::Merge::Sum,
    [&](const pieces::RowBlock& block, double* sums)
    {
      for (int y = block.FirstRow; y <= block.LastRow; ++y)
      {
        for (int x = owned.Extent[0]; x <= owned.Extent[1]; ++x)
        {
          const vtkIdType point = static_cast<vtkIdType>(y - extent[2]) * width + (x - extent[0]);
          const std::size_t position = static_cast<std::size_t>(y - whole[2]) * nx + (x - whole[0]);
          for (std::size_t j = 0; j < k; ++j)
          {
            sums[j * positions + position] += arrays[j]->GetComponent(point, 0);
          }
          sums[k * positions + position] += 1.0;
        }
      }
    });
  for (std::size_t i = 0; i < positions; ++i)
  {
    if (!(gathered[k * positions + i] > 0.0))
    {
      error = "position (" + std::to_string(i % nx) + ", " + std::to_string(i / nx) +
        ") of the scan is in no piece of the input";
      return false;
    }
  }

  const double spacing[2] = { piece->GetSpacing()[0], piece->GetSpacing()[1] };
  maps.clear();
  for (std::size_t j = 0; j < k; ++j)
  {
    auto map = MapImage::New();
    map->SetRegions(MapImage::SizeType{
      { static_cast<itk::SizeValueType>(nx), static_cast<itk::SizeValueType>(ny) } });
    map->SetSpacing(spacing);
    map->Allocate();
    double* values = map->GetBufferPointer();
    for (std::size_t i = 0; i < positions; ++i)
    {
      values[i] = gathered[j * positions + i] / gathered[k * positions + i];
    }
    map->SetObjectName(names[j]);
    maps.push_back(map);
  }
  return true;
}

void ExportMapPiece(const MapImage* map, const std::string& name, vtkImageData* output)
{
  const int* piece = output->GetExtent();
  const auto width = static_cast<std::size_t>(map->GetBufferedRegion().GetSize(0));
  const double* values = map->GetBufferPointer();
  vtkNew<vtkDoubleArray> array;
  array->SetName(name.c_str());
  array->SetNumberOfTuples(output->GetNumberOfPoints());
  vtkIdType point = 0;
  for (int y = piece[2]; y <= piece[3]; ++y)
  {
    for (int x = piece[0]; x <= piece[1]; ++x)
    {
      array->SetValue(point++, values[static_cast<std::size_t>(y) * width + x]);
    }
  }
  output->GetPointData()->AddArray(array);
}
} // namespace bridge
} // namespace stempdf
