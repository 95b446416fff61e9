#include "vtkSTEMPDFAzimuthalIntegrate.h"

#include "stempdfBridge.h"
#include "stempdfCalibratedAzimuthalIntegrateImageFilter.h"
#include "stempdfDetectorMasks.h"
#include "stempdfMetaDataKeys.h"
#include "stempdfPieces.h"
#include "stempdfTables.h"

#include "itkMetaDataObject.h"

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
#include "vtkTable.h"

#include <algorithm>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFAzimuthalIntegrate);

vtkSTEMPDFAzimuthalIntegrate::vtkSTEMPDFAzimuthalIntegrate()
  : vtkSTEMPDFFieldAlgorithm(1) // the mean profile
{
  this->SetNumberOfInputPorts(2);
}

int vtkSTEMPDFAzimuthalIntegrate::FillInputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  if (port == 1)
  {
    info->Set(vtkAlgorithm::INPUT_IS_OPTIONAL(), 1);
  }
  return 1;
}

int vtkSTEMPDFAzimuthalIntegrate::RequestUpdateExtent(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  // The scan: the piece asked of the profiles. The mask: always whole, on every rank.
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkInformation* scanInfo = inputVector[0]->GetInformationObject(0);
  int extent[6];
  outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent);
  scanInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent, 6);
  if (vtkInformation* maskInfo = inputVector[1]->GetInformationObject(0))
  {
    int whole[6];
    maskInfo->Get(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), whole);
    maskInfo->Set(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), whole, 6);
    maskInfo->Set(vtkStreamingDemandDrivenPipeline::EXACT_EXTENT(), 1);
  }
  return 1;
}

void vtkSTEMPDFAzimuthalIntegrate::WriteUsedCalibration(vtkImageData* output)
{
  using stempdf::bridge::AddFieldNumbers;
  AddFieldNumbers(
    output->GetFieldData(), "STEMPDF_Center", { this->UsedCenter[0], this->UsedCenter[1] });
  AddFieldNumbers(output->GetFieldData(), "STEMPDF_EllipseRatio", { this->UsedEllipseRatio });
  AddFieldNumbers(output->GetFieldData(), "STEMPDF_EllipseAngle", { this->UsedEllipseAngle });
  AddFieldNumbers(output->GetFieldData(), "STEMPDF_DetectorPixelSize", { this->UsedPixelSize });
  AddFieldNumbers(output->GetFieldData(), "STEMPDF_ExcludedPixels",
    { static_cast<double>(this->ExcludedPixels) });
  AddFieldNumbers(output->GetFieldData(), "STEMPDF_DefectivePixels",
    { static_cast<double>(this->DefectivePixels) });
}

int vtkSTEMPDFAzimuthalIntegrate::RequestInformation(
  vtkInformation* request, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkDataObject::SetPointDataActiveScalarInfo(
    outputVector->GetInformationObject(0), VTK_DOUBLE, -1);
  return this->Superclass::RequestInformation(request, inputVector, outputVector); // the table
}

