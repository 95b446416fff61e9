#include "stempdfRangeCache.h"

#include "vtkAOSDataArrayTemplate.h"
#include "vtkDataArray.h"
#include "vtkInformation.h"
#include "vtkInformationDoubleVectorKey.h"
#include "vtkInformationInformationVectorKey.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <thread>
#include <type_traits>
#include <vector>

namespace stempdf
{
namespace
{
/** Squares summed exactly as integers for 8- and 16-bit counts (the loop
 *  then vectorises), as doubles otherwise. */
template <typename T>
using SquareSum =
  std::conditional_t<std::is_integral<T>::value && sizeof(T) <= 2, std::uint64_t, double>;

template <typename T>
struct Ranges
{
  std::vector<T> Low, High;
  double Norm[2] = { std::numeric_limits<double>::max(), 0.0 };
};

/** Per-component ranges and the L2-norm range of tuples [first, last). */
template <typename T>
void RangesOfTuples(
  const T* values, vtkIdType first, vtkIdType last, int components, Ranges<T>& ranges)
{
  ranges.Low.assign(components, std::numeric_limits<T>::max());
  ranges.High.assign(components, std::numeric_limits<T>::lowest());
  T* lo = ranges.Low.data();
  T* hi = ranges.High.data();
  for (vtkIdType t = first; t < last; ++t)
  {
    const T* tuple = values + t * components;
    SquareSum<T> sum2 = 0;
    for (int c = 0; c < components; ++c)
    {
      const T v = tuple[c];
      if constexpr (std::numeric_limits<T>::has_quiet_NaN)
      {
        if (!std::isfinite(v))
        {
          continue;
        }
      }
      lo[c] = v < lo[c] ? v : lo[c];
      hi[c] = v > hi[c] ? v : hi[c];
      sum2 += static_cast<SquareSum<T>>(v) * static_cast<SquareSum<T>>(v);
    }
    const double norm = std::sqrt(static_cast<double>(sum2));
    ranges.Norm[0] = norm < ranges.Norm[0] ? norm : ranges.Norm[0];
    ranges.Norm[1] = norm > ranges.Norm[1] ? norm : ranges.Norm[1];
  }
}

/** The ranges of a whole array, its tuples split over the cores (a paper-scale
 *  scan is 2 GiB: one thread took 1.1 s of the 10 s budget of the main job). */
template <typename T>
void ComputeRanges(const T* values, vtkIdType tuples, int components, std::vector<double>& low,
  std::vector<double>& high, double normRange[2])
{
  const auto parts = static_cast<vtkIdType>(std::max(
    1u, std::min({ std::thread::hardware_concurrency(), 8u, static_cast<unsigned>(tuples) })));
  std::vector<Ranges<T>> ranges(static_cast<std::size_t>(parts));
  std::vector<std::thread> threads;
  for (vtkIdType p = 1; p < parts; ++p)
  {
    threads.emplace_back(RangesOfTuples<T>, values, tuples * p / parts, tuples * (p + 1) / parts,
      components, std::ref(ranges[static_cast<std::size_t>(p)]));
  }
  RangesOfTuples<T>(values, 0, tuples / parts, components, ranges[0]);
  for (auto& thread : threads)
  {
    thread.join();
  }
  low.assign(ranges[0].Low.begin(), ranges[0].Low.end());
  high.assign(ranges[0].High.begin(), ranges[0].High.end());
  normRange[0] = ranges[0].Norm[0];
  normRange[1] = ranges[0].Norm[1];
  for (std::size_t p = 1; p < ranges.size(); ++p)
  {
    for (int c = 0; c < components; ++c)
    {
      low[c] = std::min(low[c], static_cast<double>(ranges[p].Low[c]));
      high[c] = std::max(high[c], static_cast<double>(ranges[p].High[c]));
    }
    normRange[0] = std::min(normRange[0], ranges[p].Norm[0]);
    normRange[1] = std::max(normRange[1], ranges[p].Norm[1]);
  }
}

template <typename T>
bool Dispatch(
  vtkDataArray* array, std::vector<double>& low, std::vector<double>& high, double norm[2])
{
  auto* typed = vtkAOSDataArrayTemplate<T>::FastDownCast(array);
  if (typed == nullptr)
  {
    return false;
  }
  ComputeRanges(typed->GetPointer(0), typed->GetNumberOfTuples(), typed->GetNumberOfComponents(),
    low, high, norm);
  return true;
}
} // namespace

void FillRangeCache(vtkDataArray* array)
{
  if (array == nullptr || array->GetNumberOfTuples() == 0)
  {
    return;
  }
  std::vector<double> low, high;
  double norm[2];
  const bool done = Dispatch<unsigned char>(array, low, high, norm) ||
    Dispatch<unsigned short>(array, low, high, norm) ||
    Dispatch<unsigned int>(array, low, high, norm) || Dispatch<short>(array, low, high, norm) ||
    Dispatch<int>(array, low, high, norm) || Dispatch<float>(array, low, high, norm) ||
    Dispatch<double>(array, low, high, norm);
  if (!done)
  {
    return; // another layout: ParaView computes the ranges itself
  }
  vtkInformation* info = array->GetInformation();
  for (vtkInformationInformationVectorKey* key :
    { vtkDataArray::PER_COMPONENT(), vtkDataArray::PER_FINITE_COMPONENT() })
  {
    vtkNew<vtkInformationVector> perComponent;
    perComponent->SetNumberOfInformationObjects(array->GetNumberOfComponents());
    for (int c = 0; c < array->GetNumberOfComponents(); ++c)
    {
      const double range[2] = { low[c], high[c] };
      perComponent->GetInformationObject(c)->Set(vtkDataArray::COMPONENT_RANGE(), range, 2);
    }
    info->Set(key, perComponent);
  }
  info->Set(vtkDataArray::L2_NORM_RANGE(), norm, 2);
  info->Set(vtkDataArray::L2_NORM_FINITE_RANGE(), norm, 2);
}
} // namespace stempdf
