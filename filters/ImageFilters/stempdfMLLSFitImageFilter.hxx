#ifndef stempdfMLLSFitImageFilter_hxx
#define stempdfMLLSFitImageFilter_hxx

#include "stempdfMLLSFitImageFilter.h"

#include "itkTotalProgressReporter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace stempdf
{
namespace mlls_detail
{
/** Tolerance of the basis' r range against the input's r samples, A. */
constexpr double RCoverTolerance = 1e-9;
} // namespace mlls_detail

template <typename TInputImage>
MLLSFitImageFilter<TInputImage>::MLLSFitImageFilter()
{
  this->SetNumberOfRequiredOutputs(4);
  for (unsigned int i = 1; i < 4; ++i)
  {
    this->SetNthOutput(i, this->MakeOutput(i));
  }
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
}

template <typename TInputImage>
itk::DataObject::Pointer
MLLSFitImageFilter<TInputImage>::MakeOutput(DataObjectPointerArraySizeType idx)
{
  if (idx >= 2)
  {
    return MapImageType::New().GetPointer();
  }
  return Superclass::MakeOutput(idx);
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::SetBasis(const BasisCurves & basis)
{
  m_Basis = basis;
  this->Modified();
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::SetComponents(const std::vector<unsigned int> & components)
{
  if (components != m_Components)
  {
    m_Components = components;
    this->Modified();
  }
}

template <typename TInputImage>
std::vector<std::string>
MLLSFitImageFilter<TInputImage>::GetComponentNames() const
{
  std::vector<std::string> names(m_Basis.Values.size());
  for (size_t i = 0; i < names.size(); ++i)
  {
    names[i] =
      i < m_Basis.Names.size() && !m_Basis.Names[i].empty() ? m_Basis.Names[i] : "Component " + std::to_string(i + 1);
  }
  return names;
}

template <typename TInputImage>
std::vector<Population>
MLLSFitImageFilter<TInputImage>::GetPopulations() const
{
  return Populations(m_PopulationSums, this->GetComponentNames(), m_Selected);
}

template <typename TInputImage>
VectorAxis
MLLSFitImageFilter<TInputImage>::CheckedInputAxis() const
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a G(r) field (PairDistributionImageFilter's output) with SetInput()");
  }
  VectorAxis axis;
  const bool hasAxis = GetVectorAxis(input->GetMetaDataDictionary(), axis);
  if (!hasAxis || axis.Quantity != RQuantity || axis.Size[1] != 1 ||
      axis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    std::ostringstream found;
    if (hasAxis)
    {
      found << "its VectorAxis is " << axis;
    }
    else
    {
      found << "it has no VectorAxis";
    }
    itkExceptionMacro(<< "the input needs an \"r\" VectorAxis (G(r), r in A) with one sample per component ("
                      << input->GetNumberOfComponentsPerPixel() << "); " << found.str());
  }
  if (axis.Unit != AngstromUnit)
  {
    itkExceptionMacro(<< "the input's r axis is in '" << axis.Unit << "'; expected A");
  }
  if (!(axis.Spacing[0] > 0.0) || !std::isfinite(axis.Spacing[0]) || !std::isfinite(axis.Origin[0]))
  {
    itkExceptionMacro(<< "the input's r axis starts at " << axis.Origin[0] << " with spacing " << axis.Spacing[0]
                      << " A; expected ascending r (finite, spacing > 0)");
  }
  return axis;
}

template <typename TInputImage>
MLLSRowFit::RowMajorMatrix
MLLSFitImageFilter<TInputImage>::ResampleBasis(const VectorAxis & rAxis) const
{
  const BasisCurves & basis = m_Basis;
  const size_t        k = basis.Values.size();
  const auto          names = this->GetComponentNames();
  if (k == 0)
  {
    itkExceptionMacro(<< "Basis: no curves; give at least one reference G(r) curve with SetBasis()");
  }
  if (k > static_cast<size_t>(MLLSRowFit::MaxCurves))
  {
    itkExceptionMacro(<< "Basis: " << k << " curves; at most " << MLLSRowFit::MaxCurves << " are fitted at once");
  }
  if (!basis.Names.empty() && basis.Names.size() != k)
  {
    itkExceptionMacro(<< "Basis: " << basis.Names.size() << " names for " << k
                      << " curves; expected one name per curve (or none)");
  }
  if (!IsAngstromUnit(basis.RUnit))
  {
    itkExceptionMacro(<< "Basis: RUnit is '" << basis.RUnit
                      << "'; expected A (also written \xc3\x85 or angstrom), the unit of the input's r axis: "
                         "convert the basis' r to A");
  }
  const std::vector<double> & R = basis.R;
  if (R.size() < 2)
  {
    itkExceptionMacro(<< "Basis: R has " << R.size() << " samples; expected at least 2 r samples (A)");
  }
  for (size_t i = 0; i < R.size(); ++i)
  {
    if (!std::isfinite(R[i]) || (i > 0 && !(R[i] > R[i - 1])))
    {
      itkExceptionMacro(<< "Basis: R must be finite and strictly ascending; R[" << i << "] = " << R[i]
                        << (i > 0 ? " after R[" + std::to_string(i - 1) + "] = " + std::to_string(R[i - 1]) : ""));
    }
  }
  for (size_t c = 0; c < k; ++c)
  {
    if (basis.Values[c].size() != R.size())
    {
      itkExceptionMacro(<< "Basis: curve '" << names[c] << "' has " << basis.Values[c].size() << " values for "
                        << R.size() << " r samples; expected one value per r sample");
    }
    const auto bad =
      std::find_if(basis.Values[c].begin(), basis.Values[c].end(), [](double v) { return !std::isfinite(v); });
    if (bad != basis.Values[c].end())
    {
      itkExceptionMacro(<< "Basis: curve '" << names[c] << "' is " << *bad << " at r = "
                        << R[static_cast<size_t>(bad - basis.Values[c].begin())] << " A; expected finite values");
    }
  }
  const unsigned int n = rAxis.Size[0];
  const double       first = rAxis.GetCoordinate(0), last = rAxis.GetCoordinate(n - 1);
  if (first < R.front() - mlls_detail::RCoverTolerance || last > R.back() + mlls_detail::RCoverTolerance)
  {
    itkExceptionMacro(<< "Basis: its r range [" << R.front() << ", " << R.back()
                      << "] A does not cover the input's r samples [" << first << ", " << last
                      << "] A; give basis curves over at least the input's r range (or compute G(r) inside "
                         "the basis' range)");
  }

  // Linear interpolation onto the input's samples; a sample within the
  // tolerance of a basis node takes the node's value exactly.
  MLLSRowFit::RowMajorMatrix resampled(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(n));
  for (unsigned int m = 0; m < n; ++m)
  {
    const double r = std::min(std::max(rAxis.GetCoordinate(m), R.front()), R.back());
    size_t       upper = static_cast<size_t>(std::upper_bound(R.begin(), R.end(), r) - R.begin());
    upper = std::min(std::max<size_t>(upper, 1), R.size() - 1);
    const size_t lower = upper - 1;
    for (size_t c = 0; c < k; ++c)
    {
      const std::vector<double> & values = basis.Values[c];
      double                      v;
      if (std::abs(r - R[lower]) <= mlls_detail::RCoverTolerance)
      {
        v = values[lower];
      }
      else if (std::abs(r - R[upper]) <= mlls_detail::RCoverTolerance)
      {
        v = values[upper];
      }
      else
      {
        const double t = (r - R[lower]) / (R[upper] - R[lower]);
        v = values[lower] + t * (values[upper] - values[lower]);
      }
      resampled(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(m)) = v;
    }
  }
  return resampled;
}

template <typename TInputImage>
std::vector<bool>
MLLSFitImageFilter<TInputImage>::CheckedSelection() const
{
  const size_t k = m_Basis.Values.size();
  if (m_Components.empty())
  {
    return std::vector<bool>(k, true);
  }
  std::vector<bool> selected(k, false);
  for (const unsigned int c : m_Components)
  {
    if (c >= k)
    {
      itkExceptionMacro(<< "Components: index " << c << " is not a basis curve; expected indices 0 to " << k - 1
                        << " (0-based, " << k << " curves)");
    }
    selected[c] = true;
  }
  return selected;
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  const VectorAxis rAxis = this->CheckedInputAxis();
  this->ResampleBasis(rAxis); // every check of the basis, before any thread runs
  this->CheckedSelection();

  const auto k = static_cast<unsigned int>(m_Basis.Values.size());
  VectorAxis components;
  components.Quantity = ComponentQuantity;
  components.Size = { { k, 1 } };
  for (unsigned int i = 0; i < 4; ++i)
  {
    auto * output = dynamic_cast<itk::ImageBase<ScanDimension> *>(this->itk::ProcessObject::GetOutput(i));
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    if (i < 2)
    {
      output->SetNumberOfComponentsPerPixel(k);
      SetVectorAxis(output->GetMetaDataDictionary(), components);
    }
    else
    {
      output->GetMetaDataDictionary().Erase(VectorAxisKey); // a scalar map
    }
  }
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::BeforeThreadedGenerateData()
{
  m_Fit = std::make_unique<MLLSRowFit>(this->ResampleBasis(this->CheckedInputAxis()), m_FitOffset);
  m_Selected = this->CheckedSelection();
  m_PopulationSums = PopulationSums(m_Selected.size());
  m_FirstBad = -1;
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::DynamicThreadedGenerateData(const OutputImageRegionType & outputRegionForThread)
{
  const InputImageType * input = this->GetInput();
  OutputImageType *      weights = this->GetWeightsOutput();
  OutputImageType *      fractions = this->GetFractionsOutput();
  MapImageType *         residual = this->GetResidualOutput();
  MapImageType *         offset = this->GetOffsetOutput();
  const size_t           n = input->GetNumberOfComponentsPerPixel();
  const size_t           k = static_cast<size_t>(m_Fit->GetNumberOfCurves());
  const auto &           whole = weights->GetRequestedRegion();

  itk::TotalProgressReporter progress(this, whole.GetNumberOfPixels());
  auto                       index = outputRegionForThread.GetIndex();
  const itk::SizeValueType   lineLength = outputRegionForThread.GetSize(0);
  for (itk::SizeValueType line = 0; line < outputRegionForThread.GetSize(1); ++line)
  {
    index[1] = outputRegionForThread.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const double * g = input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(index)) * n;
    double *       w = weights->GetBufferPointer() + static_cast<size_t>(weights->ComputeOffset(index)) * k;
    double *       f = fractions->GetBufferPointer() + static_cast<size_t>(fractions->ComputeOffset(index)) * k;
    double *       rms = residual->GetBufferPointer() + residual->ComputeOffset(index);
    double *       c = offset->GetBufferPointer() + offset->ComputeOffset(index);
    for (itk::SizeValueType x = 0; x < lineLength; ++x, g += n, w += k, f += k)
    {
      if (!m_Fit->Fit(g, w, c[x], rms[x]))
      {
        // A non-number: noted here, refused after the threads (an exception
        // thrown in a thread of ITK 5.2's pool is lost).
        std::fill(w, w + k, 0.0);
        std::fill(f, f + k, 0.0);
        c[x] = rms[x] = 0.0;
        const itk::OffsetValueType at =
          (index[1] - whole.GetIndex(1)) * static_cast<itk::OffsetValueType>(whole.GetSize(0)) +
          (index[0] - whole.GetIndex(0)) + static_cast<itk::OffsetValueType>(x);
        const std::lock_guard<std::mutex> lock(m_BadMutex);
        if (m_FirstBad < 0 || at < m_FirstBad)
        {
          m_FirstBad = at;
        }
        continue;
      }
      double sum = 0.0;
      for (size_t i = 0; i < k; ++i)
      {
        sum += m_Selected[i] ? w[i] : 0.0;
      }
      for (size_t i = 0; i < k; ++i)
      {
        f[i] = (m_Selected[i] && sum > 0.0) ? w[i] / sum : 0.0;
      }
    }
    progress.Completed(lineLength);
  }
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::AfterThreadedGenerateData()
{
  const auto & whole = this->GetWeightsOutput()->GetRequestedRegion();
  if (m_FirstBad >= 0)
  {
    auto index = whole.GetIndex();
    index[0] += m_FirstBad % static_cast<itk::OffsetValueType>(whole.GetSize(0));
    index[1] += m_FirstBad / static_cast<itk::OffsetValueType>(whole.GetSize(0));
    const InputImageType * input = this->GetInput();
    const size_t           n = input->GetNumberOfComponentsPerPixel();
    const double *         g = input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(index)) * n;
    const double *         bad = std::find_if(g, g + n, [](double v) { return !std::isfinite(v); });
    VectorAxis             axis;
    GetVectorAxis(input->GetMetaDataDictionary(), axis);
    std::ostringstream what;
    if (bad != g + n)
    {
      what << "G(r) is " << (std::isnan(*bad) ? "NaN" : (*bad > 0 ? "+inf" : "-inf"))
           << " at r = " << axis.GetCoordinate(static_cast<unsigned int>(bad - g)) << " A";
    }
    else
    {
      what << "G(r) overflows the fit (values near the largest double)";
    }
    itkExceptionMacro(<< "position (" << index[0] << ", " << index[1] << "): " << what.str()
                      << "; expected finite values");
  }
  // Populations in scan order, one pass over the (small) fraction map: the
  // same sums for any number of threads.
  const OutputImageType * fractions = this->GetFractionsOutput();
  const size_t            k = m_Selected.size();
  auto                    index = whole.GetIndex();
  for (itk::SizeValueType line = 0; line < whole.GetSize(1); ++line)
  {
    index[1] = whole.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    m_PopulationSums.Accumulate(fractions->GetBufferPointer() +
                                  static_cast<size_t>(fractions->ComputeOffset(index)) * k,
                                whole.GetSize(0),
                                m_Selected);
  }
}

template <typename TInputImage>
void
MLLSFitImageFilter<TInputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Basis: " << m_Basis.Values.size() << " curves";
  if (!m_Basis.R.empty())
  {
    os << " on " << m_Basis.R.size() << " r samples [" << m_Basis.R.front() << ", " << m_Basis.R.back() << "] "
       << m_Basis.RUnit;
  }
  os << std::endl;
  os << indent << "FitOffset: " << (m_FitOffset ? "On" : "Off") << std::endl;
  os << indent << "Components:";
  if (m_Components.empty())
  {
    os << " all";
  }
  for (const unsigned int c : m_Components)
  {
    os << " " << c;
  }
  os << std::endl;
}
} // namespace stempdf

#endif
