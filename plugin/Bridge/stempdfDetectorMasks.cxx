#include "stempdfDetectorMasks.h"

#include "stempdfBridge.h"
#include "stempdfDetectorMaskIO.h"

#include "vtkDataArray.h"
#include "vtkImageData.h"
#include "vtkPointData.h"

namespace stempdf
{
namespace bridge
{
DetectorMaskImage::Pointer GivenDetectorMask(const std::string& maskFile, vtkImageData* maskInput,
  bool nonZeroIsGood, const VectorAxis& detector)
{
  DetectorMaskImage::Pointer mask;
  if (!maskFile.empty())
  {
    mask = ReadDetectorMask(maskFile, detector.Size[0], detector.Size[1], !nonZeroIsGood);
  }
  if (maskInput != nullptr && maskInput->GetNumberOfPoints() > 0)
  {
    int dims[3];
    maskInput->GetDimensions(dims);
    vtkDataArray* values = maskInput->GetPointData()->GetScalars();
    if (values == nullptr && maskInput->GetPointData()->GetNumberOfArrays() > 0)
    {
      values = maskInput->GetPointData()->GetArray(0);
    }
    if (values == nullptr || dims[0] != static_cast<int>(detector.Size[0]) ||
      dims[1] != static_cast<int>(detector.Size[1]) || dims[2] != 1)
    {
      Fail("the Mask input is a " + std::to_string(dims[0]) + " x " + std::to_string(dims[1]) +
        " x " + std::to_string(dims[2]) + " image" +
        (values == nullptr ? " without a point array" : "") + "; expected one point array on the " +
        std::to_string(detector.Size[0]) + " x " + std::to_string(detector.Size[1]) +
        " detector (non-zero = excluded)");
    }
    if (!mask)
    {
      mask = DetectorMaskImage::New();
      mask->SetRegions(DetectorMaskImage::SizeType{ { detector.Size[0], detector.Size[1] } });
      mask->Allocate(true);
    }
    const vtkIdType n = values->GetNumberOfTuples();
    for (vtkIdType p = 0; p < n; ++p)
    {
      const bool nonZero = values->GetComponent(p, 0) != 0.0;
      if (nonZero != nonZeroIsGood)
      {
        mask->GetBufferPointer()[p] = 1;
      }
    }
  }
  return mask;
}
} // namespace bridge
} // namespace stempdf
