#ifndef stempdfAzimuthalIntegrateImageFilter_hxx
#define stempdfAzimuthalIntegrateImageFilter_hxx

#include "stempdfAzimuthalIntegrateImageFilter.h"
#include "stempdfElectronOptics.h"
#include "stempdfMetaDataKeys.h"

#include "itkMetaDataObject.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::AzimuthalIntegrateImageFilter()
  : Superclass(2)
{}

template <typename TInputImage, typename TOutputImage>
auto
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::GetInputAxisRequirement() const -> AxisRequirement
{
  AxisRequirement required;
  required.Quantity = DetectorQuantity;
  required.OneDimensional = false;
  required.Field = "a field of diffraction patterns (Kx x Ky components per position)";
  return required;
}

template <typename TInputImage, typename TOutputImage>
AzimuthalGeometry
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::CheckedGeometry(const VectorAxis & detector,
                                                                          VectorAxis &       profileAxis) const
{
  const InputImageType * input = this->GetInput();
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
    itkExceptionMacro(<< "PixelSize is 0, CameraLength is not set and the input has no \"" << DetectorPixelSizeKey
                      << "\" calibration; expected the detector pixel size in 1/A per pixel (> 0), or CameraLength "
                         "(mm) with DetectorPixelPitch (um) and BeamEnergy (kV)");
  }
  if (!(m_SRange[0] >= 0.0 && m_SRange[1] > m_SRange[0]))
  {
    itkExceptionMacro(<< "SRange is (" << m_SRange[0] << ", " << m_SRange[1] << "); expected 0 <= s0 < s1 in 1/A");
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
  profileAxis = MakeProfileAxis(SQuantity, InverseAngstromUnit, bins, m_SRange[0] + 0.5 * width, width);
  return geometry;
}

template <typename TInputImage, typename TOutputImage>
std::vector<VectorAxis>
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::ComputeOutputAxes(const VectorAxis & detector) const
{
  VectorAxis profileAxis;
  this->CheckedGeometry(detector, profileAxis);
  return { profileAxis, profileAxis };
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  VectorAxis              axis;
  const AzimuthalGeometry geometry = this->CheckedGeometry(this->GetInputAxis(), axis);
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    itk::EncapsulateMetaData<double>(output->GetMetaDataDictionary(), DetectorPixelSizeKey, geometry.PixelSize);
  }
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  Superclass::BeforeThreadedGenerateData();
  VectorAxis                 axis;
  const AzimuthalGeometry    geometry = this->CheckedGeometry(this->GetInputAxis(), axis);
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
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::ProcessRun(const PositionRun & run)
{
  using CountType = typename InputImageType::InternalPixelType;
  const size_t pixels = this->GetInput()->GetNumberOfComponentsPerPixel();
  const size_t bins = this->GetOutput()->GetNumberOfComponentsPerPixel();
  const auto   count = static_cast<unsigned int>(run.Count);
  // Each frame is read once, in its own count type.
  std::vector<const CountType *> frames(count);
  std::vector<double *>          profiles(count), variances(run.Outputs[1] != nullptr ? count : 0);
  for (unsigned int i = 0; i < count; ++i)
  {
    frames[i] = run.Input + i * pixels;
    profiles[i] = run.Outputs[0] + i * bins;
    if (run.Outputs[1] != nullptr)
    {
      variances[i] = run.Outputs[1] + i * bins;
    }
  }
  m_Projector.Project(frames.data(), count, profiles.data(), run.Outputs[1] != nullptr ? variances.data() : nullptr);
}

template <typename TInputImage, typename TOutputImage>
void
AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Center: " << m_Center << (m_CenterOnDetectorMiddle ? " (unused: detector middle)" : "") << std::endl;
  os << indent << "EllipseRatio: " << m_EllipseRatio << ", EllipseAngle: " << m_EllipseAngle << " deg" << std::endl;
  os << indent << "PixelSize: " << m_PixelSize
     << (m_PixelSize > 0.0 ? " 1/A per px" : " (from CameraLength or the input)") << std::endl;
  os << indent << "CameraLength: " << m_CameraLength << " mm, DetectorPixelPitch: " << m_DetectorPixelPitch
     << " um, BeamEnergy: " << m_BeamEnergy << " kV" << std::endl;
  os << indent << "SRange: " << m_SRange << " 1/A, NumberOfBins: " << m_NumberOfBins
     << (m_NumberOfBins == 0 ? " (one pixel wide)" : "") << std::endl;
  os << indent << "ComputeVariance: " << (m_ComputeVariance ? "On" : "Off") << std::endl;
  os << indent << "MaskImage: " << (m_MaskImage ? "set" : "none") << std::endl;
}
} // namespace stempdf

#endif
