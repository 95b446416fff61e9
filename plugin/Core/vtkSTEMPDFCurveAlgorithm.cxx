#include "vtkSTEMPDFCurveAlgorithm.h"

#include "vtkDataObject.h"
#include "vtkDataSetAttributes.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"
#include "vtkSmartPointer.h"
#include "vtkStreamingDemandDrivenPipeline.h"
#include "vtkTable.h"

vtkSTEMPDFCurveAlgorithm::vtkSTEMPDFCurveAlgorithm(const char* expectedInput)
  : ExpectedInput(expectedInput)
{
  this->SetNumberOfOutputPorts(2);
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

int vtkSTEMPDFCurveAlgorithm::FillInputPortInformation(int, vtkInformation* info)
{
  info->Remove(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE());
  info->Append(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkImageData");
  info->Append(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkTable");
  return 1;
}

int vtkSTEMPDFCurveAlgorithm::FillOutputPortInformation(int port, vtkInformation* info)
{
  if (port == 1)
  {
    info->Set(vtkDataObject::DATA_TYPE_NAME(), "vtkTable");
  }
  return 1;
}

int vtkSTEMPDFCurveAlgorithm::RequestDataObject(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkDataObject* input = vtkDataObject::GetData(inputVector[0]);
  if (input == nullptr)
  {
    return 0;
  }
  // Port 0 follows the input (field or table); port 1 is always a table.
  vtkInformation* info = outputVector->GetInformationObject(0);
  vtkDataObject* output = vtkDataObject::GetData(info);
  if (output == nullptr || !output->IsA(input->GetClassName()))
  {
    vtkSmartPointer<vtkDataObject> made;
    made.TakeReference(input->NewInstance());
    info->Set(vtkDataObject::DATA_OBJECT(), made);
  }
  vtkInformation* tableInfo = outputVector->GetInformationObject(1);
  if (vtkTable::GetData(tableInfo) == nullptr)
  {
    vtkNew<vtkTable> table;
    tableInfo->Set(vtkDataObject::DATA_OBJECT(), table);
  }
  return 1;
}

int vtkSTEMPDFCurveAlgorithm::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  // The output field keeps the scan grid (passed on by the executive); the
  // table of port 1 has no extent: it is made from every piece.
  vtkInformation* tableInfo = outputVector->GetInformationObject(1);
  tableInfo->Remove(vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT());
  tableInfo->Set(CAN_HANDLE_PIECE_REQUEST(), 1);
  return 1;
}

int vtkSTEMPDFCurveAlgorithm::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkTable* second = vtkTable::GetData(outputVector, 1);
  if (auto* field = vtkImageData::GetData(inputVector[0]))
  {
    int wholeExtent[6];
    inputVector[0]->GetInformationObject(0)->Get(
      vtkStreamingDemandDrivenPipeline::WHOLE_EXTENT(), wholeExtent);
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
  vtkErrorMacro(<< this->ExpectedInput);
  return 0;
}
