#ifndef bench_scan_h
#define bench_scan_h

// The paper's scale, shared by the benchmarks: 128 x 128 scan positions,
// 256 x 256 px detector frames, 2 threads.
#include "stempdfImageTypes.h"

namespace stempdf_bench
{
constexpr unsigned int ScanSize = 128;     // positions along x and y
constexpr unsigned int DetectorSize = 256; // pixels along x and y
constexpr unsigned int Threads = 2;

/** A new ScanSize x ScanSize field (an itk::VectorImage) of `components`
 *  values per position, allocated; the values are not set. */
template <typename TImage>
typename TImage::Pointer
NewScanField(unsigned int components)
{
  auto image = TImage::New();
  image->SetRegions(typename TImage::SizeType{ { ScanSize, ScanSize } });
  image->SetVectorLength(components);
  image->Allocate();
  return image;
}
} // namespace stempdf_bench

#endif
