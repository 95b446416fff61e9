#ifndef stempdfDetectorMasks_h
#define stempdfDetectorMasks_h
// The detector mask a user gives a stage: a mask file (PNG, TIFF, HDF5; see
// filters/IO/stempdfDetectorMaskIO.h) and a mask image on a second input.

#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include <string>

class vtkImageData;

namespace stempdf
{
namespace bridge
{
/** The pixels excluded by `maskFile` (when not empty) and by `maskInput` (an
 *  image of Kx x Ky points whose first point array is non-zero where pixels
 *  are excluded, or the opposite with `nonZeroIsGood`), combined; nullptr
 *  when neither is given. Throws naming the file or the Mask input when its
 *  shape is not the detector's. */
DetectorMaskImage::Pointer GivenDetectorMask(const std::string& maskFile, vtkImageData* maskInput,
  bool nonZeroIsGood, const VectorAxis& detector);
} // namespace bridge
} // namespace stempdf

#endif
