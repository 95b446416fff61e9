#include "vtkSTEMPDFAzimuthalIntegrate.h"

#include "stempdfAzimuthalIntegrateImageFilter.h"
#include "stempdfBridge.h"

#include "vtkCommunicator.h"
#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkMultiProcessController.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

#include <vector>

vtkStandardNewMacro(vtkSTEMPDFAzimuthalIntegrate);

vtkSTEMPDFAzimuthalIntegrate::vtkSTEMPDFAzimuthalIntegrate()
{
  this->SetNumberOfOutputPorts(2);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

int vtkSTEMPDFAzimuthalIntegrate::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFAzimuthalIntegrate::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkDataObject::SetPointDataActiveScalarInfo(outputVector->GetInformationObject(0), VTK_DOUBLE, -1);
  // The table of the mean profile has no extent; it is made from every piece.
  vtkInformation* tableInfo = outputVector->GetInformationObject(1);
  tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
  tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
  return 1;
}

template <typename TCount>
bool vtkSTEMPDFAzimuthalIntegrate::Compute(
  vtkImageData* input, vtkDataArray* patterns, vtkImageData* output)
{
  using PatternImage = stempdf::PatternFieldImage<TCount>;
  using Filter = stempdf::AzimuthalIntegrateImageFilter<PatternImage>;
  try
  {
    auto field = stempdf::bridge::ImportField<PatternImage>(input, patterns);
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetCenter(typename Filter::PointType{ { this->Center[0], this->Center[1] } });
    filter->SetCenterOnDetectorMiddle(this->CenterOnDetectorMiddle);
    filter->SetEllipseRatio(this->EllipseRatio);
    filter->SetEllipseAngle(this->EllipseAngle);
    filter->SetPixelSize(this->PixelSize);
    filter->SetSRange(typename Filter::RangeType{ { this->SRange[0], this->SRange[1] } });
    filter->SetNumberOfBins(static_cast<unsigned int>(std::max(this->NumberOfBins, 0)));
    filter->SetComputeVariance(this->ComputeVariance);
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();
    stempdf::bridge::ExportField(filter->GetOutput(), "Intensity", output);
    if (this->ComputeVariance)
    {
      stempdf::bridge::ExportField(filter->GetVarianceOutput(), "Variance", output, false);
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "AzimuthalIntegrate on array '" << patterns->GetName() << "': " << e.GetDescription());
    return false;
  }
  return true;
}

void vtkSTEMPDFAzimuthalIntegrate::ComputeMeanProfile(
  vtkImageData* profiles, const int wholeExtent[6], vtkTable* table)
{
  vtkDataArray* intensity = profiles->GetPointData()->GetArray("Intensity");
  stempdf::VectorAxis axis;
  if (intensity == nullptr || !stempdf::bridge::ReadVectorAxis(profiles->GetFieldData(), axis))
  {
    return;
  }
  const int bins = intensity->GetNumberOfComponents();
  // Neighbouring pieces share their boundary row: a piece owns its rows but
  // the last, unless that is the last row of the scan (docs/data-model.md).
  const int* extent = profiles->GetExtent();
  const int lastOwnedRow = extent[3] < wholeExtent[3] ? extent[3] - 1 : extent[3];
  std::vector<double> sums(bins + 1, 0.0), total(bins + 1, 0.0);
  const int nx = extent[1] - extent[0] + 1;
  for (int y = extent[2]; y <= lastOwnedRow; ++y)
  {
    for (int x = 0; x < nx; ++x)
    {
      const vtkIdType tuple = static_cast<vtkIdType>(y - extent[2]) * nx + x;
      for (int b = 0; b < bins; ++b)
      {
        sums[b] += intensity->GetComponent(tuple, b);
      }
      sums[bins] += 1.0;
    }
  }
  vtkMultiProcessController* controller = vtkMultiProcessController::GetGlobalController();
  if (controller != nullptr && controller->GetNumberOfProcesses() > 1)
  {
    controller->AllReduce(sums.data(), total.data(), bins + 1, vtkCommunicator::SUM_OP);
    if (controller->GetLocalProcessId() != 0)
    {
      return; // one table for the whole scan: rank 0 holds it, so gathering does not repeat it
    }
  }
  else
  {
    total = sums;
  }
  vtkNew<vtkDoubleArray> s, mean;
  s->SetName("s");
  mean->SetName("MeanIntensity");
  s->SetNumberOfTuples(bins);
  mean->SetNumberOfTuples(bins);
  for (int b = 0; b < bins; ++b)
  {
    s->SetValue(b, axis.GetCoordinate(b));
    mean->SetValue(b, total[bins] > 0.0 ? total[b] / total[bins] : 0.0);
  }
  table->AddColumn(s);
  table->AddColumn(mean);
}

int vtkSTEMPDFAzimuthalIntegrate::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector, 0);
  vtkTable* table = vtkTable::GetData(outputVector, 1);
  if (input == nullptr)
  {
    vtkErrorMacro(<< "AzimuthalIntegrate needs a vtkImageData input (a field over the scan grid)");
    return 0;
  }
  std::string error;
  vtkDataArray* patterns =
    stempdf::bridge::ResolvePatterns(this, this->GetInputArrayToProcess(0, inputVector), input, error);
  if (patterns == nullptr)
  {
    vtkErrorMacro(<< "AzimuthalIntegrate: " << error);
    return 0;
  }
  output->GetFieldData()->PassData(input->GetFieldData());
  std::string typeError;
  const bool ok = stempdf::bridge::DispatchCountType(
    patterns,
    [&](auto count) { return this->Compute<decltype(count)>(input, patterns, output); },
    typeError);
  if (!typeError.empty())
  {
    vtkErrorMacro(<< typeError);
  }
  if (!ok)
  {
    output->Initialize();
    return 0;
  }
  int wholeExtent[6];
  inputVector[0]->GetInformationObject(0)->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
  this->ComputeMeanProfile(output, wholeExtent, table);
  return 1;
}

void vtkSTEMPDFAzimuthalIntegrate::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Center: (" << this->Center[0] << ", " << this->Center[1] << ")"
     << (this->CenterOnDetectorMiddle ? " (unused: detector middle)" : "") << "\n";
  os << indent << "EllipseRatio: " << this->EllipseRatio << ", EllipseAngle: " << this->EllipseAngle << "\n";
  os << indent << "PixelSize: " << this->PixelSize << ", SRange: (" << this->SRange[0] << ", "
     << this->SRange[1] << "), NumberOfBins: " << this->NumberOfBins << "\n";
  os << indent << "ComputeVariance: " << (this->ComputeVariance ? "On" : "Off") << "\n";
}
