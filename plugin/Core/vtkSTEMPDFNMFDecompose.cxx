#include "vtkSTEMPDFNMFDecompose.h"

#include "stempdfBridge.h"
#include "stempdfNMFDecomposeImageFilter.h"
#include "stempdfPieces.h"
#include "stempdfTables.h"

#include "vtkDataArray.h"
#include "vtkDataSetAttributes.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

#include <string>

vtkStandardNewMacro(vtkSTEMPDFNMFDecompose);

vtkSTEMPDFNMFDecompose::vtkSTEMPDFNMFDecompose()
{
  this->SetNumberOfOutputPorts(3);
  this->SetInputArrayToProcess(0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

int vtkSTEMPDFNMFDecompose::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFNMFDecompose::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  // The weight maps keep the scan grid; the tables have no extent (every
  // rank takes part in one factorisation).
  for (int port = 1; port < 3; ++port)
  {
    vtkInformation* tableInfo = outputVector->GetInformationObject(port);
    tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
    tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
  }
  return 1;
}

namespace
{
void AddNumber(vtkFieldData* fieldData, const char* name, double value)
{
  vtkNew<vtkDoubleArray> array;
  array->SetName(name);
  array->InsertNextValue(value);
  fieldData->AddArray(array);
}
} // namespace

int vtkSTEMPDFNMFDecompose::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector, 0);
  vtkTable* basisTable = vtkTable::GetData(outputVector, 1);
  vtkTable* objectiveTable = vtkTable::GetData(outputVector, 2);
  std::string error;
  vtkDataArray* g = stempdf::bridge::ResolvePatterns(this, this->GetInputArrayToProcess(0, input), input, error);
  if (g == nullptr)
  {
    vtkErrorMacro(<< "NMFDecompose: " << error);
    return 0;
  }
  using Filter = stempdf::NMFDecomposeImageFilter<>;
  auto filter = Filter::New();
  try
  {
    if (g->GetDataType() != VTK_DOUBLE)
    {
      stempdf::bridge::Fail(std::string("the G(r) array '") + g->GetName() +
        "' must be doubles (Pair Distribution's \"G\"); got " + g->GetDataTypeAsString());
    }
    auto field = stempdf::bridge::ImportField<stempdf::ProfileFieldImage>(input, g);
    filter->SetInput(field);
    stempdf::NMFParameters parameters;
    parameters.Rank = static_cast<unsigned int>(this->NumberOfComponents);
    parameters.Algorithm = static_cast<stempdf::NMFAlgorithm>(this->Algorithm);
    parameters.Initialization = static_cast<stempdf::NMFInitialization>(this->Initialization);
    parameters.WeightConstraint = static_cast<stempdf::NMFWeightConstraint>(this->WeightConstraint);
    parameters.Replicates = static_cast<unsigned int>(this->Replicates);
    parameters.ReplicateIterations = static_cast<unsigned int>(this->ReplicateIterations);
    parameters.MaxIterations = static_cast<unsigned int>(this->MaxIterations);
    parameters.Tolerance = this->Tolerance;
    parameters.StepTolerance = this->StepTolerance;
    parameters.Seed = static_cast<std::uint64_t>(this->Seed);
    parameters.CompressionRank = static_cast<unsigned int>(this->CompressionRank);
    parameters.MaxRefinementIterations = static_cast<unsigned int>(this->MaxRefinementIterations);
    parameters.SpatialSmoothing = this->SpatialSmoothing;
    filter->SetParameters(parameters);
    filter->SetRRange(Filter::RangeType(std::array<double, 2>{ { this->RRange[0], this->RRange[1] } }));
    // One factorisation over every rank's piece (stempdfPieces.h).
    int whole[6];
    inputVector[0]->GetInformationObject(0)->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
    filter->SetFirstPosition(stempdf::pieces::FirstPosition(input->GetExtent(), whole));
    filter->SetSharedTrailingRows(static_cast<unsigned int>(stempdf::pieces::SharedTrailingRows(input->GetExtent(), whole)));
    if (stempdf::pieces::ranks::IsParallel())
    {
      filter->SetGlobalSum(stempdf::pieces::ranks::GlobalSum());
      filter->SetGlobalMinimum(stempdf::pieces::ranks::GlobalMinimum());
    }
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();

    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::ExportField(filter->GetOutput(), "Weights", output, false);
    vtkDataArray* weights = output->GetPointData()->GetArray("Weights");
    for (int j = 0; j < this->NumberOfComponents; ++j)
    {
      vtkNew<vtkDoubleArray> map;
      map->SetName(("Weight " + std::to_string(j + 1)).c_str());
      map->SetNumberOfTuples(weights->GetNumberOfTuples());
      map->CopyComponent(0, weights, j);
      output->GetPointData()->AddArray(map);
    }
    output->GetPointData()->SetActiveScalars("Weight 1");
    stempdf::bridge::ExportField(filter->GetResidualOutput(), "Residual", output, false);
    AddNumber(output->GetFieldData(), "STEMPDF_NMFShift", filter->GetShift());
    AddNumber(output->GetFieldData(), "STEMPDF_NMFObjective", filter->GetResult().FinalObjective);
    // The singular values of V: how many components the data support.
    vtkNew<vtkDoubleArray> singular;
    singular->SetName("STEMPDF_NMFSingularValues");
    for (Eigen::Index i = 0; i < filter->GetResult().SingularValues.size(); ++i)
    {
      singular->InsertNextValue(filter->GetResult().SingularValues[i]);
    }
    output->GetFieldData()->AddArray(singular);

    this->Shift = filter->GetShift();
    this->FinalObjective = filter->GetResult().FinalObjective;
    this->Iterations = static_cast<int>(filter->GetResult().Objective.size());
    // The tables are the same on every rank: one rank holds them.
    if (!stempdf::pieces::ranks::HoldsTables())
    {
      return 1;
    }
    // Basis table: the G(r) of each type (shift removed) and the factor H.
    const stempdf::VectorAxis& axis = filter->GetBasisAxis();
    std::vector<double> r(axis.GetNumberOfComponents());
    for (unsigned int i = 0; i < r.size(); ++i)
    {
      r[i] = axis.GetCoordinate(i);
    }
    const Eigen::MatrixXd& h = filter->GetBasis();
    std::vector<std::string> names;
    for (int j = 0; j < this->NumberOfComponents; ++j)
    {
      names.push_back("Basis " + std::to_string(j + 1));
    }
    for (int j = 0; j < this->NumberOfComponents; ++j)
    {
      names.push_back("Basis " + std::to_string(j + 1) + " (shifted)");
    }
    stempdf::bridge::CurveMatrix curves(2 * h.rows(), h.cols());
    curves.topRows(h.rows()) = h.array() - filter->GetShift();
    curves.bottomRows(h.rows()) = h;
    stempdf::bridge::WriteCurveTable("r", r, names, curves, basisTable);

    const stempdf::NMFResult& result = filter->GetResult();
    vtkNew<vtkIntArray> iteration;
    iteration->SetName("Iteration");
    vtkNew<vtkDoubleArray> objective;
    objective->SetName("Objective");
    vtkNew<vtkIntArray> compressed;
    compressed->SetName("Compressed");
    for (std::size_t i = 0; i < result.Objective.size(); ++i)
    {
      iteration->InsertNextValue(static_cast<int>(i + 1));
      objective->InsertNextValue(result.Objective[i]);
      compressed->InsertNextValue(i < result.CompressedIterations ? 1 : 0);
    }
    objectiveTable->AddColumn(iteration);
    objectiveTable->AddColumn(objective);
    objectiveTable->AddColumn(compressed);
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "NMFDecompose on array '" << g->GetName() << "': " << e.GetDescription());
    output->Initialize();
    return 0;
  }
  return 1;
}

void vtkSTEMPDFNMFDecompose::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "NumberOfComponents: " << this->NumberOfComponents << ", Algorithm: " << this->Algorithm
     << ", Initialization: " << this->Initialization << ", WeightConstraint: " << this->WeightConstraint
     << ", Replicates: " << this->Replicates << " x " << this->ReplicateIterations
     << ", MaxIterations: " << this->MaxIterations << ", Tolerance: " << this->Tolerance
     << ", StepTolerance: " << this->StepTolerance
     << ", Seed: " << this->Seed << ", RRange: (" << this->RRange[0] << ", " << this->RRange[1]
     << "), CompressionRank: " << this->CompressionRank
     << ", MaxRefinementIterations: " << this->MaxRefinementIterations
     << ", SpatialSmoothing: " << this->SpatialSmoothing << "\n";
}
