#include "stempdfDefectivePixels.h"

#include "itkMacro.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace stempdf
{
namespace
{
/** Half-width of the window in which outliers alike are counted (5 x 5). */
constexpr long FeatureReach = 2;

void
CheckInputs(const DetectorImage * meanPattern, const DefectivePixelCriteria & criteria,
            const DetectorMaskImage * existingMask)
{
  constexpr const char * where = "FindDefectivePixels: ";
  if (meanPattern == nullptr)
  {
    itkGenericExceptionMacro(<< where << "meanPattern is null");
  }
  const auto size = meanPattern->GetBufferedRegion().GetSize();
  if (!(criteria.Threshold > 1.0) || !std::isfinite(criteria.Threshold))
  {
    itkGenericExceptionMacro(<< where << "criteria.Threshold = " << criteria.Threshold
                             << ": expected a finite contrast factor > 1");
  }
  const itk::SizeValueType side = std::min(size[0], size[1]);
  if (criteria.NeighbourhoodRadius == 0 || 2 * static_cast<itk::SizeValueType>(criteria.NeighbourhoodRadius) + 1 > side)
  {
    itkGenericExceptionMacro(<< where << "criteria.NeighbourhoodRadius = " << criteria.NeighbourhoodRadius
                             << ": expected R >= 1 with 2R+1 <= the smaller side of the " << size[0] << " x " << size[1]
                             << " detector");
  }
  if (!(criteria.MinimumReference >= 0.0) || !std::isfinite(criteria.MinimumReference))
  {
    itkGenericExceptionMacro(<< where << "criteria.MinimumReference = " << criteria.MinimumReference
                             << ": expected a finite number of counts per frame >= 0");
  }
  if (criteria.MaximumOutlierNeighbours > 24)
  {
    itkGenericExceptionMacro(<< where << "criteria.MaximumOutlierNeighbours = " << criteria.MaximumOutlierNeighbours
                             << ": expected 0..24 (a pixel has 24 others within 2 px)");
  }
  if (existingMask != nullptr && existingMask->GetBufferedRegion().GetSize() != size)
  {
    itkGenericExceptionMacro(<< where << "existingMask is " << existingMask->GetBufferedRegion().GetSize()[0] << " x "
                             << existingMask->GetBufferedRegion().GetSize()[1] << " pixels, meanPattern " << size[0]
                             << " x " << size[1]);
  }
  const double * values = meanPattern->GetBufferPointer();
  for (itk::SizeValueType p = 0; p < size[0] * size[1]; ++p)
  {
    if (!(values[p] >= 0.0) || !std::isfinite(values[p]))
    {
      itkGenericExceptionMacro(<< where << "meanPattern pixel (" << p % size[0] << ", " << p / size[0] << ") is "
                               << values[p] << ": expected a finite mean count >= 0");
    }
  }
}

/** The two middle values of `values` (reordered): equal for an odd count. */
std::pair<double, double>
MiddleValues(std::vector<double> & values)
{
  const auto upper = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), upper, values.end());
  if (values.size() % 2 == 1)
  {
    return { *upper, *upper };
  }
  // After nth_element everything before `upper` is <= it: the lower middle is their largest.
  return { *std::max_element(values.begin(), upper), *upper };
}
} // namespace

