#include "vtkSTEMPDFColorMix.h"

#include "stempdfColorMix.h"
#include "stempdfPieces.h"

#include "vtkDataArray.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkUnsignedCharArray.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFColorMix);

namespace
{
std::string ArrayList(vtkPointData* data)
{
  std::string list;
  for (int i = 0; i < data->GetNumberOfArrays(); ++i)
  {
    const char* name = data->GetArrayName(i);
    list += std::string(i ? ", " : "") + "'" + (name ? name : "") + "'";
  }
  return list.empty() ? "none" : list;
}
} // namespace

int vtkSTEMPDFColorMix::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkImageData* input = vtkImageData::GetData(inputVector[0]);
  vtkImageData* output = vtkImageData::GetData(outputVector);
  if (input == nullptr || output == nullptr)
  {
    return 0;
  }
  output->ShallowCopy(input);

  // Check the channels on every rank before any collective step.
  // "None" (the XML's choice for a black channel) and "" are no array.
  std::string channels[3] = { this->Red, this->Green, this->Blue };
  for (auto& channel : channels)
  {
    channel = channel == "None" ? "" : channel;
  }
  const std::string* names[3] = { &channels[0], &channels[1], &channels[2] };
  const char* properties[3] = { "Red", "Green", "Blue" };
  vtkDataArray* arrays[3] = { nullptr, nullptr, nullptr };
  std::string error;
  const bool empty = input->GetNumberOfPoints() == 0;
  if (channels[0].empty() && channels[1].empty() && channels[2].empty())
  {
    error = "no channel is set: choose a point array for Red, Green or Blue (an empty one is black)";
  }
  for (int c = 0; c < 3 && error.empty() && !empty; ++c)
  {
    if (names[c]->empty())
    {
      continue;
    }
    arrays[c] = input->GetPointData()->GetArray(names[c]->c_str());
    if (arrays[c] == nullptr)
    {
      error = std::string(properties[c]) + ": the input has no numeric point array '" + *names[c] +
        "'; its point arrays: " + ArrayList(input->GetPointData());
    }
    else if (arrays[c]->GetNumberOfComponents() != 1)
    {
      error = std::string(properties[c]) + ": the array '" + *names[c] + "' has " +
        std::to_string(arrays[c]->GetNumberOfComponents()) +
        " components; expected a scalar map (one value per position, e.g. NMF Decompose's \"Weight 1\")";
    }
  }
  if (!stempdf::pieces::ranks::AllSucceeded(error.empty()) && error.empty())
  {
    error = "the colour mix failed on another rank (see its message)";
  }
  if (!error.empty())
  {
    vtkErrorMacro(<< "ColorMix: " << error);
    output->Initialize();
    return 0;
  }

  // The range of every channel: its min and max over the whole scan, or 0..1.
  double lo[3] = { 0.0, 0.0, 0.0 }, hi[3] = { 1.0, 1.0, 1.0 };
  if (this->RangeMode == 0)
  {
    for (int c = 0; c < 3; ++c)
    {
      lo[c] = std::numeric_limits<double>::infinity();
      hi[c] = -std::numeric_limits<double>::infinity();
      for (vtkIdType i = 0; arrays[c] != nullptr && i < arrays[c]->GetNumberOfTuples(); ++i)
      {
        const double v = arrays[c]->GetComponent(i, 0);
        if (std::isfinite(v))
        {
          lo[c] = std::min(lo[c], v);
          hi[c] = std::max(hi[c], v);
        }
      }
    }
    std::vector<double> low(lo, lo + 3), high(hi, hi + 3);
    stempdf::pieces::ranks::Reduce(low, stempdf::pieces::Merge::Minimum);
    stempdf::pieces::ranks::Reduce(high, stempdf::pieces::Merge::Maximum);
    std::copy(low.begin(), low.end(), lo);
    std::copy(high.begin(), high.end(), hi);
  }

  const vtkIdType positions = input->GetNumberOfPoints();
  vtkNew<vtkUnsignedCharArray> rgb;
  rgb->SetName("RGB");
  rgb->SetNumberOfComponents(3);
  rgb->SetNumberOfTuples(positions);
  unsigned char* bytes = rgb->GetPointer(0);
  for (vtkIdType i = 0; i < positions; ++i)
  {
    for (int c = 0; c < 3; ++c)
    {
      bytes[3 * i + c] = arrays[c] != nullptr ? stempdf::ScaleToByte(arrays[c]->GetComponent(i, 0), lo[c], hi[c]) : 0;
    }
  }
  output->GetPointData()->AddArray(rgb);
  output->GetPointData()->SetActiveScalars("RGB");
  return 1;
}

void vtkSTEMPDFColorMix::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "Red: \"" << this->Red << "\", Green: \"" << this->Green << "\", Blue: \"" << this->Blue
     << "\", RangeMode: " << this->RangeMode << "\n";
}
