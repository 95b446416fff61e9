#include "vtkSTEMPDFAutocorrelation.h"

#include "stempdfAutocorrelationImageFilter.h"
#include "stempdfPieces.h"

#include "vtkCommand.h"
#include "vtkDataArray.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFAutocorrelation);

vtkSTEMPDFAutocorrelation::vtkSTEMPDFAutocorrelation()
{
  this->SetNumberOfOutputPorts(3);
  // A change of the selection re-executes the filter.
  this->SelectionObserver = this->MapSelection->AddObserver(
    vtkCommand::ModifiedEvent, this, &vtkSTEMPDFAutocorrelation::Modified);
}

vtkSTEMPDFAutocorrelation::~vtkSTEMPDFAutocorrelation()
{
  this->MapSelection->RemoveObserver(this->SelectionObserver);
}

int vtkSTEMPDFAutocorrelation::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

namespace
{
/** Half widths of the grid of shifts of a map with this whole extent. */
void HalfWidths(const int whole[6], unsigned int& hx, unsigned int& hy)
{
  hx = stempdf::AutocorrelationHalfWidth(static_cast<unsigned int>(std::max(0, whole[1] - whole[0] + 1)));
  hy = stempdf::AutocorrelationHalfWidth(static_cast<unsigned int>(std::max(0, whole[3] - whole[2] + 1)));
}

/** The maps the selection names, or by default every one-component numeric
 *  point array except "Residual" and VTK's own. */
std::vector<std::string> SelectedMaps(vtkDataArraySelection* selection, vtkPointData* pointData, std::string& error)
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
        std::string(array->GetName()) != "Residual" && std::string(array->GetName()).rfind("vtk", 0) != 0)
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
      error = "Maps: the point array '" + name + "' has " + std::to_string(array->GetNumberOfComponents()) +
        " components; expected a map (1 component)";
      return {};
    }
  }
  return names;
}

} // namespace

int vtkSTEMPDFAutocorrelation::RequestInformation(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  // Port 0: the grid of shifts, centred on the zero shift at (0, 0, 0).
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  int whole[6] = { 0, -1, 0, -1, 0, -1 };
  inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  double spacing[3] = { 1.0, 1.0, 1.0 };
  if (inInfo->Has(vtkDataObject::SPACING()))
  {
    inInfo->Get(vtkDataObject::SPACING(), spacing);
  }
  unsigned int hx = 0, hy = 0;
  HalfWidths(whole, hx, hy);
  const int shifts[6] = { 0, 2 * static_cast<int>(hx), 0, 2 * static_cast<int>(hy), 0, 0 };
  const double origin[3] = { -static_cast<double>(hx) * spacing[0], -static_cast<double>(hy) * spacing[1], 0.0 };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), shifts, 6);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  outInfo->Set(CAN_PRODUCE_SUB_EXTENT(), 1);
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, VTK_DOUBLE, 1);
  // The tables have no extent: every rank takes part in them.
  for (int port = 1; port < 3; ++port)
  {
    vtkInformation* tableInfo = outputVector->GetInformationObject(port);
    tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
    tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
  }
  return 1;
}

int vtkSTEMPDFAutocorrelation::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector*)
{
  // The output's grid is not the input's: ask the input for the whole scan
  // with this rank's piece number (copied by the executive), so that the
  // first producer upstream that splits extents (CAN_PRODUCE_SUB_EXTENT,
  // e.g. the readers) gives this rank its piece; the pieces are gathered in
  // RequestData.
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  int whole[6];
  inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  inInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), whole, 6);
  return 1;
}

