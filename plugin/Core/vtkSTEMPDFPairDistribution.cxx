#include "vtkSTEMPDFPairDistribution.h"

#include "stempdfBridge.h"
#include "stempdfPairDistributionImageFilter.h"
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

vtkStandardNewMacro(vtkSTEMPDFPairDistribution);

vtkSTEMPDFPairDistribution::vtkSTEMPDFPairDistribution() = default;

bool vtkSTEMPDFPairDistribution::ComputeField(
  vtkImageData* input, vtkImageData* output, vtkTable* mean, const int wholeExtent[6])
{
  std::string error;
  vtkDataArray* phi =
    stempdf::bridge::ResolvePatterns(this, this->GetInputArrayToProcess(0, input), input, error);
  if (phi == nullptr)
  {
    vtkErrorMacro(<< "PairDistribution: " << error);
    return false;
  }
  using Filter = stempdf::PairDistributionImageFilter<stempdf::ProfileFieldImage>;
  const bool pairCorrelation = this->NumberDensity > 0.0;
  try
  {
    if (phi->GetDataType() != VTK_DOUBLE)
    {
      stempdf::bridge::Fail(std::string("the reduced intensities '") + phi->GetName() +
        "' must be doubles (StructureFactor's \"Phi\"); got " + phi->GetDataTypeAsString());
    }
    auto field = stempdf::bridge::ImportField<stempdf::ProfileFieldImage>(input, phi);
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetRRange(Filter::RangeType{ { this->RRange[0], this->RRange[1] } });
    filter->SetRStep(this->RStep);
    filter->SetNumberDensity(this->NumberDensity);
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();
    output->GetFieldData()->PassData(input->GetFieldData());
    stempdf::bridge::ExportField(filter->GetOutput(), "G", output);
    if (pairCorrelation)
    {
      stempdf::bridge::ExportField(filter->GetPairCorrelationOutput(), "g", output, false);
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "PairDistribution on array '" << phi->GetName() << "': " << e.GetDescription());
    return false;
  }
  if (pairCorrelation)
  {
    stempdf::bridge::AddMeanCurves(output, { "G", "g" }, "r", { "MeanG", "Meang" }, wholeExtent, mean);
  }
  else
  {
    stempdf::bridge::AddMeanCurves(output, { "G" }, "r", { "MeanG" }, wholeExtent, mean);
  }
  return true;
}

bool vtkSTEMPDFPairDistribution::ComputeTable(vtkTable* input, vtkTable* output, vtkTable* mean)
{
  std::vector<double> s;
  std::vector<std::string> names;
  stempdf::bridge::CurveMatrix phi;
  std::string error;
  if (!stempdf::bridge::ReadCurveTable(input, this->SColumn, s, names, phi, error))
  {
    vtkErrorMacro(<< "PairDistribution: SColumn: " << error);
    return false;
  }
  try
  {
    if (!phi.allFinite())
    {
      stempdf::bridge::Fail("the table's curves hold a NaN or an infinite value");
    }
    const stempdf::SineTransform transform(
      s, stempdf::SineTransform::RSamples(this->RRange[0], this->RRange[1], this->RStep));
    stempdf::bridge::CurveMatrix G(phi.rows(), static_cast<Eigen::Index>(transform.GetR().size()));
    transform.Apply(phi, G);
    stempdf::bridge::WriteCurveTable("r", transform.GetR(), names, G, output);
    stempdf::bridge::CurveMatrix average = G.colwise().mean();
    stempdf::bridge::WriteCurveTable("r", transform.GetR(), { "MeanG" }, average, mean);
    if (this->NumberDensity > 0.0)
    {
      stempdf::bridge::CurveMatrix g(G.rows(), G.cols());
      transform.PairCorrelation(phi, G, this->NumberDensity, g);
      std::vector<std::string> gNames;
      for (const auto& name : names)
      {
        gNames.push_back(name + "_g");
      }
      vtkNew<vtkTable> pair;
      stempdf::bridge::WriteCurveTable("r", transform.GetR(), gNames, g, pair);
      for (vtkIdType c = 1; c < pair->GetNumberOfColumns(); ++c)
      {
        output->AddColumn(pair->GetColumn(c));
      }
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "PairDistribution on the table's curves: " << e.GetDescription());
    return false;
  }
  return true;
}

int vtkSTEMPDFPairDistribution::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkTable* mean = vtkTable::GetData(outputVector, 1);
  if (auto* field = vtkImageData::GetData(inputVector[0]))
  {
    int wholeExtent[6];
    inputVector[0]->GetInformationObject(0)->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
    vtkImageData* output = vtkImageData::GetData(outputVector, 0);
    if (!this->ComputeField(field, output, mean, wholeExtent))
    {
      output->Initialize();
      return 0;
    }
    return 1;
  }
  if (auto* table = vtkTable::GetData(inputVector[0]))
  {
    return this->ComputeTable(table, vtkTable::GetData(outputVector, 0), mean) ? 1 : 0;
  }
  vtkErrorMacro(<< "PairDistribution needs a field of phi(s) (vtkImageData) or a table of curves (vtkTable)");
  return 0;
}

void vtkSTEMPDFPairDistribution::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "RRange: (" << this->RRange[0] << ", " << this->RRange[1] << "), RStep: " << this->RStep
     << ", NumberDensity: " << this->NumberDensity << ", SColumn: " << this->SColumn << "\n";
}
