#include "vtkSTEMPDFMIBReader.h"

#include "stempdfMIBImageIO.h"

#include "vtkObjectFactory.h"

#include <algorithm>

vtkStandardNewMacro(vtkSTEMPDFMIBReader);

int vtkSTEMPDFMIBReader::CanReadFile(const char* fileName)
{
  auto io = stempdf::MIBImageIO::New();
  return (fileName && io->CanReadFile(fileName)) ? 1 : 0;
}

itk::SmartPointer<itk::ImageIOBase> vtkSTEMPDFMIBReader::CreateImageIO()
{
  auto io = stempdf::MIBImageIO::New();
  io->SetScanShape(static_cast<unsigned int>(std::max(this->ScanShape[0], 0)),
    static_cast<unsigned int>(std::max(this->ScanShape[1], 0)));
  io->SetFlybackFrames(static_cast<unsigned int>(std::max(this->FlybackFrames, 0)));
  io->SetFirstFrame(static_cast<itk::SizeValueType>(std::max(this->FirstFrame, 0)));
  io->SetAcquisitionIndex(static_cast<unsigned int>(std::max(this->AcquisitionIndex, 0)));
  return io.GetPointer();
}

void vtkSTEMPDFMIBReader::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "ScanShape: (" << this->ScanShape[0] << ", " << this->ScanShape[1] << ")\n";
  os << indent << "FlybackFrames: " << this->FlybackFrames << "\n";
  os << indent << "FirstFrame: " << this->FirstFrame << "\n";
  os << indent << "AcquisitionIndex: " << this->AcquisitionIndex << "\n";
}
