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
{
  this->SetNumberOfInputPorts(2);
  this->SetNumberOfOutputPorts(2);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

int vtkSTEMPDFMLLSFit::FillInputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFMLLSFit::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFMLLSFit::RequestDataObject(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  for (int port = 0; port < 2; ++port)
  {
    vtkInformation* info = outputVector->GetInformationObject(port);
    if (vtkDataObject::GetData(info) == nullptr)
    {
      vtkSmartPointer<vtkDataObject> made;
      if (port == 0)
      {
        made = vtkSmartPointer<vtkImageData>::New();
      }
      else
      {
        made = vtkSmartPointer<vtkTable>::New();
      }
      info->Set(vtkDataObject::DATA_OBJECT(), made);
    }
  }
  return 1;
}

int vtkSTEMPDFMLLSFit::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  // The maps keep the scan grid (passed on by the executive); the populations
  // table has no extent: it is made from every piece.
  vtkInformation* tableInfo = outputVector->GetInformationObject(1);
  tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
  tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
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

bool vtkSTEMPDFMLLSFit::Fit(vtkImageData* input, vtkTable* table, const int wholeExtent[6],
  vtkImageData* output, std::vector<double>& sums, std::vector<std::string>& names,
  std::vector<bool>& selected, std::string& error)
{
  stempdf::BasisCurves basis;
  if (!stempdf::bridge::ReadBasisTable(table, this->BasisColumns, basis, error))
  {
    return false;
  }
  names = basis.Names;
  vtkDataArray* G = this->GetInputArrayToProcess(0, input);
  if (G == nullptr)
  {
    const char* name = this->GetInputArrayInformation(0)->Get(vtkDataObject::FIELD_NAME());
    G = (name == nullptr || *name == '\0') ? input->GetPointData()->GetScalars() : nullptr;
    if (G == nullptr)
    {
      error = std::string("PDF: the input has no point-data array ") +
        (name && *name ? std::string("named '") + name + "'" : "to fit (choose Pair Distribution's \"G\")");
      return false;
    }
  }
  using Filter = stempdf::MLLSFitImageFilter<stempdf::ProfileFieldImage>;
  try
  {
    selected = stempdf::ParseComponentSelection(this->Components, static_cast<unsigned int>(names.size()));
    std::vector<unsigned int> components;
    for (size_t i = 0; i < selected.size(); ++i)
    {
      if (selected[i])
      {
        components.push_back(static_cast<unsigned int>(i));
      }
    }
    if (G->GetDataType() != VTK_DOUBLE)
    {
      stempdf::bridge::Fail(std::string("PDF: the array '") + G->GetName() +
        "' must hold doubles (Pair Distribution's \"G\"); got " + G->GetDataTypeAsString());
    }
    auto field = stempdf::bridge::ImportField<stempdf::ProfileFieldImage>(input, G);
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetBasis(basis);
    filter->SetFitOffset(this->FitOffset);
    filter->SetComponents(components);
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();

    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::RemoveVectorAxis(output->GetFieldData()); // the outputs are scalar maps
    stempdf::bridge::ExportField(filter->GetResidualOutput(), "Residual", output, false);
    stempdf::bridge::ExportField(filter->GetOffsetOutput(), "Offset", output, false);
    const vtkIdType positions = input->GetNumberOfPoints();
    stempdf::bridge::ExportComponentMaps(filter->GetWeightsOutput()->GetBufferPointer(), positions, "Weight", names, output);
    stempdf::bridge::ExportComponentMaps(
      filter->GetFractionsOutput()->GetBufferPointer(), positions, "Fraction", names, output);
    const size_t first = static_cast<size_t>(std::find(selected.begin(), selected.end(), true) - selected.begin());
    output->GetPointData()->SetActiveScalars(("Fraction " + names[first]).c_str());

    // Populations of the positions this piece owns (stempdfPieces.h).
    const int* extent = input->GetExtent();
    const stempdf::pieces::ScanExtent owned = stempdf::pieces::OwnedExtent(extent, wholeExtent);
    const size_t nx = static_cast<size_t>(extent[1] - extent[0] + 1), k = names.size();
    const double* fractions = filter->GetFractionsOutput()->GetBufferPointer();
    sums = stempdf::pieces::AccumulateOverPiece(owned, 2 * k + 2, stempdf::pieces::Merge::Sum,
      [&](const stempdf::pieces::RowBlock& block, double* partial) {
        stempdf::PopulationSums piece(k);
        for (int y = block.FirstRow; y <= block.LastRow; ++y)
        {
          piece.Accumulate(fractions + ((y - extent[2]) * nx + (owned.Extent[0] - extent[0])) * k,
            static_cast<size_t>(owned.Width()), selected);
        }
        const std::vector<double> packed = piece.Pack();
        std::transform(packed.begin(), packed.end(), partial, partial, std::plus<double>());
      });
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
  vtkTable* populations = vtkTable::GetData(outputVector, 1);
  // The basis on every rank. Collective: every rank takes part.
  vtkSmartPointer<vtkTable> basis = vtkTable::GetData(inputVector[1]);
  stempdf::pieces::ranks::ShareTable(basis);

  int wholeExtent[6];
  inputVector[0]->GetInformationObject(0)->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
  std::vector<double> sums;
  std::vector<std::string> names;
  std::vector<bool> selected;
  std::string error;
  const bool empty = input == nullptr || input->GetNumberOfPoints() == 0;
  bool ok = !empty ? this->Fit(input, basis, wholeExtent, output, sums, names, selected, error) : true;
  if (empty)
  {
    // A rank without scan rows still reads the basis for the table's names.
    stempdf::BasisCurves curves;
    ok = stempdf::bridge::ReadBasisTable(basis, this->BasisColumns, curves, error);
    names = curves.Names;
    try
    {
      selected = ok ? stempdf::ParseComponentSelection(this->Components, static_cast<unsigned int>(names.size()))
                    : selected;
    }
    catch (const itk::ExceptionObject& e)
    {
      error = e.GetDescription();
      ok = false;
    }
    sums = stempdf::PopulationSums(names.size()).Pack();
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
      stempdf::Populations(stempdf::PopulationSums::Unpack(sums), names, selected), populations);
  }
  return 1;
}

void vtkSTEMPDFMLLSFit::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "BasisColumns: \"" << this->BasisColumns << "\", FitOffset: " << this->FitOffset
     << ", Components: \"" << this->Components << "\"\n";
}
