#ifndef stempdfStructureFactorImageFilter_hxx
#define stempdfStructureFactorImageFilter_hxx

#include "stempdfStructureFactorImageFilter.h"

#include <algorithm>
#include <type_traits>
#include <vector>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
StructureFactorImageFilter<TInputImage, TOutputImage>::StructureFactorImageFilter()
  : Superclass(2)
{
  // The defaults live in one place, the parameter struct.
  this->SetReducedIntensityParameters(ReducedIntensityParameters());
}

template <typename TInputImage, typename TOutputImage>
ReducedIntensityParameters
StructureFactorImageFilter<TInputImage, TOutputImage>::GetReducedIntensityParameters() const
{
  ReducedIntensityParameters p;
  p.Composition = m_Composition;
  p.ScatteringFactors = m_ScatteringFactors;
  p.SRange = { { m_SRange[0], m_SRange[1] } };
  p.NormalizationS = m_NormalizationS;
  p.AtomCount = m_AtomCount;
  p.FitWindow = { { m_FitWindow[0], m_FitWindow[1] } };
  p.FitOffset = m_FitOffset;
  p.Denominator = m_Denominator;
  p.PolynomialOrder = m_PolynomialOrder;
  p.Damping = m_Damping;
  p.DampingFactor = m_DampingFactor;
  return p;
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::SetReducedIntensityParameters(
  const ReducedIntensityParameters & p)
{
  m_Composition = p.Composition;
  m_ScatteringFactors = p.ScatteringFactors;
  m_SRange = RangeType{ { p.SRange[0], p.SRange[1] } };
  m_NormalizationS = p.NormalizationS;
  m_AtomCount = p.AtomCount;
  m_FitWindow = RangeType{ { p.FitWindow[0], p.FitWindow[1] } };
  m_FitOffset = p.FitOffset;
  m_Denominator = p.Denominator;
  m_PolynomialOrder = p.PolynomialOrder;
  m_Damping = p.Damping;
  m_DampingFactor = p.DampingFactor;
  this->Modified();
}

template <typename TInputImage, typename TOutputImage>
auto
StructureFactorImageFilter<TInputImage, TOutputImage>::GetInputAxisRequirement() const -> AxisRequirement
{
  AxisRequirement required;
  required.Quantity = SQuantity;
  required.Unit = InverseAngstromUnit;
  required.Field = "a field of I(s) profiles";
  return required;
}

template <typename TInputImage, typename TOutputImage>
std::unique_ptr<ReducedIntensityCalculator>
StructureFactorImageFilter<TInputImage, TOutputImage>::MakeCalculator(const VectorAxis & inputAxis) const
{
  std::vector<double> s(inputAxis.Size[0]);
  for (unsigned int i = 0; i < inputAxis.Size[0]; ++i)
  {
    s[i] = inputAxis.GetCoordinate(i);
  }
  try
  {
    return std::make_unique<ReducedIntensityCalculator>(this->GetReducedIntensityParameters(), s);
  }
  catch (const itk::ExceptionObject & e)
  {
    itkExceptionMacro(<< detail::StrippedDescription(e));
  }
}

template <typename TInputImage, typename TOutputImage>
std::vector<VectorAxis>
StructureFactorImageFilter<TInputImage, TOutputImage>::ComputeOutputAxes(const VectorAxis & inputAxis) const
{
  const auto   calculator = this->MakeCalculator(inputAxis);
  const double first = inputAxis.GetCoordinate(static_cast<unsigned int>(calculator->GetFirstSample()));
  return { MakeProfileAxis(SQuantity,
                           InverseAngstromUnit,
                           static_cast<unsigned int>(calculator->GetS().size()),
                           first,
                           inputAxis.Spacing[0]),
           MakeCountAxis(ReducedIntensityParametersQuantity, calculator->GetNumberOfParameters()) };
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  Superclass::BeforeThreadedGenerateData();
  m_Calculator = this->MakeCalculator(this->GetInputAxis());
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::ProcessRun(const PositionRun & run)
{
  using InputValueType = typename InputImageType::InternalPixelType;
  const size_t        inputLength = this->GetInput()->GetNumberOfComponentsPerPixel();
  const size_t        outputLength = this->GetOutput()->GetNumberOfComponentsPerPixel();
  const size_t        parameterLength = this->GetParametersOutput()->GetNumberOfComponentsPerPixel();
  std::vector<double> profile(std::is_same<InputValueType, double>::value ? 0 : inputLength);
  for (itk::SizeValueType i = 0; i < run.Count; ++i)
  {
    const InputValueType * values = run.Input + i * inputLength;
    const double *         intensity = nullptr;
    if constexpr (std::is_same<InputValueType, double>::value)
    {
      intensity = values;
    }
    else
    {
      std::copy(values, values + inputLength, profile.begin());
      intensity = profile.data();
    }
    try
    {
      m_Calculator->Compute(intensity, run.Outputs[0] + i * outputLength, run.Outputs[1] + i * parameterLength);
    }
    catch (const itk::ExceptionObject & e)
    {
      throw typename Superclass::PositionError(i, detail::StrippedDescription(e));
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::AfterThreadedGenerateData()
{
  m_Calculator.reset();
  Superclass::AfterThreadedGenerateData();
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Composition: " << m_Composition << ", ScatteringFactors: " << ToString(m_ScatteringFactors)
     << std::endl;
  os << indent << "SRange: " << m_SRange << " 1/A" << std::endl;
  os << indent << "NormalizationS: " << m_NormalizationS << (m_NormalizationS == 0.0 ? " (end of SRange)" : " 1/A")
     << std::endl;
  os << indent << "AtomCount: " << m_AtomCount << (m_AtomCount == 0.0 ? " (automatic)" : "") << std::endl;
  os << indent << "FitWindow: " << m_FitWindow
     << (m_FitWindow[0] == 0.0 && m_FitWindow[1] == 0.0 ? " (unused)" : " 1/A")
     << ", FitOffset: " << (m_FitOffset ? "On" : "Off") << std::endl;
  os << indent << "Denominator: " << ToString(m_Denominator) << std::endl;
  os << indent << "PolynomialOrder: " << m_PolynomialOrder << std::endl;
  os << indent << "Damping: " << ToString(m_Damping) << ", DampingFactor: " << m_DampingFactor << " A^2" << std::endl;
}
} // namespace stempdf

#endif
