#include "vtkSTEMPDFScanReader.h"

#include "stempdfBridge.h"
#include "stempdfMetaDataKeys.h"
#include "stempdfRangeCache.h"
#include "stempdfVectorAxis.h"

#include "itkImageIOBase.h"
#include "itkMetaDataObject.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkExtentTranslator.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationIntegerRequestKey.h"
#include "vtkInformationVector.h"
#include "vtkPointData.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"

namespace
{
int VTKType(itk::IOComponentEnum type)
{
  switch (type)
  {
    case itk::IOComponentEnum::UCHAR:
      return VTK_UNSIGNED_CHAR;
    case itk::IOComponentEnum::USHORT:
      return VTK_UNSIGNED_SHORT;
    case itk::IOComponentEnum::UINT:
      return VTK_UNSIGNED_INT;
    case itk::IOComponentEnum::SHORT:
      return VTK_SHORT;
    case itk::IOComponentEnum::INT:
      return VTK_INT;
    case itk::IOComponentEnum::FLOAT:
      return VTK_FLOAT;
    case itk::IOComponentEnum::DOUBLE:
      return VTK_DOUBLE;
    default:
      return VTK_VOID;
  }
}

double DictionaryValue(const itk::MetaDataDictionary& dictionary, const char* key)
{
  double value = 0.0;
  return itk::ExposeMetaData<double>(dictionary, key, value) ? value : 0.0;
}

void AddValue(vtkFieldData* fieldData, const char* name, double value)
{
  if (value > 0.0)
  {
    vtkNew<vtkDoubleArray> array;
    array->SetName(name);
    array->InsertNextValue(value);
    fieldData->AddArray(array);
  }
}
} // namespace

vtkSTEMPDFScanReader::vtkSTEMPDFScanReader()
{
  this->SetNumberOfInputPorts(0);
  this->SetPatternArrayName("Counts");
}

vtkSTEMPDFScanReader::~vtkSTEMPDFScanReader()
{
  this->SetFileName(nullptr);
  this->SetPatternArrayName(nullptr);
}

bool vtkSTEMPDFScanReader::OpenImageIO(itk::SmartPointer<itk::ImageIOBase>& io)
{
  if (!this->FileName || !*this->FileName)
  {
    vtkErrorMacro(<< "FileName is empty; expected a 4D-STEM file");
    return false;
  }
  try
  {
    io = this->CreateImageIO();
    io->SetFileName(this->FileName);
    io->ReadImageInformation();
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "cannot read '" << this->FileName << "': " << e.GetDescription());
    return false;
  }
  if (io->GetNumberOfDimensions() != 2 || VTKType(io->GetComponentType()) == VTK_VOID)
  {
    vtkErrorMacro(<< "'" << this->FileName
                  << "' did not give a field over a 2-D scan grid of a supported type");
    return false;
  }
  const auto& dictionary = io->GetMetaDataDictionary();
  this->FileScanStep = DictionaryValue(dictionary, stempdf::ScanStepKey);
  this->FileDetectorPixelSize = DictionaryValue(dictionary, stempdf::DetectorPixelSizeKey);
  this->FileBeamEnergy = DictionaryValue(dictionary, stempdf::BeamEnergyKey);
  return true;
}

int vtkSTEMPDFScanReader::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  itk::SmartPointer<itk::ImageIOBase> io;
  if (!this->OpenImageIO(io))
  {
    return 0;
  }
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  const int extent[6] = { 0, static_cast<int>(io->GetDimensions(0)) - 1, 0,
    static_cast<int>(io->GetDimensions(1)) - 1, 0, 0 };
  outInfo->Set(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), extent, 6);
  const double step = this->ScanStep > 0.0 ? this->ScanStep : io->GetSpacing(0);
  const double stepY = this->ScanStep > 0.0 ? this->ScanStep : io->GetSpacing(1);
  const double spacing[3] = { step, stepY, 1.0 };
  outInfo->Set(vtkDataObject::SPACING(), spacing, 3);
  const double origin[3] = { io->GetOrigin(0), io->GetOrigin(1), 0.0 };
  outInfo->Set(vtkDataObject::ORIGIN(), origin, 3);
  vtkDataObject::SetPointDataActiveScalarInfo(
    outInfo, VTKType(io->GetComponentType()), static_cast<int>(io->GetNumberOfComponents()));
  // Any rectangle of positions can be read; prefer slabs of whole scan rows.
  outInfo->Set(CAN_PRODUCE_SUB_EXTENT(), 1);
  vtkExtentTranslator::UPDATE_SPLIT_MODE()->Set(outInfo, vtkExtentTranslator::Y_SLAB_MODE);
  return 1;
}

