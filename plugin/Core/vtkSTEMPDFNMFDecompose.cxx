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
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

#include <string>

vtkStandardNewMacro(vtkSTEMPDFNMFDecompose);

vtkSTEMPDFNMFDecompose::vtkSTEMPDFNMFDecompose()
  : vtkSTEMPDFFieldAlgorithm(2) // the basis and the objective
{
}

namespace
{
using Self = vtkSTEMPDFNMFDecompose;
constexpr std::pair<int, stempdf::NMFAlgorithm> Algorithms[] = { { Self::HALS,
                                                                   stempdf::NMFAlgorithm::HALS },
  { Self::MULTIPLICATIVE_UPDATE, stempdf::NMFAlgorithm::MultiplicativeUpdate },
  { Self::ALTERNATING_NNLS, stempdf::NMFAlgorithm::AlternatingNNLS } };
constexpr std::pair<int, stempdf::NMFInitialization> Initializations[] = {
  { Self::SUCCESSIVE_PROJECTION, stempdf::NMFInitialization::SuccessiveProjection },
  { Self::NNDSVD, stempdf::NMFInitialization::NNDSVD },
  { Self::NNDSVDA, stempdf::NMFInitialization::NNDSVDA },
  { Self::RANDOM, stempdf::NMFInitialization::Random }
};
constexpr std::pair<int, stempdf::NMFWeightConstraint> WeightConstraints[] = {
  { Self::SUM_TO_ONE, stempdf::NMFWeightConstraint::SumToOne },
  { Self::NONE, stempdf::NMFWeightConstraint::None }
};
} // namespace

int vtkSTEMPDFNMFDecompose::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector, 0);
  vtkTable* basisTable = vtkTable::GetData(outputVector, 1);
  vtkTable* objectiveTable = vtkTable::GetData(outputVector, 2);
  vtkDataArray* g = stempdf::bridge::InputArrayOrError(
    this, this->GetInputArrayToProcess(0, input), input, "NMFDecompose");
  if (g == nullptr)
  {
    return 0;
  }
  using Filter = stempdf::NMFDecomposeImageFilter<>;
  auto filter = Filter::New();
  try
  {
    auto field =
      stempdf::bridge::ImportProfileField(input, g, "G(r) array", "Pair Distribution's \"G\"");
    filter->SetInput(field);
    stempdf::NMFParameters parameters;
    parameters.Rank = static_cast<unsigned int>(this->NumberOfComponents);
    parameters.Algorithm =
      stempdf::bridge::MapEnumeration(this->Algorithm, Algorithms, "Algorithm");
    parameters.Initialization =
      stempdf::bridge::MapEnumeration(this->Initialization, Initializations, "Initialization");
    parameters.WeightConstraint = stempdf::bridge::MapEnumeration(
      this->WeightConstraint, WeightConstraints, "WeightConstraint");
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
    filter->SetRRange(
      Filter::RangeType(std::array<double, 2>{ { this->RRange[0], this->RRange[1] } }));
    // One factorisation over every rank's piece (stempdfPieces.h).
    int whole[6];
    inputVector[0]->GetInformationObject(0)->Get(
      vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
    filter->SetFirstPosition(stempdf::pieces::FirstPosition(input->GetExtent(), whole));
    filter->SetSharedTrailingRows(
      static_cast<unsigned int>(stempdf::pieces::SharedTrailingRows(input->GetExtent(), whole)));
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
    const stempdf::NMFResult& result = filter->GetResult();
    stempdf::bridge::AddFieldNumbers(
      output->GetFieldData(), "STEMPDF_NMFShift", { filter->GetShift() });
    stempdf::bridge::AddFieldNumbers(
      output->GetFieldData(), "STEMPDF_NMFObjective", { result.FinalObjective });
    // The singular values of V: how many components the data support.
    stempdf::bridge::AddFieldNumbers(output->GetFieldData(), "STEMPDF_NMFSingularValues",
      std::vector<double>(
        result.SingularValues.data(), result.SingularValues.data() + result.SingularValues.size()));

    this->Shift = filter->GetShift();
    this->FinalObjective = result.FinalObjective;
    this->Iterations = static_cast<int>(result.Objective.size());
    // The tables are the same on every rank: one rank holds them.
    if (!stempdf::pieces::ranks::HoldsTables())
    {
      return 1;
    }
    stempdf::bridge::WriteNMFTables(filter->GetBasisAxis(), filter->GetBasis(), filter->GetShift(),
      result, basisTable, objectiveTable);
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
  os << indent << "NumberOfComponents: " << this->NumberOfComponents
     << ", Algorithm: " << this->Algorithm << ", Initialization: " << this->Initialization
     << ", WeightConstraint: " << this->WeightConstraint << ", Replicates: " << this->Replicates
     << " x " << this->ReplicateIterations << ", MaxIterations: " << this->MaxIterations
     << ", Tolerance: " << this->Tolerance << ", StepTolerance: " << this->StepTolerance
     << ", Seed: " << this->Seed << ", RRange: (" << this->RRange[0] << ", " << this->RRange[1]
     << "), CompressionRank: " << this->CompressionRank
     << ", MaxRefinementIterations: " << this->MaxRefinementIterations
     << ", SpatialSmoothing: " << this->SpatialSmoothing << "\n";
}
