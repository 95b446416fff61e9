#ifndef stempdfTestingFields_h
#define stempdfTestingFields_h
// Shared by the tests that make their own input: small fields over the scan
// grid (a vector per position, its VectorAxis in the dictionary, as the
// readers and filters of filters/ make them) and scalar images (maps,
// detector images, masks).

#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include <cstddef>

namespace stempdf
{
namespace testing
{
/** A field of nx x ny scan positions (index from `start`, `scanStep` apart
 *  along both scan axes) holding at every position the axis's number of
 *  components, all zero, with `axis` as its VectorAxis. */
template <typename TField>
typename TField::Pointer
MakeField(unsigned int nx, unsigned int ny, const VectorAxis & axis, double scanStep = 1.0,
          const typename TField::IndexType & start = {})
{
  auto field = TField::New();
  field->SetRegions(typename TField::RegionType(start, typename TField::SizeType{ { nx, ny } }));
  field->SetVectorLength(axis.GetNumberOfComponents());
  const double spacing[2] = { scanStep, scanStep };
  field->SetSpacing(spacing);
  field->Allocate(true);
  SetVectorAxis(field->GetMetaDataDictionary(), axis);
  return field;
}

/** Calls values(x, y, v) for every scan position (x, y) of the field's
 *  buffer (a pointer or SmartPointer), in scan order (x fastest), v pointing
 *  at the position's components. */
template <typename FieldPointer, typename Function>
void
ForEachPosition(const FieldPointer & field, Function && values)
{
  const auto         region = field->GetBufferedRegion();
  const std::size_t  components = field->GetNumberOfComponentsPerPixel();
  auto *             v = field->GetBufferPointer();
  const unsigned int nx = region.GetSize(0), ny = region.GetSize(1);
  for (unsigned int y = 0; y < ny; ++y)
  {
    for (unsigned int x = 0; x < nx; ++x, v += components)
    {
      values(static_cast<unsigned int>(region.GetIndex(0) + x), static_cast<unsigned int>(region.GetIndex(1) + y), v);
    }
  }
}

/** An nx x ny scalar image (a map over the scan, a detector image, a mask)
 *  with pixel (x, y) = value(x, y) and `step` between pixels. */
template <typename TImage, typename Function>
typename TImage::Pointer
MakeImage(unsigned int nx, unsigned int ny, Function && value, double step = 1.0)
{
  auto image = TImage::New();
  image->SetRegions(typename TImage::SizeType{ { nx, ny } });
  const double spacing[2] = { step, step };
  image->SetSpacing(spacing);
  image->Allocate();
  auto * pixel = image->GetBufferPointer();
  for (unsigned int y = 0; y < ny; ++y)
  {
    for (unsigned int x = 0; x < nx; ++x)
    {
      *pixel++ = static_cast<typename TImage::PixelType>(value(x, y));
    }
  }
  return image;
}
} // namespace testing
} // namespace stempdf

#endif
