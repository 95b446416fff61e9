#ifndef stempdfAutocorrelationImageFilter_h
#define stempdfAutocorrelationImageFilter_h

#include "stempdfAutocorrelation.h"
#include "stempdfImageTypes.h"

#include "itkImageToImageFilter.h"

#include <type_traits>

namespace stempdf
{
/** \class AutocorrelationImageFilter
 * \brief The normalised autocorrelation of a map, its radial profile and the
 * correlation lengths (domain sizes) read from it.
 *
 * Input: a map over the scan grid (MapImage: one value per position, spacing
 * = scan step in nm), e.g. an NMF weight map. Output 0: the normalised,
 * unbiased autocorrelation (docs/method.md, section 8; the definition is
 * stempdf::ComputeAutocorrelation's):
 *
 *   C(d) = [1 / P(d)] sum_x w'(x) w'(x + d) / [(1 / N) sum_x w'(x)^2],
 *
 * w' = w - mean(w), P(d) = (Nx - |dx|)(Ny - |dy|) the position pairs that
 * overlap at shift d, C(0) = 1. FFTs on a 2Nx x 2Ny zero-padded grid, so no
 * shift wraps around. The output holds the shifts |dx| <= Nx/2, |dy| <= Ny/2
 * (integer division): (2 (Nx/2) + 1) x (2 (Ny/2) + 1) values, the map's
 * spacing, origin -(Nx/2, Ny/2) x spacing, so the zero shift sits in the
 * middle at physical (0, 0).
 *
 * After Update(): GetRadialProfile() (rings of BinWidth scan steps, distance
 * in nm, up to half the smaller map side) and three correlation lengths in
 * nm (each NaN when the profile does not reach its level within half the
 * map: the domains are too large for the map):
 * - GetFullWidthHalfMaximum(): twice the distance where the profile first
 *   falls to 1/2;
 * - GetOneOverELength(): the distance where it first falls to 1/e;
 * - GetExponentialFitLength(): xi of C(d) = exp(-d / xi) fitted by least
 *   squares to the profile points from d = 0 up to and including the first
 *   one below 0.1 (RadialAutocorrelation::ExponentialFitLength).
 * Crossings are interpolated linearly between profile points.
 *
 * Expected values: for a Gaussian autocorrelation exp(-d^2 / (2 s^2)), FWHM
 * = 2 s sqrt(2 ln 2) = 2.355 s and 1/e length = s sqrt(2) (the exponential
 * model does not fit it); for C = exp(-d / xi), FWHM = 2 ln 2 xi and 1/e
 * length = xi; for randomly placed discs of diameter D at low coverage, C is
 * the overlap area of two discs at distance d over a disc's area: FWHM =
 * 0.808 D.
 *
 * The whole map is one problem: the filter always asks for its whole input.
 *
 * Errors (itk::ExceptionObject naming the map by the input's object name,
 * SetObjectName(), when it has one): a map smaller than 4 x 4 positions, a
 * NaN or infinite value (naming its position), a constant map (variance 0),
 * BinWidth <= 0.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage = MapImage, typename TOutputImage = MapImage>
class ITK_TEMPLATE_EXPORT AutocorrelationImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(AutocorrelationImageFilter);

  using Self = AutocorrelationImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  static_assert(TInputImage::ImageDimension == ScanDimension && TOutputImage::ImageDimension == ScanDimension,
                "a map over the 2-D scan grid");
  static_assert(std::is_floating_point<typename TOutputImage::PixelType>::value,
                "the autocorrelation is real (an image of float or double)");

  itkNewMacro(Self);
  itkTypeMacro(AutocorrelationImageFilter, ImageToImageFilter);

  /** Smallest map side the filter accepts (positions). */
  static constexpr unsigned int MinimumMapSize = 4;

  /** Width of the rings of the radial profile, in scan steps (> 0). Default 0.5. */
  itkSetMacro(BinWidth, double);
  itkGetConstMacro(BinWidth, double);

  /** The radial profile of the last update (Distance in nm). */
  const RadialAutocorrelation &
  GetRadialProfile() const
  {
    return m_RadialProfile;
  }
  /** Correlation lengths of the last update, nm (NaN when undefined). */
  itkGetConstMacro(FullWidthHalfMaximum, double);
  itkGetConstMacro(OneOverELength, double);
  itkGetConstMacro(ExponentialFitLength, double);

protected:
  AutocorrelationImageFilter() = default;
  ~AutocorrelationImageFilter() override = default;

  /** The output is the grid of shifts, centred on the zero shift. */
  void
  GenerateOutputInformation() override;
  /** The whole map, always. */
  void
  GenerateInputRequestedRegion() override;
  void
  EnlargeOutputRequestedRegion(itk::DataObject * output) override;
  void
  GenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  double                m_BinWidth{ 0.5 };
  RadialAutocorrelation m_RadialProfile;
  double                m_FullWidthHalfMaximum{ 0.0 };
  double                m_OneOverELength{ 0.0 };
  double                m_ExponentialFitLength{ 0.0 };
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfAutocorrelationImageFilter.hxx"
#endif

#endif
