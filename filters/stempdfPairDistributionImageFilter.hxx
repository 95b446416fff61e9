#ifndef stempdfPairDistributionImageFilter_hxx
#define stempdfPairDistributionImageFilter_hxx

#include "stempdfPairDistributionImageFilter.h"
#include "stempdfHugePages.h"

#include "itkMetaDataObject.h"
#include "itkTotalProgressReporter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
PairDistributionImageFilter<TInputImage, TOutputImage>::PairDistributionImageFilter()
{
  this->SetNumberOfRequiredOutputs(2);
  this->SetNthOutput(1, this->MakeOutput(1));
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::CheckedAxes(VectorAxis & sAxis, VectorAxis & rAxis) const
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a field of reduced intensities phi(s) with SetInput()");
  }
  const bool hasAxis = GetVectorAxis(input->GetMetaDataDictionary(), sAxis);
  if (!hasAxis || sAxis.Quantity != "s" || sAxis.Size[1] != 1 ||
      sAxis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    std::ostringstream found;
    if (hasAxis)
    {
      found << "its VectorAxis is " << sAxis;
    }
    else
    {
      found << "it has no VectorAxis";
    }
    itkExceptionMacro(<< "the input needs an \"s\" VectorAxis (phi(s), s in 1/A) with one sample per component ("
                      << input->GetNumberOfComponentsPerPixel() << "); " << found.str());
  }
  if (!(sAxis.Spacing[0] > 0.0) || !std::isfinite(sAxis.Spacing[0]) || !std::isfinite(sAxis.Origin[0]))
  {
    itkExceptionMacro(<< "the input's s axis starts at " << sAxis.Origin[0] << " with spacing " << sAxis.Spacing[0]
                      << " 1/A; expected ascending s (finite, spacing > 0)");
  }
  if (!(m_NumberDensity >= 0.0) || !std::isfinite(m_NumberDensity))
  {
    itkExceptionMacro(<< "NumberDensity is " << m_NumberDensity
                      << "; expected the number density rho0 in atoms / A^3 (> 0), or 0 for no g(r)");
  }
  std::vector<double> r;
  try
  {
    r = SineTransform::RSamples(m_RRange[0], m_RRange[1], m_RStep);
  }
  catch (const itk::ExceptionObject &)
  {
    throw; // its message names RRange or RStep
  }
  rAxis = VectorAxis();
  rAxis.Quantity = "r";
  rAxis.Unit = "A";
  rAxis.Size = { { static_cast<unsigned int>(r.size()), 1 } };
  rAxis.Origin = { { m_RRange[0], 0.0 } };
  rAxis.Spacing = { { m_RStep, 1.0 } };
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  VectorAxis sAxis, rAxis;
  this->CheckedAxes(sAxis, rAxis);
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetNumberOfComponentsPerPixel(rAxis.GetNumberOfComponents());
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    SetVectorAxis(output->GetMetaDataDictionary(), rAxis);
  }
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::AllocateOutputs()
{
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    if (i == 0 || m_NumberDensity > 0.0)
    {
      output->SetBufferedRegion(output->GetRequestedRegion());
      AllocateWithHugePages(output); // 131 MB for a paper-scale scan
    }
    else
    {
      output->Initialize(); // no stale g(r) from an earlier update
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  VectorAxis sAxis, rAxis;
  this->CheckedAxes(sAxis, rAxis);
  // The s samples are bin centres: each weighs its bin width, the spacing.
  std::vector<double> s(sAxis.Size[0]), weights(sAxis.Size[0], sAxis.Spacing[0]), r(rAxis.Size[0]);
  for (unsigned int j = 0; j < sAxis.Size[0]; ++j)
  {
    s[j] = sAxis.GetCoordinate(j);
  }
  for (unsigned int m = 0; m < rAxis.Size[0]; ++m)
  {
    r[m] = rAxis.GetCoordinate(m);
  }
  if (s != m_Transform.GetS() || weights != m_Transform.GetWeights() || r != m_Transform.GetR())
  {
    try
    {
      m_Transform = SineTransform(s, weights, r);
    }
    catch (const itk::ExceptionObject & e)
    {
      itkExceptionMacro(<< e.GetDescription());
    }
  }

  // A non-number would spread over the whole G(r) of its position: refuse it,
  // naming the first one in scan order. (One read pass, ~1 ms per 10^6 values.)
  const InputImageType * input = this->GetInput();
  const auto &           region = this->GetOutput()->GetRequestedRegion();
  const size_t           ns = s.size();
  auto                   index = region.GetIndex();
  for (itk::SizeValueType line = 0; line < region.GetSize(1); ++line)
  {
    index[0] = region.GetIndex(0);
    index[1] = region.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const double * values = input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(index)) * ns;
    const size_t   count = region.GetSize(0) * ns;
    const double * bad = std::find_if(values, values + count, [](double v) { return !std::isfinite(v); });
    if (bad != values + count)
    {
      const size_t offset = static_cast<size_t>(bad - values);
      const double v = *bad;
      itkExceptionMacro(<< "position (" << index[0] + static_cast<itk::IndexValueType>(offset / ns) << ", "
                        << index[1] << "): phi(s) is " << (std::isnan(v) ? "NaN" : (v > 0 ? "+inf" : "-inf"))
                        << " at s = " << s[offset % ns]
                        << " 1/A; expected finite values (a non-number spreads over the whole G(r))");
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(
  const OutputImageRegionType & outputRegionForThread)
{
  using Matrix = SineTransform::RowMajorMatrix;
  const InputImageType * input = this->GetInput();
  OutputImageType *      output = this->GetOutput();
  OutputImageType *      pair = m_NumberDensity > 0.0 ? this->GetPairCorrelationOutput() : nullptr;
  const auto             ns = static_cast<Eigen::Index>(input->GetNumberOfComponentsPerPixel());
  const auto             nr = static_cast<Eigen::Index>(output->GetNumberOfComponentsPerPixel());

  // Positions of a scan line are consecutive rows in every buffer; when the
  // region spans the buffers' whole width, so are those of several lines:
  // then blocks of about 512 positions (G of a block stays in cache for g).
  const itk::SizeValueType lineLength = outputRegionForThread.GetSize(0);
  const itk::SizeValueType lines = outputRegionForThread.GetSize(1);
  const bool               wholeWidth = input->GetBufferedRegion().GetSize(0) == lineLength &&
                          output->GetBufferedRegion().GetSize(0) == lineLength &&
                          (pair == nullptr || pair->GetBufferedRegion().GetSize(0) == lineLength);
  const itk::SizeValueType linesPerBlock = wholeWidth ? std::max<itk::SizeValueType>(1, 512 / lineLength) : 1;

  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());
  auto                       index = outputRegionForThread.GetIndex();
  for (itk::SizeValueType line = 0; line < lines; line += linesPerBlock)
  {
    index[1] = outputRegionForThread.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const auto rows = static_cast<Eigen::Index>(lineLength * std::min(linesPerBlock, lines - line));
    const Eigen::Map<const Matrix> phi(
      input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(index)) * ns, rows, ns);
    Eigen::Map<Matrix> G(output->GetBufferPointer() + static_cast<size_t>(output->ComputeOffset(index)) * nr, rows, nr);
    m_Transform.Apply(phi, G);
    if (pair != nullptr)
    {
      Eigen::Map<Matrix> g(pair->GetBufferPointer() + static_cast<size_t>(pair->ComputeOffset(index)) * nr, rows, nr);
      m_Transform.PairCorrelation(phi, G, m_NumberDensity, g);
    }
    progress.Completed(static_cast<itk::SizeValueType>(rows));
  }
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "RRange: " << m_RRange << " A, RStep: " << m_RStep << " A" << std::endl;
  os << indent << "NumberDensity: " << m_NumberDensity << (m_NumberDensity > 0.0 ? " atoms/A^3" : " (no g(r))")
     << std::endl;
}
} // namespace stempdf

#endif