DetectorMaskImage::Pointer
FindDefectivePixels(const DetectorImage * meanPattern, const DefectivePixelCriteria & criteria,
                    const DetectorMaskImage * existingMask)
{
  CheckInputs(meanPattern, criteria, existingMask);
  const auto           size = meanPattern->GetBufferedRegion().GetSize();
  const long           kx = static_cast<long>(size[0]), ky = static_cast<long>(size[1]);
  const long           radius = static_cast<long>(criteria.NeighbourhoodRadius);
  const double *       mean = meanPattern->GetBufferPointer();
  const std::uint8_t * given = existingMask != nullptr ? existingMask->GetBufferPointer() : nullptr;
  const auto           masked = [given](long p) { return given != nullptr && given[p] != 0; };

  auto result = DetectorMaskImage::New();
  result->CopyInformation(meanPattern);
  result->SetRegions(meanPattern->GetBufferedRegion());
  result->Allocate(true);
  std::uint8_t * classes = result->GetBufferPointer();

  // Pixels q != p within `reach` of p (clipped to the detector) that are not masked.
  const auto forNeighbours = [&](long x, long y, long reach, auto && visit) {
    for (long qy = std::max(0L, y - reach); qy <= std::min(ky - 1, y + reach); ++qy)
    {
      for (long qx = std::max(0L, x - reach); qx <= std::min(kx - 1, x + reach); ++qx)
      {
        const long q = qy * kx + qx;
        if (q != y * kx + x && !masked(q))
        {
          visit(mean[q]);
        }
      }
    }
  };
  std::vector<double> neighbours;
  neighbours.reserve(static_cast<size_t>((2 * radius + 1) * (2 * radius + 1)));
  for (long y = 0; y < ky; ++y)
  {
    for (long x = 0; x < kx; ++x)
    {
      const long p = y * kx + x;
      if (masked(p))
      {
        classes[p] = static_cast<std::uint8_t>(DefectivePixelClass::Given);
        continue;
      }
      neighbours.clear();
      forNeighbours(x, y, radius, [&neighbours](double value) { neighbours.push_back(value); });
      // Fewer than 3 values cannot outvote one defective neighbour.
      if (neighbours.size() < 3)
      {
        continue;
      }
      // For an even count each test takes the middle value that makes it
      // harder to pass: a 50/50 split between a bright and a dark feature
      // (the staircase edge of a beam-stop arm) then judges neither.
      const auto [lower, upper] = MiddleValues(neighbours);
      const double deadLimit = lower >= criteria.MinimumReference ? lower / criteria.Threshold : -1.0; // -1: never
      const double hotLimit = std::max(upper, criteria.MinimumReference) * criteria.Threshold;
      const bool   dead = mean[p] < deadLimit;
      const bool   hot = mean[p] > hotLimit;
      if (!dead && !hot)
      {
        continue;
      }
      unsigned int alike = 0;
      forNeighbours(x, y, FeatureReach, [&](double value) { alike += dead ? value < deadLimit : value > hotLimit; });
      if (alike <= criteria.MaximumOutlierNeighbours)
      {
        classes[p] = static_cast<std::uint8_t>(dead ? DefectivePixelClass::Dead : DefectivePixelClass::Hot);
      }
    }
  }
  return result;
}

DefectivePixelCounts
CountDefectivePixels(const DetectorMaskImage * mask)
{
  if (mask == nullptr)
  {
    itkGenericExceptionMacro(<< "CountDefectivePixels: mask is null");
  }
  DefectivePixelCounts counts;
  const auto           size = mask->GetBufferedRegion().GetSize();
  const std::uint8_t * values = mask->GetBufferPointer();
  for (itk::SizeValueType p = 0; p < size[0] * size[1]; ++p)
  {
    switch (static_cast<DefectivePixelClass>(values[p]))
    {
      case DefectivePixelClass::Good:
        ++counts.Good;
        break;
      case DefectivePixelClass::Dead:
        ++counts.Dead;
        break;
      case DefectivePixelClass::Hot:
        ++counts.Hot;
        break;
      case DefectivePixelClass::Given:
        ++counts.Given;
        break;
      default:
        itkGenericExceptionMacro(<< "CountDefectivePixels: mask pixel (" << p % size[0] << ", " << p / size[0]
                                 << ") is " << static_cast<int>(values[p])
                                 << ": expected a DefectivePixelClass (0 good, 1 dead, 2 hot, 3 given)");
    }
  }
  return counts;
}
} // namespace stempdf