template <typename TCount>
bool vtkSTEMPDFAzimuthalIntegrate::Compute(vtkImageData* input, vtkDataArray* patterns,
  vtkImageData* maskInput, const int wholeExtent[6], vtkImageData* output)
{
  using PatternImage = stempdf::PatternFieldImage<TCount>;
  using Filter = stempdf::CalibratedAzimuthalIntegrateImageFilter<PatternImage>;
  try
  {
    auto field = stempdf::bridge::ImportField<PatternImage>(input, patterns);
    stempdf::VectorAxis detector;
    stempdf::GetVectorAxis(field->GetMetaDataDictionary(), detector);
    auto filter = Filter::New();
    filter->SetInput(field);
    auto* integrator = filter->GetIntegrator();
    integrator->SetCenter(
      typename Filter::IntegratorType::PointType{ { this->Center[0], this->Center[1] } });
    integrator->SetCenterOnDetectorMiddle(this->CenterOnDetectorMiddle);
    integrator->SetEllipseRatio(this->EllipseRatio);
    integrator->SetEllipseAngle(this->EllipseAngle);
    integrator->SetPixelSize(this->PixelSize);
    integrator->SetCameraLength(this->CameraLength);
    integrator->SetDetectorPixelPitch(this->DetectorPixelPitch);
    integrator->SetBeamEnergy(this->BeamEnergy);
    integrator->SetSRange(
      typename Filter::IntegratorType::RangeType{ { this->SRange[0], this->SRange[1] } });
    integrator->SetNumberOfBins(static_cast<unsigned int>(std::max(this->NumberOfBins, 0)));
    integrator->SetComputeVariance(this->ComputeVariance);
    filter->SetMaskImage(stempdf::bridge::GivenDetectorMask(
      this->MaskFile, maskInput, this->MaskNonZeroIsGood, detector));
    filter->SetRejectDefectivePixels(this->RejectDefectivePixels);
    filter->SetDefectThreshold(this->DefectThreshold);
    filter->SetFindCenter(this->FindCenter);
    filter->SetFitEllipse(this->FitEllipse);
    // The mean pattern is the whole scan's, from the positions each rank owns.
    const auto owned = stempdf::pieces::OwnedExtent(input->GetExtent(), wholeExtent);
    filter->SetOwnedRegion(stempdf::bridge::ScanRegion<PatternImage>(owned));
    filter->SetGlobalSum(stempdf::pieces::ranks::GlobalSum());
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();

    this->UsedCenter[0] = filter->GetUsedCenter()[0];
    this->UsedCenter[1] = filter->GetUsedCenter()[1];
    this->UsedEllipseRatio = filter->GetUsedEllipseRatio();
    this->UsedEllipseAngle = filter->GetUsedEllipseAngle();
    itk::ExposeMetaData<double>(filter->GetOutput()->GetMetaDataDictionary(),
      stempdf::DetectorPixelSizeKey, this->UsedPixelSize);
    this->DefectivePixels = static_cast<int>(filter->GetNumberOfDefectivePixels());
    this->ExcludedPixels = static_cast<int>(filter->GetNumberOfExcludedPixels());

    stempdf::bridge::ExportField(filter->GetOutput(), "Intensity", output);
    if (this->ComputeVariance)
    {
      stempdf::bridge::ExportField(filter->GetVarianceOutput(), "Variance", output, false);
    }
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "AzimuthalIntegrate on array '" << patterns->GetName()
                  << "': " << e.GetDescription());
    return false;
  }
  return true;
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
  vtkDataArray* patterns = stempdf::bridge::InputArrayOrError(
    this, this->GetInputArrayToProcess(0, inputVector), input, "AzimuthalIntegrate");
  if (patterns == nullptr)
  {
    return 0;
  }
  output->GetFieldData()->PassData(input->GetFieldData());
  int wholeExtent[6];
  inputVector[0]->GetInformationObject(0)->Get(
    vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
  vtkImageData* maskInput = vtkImageData::GetData(inputVector[1]);
  std::string typeError;
  const bool ok = stempdf::bridge::DispatchCountType(
    patterns,
    [&](auto count)
    { return this->Compute<decltype(count)>(input, patterns, maskInput, wholeExtent, output); },
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
  this->WriteUsedCalibration(output);
  stempdf::bridge::AddMeanCurves(
    output, { "Intensity" }, "s", { "MeanIntensity" }, wholeExtent, table);
  return 1;
}

void vtkSTEMPDFAzimuthalIntegrate::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Center: (" << this->Center[0] << ", " << this->Center[1] << ")"
     << (this->CenterOnDetectorMiddle ? " (unused: detector middle)" : "") << "\n";
  os << indent << "EllipseRatio: " << this->EllipseRatio << ", EllipseAngle: " << this->EllipseAngle
     << "\n";
  os << indent << "PixelSize: " << this->PixelSize << ", SRange: (" << this->SRange[0] << ", "
     << this->SRange[1] << "), NumberOfBins: " << this->NumberOfBins << "\n";
  os << indent << "ComputeVariance: " << (this->ComputeVariance ? "On" : "Off") << "\n";
  os << indent << "CameraLength: " << this->CameraLength
     << " mm, DetectorPixelPitch: " << this->DetectorPixelPitch
     << " um, BeamEnergy: " << this->BeamEnergy << " kV\n";
  os << indent << "MaskFile: '" << this->MaskFile << "'"
     << (this->MaskNonZeroIsGood ? " (non-zero = good)" : "")
     << ", RejectDefectivePixels: " << (this->RejectDefectivePixels ? "On" : "Off")
     << ", DefectThreshold: " << this->DefectThreshold << "\n";
  os << indent << "FindCenter: " << (this->FindCenter ? "On" : "Off")
     << ", FitEllipse: " << (this->FitEllipse ? "On" : "Off") << "\n";
  os << indent << "Used: center (" << this->UsedCenter[0] << ", " << this->UsedCenter[1]
     << "), ellipse " << this->UsedEllipseRatio << " at " << this->UsedEllipseAngle
     << " deg, pixel size " << this->UsedPixelSize << ", " << this->ExcludedPixels
     << " excluded pixels (" << this->DefectivePixels << " defective)\n";
}
