#include "vtkSTEMPDFAutocorrelation.h"

#include "stempdfAutocorrelationImageFilter.h"
#include "stempdfMapGather.h"
#include "stempdfPieces.h"
#include "stempdfTables.h"

#include "vtkCommand.h"
#include "vtkDataArraySelection.h"
#include "vtkDoubleArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFAutocorrelation);

vtkSTEMPDFAutocorrelation::vtkSTEMPDFAutocorrelation()
  : vtkSTEMPDFFieldAlgorithm(2)
{
  // A change of the selection re-executes the filter.
  this->SelectionObserver = this->MapSelection->AddObserver(
    vtkCommand::ModifiedEvent, this, &vtkSTEMPDFAutocorrelation::Modified);
}

vtkSTEMPDFAutocorrelation::~vtkSTEMPDFAutocorrelation()
{
  this->MapSelection->RemoveObserver(this->SelectionObserver);
}

namespace
{
/** Half widths of the grid of shifts of a map with this whole extent. */
void HalfWidths(const int whole[6], unsigned int& hx, unsigned int& hy)
{
  hx = stempdf::AutocorrelationHalfWidth(
    static_cast<unsigned int>(std::max(0, whole[1] - whole[0] + 1)));
  hy = stempdf::AutocorrelationHalfWidth(
    static_cast<unsigned int>(std::max(0, whole[3] - whole[2] + 1)));
}

} // namespace

int vtkSTEMPDFAutocorrelation::RequestInformation(
  vtkInformation* request, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  this->Superclass::RequestInformation(request, inputVector, outputVector); // the tables
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
  const double origin[3] = { -static_cast<double>(hx) * spacing[0],
    -static_cast<double>(hy) * spacing[1], 0.0 };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), shifts, 6);
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  outInfo->Set(CAN_PRODUCE_SUB_EXTENT(), 1);
  vtkDataObject::SetPointDataActiveScalarInfo(outInfo, VTK_DOUBLE, 1);
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
    names = stempdf::bridge::SelectMaps(this->MapSelection, input->GetPointData(), error);
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
  const std::size_t k = names.size();

  std::vector<stempdf::MapImage::Pointer> maps;
  if (!stempdf::bridge::GatherMaps(input, whole, names, maps, error))
  {
    if (!error.empty()) // else the failure is another rank's, which says why
    {
      vtkErrorMacro(<< "Autocorrelation: " << error);
    }
    return 0;
  }

  // The autocorrelation of each map (the same on every rank).
  double spacing[3];
  input->GetSpacing(spacing);
  unsigned int hx = 0, hy = 0;
  HalfWidths(whole, hx, hy);
  using Filter = stempdf::AutocorrelationImageFilter<>;
  std::vector<stempdf::MapImage::Pointer> images(k);
  std::vector<stempdf::RadialAutocorrelation> profiles(k);
  std::vector<std::array<double, 3>> lengths(k);
  for (std::size_t j = 0; j < k; ++j)
  {
    try
    {
      auto filter = Filter::New();
      filter->SetInput(maps[j]);
      filter->SetBinWidth(this->BinWidth);
      filter->Update();
      images[j] = filter->GetOutput();
      images[j]->DisconnectPipeline();
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
  output->SetOrigin(
    -static_cast<double>(hx) * spacing[0], -static_cast<double>(hy) * spacing[1], 0.0);
  for (std::size_t j = 0; j < k; ++j)
  {
    stempdf::bridge::ExportMapPiece(images[j], names[j], output);
  }
  if (k > 0)
  {
    output->GetPointData()->SetActiveScalars(names[0].c_str());
  }

  if (rankZero) // one rank holds the tables
  {
    stempdf::bridge::WriteAutocorrelationTables(
      names, profiles, lengths, this->LengthDefinition, profileTable, lengthTable);
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
