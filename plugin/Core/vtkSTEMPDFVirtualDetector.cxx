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
    vtkErrorMacro(<< "VirtualDetector on array '" << patterns->GetName() << "': " << e.GetDescription());
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
  if (patterns == nullptr)
  {
    // No array chosen (e.g. a script made this filter before its input had
    // run, so the Patterns domain was empty): take the active point scalars.
    vtkInformation* choice = this->GetInputArrayInformation(0);
    const char* name = choice->Get(vtkDataObject::FIELD_NAME());
    if (name != nullptr && *name != '\0')
    {
      vtkErrorMacro(<< "Patterns: the input has no point-data array named '" << name << "'");
      return 0;
    }
    patterns = input->GetPointData()->GetScalars();
  }
  if (patterns == nullptr)
  {
    vtkErrorMacro(<< "VirtualDetector found no array of diffraction patterns: choose a point-data "
                     "array with the Patterns property (SetInputArrayToProcess)");
    return 0;
  }
  if (!this->OutputArrayName || !*this->OutputArrayName)
  {
    vtkErrorMacro(<< "OutputArrayName is empty; expected the name of the output array");
    return 0;
  }

  output->GetFieldData()->PassData(input->GetFieldData());
  stempdf::bridge::RemoveVectorAxis(output->GetFieldData()); // the output is a scalar map

  bool ok = false;
  switch (patterns->GetDataType())
  {
    case VTK_UNSIGNED_CHAR:
      ok = this->Compute<unsigned char>(input, patterns, output);
      break;
    case VTK_UNSIGNED_SHORT:
      ok = this->Compute<unsigned short>(input, patterns, output);
      break;
    case VTK_UNSIGNED_INT:
      ok = this->Compute<unsigned int>(input, patterns, output);
      break;
    case VTK_SHORT:
      ok = this->Compute<short>(input, patterns, output);
      break;
    case VTK_INT:
      ok = this->Compute<int>(input, patterns, output);
      break;
    case VTK_FLOAT:
      ok = this->Compute<float>(input, patterns, output);
      break;
    case VTK_DOUBLE:
      ok = this->Compute<double>(input, patterns, output);
      break;
    default:
      vtkErrorMacro(<< "array '" << patterns->GetName() << "' holds " << patterns->GetDataTypeAsString()
                    << " values; expected detector counts as uint8, uint16, uint32, int16, int32, "
                       "float or double");
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
  os << indent << "CenterOnDetectorMiddle: " << (this->CenterOnDetectorMiddle ? "On" : "Off") << "\n";
  os << indent << "InnerRadius: " << this->InnerRadius << "\n";
  os << indent << "OuterRadius: " << this->OuterRadius << "\n";
  os << indent << "OutputArrayName: " << (this->OutputArrayName ? this->OutputArrayName : "(none)")
     << "\n";
}
