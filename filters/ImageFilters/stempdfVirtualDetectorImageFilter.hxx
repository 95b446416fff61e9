#ifndef stempdfVirtualDetectorImageFilter_hxx
#define stempdfVirtualDetectorImageFilter_hxx

#include "stempdfVirtualDetectorImageFilter.h"

#include "itkImageScanlineIterator.h"
#include "itkTotalProgressReporter.h"

#include <cmath>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
VirtualDetectorImageFilter<TInputImage, TOutputImage>::VirtualDetectorImageFilter()
{
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
}

template <typename TInputImage, typename TOutputImage>
VectorAxis
VirtualDetectorImageFilter<TInputImage, TOutputImage>::CheckedDetectorAxis() const
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a field of diffraction patterns with SetInput()");
  }
  VectorAxis axis;
  if (!GetVectorAxis(input->GetMetaDataDictionary(), axis) || axis.Quantity != DetectorQuantity)
  {
    itkExceptionMacro(<< "the input has no detector axis: its MetaDataDictionary needs a \"" << DetectorQuantity
                      << "\" VectorAxis under key \"" << VectorAxisKey
                      << "\" (stempdf::SetVectorAxis with stempdf::MakeDetectorAxis(Kx, Ky))");
  }
  if (axis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    itkExceptionMacro(<< "the detector axis has " << axis.Size[0] << " x " << axis.Size[1] << " = "
                      << axis.GetNumberOfComponents() << " pixels but the input has "
                      << input->GetNumberOfComponentsPerPixel() << " components per scan position");
  }
  if (!(m_InnerRadius >= 0.0))
  {
    itkExceptionMacro(<< "InnerRadius is " << m_InnerRadius << "; expected a radius >= 0 detector pixels");
  }
  if (!(m_InnerRadius < m_OuterRadius))
  {
    itkExceptionMacro(<< "InnerRadius (" << m_InnerRadius << ") must be smaller than OuterRadius (" << m_OuterRadius
                      << ")");
  }
  if (!m_CenterOnDetectorMiddle)
  {
    const double maxX = axis.Size[0] - 1.0;
    const double maxY = axis.Size[1] - 1.0;
    if (!(m_Center[0] >= 0.0 && m_Center[0] <= maxX && m_Center[1] >= 0.0 && m_Center[1] <= maxY))
    {
      itkExceptionMacro(<< "Center (" << m_Center[0] << ", " << m_Center[1] << ") lies off the " << axis.Size[0]
                        << " x " << axis.Size[1] << " detector; expected 0 <= x <= " << maxX
                        << " and 0 <= y <= " << maxY << " (detector pixels)");
    }
  }
  return axis;
}

template <typename TInputImage, typename TOutputImage>
void
VirtualDetectorImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  this->CheckedDetectorAxis();
}

template <typename TInputImage, typename TOutputImage>
void
VirtualDetectorImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  const VectorAxis   axis = this->CheckedDetectorAxis();
  const unsigned int kx = axis.Size[0];
  const unsigned int ky = axis.Size[1];

  m_EffectiveCenter = m_Center;
  if (m_CenterOnDetectorMiddle)
  {
    m_EffectiveCenter[0] = 0.5 * (kx - 1.0);
    m_EffectiveCenter[1] = 0.5 * (ky - 1.0);
  }

  // The annulus is the same for every scan position: list its pixels once.
  const double inner2 = m_InnerRadius * m_InnerRadius;
  const double outer2 = m_OuterRadius * m_OuterRadius;
  m_DetectorOffsets.clear();
  for (unsigned int y = 0; y < ky; ++y)
  {
    const double dy = y - m_EffectiveCenter[1];
    for (unsigned int x = 0; x < kx; ++x)
    {
      const double dx = x - m_EffectiveCenter[0];
      const double d2 = dx * dx + dy * dy;
      if (d2 >= inner2 && d2 < outer2)
      {
        m_DetectorOffsets.push_back(static_cast<size_t>(y) * kx + x);
      }
    }
  }
  m_NumberOfDetectorPixels = m_DetectorOffsets.size();
  if (m_DetectorOffsets.empty())
  {
    itkExceptionMacro(<< "the annulus InnerRadius = " << m_InnerRadius << ", OuterRadius = " << m_OuterRadius
                      << " around (" << m_EffectiveCenter[0] << ", " << m_EffectiveCenter[1]
                      << ") holds no detector pixel centre; widen it");
  }
}

template <typename TInputImage, typename TOutputImage>
void
VirtualDetectorImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(
  const OutputImageRegionType & outputRegionForThread)
{
  const InputImageType * input = this->GetInput();
  OutputImageType *      output = this->GetOutput();
  const auto *           buffer = input->GetBufferPointer();
  const size_t           components = input->GetNumberOfComponentsPerPixel();

  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());

  itk::ImageScanlineIterator<OutputImageType> it(output, outputRegionForThread);
  while (!it.IsAtEnd())
  {
    while (!it.IsAtEndOfLine())
    {
      const auto * pattern = buffer + static_cast<size_t>(input->ComputeOffset(it.GetIndex())) * components;
      double       sum = 0.0;
      for (const size_t k : m_DetectorOffsets)
      {
        sum += static_cast<double>(pattern[k]);
      }
      it.Set(static_cast<OutputPixelType>(sum));
      ++it;
    }
    progress.Completed(outputRegionForThread.GetSize(0));
    it.NextLine();
  }
}

template <typename TInputImage, typename TOutputImage>
void
VirtualDetectorImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Center: " << m_Center << std::endl;
  os << indent << "CenterOnDetectorMiddle: " << (m_CenterOnDetectorMiddle ? "On" : "Off") << std::endl;
  os << indent << "InnerRadius: " << m_InnerRadius << std::endl;
  os << indent << "OuterRadius: " << m_OuterRadius << std::endl;
  os << indent << "EffectiveCenter: " << m_EffectiveCenter << std::endl;
  os << indent << "NumberOfDetectorPixels: " << m_NumberOfDetectorPixels << std::endl;
}
} // namespace stempdf

#endif
