#ifndef stempdfAzimuthalIntegrateImageFilter_hxx
#define stempdfAzimuthalIntegrateImageFilter_hxx

#include "stempdfAzimuthalIntegrateImageFilter.h"
#include "stempdfElectronOptics.h"
#include "stempdfMetaDataKeys.h"

#include "itkMetaDataObject.h"
#include "itkTotalProgressReporter.h"

#include <Eigen/Core>

#include <algorithm>
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
  if (!(m_PixelSize >= 0.0) || !std::isfinite(m_PixelSize))
  {
    itkExceptionMacro(<< "PixelSize is " << m_PixelSize
                      << "; expected the detector pixel size in 1/A per pixel (> 0), or 0 to take it from "
                         "CameraLength or the input's calibration");
  }
  double pixelSize = m_PixelSize;
  if (pixelSize <= 0.0 && m_CameraLength != 0.0)
  {
    double energy = m_BeamEnergy;
    if (energy <= 0.0 && !itk::ExposeMetaData<double>(input->GetMetaDataDictionary(), BeamEnergyKey, energy))
    {
      itkExceptionMacro(<< "CameraLength is set but BeamEnergy is not, and the input has no \"" << BeamEnergyKey
                        << "\" calibration; expected the beam energy in kV (> 0)");
    }
    try
    {
      pixelSize = DetectorPixelSizeFromCameraLength(m_CameraLength, m_DetectorPixelPitch, energy);
    }
    catch (const itk::ExceptionObject & e)
    {
      itkExceptionMacro(<< e.GetDescription());
    }
  }
  if (pixelSize <= 0.0)
  {
    itk::ExposeMetaData<double>(input->GetMetaDataDictionary(), DetectorPixelSizeKey, pixelSize);
  }
  if (!(pixelSize > 0.0) || !std::isfinite(pixelSize))
  {
    itkExceptionMacro(<< "PixelSize is 0, CameraLength is not set and the input has no \""
                      << DetectorPixelSizeKey
                      << "\" calibration; expected the detector pixel size in 1/A per pixel (> 0), or CameraLength "
                         "(mm) with DetectorPixelPitch (um) and BeamEnergy (kV)");
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
  if (!(geometry.CenterX >= -0.5 && geometry.CenterX <= detector.Size[0] - 0.5 && geometry.CenterY >= -0.5 &&
        geometry.CenterY <= detector.Size[1] - 0.5))
  {
    itkExceptionMacro(<< "Center is (" << geometry.CenterX << ", " << geometry.CenterY
                      << ") px; expected a point on the " << detector.Size[0] << " x " << detector.Size[1]
                      << " detector (-0.5 .. " << detector.Size[0] - 0.5 << ", -0.5 .. " << detector.Size[1] - 0.5
                      << ")");
  }
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
  VectorAxis              axis;
  const AzimuthalGeometry geometry = this->CheckedGeometry(axis);
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetNumberOfComponentsPerPixel(axis.GetNumberOfComponents());
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    SetVectorAxis(output->GetMetaDataDictionary(), axis);
    itk::EncapsulateMetaData<double>(output->GetMetaDataDictionary(), DetectorPixelSizeKey, geometry.PixelSize);
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
  if (!mask.empty() && std::find(mask.begin(), mask.end(), 0) == mask.end())
  {
    itkExceptionMacro(<< "the Mask excludes every detector pixel: nothing left to integrate");
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
  WeightMatrix meanWeights = m_Weights;
  WeightMatrix varianceWeights = m_Weights;
  for (int b = 0; b < m_Weights.outerSize(); ++b)
  {
    WeightMatrix::InnerIterator mean(meanWeights, b), var(varianceWeights, b);
    for (; mean; ++mean, ++var)
    {
      mean.valueRef() /= m_BinAreas[b];
      var.valueRef() = mean.value() * mean.value();
    }
  }
  // One pass gives the mean and, when asked for, the variance.
  m_Projector = SparseFrameProjector(meanWeights, m_ComputeVariance ? &varianceWeights : nullptr);
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
  const size_t           pixels = input->GetNumberOfComponentsPerPixel();
  const size_t           bins = output->GetNumberOfComponentsPerPixel();

  // A scan line at a time: its frames are projected in batches (see
  // SparseFrameProjector), each frame read once in its own count type.
  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());
  const auto                 lineLength = static_cast<unsigned int>(outputRegionForThread.GetSize(0));
  std::vector<const CountType *> frames(lineLength);
  std::vector<double *>          profiles(lineLength), variances(lineLength);
  auto                           index = outputRegionForThread.GetIndex();
  for (itk::SizeValueType line = 0; line < outputRegionForThread.GetSize(1); ++line)
  {
    index[1] = outputRegionForThread.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const auto inputOffset = static_cast<size_t>(input->ComputeOffset(index));
    const auto outputOffset = static_cast<size_t>(output->ComputeOffset(index));
    for (unsigned int i = 0; i < lineLength; ++i)
    {
      frames[i] = input->GetBufferPointer() + (inputOffset + i) * pixels;
      profiles[i] = output->GetBufferPointer() + (outputOffset + i) * bins;
      if (variance != nullptr)
      {
        variances[i] = variance->GetBufferPointer() + (static_cast<size_t>(variance->ComputeOffset(index)) + i) * bins;
      }
    }
    m_Projector.Project(frames.data(), lineLength, profiles.data(), variance != nullptr ? variances.data() : nullptr);
    progress.Completed(lineLength);
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Center: " << m_Center << (m_CenterOnDetectorMiddle ? " (unused: detector middle)" : "") << std::endl;
  os << indent << "EllipseRatio: " << m_EllipseRatio << ", EllipseAngle: " << m_EllipseAngle << " deg" << std::endl;
  os << indent << "PixelSize: " << m_PixelSize << (m_PixelSize > 0.0 ? " 1/A per px" : " (from CameraLength or the input)")
     << std::endl;
  os << indent << "CameraLength: " << m_CameraLength << " mm, DetectorPixelPitch: " << m_DetectorPixelPitch
     << " um, BeamEnergy: " << m_BeamEnergy << " kV" << std::endl;
  os << indent << "SRange: " << m_SRange << " 1/A, NumberOfBins: " << m_NumberOfBins
     << (m_NumberOfBins == 0 ? " (one pixel wide)" : "") << std::endl;
  os << indent << "ComputeVariance: " << (m_ComputeVariance ? "On" : "Off") << std::endl;
  os << indent << "MaskImage: " << (m_MaskImage ? "set" : "none") << std::endl;
}
} // namespace stempdf

#endif
