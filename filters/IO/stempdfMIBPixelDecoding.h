#ifndef stempdfMIBPixelDecoding_h
#define stempdfMIBPixelDecoding_h

#include "itkCommonEnums.h"

#include <cstddef>

namespace stempdf
{
namespace mib
{
/** How a raw ("R64") frame is stored and what it decodes to. */
struct RawFrameLayout
{
  unsigned int BitsPerPixel = 0; // bits of one raw pixel in the file (1, 8, 16)
  int          CounterDepth = 0; // 1, 6, 12 or 24 (24: two 12-bit frames, high bits first)
  bool         Quad = false;     // 2x2 chips, rows of the four chips side by side
  unsigned int Gap = 0;          // 2x2: gap pixels (zero) between the chips in x and y ("2x2G": 2)
  unsigned int RawWidth = 0;     // width and height as in the frame header
  unsigned int RawHeight = 0;
  unsigned int DetectorWidth = 0; // Kx and Ky of the decoded frame
  unsigned int DetectorHeight = 0;
};

/** Reverses the byte order of `values` unsigned integers of `valueBytes`
 *  bytes each (2, 4 or 8; 1 leaves them as they are), in place: turns the
 *  big-endian counts of a counting-mode frame into little-endian ones and
 *  back. */
void
SwapBytesInPlace(void * data, std::size_t values, std::size_t valueBytes);

/** Decodes the data of one raw frame (`payload`) into DetectorWidth *
 *  DetectorHeight pixels of `componentType` (UCHAR, USHORT or UINT) at `out`:
 *  unpacks the big-endian 64-bit words (each holds 64 / BitsPerPixel pixels,
 *  the first in the least significant bits), joins the two halves of a
 *  24-bit frame, and for 2x2 detectors puts the chips in place (chips 3 and 4
 *  turned by 180 degrees, gaps zero). Returns false, writing nothing, for
 *  another component type. */
bool
DecodeRawFrame(const unsigned char * payload, const RawFrameLayout & layout, itk::IOComponentEnum componentType,
               void * out);
} // namespace mib
} // namespace stempdf

#endif