int vtkSTEMPDFScanReader::RequestData(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  vtkInformation* outInfo = outputVector->GetInformationObject(0);
  vtkImageData* output = vtkImageData::GetData(outInfo);
  itk::SmartPointer<itk::ImageIOBase> io;
  if (!this->OpenImageIO(io))
  {
    return 0;
  }
  int extent[6];
  outInfo->Get(vtkStreamingDemandDrivenPipeline::UPDATE_EXTENT(), extent);
  output->SetExtent(extent);
  const double step = this->ScanStep > 0.0 ? this->ScanStep : io->GetSpacing(0);
  const double stepY = this->ScanStep > 0.0 ? this->ScanStep : io->GetSpacing(1);
  output->SetSpacing(step, stepY, 1.0);
  output->SetOrigin(io->GetOrigin(0), io->GetOrigin(1), 0.0);

  itk::ImageIORegion region(2);
  region.SetIndex(0, extent[0]);
  region.SetIndex(1, extent[2]);
  region.SetSize(0, static_cast<itk::SizeValueType>(extent[1] - extent[0] + 1));
  region.SetSize(1, static_cast<itk::SizeValueType>(extent[3] - extent[2] + 1));
  auto patterns = vtkSmartPointer<vtkDataArray>::Take(
    vtkDataArray::CreateDataArray(VTKType(io->GetComponentType())));
  patterns->SetName(this->PatternArrayName ? this->PatternArrayName : "Counts");
  patterns->SetNumberOfComponents(static_cast<int>(io->GetNumberOfComponents()));
  patterns->SetNumberOfTuples(static_cast<vtkIdType>(region.GetNumberOfPixels()));
  try
  {
    io->SetIORegion(region);
    io->Read(patterns->GetVoidPointer(0));
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "cannot read '" << this->FileName << "': " << e.GetDescription());
    output->Initialize();
    return 0;
  }
  stempdf::FillRangeCache(patterns); // spares ParaView ~30 s per 2 GiB (docs/gui-responsiveness.md)
  output->GetPointData()->SetScalars(patterns);

  stempdf::VectorAxis axis;
  if (stempdf::GetVectorAxis(io->GetMetaDataDictionary(), axis))
  {
    stempdf::bridge::WriteVectorAxis(axis, output->GetFieldData());
  }
  AddValue(output->GetFieldData(), "STEMPDF_ScanStep", step);
  AddValue(output->GetFieldData(), "STEMPDF_DetectorPixelSize",
    this->DetectorPixelSize > 0.0 ? this->DetectorPixelSize : this->FileDetectorPixelSize);
  AddValue(output->GetFieldData(), "STEMPDF_BeamEnergy",
    this->BeamEnergy > 0.0 ? this->BeamEnergy : this->FileBeamEnergy);
  return 1;
}

void vtkSTEMPDFScanReader::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "FileName: " << (this->FileName ? this->FileName : "(none)") << "\n";
  os << indent << "ScanStep: " << this->ScanStep << " (file: " << this->FileScanStep << ")\n";
  os << indent << "DetectorPixelSize: " << this->DetectorPixelSize
     << " (file: " << this->FileDetectorPixelSize << ")\n";
  os << indent << "BeamEnergy: " << this->BeamEnergy << " (file: " << this->FileBeamEnergy << ")\n";
  os << indent << "PatternArrayName: " << (this->PatternArrayName ? this->PatternArrayName : "")
     << "\n";
}
