#include "vtkSTEMPDFStructureFactor.h"

#include "stempdfBridge.h"
#include "stempdfStructureFactorImageFilter.h"
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

vtkStandardNewMacro(vtkSTEMPDFStructureFactor);

namespace
{
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

stempdf::ReducedIntensityParameters vtkSTEMPDFStructureFactor::GetParameters() const
{
  stempdf::ReducedIntensityParameters p;
  p.Composition = this->Composition;
  p.ScatteringFactors = this->ScatteringFactors == 1 ? stempdf::ScatteringFactorTable::Lobato
                                                     : stempdf::ScatteringFactorTable::Kirkland;
  p.SRange = { { this->SRange[0], this->SRange[1] } };
  p.NormalizationS = this->NormalizationS;
  p.AtomCount = this->AtomCount;
  p.FitWindow = { { this->FitWindow[0], this->FitWindow[1] } };
  p.FitOffset = this->FitOffset;
  p.Denominator = this->Denominator == 1 ? stempdf::ReducedIntensityDenominator::MeanSquaredF
                                         : stempdf::ReducedIntensityDenominator::MeanFSquared;
  p.PolynomialOrder = static_cast<unsigned int>(this->PolynomialOrder);
  p.Damping = this->Damping == 1 ? stempdf::ReducedIntensityDamping::Exponential
    : this->Damping == 2         ? stempdf::ReducedIntensityDamping::Lorch
                                 : stempdf::ReducedIntensityDamping::None;
  p.DampingFactor = this->DampingFactor;
  return p;
}

vtkSTEMPDFStructureFactor::vtkSTEMPDFStructureFactor()
  : vtkSTEMPDFCurveAlgorithm(
      "StructureFactor needs a field of profiles (vtkImageData) or a table of curves "
      "(vtkTable)")
{
}

bool vtkSTEMPDFStructureFactor::ComputeField(
  vtkImageData* input, vtkImageData* output, vtkTable* mean, const int wholeExtent[6])
{
  vtkDataArray* profiles = stempdf::bridge::InputArrayOrError(
    this, this->GetInputArrayToProcess(0, input), input, "StructureFactor");
  if (profiles == nullptr)
  {
    return false;
  }
  using Filter = stempdf::StructureFactorImageFilter<stempdf::ProfileFieldImage>;
  try
  {
    auto field = stempdf::bridge::ImportProfileField(
      input, profiles, "profiles", "AzimuthalIntegrate's \"Intensity\"");
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetReducedIntensityParameters(this->GetParameters());
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();
    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::ExportField(filter->GetOutput(), "Phi", output);

    // The fitted parameters as one scalar map each.
    const auto* parameters = filter->GetParametersOutput();
    stempdf::bridge::ExportComponentMaps(parameters->GetBufferPointer(),
      static_cast<vtkIdType>(parameters->GetBufferedRegion().GetNumberOfPixels()), "",
      ParameterNames(static_cast<unsigned int>(this->PolynomialOrder)), output);
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "StructureFactor on array '" << profiles->GetName()
                  << "': " << e.GetDescription());
    return false;
  }
  stempdf::bridge::AddMeanCurves(output, { "Phi" }, "s", { "MeanPhi" }, wholeExtent, mean);
  return true;
}

bool vtkSTEMPDFStructureFactor::ComputeTable(
  vtkTable* input, vtkTable* output, vtkTable* parameterTable)
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
    const stempdf::ReducedIntensityCalculator calculator(this->GetParameters(), s);
    stempdf::ReducedIntensityCalculator::RowMajorMatrix phi, parameters;
    calculator.Compute(intensity, phi, parameters);
    stempdf::bridge::WriteCurveTable("s", calculator.GetS(), names, phi, output);

    stempdf::bridge::WriteParameterTable(names,
      ParameterNames(static_cast<unsigned int>(this->PolynomialOrder)), parameters, parameterTable);
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "StructureFactor on the table's curves: " << e.GetDescription());
    return false;
  }
  return true;
}

void vtkSTEMPDFStructureFactor::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Composition: " << this->Composition
     << ", ScatteringFactors: " << (this->ScatteringFactors == 1 ? "Lobato" : "Kirkland") << "\n";
  os << indent << "SRange: (" << this->SRange[0] << ", " << this->SRange[1]
     << "), SColumn: " << this->SColumn << ", NormalizationS: " << this->NormalizationS
     << ", AtomCount: " << this->AtomCount << ", FitWindow: (" << this->FitWindow[0] << ", "
     << this->FitWindow[1] << "), FitOffset: " << this->FitOffset << "\n";
  os << indent << "Denominator: " << (this->Denominator == 1 ? "MeanSquaredF" : "MeanFSquared")
     << ", PolynomialOrder: " << this->PolynomialOrder << ", Damping: " << this->Damping
     << ", DampingFactor: " << this->DampingFactor << "\n";
}
