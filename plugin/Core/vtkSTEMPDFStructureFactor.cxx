#include "vtkSTEMPDFStructureFactor.h"

#include "stempdfBridge.h"
#include "stempdfStructureFactorImageFilter.h"
#include "stempdfTables.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkStringArray.h"
#include "vtkTable.h"

vtkStandardNewMacro(vtkSTEMPDFStructureFactor);

namespace
{
stempdf::ReducedIntensityParameters Parameters(const std::string& composition, int table,
  const double sRange[2], double normalizationS, double atomCount, const double fitWindow[2],
  bool fitOffset, int denominator, int order, int damping, double dampingFactor)
{
  stempdf::ReducedIntensityParameters p;
  p.Composition = composition;
  p.ScatteringFactors =
    table == 1 ? stempdf::ScatteringFactorTable::Lobato : stempdf::ScatteringFactorTable::Kirkland;
  p.SRange = { { sRange[0], sRange[1] } };
  p.NormalizationS = normalizationS;
  p.AtomCount = atomCount;
  p.FitWindow = { { fitWindow[0], fitWindow[1] } };
  p.FitOffset = fitOffset;
  p.Denominator = denominator == 1 ? stempdf::ReducedIntensityDenominator::MeanSquaredF
                                   : stempdf::ReducedIntensityDenominator::MeanFSquared;
  p.PolynomialOrder = static_cast<unsigned int>(order);
  p.Damping = damping == 1 ? stempdf::ReducedIntensityDamping::Exponential
    : damping == 2         ? stempdf::ReducedIntensityDamping::Lorch
                           : stempdf::ReducedIntensityDamping::None;
  p.DampingFactor = dampingFactor;
  return p;
}

/** Names of the fitted parameters, in the order of the ITK filter's output 1. */
std::vector<std::string> ParameterNames(unsigned int order)
{
  std::vector<std::string> names{ "N", "C" };
  for (unsigned int k = 1; k <= order; ++k)
  {
    names.push_back("P" + std::to_string(k));
  }
  return names;
}
} // namespace

vtkSTEMPDFStructureFactor::vtkSTEMPDFStructureFactor() = default;

bool vtkSTEMPDFStructureFactor::ComputeField(
  vtkImageData* input, vtkImageData* output, vtkTable* mean, const int wholeExtent[6])
{
  std::string error;
  vtkDataArray* profiles =
    stempdf::bridge::ResolvePatterns(this, this->GetInputArrayToProcess(0, input), input, error);
  if (profiles == nullptr)
  {
    vtkErrorMacro(<< "StructureFactor: " << error);
    return false;
  }
  using Filter = stempdf::StructureFactorImageFilter<stempdf::ProfileFieldImage>;
  try
  {
    if (profiles->GetDataType() != VTK_DOUBLE)
    {
      stempdf::bridge::Fail(std::string("the profiles '") + profiles->GetName() +
        "' must be doubles (AzimuthalIntegrate's \"Intensity\"); got " + profiles->GetDataTypeAsString());
    }
    auto field = stempdf::bridge::ImportField<stempdf::ProfileFieldImage>(input, profiles);
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetReducedIntensityParameters(Parameters(this->Composition, this->ScatteringFactors,
      this->SRange, this->NormalizationS, this->AtomCount, this->FitWindow, this->FitOffset, this->Denominator,
      this->PolynomialOrder, this->Damping, this->DampingFactor));
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();
    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::ExportField(filter->GetOutput(), "Phi", output);

    // The fitted parameters as one scalar map each.
    const auto* parameters = filter->GetParametersOutput();
    const auto names = ParameterNames(static_cast<unsigned int>(this->PolynomialOrder));
    const vtkIdType positions = static_cast<vtkIdType>(parameters->GetBufferedRegion().GetNumberOfPixels());
    for (size_t k = 0; k < names.size(); ++k)
    {
      vtkNew<vtkDoubleArray> map;
      map->SetName(names[k].c_str());
      map->SetNumberOfTuples(positions);
      for (vtkIdType i = 0; i < positions; ++i)
      {
        map->SetValue(i, parameters->GetBufferPointer()[i * names.size() + k]);
      }
      output->GetPointData()->AddArray(map);
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "StructureFactor on array '" << profiles->GetName() << "': " << e.GetDescription());
    return false;
  }
  stempdf::bridge::AddMeanCurves(output, { "Phi" }, "s", { "MeanPhi" }, wholeExtent, mean);
  return true;
}

