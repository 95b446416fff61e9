#include "stempdfRangeCache.h"

#include "vtkAOSDataArrayTemplate.h"
#include "vtkDataArray.h"
#include "vtkInformation.h"
#include "vtkInformationDoubleVectorKey.h"
#include "vtkInformationInformationVectorKey.h"
#include "vtkInformationVector.h"
#include "vtkNew.h"

#include <cmath>
#include <limits>
#include <vector>

namespace stempdf
{
namespace
{
template <typename T>
void ComputeRanges(const T* values, vtkIdType tuples, int components, std::vector<double>& low,
  std::vector<double>& high, double normRange[2])
{
  std::vector<T> lo(components, std::numeric_limits<T>::max());
  std::vector<T> hi(components, std::numeric_limits<T>::lowest());
  normRange[0] = std::numeric_limits<double>::max();
  normRange[1] = 0.0;
  for (vtkIdType t = 0; t < tuples; ++t)
  {
    const T* tuple = values + t * components;
    double sum2 = 0.0;
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
      sum2 += static_cast<double>(v) * static_cast<double>(v);
    }
    const double norm = std::sqrt(sum2);
    normRange[0] = norm < normRange[0] ? norm : normRange[0];
    normRange[1] = norm > normRange[1] ? norm : normRange[1];
  }
  low.assign(lo.begin(), lo.end());
  high.assign(hi.begin(), hi.end());
}

template <typename T>
bool Dispatch(vtkDataArray* array, std::vector<double>& low, std::vector<double>& high, double norm[2])
{
  auto* typed = vtkAOSDataArrayTemplate<T>::FastDownCast(array);
  if (typed == nullptr)
  {
    return false;
  }
  ComputeRanges(typed->GetPointer(0), typed->GetNumberOfTuples(), typed->GetNumberOfComponents(), low, high, norm);
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
    Dispatch<unsigned short>(array, low, high, norm) || Dispatch<unsigned int>(array, low, high, norm) ||
    Dispatch<short>(array, low, high, norm) || Dispatch<int>(array, low, high, norm) ||
    Dispatch<float>(array, low, high, norm) || Dispatch<double>(array, low, high, norm);
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
