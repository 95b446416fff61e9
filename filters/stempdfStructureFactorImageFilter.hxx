#ifndef stempdfStructureFactorImageFilter_hxx
#define stempdfStructureFactorImageFilter_hxx

#include "stempdfStructureFactorImageFilter.h"

#include "itkTotalProgressReporter.h"

#include <algorithm>
#include <type_traits>
#include <vector>

namespace stempdf
{
namespace detail
{
/** An exception's message without ITK's "ITK ERROR: " prefix, to be wrapped into another. */
inline std::string
StrippedDescription(const itk::ExceptionObject & e)
{
  std::string       text = e.GetDescription();
  const std::string prefix = "ITK ERROR: ";
  return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
}
} // namespace detail

template <typename TInputImage, typename TOutputImage>
StructureFactorImageFilter<TInputImage, TOutputImage>::StructureFactorImageFilter()
{
  this->SetNumberOfRequiredOutputs(2);
  this->SetNthOutput(1, this->MakeOutput(1));
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
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
std::unique_ptr<ReducedIntensityCalculator>
StructureFactorImageFilter<TInputImage, TOutputImage>::MakeCalculator(VectorAxis & inputAxis) const
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a field of I(s) profiles with SetInput()");
  }
  if (!GetVectorAxis(input->GetMetaDataDictionary(), inputAxis) || inputAxis.Quantity != "s" ||
      (!inputAxis.Unit.empty() && inputAxis.Unit != "1/A") || inputAxis.Size[1] != 1 ||
      inputAxis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    itkExceptionMacro(<< "the input needs an \"s\" VectorAxis in 1/A whose length equals its "
                      << input->GetNumberOfComponentsPerPixel() << " components per position (an I(s) field)");
  }
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
void
StructureFactorImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  VectorAxis inputAxis;
  const auto calculator = this->MakeCalculator(inputAxis);

  VectorAxis phiAxis;
  phiAxis.Quantity = "s";
  phiAxis.Unit = "1/A";
  phiAxis.Size = { { static_cast<unsigned int>(calculator->GetS().size()), 1 } };
  phiAxis.Origin = { { inputAxis.GetCoordinate(static_cast<unsigned int>(calculator->GetFirstSample())), 0.0 } };
  phiAxis.Spacing = { { inputAxis.Spacing[0], 1.0 } };
  VectorAxis parameterAxis;
  parameterAxis.Quantity = ReducedIntensityParametersQuantity;
  parameterAxis.Size = { { calculator->GetNumberOfParameters(), 1 } };

  const VectorAxis axes[2] = { phiAxis, parameterAxis };
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetNumberOfComponentsPerPixel(axes[i].GetNumberOfComponents());
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    SetVectorAxis(output->GetMetaDataDictionary(), axes[i]);
  }
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  VectorAxis inputAxis;
  m_Calculator = this->MakeCalculator(inputAxis);
  m_HasError = false;
  m_ErrorMessage.clear();
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(
  const OutputImageRegionType & outputRegionForThread)
{
  using InputValueType = typename InputImageType::InternalPixelType;
  const InputImageType * input = this->GetInput();
  OutputImageType *      output = this->GetOutput();
  OutputImageType *      parameters = this->GetParametersOutput();
  const size_t           inputLength = input->GetNumberOfComponentsPerPixel();
  const size_t           outputLength = output->GetNumberOfComponentsPerPixel();
  const size_t           parameterLength = parameters->GetNumberOfComponentsPerPixel();
  std::vector<double>    profile(std::is_same<InputValueType, double>::value ? 0 : inputLength);

  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());
  const auto                 lineLength = static_cast<itk::IndexValueType>(outputRegionForThread.GetSize(0));
  auto                       index = outputRegionForThread.GetIndex();
  for (itk::SizeValueType line = 0; line < outputRegionForThread.GetSize(1); ++line)
  {
    index[1] = outputRegionForThread.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const auto inputOffset = static_cast<size_t>(input->ComputeOffset(index));
    const auto outputOffset = static_cast<size_t>(output->ComputeOffset(index));
    const auto parameterOffset = static_cast<size_t>(parameters->ComputeOffset(index));
    for (itk::IndexValueType i = 0; i < lineLength; ++i)
    {
      const InputValueType * values = input->GetBufferPointer() + (inputOffset + i) * inputLength;
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
        m_Calculator->Compute(intensity, output->GetBufferPointer() + (outputOffset + i) * outputLength,
                              parameters->GetBufferPointer() + (parameterOffset + i) * parameterLength);
      }
      catch (const itk::ExceptionObject & e)
      {
        // This work unit stops at its first bad position; the first in scan order is reported.
        auto bad = index;
        bad[0] += i;
        const std::lock_guard<std::mutex> lock(m_ErrorMutex);
        if (!m_HasError || bad[1] < m_ErrorIndex[1] || (bad[1] == m_ErrorIndex[1] && bad[0] < m_ErrorIndex[0]))
        {
          m_HasError = true;
          m_ErrorIndex = bad;
          m_ErrorMessage = detail::StrippedDescription(e);
        }
        return;
      }
    }
    progress.Completed(static_cast<itk::SizeValueType>(lineLength));
  }
}

template <typename TInputImage, typename TOutputImage>
void
StructureFactorImageFilter<TInputImage, TOutputImage>::AfterThreadedGenerateData()
{
  m_Calculator.reset();
  if (m_HasError)
  {
    itkExceptionMacro(<< "position (" << m_ErrorIndex[0] << ", " << m_ErrorIndex[1] << "): " << m_ErrorMessage);
  }
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
