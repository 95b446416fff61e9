#ifndef stempdfMeanPattern_h
#define stempdfMeanPattern_h

#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include "itkMacro.h"

#include <Eigen/Core>

namespace stempdf
{
/** Sum of the patterns of `region` (a region of the scan grid), one double per
 *  detector pixel (detector x fastest), accumulated into `sum` (resized and
 *  zeroed when its size does not match). Returns the number of patterns added.
 *  Sums rather than means so that pieces of one scan (threads, MPI ranks) add
 *  up exactly to the whole. */
template <typename TCount>
itk::SizeValueType
AccumulatePatternSum(const PatternFieldImage<TCount> *                      field,
                     const typename PatternFieldImage<TCount>::RegionType & region, Eigen::VectorXd & sum)
{
  const auto pixels = static_cast<Eigen::Index>(field->GetNumberOfComponentsPerPixel());
  if (sum.size() != pixels)
  {
    sum = Eigen::VectorXd::Zero(pixels);
  }
  if (!field->GetBufferedRegion().IsInside(region))
  {
    itkGenericExceptionMacro(<< "AccumulatePatternSum: region " << region << " is not inside the buffered region "
                             << field->GetBufferedRegion());
  }
  using FrameMap = Eigen::Map<const Eigen::Matrix<TCount, Eigen::Dynamic, 1>>;
  const auto & start = region.GetIndex();
  const auto & size = region.GetSize();
  for (itk::SizeValueType y = 0; y < size[1]; ++y)
  {
    for (itk::SizeValueType x = 0; x < size[0]; ++x)
    {
      const typename PatternFieldImage<TCount>::IndexType index{ { start[0] + static_cast<itk::IndexValueType>(x),
                                                                   start[1] + static_cast<itk::IndexValueType>(y) } };
      sum += FrameMap(field->GetBufferPointer() + field->ComputeOffset(index) * pixels, pixels).template cast<double>();
    }
  }
  return region.GetNumberOfPixels();
}

/** A detector-sized image (Kx x Ky, from the field's "detector" VectorAxis)
 *  holding `values` (detector x fastest). Throws naming the field's axis when
 *  the sizes disagree. */
inline DetectorImage::Pointer
MakeDetectorImage(const VectorAxis & detector, const Eigen::VectorXd & values)
{
  if (detector.Quantity != DetectorQuantity ||
      static_cast<Eigen::Index>(detector.GetNumberOfComponents()) != values.size())
  {
    itkGenericExceptionMacro(<< "MakeDetectorImage: expected a \"" << DetectorQuantity << "\" axis of " << values.size()
                             << " pixels, got \"" << detector.Quantity << "\" with "
                             << detector.GetNumberOfComponents());
  }
  auto image = DetectorImage::New();
  image->SetRegions(DetectorImage::SizeType{ { detector.Size[0], detector.Size[1] } });
  image->Allocate();
  Eigen::Map<Eigen::VectorXd>(image->GetBufferPointer(), values.size()) = values;
  return image;
}

/** The mean diffraction pattern of a whole field (its buffered region) as a
 *  detector image. */
template <typename TCount>
DetectorImage::Pointer
ComputeMeanPattern(const PatternFieldImage<TCount> * field)
{
  VectorAxis detector;
  if (field == nullptr || !GetVectorAxis(field->GetMetaDataDictionary(), detector))
  {
    itkGenericExceptionMacro(<< "ComputeMeanPattern: the field needs a \"" << DetectorQuantity << "\" VectorAxis");
  }
  Eigen::VectorXd sum;
  const auto      count = AccumulatePatternSum(field, field->GetBufferedRegion(), sum);
  if (count == 0)
  {
    itkGenericExceptionMacro(<< "ComputeMeanPattern: the field holds no pattern");
  }
  return MakeDetectorImage(detector, sum / static_cast<double>(count));
}
} // namespace stempdf

#endif
