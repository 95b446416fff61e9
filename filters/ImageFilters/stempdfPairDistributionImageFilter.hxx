#ifndef stempdfPairDistributionImageFilter_hxx
#define stempdfPairDistributionImageFilter_hxx

#include "stempdfPairDistributionImageFilter.h"
#include "stempdfHugePages.h"

#include <cmath>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
PairDistributionImageFilter<TInputImage, TOutputImage>::PairDistributionImageFilter()
  : Superclass(2)
{}

template <typename TInputImage, typename TOutputImage>
auto
PairDistributionImageFilter<TInputImage, TOutputImage>::GetInputAxisRequirement() const -> AxisRequirement
{
  AxisRequirement required;
  required.Quantity = SQuantity;
  required.Unit = InverseAngstromUnit;
  required.Field = "a field of reduced intensities phi(s), s in 1/A";
  return required;
}

template <typename TInputImage, typename TOutputImage>
std::vector<VectorAxis>
PairDistributionImageFilter<TInputImage, TOutputImage>::ComputeOutputAxes(const VectorAxis & sAxis) const
{
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
  // Its message names RRange or RStep.
  const std::vector<double> r = SineTransform::RSamples(m_RRange[0], m_RRange[1], m_RStep);
  const VectorAxis          rAxis =
    MakeProfileAxis(RQuantity, AngstromUnit, static_cast<unsigned int>(r.size()), m_RRange[0], m_RStep);
  return { rAxis, rAxis };
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::AllocateOutput(OutputImageType * output)
{
  AllocateWithHugePages(output);
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  Superclass::BeforeThreadedGenerateData();
  const VectorAxis & sAxis = this->GetInputAxis();
  VectorAxis         rAxis;
  GetVectorAxis(this->GetOutput()->GetMetaDataDictionary(), rAxis);
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
  // A non-number would spread over the whole G(r) of its position.
  this->RejectNonFiniteInput("phi(s)", " (a non-number spreads over the whole G(r))");
}

template <typename TInputImage, typename TOutputImage>
void
PairDistributionImageFilter<TInputImage, TOutputImage>::ProcessRun(const PositionRun & run)
{
  using Matrix = SineTransform::RowMajorMatrix;
  const auto                     rows = static_cast<Eigen::Index>(run.Count);
  const auto                     ns = static_cast<Eigen::Index>(this->GetInput()->GetNumberOfComponentsPerPixel());
  const auto                     nr = static_cast<Eigen::Index>(this->GetOutput()->GetNumberOfComponentsPerPixel());
  const Eigen::Map<const Matrix> phi(run.Input, rows, ns);
  Eigen::Map<Matrix>             G(run.Outputs[0], rows, nr);
  m_Transform.Apply(phi, G);
  if (run.Outputs[1] != nullptr)
  {
    Eigen::Map<Matrix> g(run.Outputs[1], rows, nr);
    m_Transform.PairCorrelation(phi, G, m_NumberDensity, g);
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
