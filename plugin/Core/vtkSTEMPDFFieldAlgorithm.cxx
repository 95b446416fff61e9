#include "vtkSTEMPDFFieldAlgorithm.h"

#include "vtkDataObject.h"
#include "vtkDataSetAttributes.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkStreamingDemandDrivenPipeline.h"

vtkSTEMPDFFieldAlgorithm::vtkSTEMPDFFieldAlgorithm(int tables)
{
  this->SetNumberOfOutputPorts(1 + tables);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

int vtkSTEMPDFFieldAlgorithm::FillOutputPortInformation(int port, vtkInformation* info)
{
  info->Set(vtkDataObject::DATA_TYPE_NAME(), port == 0 ? "vtkImageData" : "vtkTable");
  return 1;
}

int vtkSTEMPDFFieldAlgorithm::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  for (int port = 1; port < this->GetNumberOfOutputPorts(); ++port)
  {
    vtkInformation* tableInfo = outputVector->GetInformationObject(port);
    tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
    tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
  }
  return 1;
}