bool vtkSTEMPDFStructureFactor::ComputeTable(vtkTable* input, vtkTable* output, vtkTable* parameterTable)
{
  std::vector<double> s;
  std::vector<std::string> names;
  stempdf::bridge::CurveMatrix intensity;
  std::string error;
  if (!stempdf::bridge::ReadCurveTable(input, this->SColumn, s, names, intensity, error))
  {
    vtkErrorMacro(<< "StructureFactor: SColumn: " << error);
    return false;
  }
  try
  {
    const stempdf::ReducedIntensityCalculator calculator(
      Parameters(this->Composition, this->ScatteringFactors, this->SRange, this->NormalizationS,
        this->AtomCount, this->FitWindow, this->FitOffset, this->Denominator, this->PolynomialOrder, this->Damping,
        this->DampingFactor),
      s);
    stempdf::ReducedIntensityCalculator::RowMajorMatrix phi, parameters;
    calculator.Compute(intensity, phi, parameters);
    stempdf::bridge::WriteCurveTable("s", calculator.GetS(), names, phi, output);

    vtkNew<vtkStringArray> curve;
    curve->SetName("Curve");
    for (const auto& name : names)
    {
      curve->InsertNextValue(name);
    }
    parameterTable->AddColumn(curve);
    const auto parameterNames = ParameterNames(static_cast<unsigned int>(this->PolynomialOrder));
    for (size_t k = 0; k < parameterNames.size(); ++k)
    {
      vtkNew<vtkDoubleArray> column;
      column->SetName(parameterNames[k].c_str());
      for (Eigen::Index c = 0; c < parameters.rows(); ++c)
      {
        column->InsertNextValue(parameters(c, static_cast<Eigen::Index>(k)));
      }
      parameterTable->AddColumn(column);
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "StructureFactor on the table's curves: " << e.GetDescription());
    return false;
  }
  return true;
}

int vtkSTEMPDFStructureFactor::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkTable* second = vtkTable::GetData(outputVector, 1);
  if (auto* field = vtkImageData::GetData(inputVector[0]))
  {
    int wholeExtent[6];
    inputVector[0]->GetInformationObject(0)->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
    vtkImageData* output = vtkImageData::GetData(outputVector, 0);
    if (!this->ComputeField(field, output, second, wholeExtent))
    {
      output->Initialize();
      return 0;
    }
    return 1;
  }
  if (auto* table = vtkTable::GetData(inputVector[0]))
  {
    return this->ComputeTable(table, vtkTable::GetData(outputVector, 0), second) ? 1 : 0;
  }
  vtkErrorMacro(<< "StructureFactor needs a field of profiles (vtkImageData) or a table of curves (vtkTable)");
  return 0;
}

void vtkSTEMPDFStructureFactor::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Composition: " << this->Composition
     << ", ScatteringFactors: " << (this->ScatteringFactors == 1 ? "Lobato" : "Kirkland") << "\n";
  os << indent << "SRange: (" << this->SRange[0] << ", " << this->SRange[1] << "), SColumn: " << this->SColumn
     << ", NormalizationS: " << this->NormalizationS << ", AtomCount: " << this->AtomCount
     << ", FitWindow: (" << this->FitWindow[0] << ", " << this->FitWindow[1] << "), FitOffset: " << this->FitOffset
     << "\n";
  os << indent << "Denominator: " << (this->Denominator == 1 ? "MeanSquaredF" : "MeanFSquared")
     << ", PolynomialOrder: " << this->PolynomialOrder << ", Damping: " << this->Damping
     << ", DampingFactor: " << this->DampingFactor << "\n";
}
