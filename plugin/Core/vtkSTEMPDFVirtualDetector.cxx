#include "vtkSTEMPDFVirtualDetector.h"

#include "stempdfBridge.h"
#include "stempdfVirtualDetectorImageFilter.h"

#include "vtkDataArray.h"
#include "vtkDataObject.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"

vtkStandardNewMacro(vtkSTEMPDFVirtualDetector);

vtkSTEMPDFVirtualDetector::vtkSTEMPDFVirtualDetector()
{
  this->SetOutputArrayName("VirtualDetector");
  this->SetInputArrayToProcess(
    0, 0, 0, vtkDataObject::FIELD_ASSOCIATION_POINTS, vtkDataSetAttributes::SCALARS);
}

vtkSTEMPDFVirtualDetector::~vtkSTEMPDFVirtualDetector()
{
  this->SetOutputArrayName(nullptr);
}

int vtkSTEMPDFVirtualDetector::RequestInformation(
  vtkInformation*, vtkInformationVector**, vtkInformationVector* outputVector)
{
  // Same scan grid as the input (copied by the executive), one double per position.
  vtkDataObject::SetPointDataActiveScalarInfo(outputVector->GetInformationObject(0), VTK_DOUBLE, 1);
  return 1;
}

template <typename TCount>
bool vtkSTEMPDFVirtualDetector::Compute(
  vtkImageData* input, vtkDataArray* patterns, vtkImageData* output)
{
  using PatternImage = stempdf::PatternFieldImage<TCount>;
  using Filter = stempdf::VirtualDetectorImageFilter<PatternImage>;
  try
  {
    auto field = stempdf::bridge::ImportField<PatternImage>(input, patterns);
    auto filter = Filter::New();
    filter->SetInput(field);
    filter->SetCenter(typename Filter::CenterType{ { this->Center[0], this->Center[1] } });
    filter->SetCenterOnDetectorMiddle(this->CenterOnDetectorMiddle);
    filter->SetInnerRadius(this->InnerRadius);
    filter->SetOuterRadius(this->OuterRadius);
    stempdf::bridge::ForwardProgress(filter, this);
    filter->Update();
    stempdf::bridge::ExportField(filter->GetOutput(), this->OutputArrayName, output);
  }
  catch (const itk::ExceptionObject& e)
  {
    vtkErrorMacro(<< "VirtualDetector on array '" << patterns->GetName()
                  << "': " << e.GetDescription());
    return false;
  }
  return true;
}

int vtkSTEMPDFVirtualDetector::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector);
  vtkDataArray* patterns = this->GetInputArrayToProcess(0, inputVector);
  if (input == nullptr || output == nullptr)
  {
    vtkErrorMacro(<< "VirtualDetector needs a vtkImageData input (a field over the scan grid)");
    return 0;
  }
  patterns = stempdf::bridge::InputArrayOrError(this, patterns, input, "VirtualDetector");
  if (patterns == nullptr)
  {
    return 0;
  }
  if (!this->OutputArrayName || !*this->OutputArrayName)
  {
    vtkErrorMacro(<< "OutputArrayName is empty; expected the name of the output array");
    return 0;
  }

  output->GetFieldData()->PassData(input->GetFieldData());
  stempdf::bridge::RemoveVectorAxis(output->GetFieldData()); // the output is a scalar map

  std::string typeError;
  const bool ok = stempdf::bridge::DispatchCountType(
    patterns, [&](auto count) { return this->Compute<decltype(count)>(input, patterns, output); },
    typeError);
  if (!typeError.empty())
  {
    vtkErrorMacro(<< typeError);
  }
  if (!ok)
  {
    output->Initialize();
  }
  return ok ? 1 : 0;
}

void vtkSTEMPDFVirtualDetector::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Center: (" << this->Center[0] << ", " << this->Center[1] << ")\n";
  os << indent << "CenterOnDetectorMiddle: " << (this->CenterOnDetectorMiddle ? "On" : "Off")
     << "\n";
  os << indent << "InnerRadius: " << this->InnerRadius << "\n";
  os << indent << "OuterRadius: " << this->OuterRadius << "\n";
  os << indent << "OutputArrayName: " << (this->OutputArrayName ? this->OutputArrayName : "(none)")
     << "\n";
}
