#include "vtkSTEMPDFHDF5Reader.h"

#include "stempdfHDF5DatasetImageIO.h"

#include "vtkObjectFactory.h"
#include "vtkStringArray.h"

vtkStandardNewMacro(vtkSTEMPDFHDF5Reader);

vtkSTEMPDFHDF5Reader::vtkSTEMPDFHDF5Reader() = default;

vtkSTEMPDFHDF5Reader::~vtkSTEMPDFHDF5Reader()
{
  this->SetDatasetPath(nullptr);
}

int vtkSTEMPDFHDF5Reader::CanReadFile(const char* fileName)
{
  auto io = stempdf::HDF5DatasetImageIO::New();
  return (fileName && io->CanReadFile(fileName)) ? 1 : 0;
}

vtkStringArray* vtkSTEMPDFHDF5Reader::GetDatasetPaths()
{
  this->DatasetPaths->Initialize();
  if (this->FileName && *this->FileName)
  {
    try
    {
      for (const auto& path : stempdf::HDF5DatasetImageIO::ListFourDDatasets(this->FileName))
      {
        this->DatasetPaths->InsertNextValue(path);
      }
    }
    catch (const itk::ExceptionObject&)
    {
      // Not readable: an empty list; RequestInformation reports the error.
    }
  }
  return this->DatasetPaths;
}

itk::SmartPointer<itk::ImageIOBase> vtkSTEMPDFHDF5Reader::CreateImageIO()
{
  auto io = stempdf::HDF5DatasetImageIO::New();
  io->SetDatasetPath(this->DatasetPath ? this->DatasetPath : "");
  return io.GetPointer();
}

void vtkSTEMPDFHDF5Reader::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "DatasetPath: " << (this->DatasetPath ? this->DatasetPath : "(automatic)")
     << "\n";
}