int vtkSTEMPDFAutocorrelation::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkInformation* inInfo = inputVector[0]->GetInformationObject(0);
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* output = vtkImageData::GetData(outputVector, 0);
  vtkTable* profileTable = vtkTable::GetData(outputVector, 1);
  vtkTable* lengthTable = vtkTable::GetData(outputVector, 2);
  namespace ranks = stempdf::pieces::ranks;
  const bool rankZero = ranks::HoldsTables();

  int whole[6];
  inInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
  const int nx = whole[1] - whole[0] + 1, ny = whole[3] - whole[2] + 1;
  const int* extent = input->GetExtent();
  const bool hasPoints = extent[1] >= extent[0] && extent[3] >= extent[2] && extent[5] >= extent[4];

  // Which maps; the same list on every rank (rank 0's).
  std::string error;
  std::vector<std::string> names;
  if (whole[5] != whole[4])
  {
    error = "the input has " + std::to_string(whole[5] - whole[4] + 1) +
      " slices along z; a map over the scan grid has one";
  }
  else if (rankZero)
  {
    names = SelectedMaps(this->MapSelection, input->GetPointData(), error);
  }
  if (!error.empty())
  {
    vtkErrorMacro(<< "Autocorrelation: " << error);
  }
  if (!ranks::AllSucceeded(error.empty()))
  {
    return 0;
  }
  ranks::Broadcast(names); // a rank whose piece is empty may have no arrays
  const std::size_t positions = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  const std::size_t k = names.size();

  // Gather: every rank adds the positions it owns and counts them.
  for (std::size_t j = 0; j < k && hasPoints && error.empty(); ++j)
  {
    vtkDataArray* array = input->GetPointData()->GetArray(names[j].c_str());
    if (array == nullptr || array->GetNumberOfComponents() != 1)
    {
      error = "Maps: the point array '" + names[j] + "' is missing from this piece or is not a map";
    }
  }
  if (!error.empty())
  {
    vtkErrorMacro(<< "Autocorrelation: " << error);
  }
  if (!ranks::AllSucceeded(error.empty()))
  {
    return 0;
  }
  const int width = extent[1] - extent[0] + 1;
  const auto owned = stempdf::pieces::OwnedExtent(extent, whole);
  const std::vector<double> global = stempdf::pieces::ReduceOverScan(owned, (k + 1) * positions,
    stempdf::pieces::Merge::Sum, [&](const stempdf::pieces::RowBlock& block, double* gathered) {
      for (int y = block.FirstRow; y <= block.LastRow; ++y)
      {
        for (int x = owned.Extent[0]; x <= owned.Extent[1]; ++x)
        {
          const vtkIdType point = static_cast<vtkIdType>(y - extent[2]) * width + (x - extent[0]);
          const std::size_t position = static_cast<std::size_t>(y - whole[2]) * nx + (x - whole[0]);
          for (std::size_t j = 0; j < k; ++j)
          {
            gathered[j * positions + position] +=
              input->GetPointData()->GetArray(names[j].c_str())->GetComponent(point, 0);
          }
          gathered[k * positions + position] += 1.0;
        }
      }
    });
  for (std::size_t i = 0; i < positions; ++i)
  {
    if (!(global[k * positions + i] > 0.0))
    {
      vtkErrorMacro(<< "Autocorrelation: position (" << i % nx << ", " << i / nx
                    << ") of the scan is in no piece of the input");
      return 0;
    }
  }

  // The autocorrelation of each map (the same on every rank).
  double spacing[3];
  input->GetSpacing(spacing);
  unsigned int hx = 0, hy = 0;
  HalfWidths(whole, hx, hy);
  using Filter = stempdf::AutocorrelationImageFilter<>;
  std::vector<std::vector<double>> images(k);
  std::vector<stempdf::RadialAutocorrelation> profiles(k);
  std::vector<std::array<double, 3>> lengths(k);
  for (std::size_t j = 0; j < k; ++j)
  {
    try
    {
      auto map = stempdf::MapImage::New();
      map->SetRegions(stempdf::MapImage::SizeType{ { static_cast<itk::SizeValueType>(nx),
        static_cast<itk::SizeValueType>(ny) } });
      const double mapSpacing[2] = { spacing[0], spacing[1] };
      map->SetSpacing(mapSpacing);
      map->Allocate();
      double* values = map->GetBufferPointer();
      for (std::size_t i = 0; i < positions; ++i)
      {
        values[i] = global[j * positions + i] / global[k * positions + i];
      }
      map->SetObjectName(names[j]);
      auto filter = Filter::New();
      filter->SetInput(map);
      filter->SetBinWidth(this->BinWidth);
      filter->Update();
      const double* correlation = filter->GetOutput()->GetBufferPointer();
      images[j].assign(correlation, correlation + static_cast<std::size_t>(2 * hx + 1) * (2 * hy + 1));
      profiles[j] = filter->GetRadialProfile();
      lengths[j] = { { filter->GetFullWidthHalfMaximum(), filter->GetOneOverELength(),
        filter->GetExponentialFitLength() } };
    }
    catch (const itk::ExceptionObject& e)
    {
      vtkErrorMacro(<< "Autocorrelation: " << e.GetDescription()); // names the map
      return 0;
    }
    this->UpdateProgress(static_cast<double>(j + 1) / static_cast<double>(k));
  }

  // Port 0: the piece of the grid of shifts asked of this rank.
  int piece[6] = { 0, 2 * static_cast<int>(hx), 0, 2 * static_cast<int>(hy), 0, 0 };
  if (outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT()))
  {
    outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), piece);
  }
  output->SetExtent(piece);
  output->SetSpacing(spacing[0], spacing[1], spacing[2]);
  output->SetOrigin(-static_cast<double>(hx) * spacing[0], -static_cast<double>(hy) * spacing[1], 0.0);
  const int shiftsWidth = 2 * static_cast<int>(hx) + 1;
  for (std::size_t j = 0; j < k; ++j)
  {
    vtkNew<vtkDoubleArray> array;
    array->SetName(names[j].c_str());
    array->SetNumberOfTuples(output->GetNumberOfPoints());
    vtkIdType point = 0;
    for (int y = piece[2]; y <= piece[3]; ++y)
    {
      for (int x = piece[0]; x <= piece[1]; ++x)
      {
        array->SetValue(point++, images[j][static_cast<std::size_t>(y) * shiftsWidth + x]);
      }
    }
    output->GetPointData()->AddArray(array);
  }
  if (k > 0)
  {
    output->GetPointData()->SetActiveScalars(names[0].c_str());
  }

  // The tables: rank 0 alone, so that gathering the pieces does not repeat them.
  if (!rankZero)
  {
    return 1;
  }
  vtkNew<vtkDoubleArray> distance;
  distance->SetName("Distance (nm)");
  for (double d : profiles[0].Distance)
  {
    distance->InsertNextValue(d);
  }
  profileTable->AddColumn(distance);
  for (std::size_t j = 0; j < k; ++j)
  {
    vtkNew<vtkDoubleArray> column;
    column->SetName(names[j].c_str());
    for (double c : profiles[j].Correlation)
    {
      column->InsertNextValue(c);
    }
    profileTable->AddColumn(column);
  }

  vtkNew<vtkStringArray> mapColumn;
  mapColumn->SetName("Map");
  const char* lengthNames[3] = { "FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)" };
  vtkNew<vtkDoubleArray> lengthColumns[4];
  for (int c = 0; c < 3; ++c)
  {
    lengthColumns[c]->SetName(lengthNames[c]);
  }
  lengthColumns[3]->SetName("CorrelationLength (nm)");
  for (std::size_t j = 0; j < k; ++j)
  {
    mapColumn->InsertNextValue(names[j]);
    for (int c = 0; c < 3; ++c)
    {
      lengthColumns[c]->InsertNextValue(lengths[j][c]);
    }
    lengthColumns[3]->InsertNextValue(lengths[j][this->LengthDefinition]);
  }
  lengthTable->AddColumn(mapColumn);
  for (auto& column : lengthColumns)
  {
    lengthTable->AddColumn(column);
  }
  return 1;
}

void vtkSTEMPDFAutocorrelation::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "BinWidth: " << this->BinWidth << ", LengthDefinition: " << this->LengthDefinition
     << ", Maps enabled: " << this->MapSelection->GetNumberOfArraysEnabled() << " of "
     << this->MapSelection->GetNumberOfArrays() << "\n";
}
