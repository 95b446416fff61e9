#ifndef stempdfAutocorrelationImageFilter_hxx
#define stempdfAutocorrelationImageFilter_hxx

#include "stempdfAutocorrelationImageFilter.h"

#include "itkImageRegionConstIterator.h"

#include <vector>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
void
AutocorrelationImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a map with SetInput()");
  }
  const std::string name = input->GetObjectName().empty() ? "the map" : "the map '" + input->GetObjectName() + "'";
  const auto        size = input->GetLargestPossibleRegion().GetSize();
  if (size[0] < MinimumMapSize || size[1] < MinimumMapSize)
  {
    itkExceptionMacro(<< name << " has " << size[0] << " x " << size[1] << " positions; expected at least "
                      << MinimumMapSize << " x " << MinimumMapSize);
  }
  if (!(m_BinWidth > 0.0))
  {
    itkExceptionMacro(<< "BinWidth is " << m_BinWidth << " scan steps; expected > 0 (default 0.5)");
  }
  const auto spacing = input->GetSpacing();
  if (!(spacing[0] > 0.0) || !(spacing[1] > 0.0))
  {
    itkExceptionMacro(<< name << " has spacing (" << spacing[0] << ", " << spacing[1]
                      << "); expected the scan step in nm (> 0)");
  }
  const unsigned int                   hx = AutocorrelationHalfWidth(static_cast<unsigned int>(size[0]));
  const unsigned int                   hy = AutocorrelationHalfWidth(static_cast<unsigned int>(size[1]));
  typename OutputImageType::RegionType region;
  region.SetSize({ { 2 * hx + 1, 2 * hy + 1 } });
  typename OutputImageType::PointType origin;
  origin[0] = -static_cast<double>(hx) * spacing[0];
  origin[1] = -static_cast<double>(hy) * spacing[1];
  OutputImageType * output = this->GetOutput();
  output->SetLargestPossibleRegion(region);
  output->SetSpacing(spacing);
  output->SetOrigin(origin);
  typename OutputImageType::DirectionType direction;
  direction.SetIdentity();
  output->SetDirection(direction);
}

template <typename TInputImage, typename TOutputImage>
void
AutocorrelationImageFilter<TInputImage, TOutputImage>::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  if (auto * input = const_cast<InputImageType *>(this->GetInput()))
  {
    input->SetRequestedRegionToLargestPossibleRegion();
  }
}

template <typename TInputImage, typename TOutputImage>
void
AutocorrelationImageFilter<TInputImage, TOutputImage>::EnlargeOutputRequestedRegion(itk::DataObject * output)
{
  Superclass::EnlargeOutputRequestedRegion(output);
  output->SetRequestedRegionToLargestPossibleRegion();
}

template <typename TInputImage, typename TOutputImage>
void
AutocorrelationImageFilter<TInputImage, TOutputImage>::GenerateData()
{
  const InputImageType *                        input = this->GetInput();
  const auto                                    region = input->GetLargestPossibleRegion();
  const unsigned int                            nx = static_cast<unsigned int>(region.GetSize(0));
  const unsigned int                            ny = static_cast<unsigned int>(region.GetSize(1));
  std::vector<double>                           values(static_cast<std::size_t>(nx) * ny);
  itk::ImageRegionConstIterator<InputImageType> it(input, region);
  for (std::size_t i = 0; !it.IsAtEnd(); ++it, ++i)
  {
    values[i] = static_cast<double>(it.Get());
  }
  const unsigned int  hx = AutocorrelationHalfWidth(nx), hy = AutocorrelationHalfWidth(ny);
  std::vector<double> correlation(static_cast<std::size_t>(2 * hx + 1) * (2 * hy + 1));
  ComputeAutocorrelation(values.data(), nx, ny, correlation.data(), input->GetObjectName());
  this->UpdateProgress(0.5f);

  OutputImageType * output = this->GetOutput();
  output->SetBufferedRegion(output->GetRequestedRegion());
  output->Allocate();
  auto * out = output->GetBufferPointer();
  for (std::size_t i = 0; i < correlation.size(); ++i)
  {
    out[i] = static_cast<typename OutputImageType::PixelType>(correlation[i]);
  }
  const auto spacing = input->GetSpacing();
  m_RadialProfile = ComputeRadialProfile(correlation.data(), hx, hy, spacing[0], spacing[1], m_BinWidth);
  m_FullWidthHalfMaximum = m_RadialProfile.FullWidthHalfMaximum();
  m_OneOverELength = m_RadialProfile.OneOverELength();
  m_ExponentialFitLength = m_RadialProfile.ExponentialFitLength();
  this->UpdateProgress(1.0f);
}

template <typename TInputImage, typename TOutputImage>
void
AutocorrelationImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "BinWidth: " << m_BinWidth << '\n'
     << indent << "FullWidthHalfMaximum: " << m_FullWidthHalfMaximum << '\n'
     << indent << "OneOverELength: " << m_OneOverELength << '\n'
     << indent << "ExponentialFitLength: " << m_ExponentialFitLength << '\n'
     << indent << "RadialProfile: " << m_RadialProfile.Distance.size() << " rings\n";
}
} // namespace stempdf

#endif
