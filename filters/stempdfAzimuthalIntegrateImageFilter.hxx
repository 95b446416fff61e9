#ifndef stempdfAzimuthalIntegrateImageFilter_hxx
#define stempdfAzimuthalIntegrateImageFilter_hxx

#include "stempdfAzimuthalIntegrateImageFilter.h"
#include "stempdfMetaDataKeys.h"

#include "itkImageScanlineIterator.h"
#include "itkMetaDataObject.h"
#include "itkTotalProgressReporter.h"

#include <Eigen/Core>

#include <cmath>
#include <sstream>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::AzimuthalIntegrateImageFilter()
{
  this->SetNumberOfRequiredOutputs(2);
  this->SetNthOutput(1, this->MakeOutput(1));
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
}

template <typename TInputImage, typename TOutputImage>
AzimuthalGeometry
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::CheckedGeometry(VectorAxis & profileAxis) const
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a field of diffraction patterns with SetInput()");
  }
  VectorAxis detector;
  if (!GetVectorAxis(input->GetMetaDataDictionary(), detector) || detector.Quantity != DetectorQuantity ||
      detector.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    itkExceptionMacro(<< "the input needs a \"" << DetectorQuantity << "\" VectorAxis whose Kx x Ky equals its "
                      << input->GetNumberOfComponentsPerPixel() << " components per position");
  }
  double pixelSize = m_PixelSize;
  if (pixelSize <= 0.0)
  {
    itk::ExposeMetaData<double>(input->GetMetaDataDictionary(), DetectorPixelSizeKey, pixelSize);
  }
  if (!(pixelSize > 0.0))
  {
    itkExceptionMacro(<< "PixelSize is not set and the input has no \"" << DetectorPixelSizeKey
                      << "\" calibration; expected the detector pixel size in 1/A per pixel (> 0)");
  }
  if (!(m_SRange[0] >= 0.0 && m_SRange[1] > m_SRange[0]))
  {
    itkExceptionMacro(<< "SRange is (" << m_SRange[0] << ", " << m_SRange[1]
                      << "); expected 0 <= s0 < s1 in 1/A");
  }
  unsigned int bins = m_NumberOfBins;
  if (bins == 0)
  {
    bins = static_cast<unsigned int>(std::max(1.0, std::round((m_SRange[1] - m_SRange[0]) / pixelSize)));
  }
  if (m_MaskImage && m_MaskImage->GetBufferedRegion().GetNumberOfPixels() != detector.GetNumberOfComponents())
  {
    itkExceptionMacro(<< "the mask has " << m_MaskImage->GetBufferedRegion().GetSize() << " pixels; expected the "
                      << detector.Size[0] << " x " << detector.Size[1] << " detector");
  }
  AzimuthalGeometry geometry;
  geometry.CenterX = m_CenterOnDetectorMiddle ? 0.5 * (detector.Size[0] - 1.0) : m_Center[0];
  geometry.CenterY = m_CenterOnDetectorMiddle ? 0.5 * (detector.Size[1] - 1.0) : m_Center[1];
  geometry.PixelSize = pixelSize;
  geometry.EllipseRatio = m_EllipseRatio;
  geometry.EllipseAngle = m_EllipseAngle;
  geometry.DetectorWidth = detector.Size[0];
  geometry.DetectorHeight = detector.Size[1];

  const double width = (m_SRange[1] - m_SRange[0]) / bins;
  profileAxis = VectorAxis();
  profileAxis.Quantity = "s";
  profileAxis.Unit = "1/A";
  profileAxis.Size = { { bins, 1 } };
  profileAxis.Origin = { { m_SRange[0] + 0.5 * width, 0.0 } };
  profileAxis.Spacing = { { width, 1.0 } };
  return geometry;
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  VectorAxis axis;
  this->CheckedGeometry(axis);
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetNumberOfComponentsPerPixel(axis.GetNumberOfComponents());
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    SetVectorAxis(output->GetMetaDataDictionary(), axis);
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::AllocateOutputs()
{
  for (unsigned int i = 0; i < (m_ComputeVariance ? 2u : 1u); ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetBufferedRegion(output->GetRequestedRegion());
    output->Allocate();
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  VectorAxis                 axis;
  const AzimuthalGeometry    geometry = this->CheckedGeometry(axis);
  std::vector<unsigned char> mask;
  if (m_MaskImage)
  {
    const auto n = m_MaskImage->GetBufferedRegion().GetNumberOfPixels();
    mask.assign(m_MaskImage->GetBufferPointer(), m_MaskImage->GetBufferPointer() + n);
  }
  const unsigned int bins = axis.Size[0];
  try
  {
    m_Weights = ComputePixelSplittingWeights(geometry, m_SRange[0], m_SRange[1], bins, mask.empty() ? nullptr : &mask);
  }
  catch (const itk::ExceptionObject & e)
  {
    itkExceptionMacro(<< e.GetDescription());
  }
  m_BinAreas.assign(bins, 0.0);
  for (int b = 0; b < m_Weights.outerSize(); ++b)
  {
    for (WeightMatrix::InnerIterator it(m_Weights, b); it; ++it)
    {
      m_BinAreas[b] += it.value();
    }
  }
  for (unsigned int b = 0; b < bins; ++b)
  {
    if (!(m_BinAreas[b] > 0.0))
    {
      const double s0 = m_SRange[0] + b * axis.Spacing[0];
      itkExceptionMacro(<< "bin " << b << " (" << s0 << " <= s < " << s0 + axis.Spacing[0]
                        << " 1/A) holds no unmasked detector area: narrow SRange to the detector, or check the "
                           "Mask and the Center");
    }
  }
  m_MeanWeights = m_Weights;
  m_VarianceWeights = m_Weights;
  for (int b = 0; b < m_Weights.outerSize(); ++b)
  {
    WeightMatrix::InnerIterator mean(m_MeanWeights, b), var(m_VarianceWeights, b);
    for (; mean; ++mean, ++var)
    {
      mean.valueRef() /= m_BinAreas[b];
      var.valueRef() = mean.value() * mean.value();
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(
  const OutputImageRegionType & outputRegionForThread)
{
  using CountType = typename InputImageType::InternalPixelType;
  const InputImageType * input = this->GetInput();
  OutputImageType *      output = this->GetOutput();
  OutputImageType *      variance = m_ComputeVariance ? this->GetVarianceOutput() : nullptr;
  const auto             pixels = static_cast<Eigen::Index>(input->GetNumberOfComponentsPerPixel());
  const auto             bins = static_cast<Eigen::Index>(output->GetNumberOfComponentsPerPixel());

  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());
  Eigen::VectorXd            frame(pixels);
  itk::ImageScanlineIterator<OutputImageType> it(output, outputRegionForThread);
  while (!it.IsAtEnd())
  {
    while (!it.IsAtEndOfLine())
    {
      const auto index = it.GetIndex();
      frame = Eigen::Map<const Eigen::Matrix<CountType, Eigen::Dynamic, 1>>(
                input->GetBufferPointer() + input->ComputeOffset(index) * pixels, pixels)
                .template cast<double>();
      Eigen::Map<Eigen::VectorXd>(output->GetBufferPointer() + output->ComputeOffset(index) * bins, bins) =
        m_MeanWeights * frame;
      if (variance != nullptr)
      {
        Eigen::Map<Eigen::VectorXd>(variance->GetBufferPointer() + variance->ComputeOffset(index) * bins, bins) =
          m_VarianceWeights * frame;
      }
      ++it;
    }
    progress.Completed(outputRegionForThread.GetSize(0));
    it.NextLine();
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Center: " << m_Center << (m_CenterOnDetectorMiddle ? " (unused: detector middle)" : "") << std::endl;
  os << indent << "EllipseRatio: " << m_EllipseRatio << ", EllipseAngle: " << m_EllipseAngle << " deg" << std::endl;
  os << indent << "PixelSize: " << m_PixelSize << (m_PixelSize > 0.0 ? " 1/A per px" : " (from the input)") << std::endl;
  os << indent << "SRange: " << m_SRange << " 1/A, NumberOfBins: " << m_NumberOfBins
     << (m_NumberOfBins == 0 ? " (one pixel wide)" : "") << std::endl;
  os << indent << "ComputeVariance: " << (m_ComputeVariance ? "On" : "Off") << std::endl;
  os << indent << "MaskImage: " << (m_MaskImage ? "set" : "none") << std::endl;
}
} // namespace stempdf

#endif
