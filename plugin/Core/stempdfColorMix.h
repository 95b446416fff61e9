#ifndef stempdfColorMix_h
#define stempdfColorMix_h
// The numerics of Color Mix (plugin/Core/vtkSTEMPDFColorMix.h): a value of a
// map to one byte of a colour channel. Plain C++, no VTK or ITK.

#include <algorithm>
#include <cmath>

namespace stempdf
{
/** round(255 * (value - lo) / (hi - lo)), clamped to 0..255. A value that is
 *  not finite, or a range that is empty (hi <= lo, e.g. a constant map), gives 0. */
inline unsigned char ScaleToByte(double value, double lo, double hi)
{
  if (!std::isfinite(value) || !(hi > lo))
  {
    return 0;
  }
  const double t = std::clamp((value - lo) / (hi - lo), 0.0, 1.0);
  return static_cast<unsigned char>(std::lround(255.0 * t));
}
} // namespace stempdf

#endif
