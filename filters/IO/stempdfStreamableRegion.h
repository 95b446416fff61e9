#ifndef stempdfStreamableRegion_h
#define stempdfStreamableRegion_h

#include "itkImageIOBase.h"

namespace stempdf
{
/** The region an ImageIO that can read any rectangle of scan positions
 *  reads for `requested`: the requested region itself when streaming is on,
 *  else the whole image (`io`'s dimensions). Shared by the 4D-STEM IOs. */
inline itk::ImageIORegion
StreamableReadRegion(const itk::ImageIOBase & io, const itk::ImageIORegion & requested, bool streamed)
{
  const unsigned int dimensions = io.GetNumberOfDimensions();
  itk::ImageIORegion region(dimensions);
  for (unsigned int i = 0; i < dimensions; ++i)
  {
    const bool useRequested = streamed && i < requested.GetImageDimension();
    region.SetIndex(i, useRequested ? requested.GetIndex(i) : 0);
    region.SetSize(i, useRequested ? requested.GetSize(i) : io.GetDimensions(i));
  }
  return region;
}
} // namespace stempdf

#endif
