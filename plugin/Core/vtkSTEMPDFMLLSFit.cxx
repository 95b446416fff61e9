#include "vtkSTEMPDFMLLSFit.h"

#include "stempdfBasisTable.h"
#include "stempdfBridge.h"
#include "stempdfMLLSFitImageFilter.h"
#include "stempdfPieces.h"
#include "stempdfTables.h"

#include "vtkDataArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

#include <algorithm>
#include <functional>

vtkStandardNewMacro(vtkSTEMPDFMLLSFit);

vtkSTEMPDFMLLSFit::vtkSTEMPDFMLLSFit()
  : vtkSTEMPDFFieldAlgorithm(1) // the populations
{
  this->SetNumberOfInputPorts(2);
}

int vtkSTEMPDFMLLSFit::FillInputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFMLLSFit::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  // Every rank fits its piece of the scan (the extent asked of the maps)
  // against the whole basis.
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkInformation* fieldInfo = inputVector[0]->GetInformationObject(0);
  if (fieldInfo != nullptr && outInfo->Has(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT()))
  {
    int extent[6];
    outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent);
    fieldInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent, 6);
  }
  if (vtkInformation* basisInfo = inputVector[1]->GetInformationObject(0))
  {
    basisInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_PIECE_NUMBER(), 0);
    basisInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_PIECES(), 1);
    basisInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_NUMBER_OF_GHOST_LEVELS(), 0);
  }
  return 1;
}

bool vtkSTEMPDFMLLSFit::ReadBasis(vtkTable* table, stempdf::BasisCurves& basis,
  std::vector<bool>& selected, std::string& error)
{
  if (!stempdf::bridge::ReadBasisTable(table, this->BasisColumns, basis, error))
  {
    return false;
  }
  try
  {
    selected = stempdf::ParseComponentSelection(
      this->Components, static_cast<unsigned int>(basis.Names.size()));
  }
  catch (const itk::ExceptionObject& e)
  {
    error = e.GetDescription();
    return false;
  }
  return true;
}

bool vtkSTEMPDFMLLSFit::Fit(vtkImageData* input, const stempdf::BasisCurves& basis,
  const std::vector<bool>& selected, const int wholeExtent[6], vtkImageData* output,
  std::vector<double>& sums, std::string& error)
{
  vtkDataArray* G = this->GetInputArrayToProcess(0, input);
  if (G == nullptr)
  {
    const char* name = this->GetInputArrayInformation(0)->Get(vtkDataObject::FIELD_NAME());
    G = (name == nullptr || *name == '\0') ? input->GetPointData()->GetScalars() : nullptr;
    if (G == nullptr)
    {
      error = std::string("PDF: the input has no point-data array ") +
        (name && *name ? std::string("named '") + name + "'"
                       : "to fit (choose Pair Distribution's \"G\")");
      return false;
    }
  }
  try
  {
    std::vector<unsigned int> components;
    for (size_t i = 0; i < selected.size(); ++i)
    {
      if (selected[i])
      {
        components.push_back(static_cast<unsigned int>(i));
      }
    }
    auto filter = stempdf::MLLSFitImageFilter<stempdf::ProfileFieldImage>::New();
    filter->SetInput(
      stempdf::bridge::ImportProfileField(input, G, "PDF array", "Pair Distribution's \"G\""));
    filter->SetBasis(basis);
    filter->SetFitOffset(this->FitOffset);
    filter->SetComponents(components);
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();

    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::RemoveVectorAxis(output->GetFieldData()); // the outputs are scalar maps
    stempdf::bridge::ExportField(filter->GetResidualOutput(), "Residual", output, false);
    stempdf::bridge::ExportField(filter->GetOffsetOutput(), "Offset", output, false);
    const double* fractions = filter->GetFractionsOutput()->GetBufferPointer();
    const vtkIdType positions = input->GetNumberOfPoints();
    stempdf::bridge::ExportComponentMaps(
      filter->GetWeightsOutput()->GetBufferPointer(), positions, "Weight", basis.Names, output);
    stempdf::bridge::ExportComponentMaps(fractions, positions, "Fraction", basis.Names, output);
    const size_t first =
      static_cast<size_t>(std::find(selected.begin(), selected.end(), true) - selected.begin());
    output->GetPointData()->SetActiveScalars(("Fraction " + basis.Names[first]).c_str());
    sums = stempdf::bridge::OwnedPopulationSums(fractions, input->GetExtent(), wholeExtent, selected);
  }
  catch (const itk::ExceptionObject& e)
  {
    error = e.GetDescription();
    return false;
  }
  return true;
}

int vtkSTEMPDFMLLSFit::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector, 0);
  // The basis on every rank (also one without scan rows, for the table's names).
  vtkSmartPointer<vtkTable> table = vtkTable::GetData(inputVector[1]);
  stempdf::pieces::ranks::ShareTable(table);
  stempdf::BasisCurves basis;
  std::vector<bool> selected;
  std::string error;
  bool ok = this->ReadBasis(table, basis, selected, error);
  std::vector<double> sums = stempdf::PopulationSums(basis.Names.size()).Pack();
  if (ok && input != nullptr && input->GetNumberOfPoints() > 0)
  {
    int wholeExtent[6];
    inputVector[0]->GetInformationObject(0)->Get(
      vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
    ok = this->Fit(input, basis, selected, wholeExtent, output, sums, error);
  }

  // Collective from here: whether every rank succeeded, then the sums.
  if (!stempdf::pieces::ranks::AllSucceeded(ok) && ok)
  {
    error = "the fit failed on another rank (see its message)";
    ok = false;
  }
  if (!ok)
  {
    vtkErrorMacro(<< "MLLSFit: " << error);
    output->Initialize();
    return 0;
  }
  stempdf::pieces::ranks::Reduce(sums, stempdf::pieces::Merge::Sum);
  if (stempdf::pieces::ranks::HoldsTables())
  {
    stempdf::bridge::WritePopulationTable(
      stempdf::Populations(stempdf::PopulationSums::Unpack(sums), basis.Names, selected),
      vtkTable::GetData(outputVector, 1));
  }
  return 1;
}

void vtkSTEMPDFMLLSFit::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "BasisColumns: \"" << this->BasisColumns << "\", FitOffset: " << this->FitOffset
     << ", Components: \"" << this->Components << "\"\n";
}
