#ifndef stempdfVirtualDetectorImageFilter_h
#define stempdfVirtualDetectorImageFilter_h

#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include "itkFixedArray.h"
#include "itkImageToImageFilter.h"

#include <vector>

namespace stempdf
{
/** \class VirtualDetectorImageFilter
 * \brief Virtual bright-field / annular dark-field image of a 4D-STEM scan.
 *
 * The input is a field of diffraction patterns over the scan grid (an
 * itk::VectorImage whose MetaDataDictionary holds a "detector" VectorAxis of
 * Kx x Ky pixels). At every scan position the output is the sum of the
 * pattern's counts over the detector pixels whose centres lie in the annulus
 * InnerRadius <= d < OuterRadius around Center (detector pixel units; pixel
 * (kx, ky) has its centre at (kx, ky)). InnerRadius = 0 gives a virtual
 * bright-field disk, InnerRadius > 0 an annular dark-field ring.
 *
 * The output keeps the scan geometry of the input (spacing, origin, region),
 * so it overlays on the input and on other images of the same area.
 *
 * Bad parameters (InnerRadius >= OuterRadius, a negative radius, a Center off
 * the detector, an input without detector metadata) raise an
 * itk::ExceptionObject that names the parameter.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage, typename TOutputImage = MapImage>
class ITK_TEMPLATE_EXPORT VirtualDetectorImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(VirtualDetectorImageFilter);

  using Self = VirtualDetectorImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using OutputPixelType = typename OutputImageType::PixelType;
  using OutputImageRegionType = typename OutputImageType::RegionType;
  using CenterType = itk::FixedArray<double, 2>;

  itkNewMacro(Self);
  itkTypeMacro(VirtualDetectorImageFilter, ImageToImageFilter);

  /** Centre of the annulus in detector pixels (x, y). Used only when
   *  CenterOnDetectorMiddle is off. Default (0, 0). */
  itkSetMacro(Center, CenterType);
  itkGetConstMacro(Center, CenterType);

  /** Put the centre in the middle of the detector, ((Kx-1)/2, (Ky-1)/2),
   *  instead of at Center. Default on. */
  itkSetMacro(CenterOnDetectorMiddle, bool);
  itkGetConstMacro(CenterOnDetectorMiddle, bool);
  itkBooleanMacro(CenterOnDetectorMiddle);

  /** Inner radius of the annulus in detector pixels, inclusive. Default 0
   *  (a bright-field disk). */
  itkSetMacro(InnerRadius, double);
  itkGetConstMacro(InnerRadius, double);

  /** Outer radius of the annulus in detector pixels, exclusive. Default 10. */
  itkSetMacro(OuterRadius, double);
  itkGetConstMacro(OuterRadius, double);

  /** The centre actually used by the last update (Center, or the detector
   *  middle), in detector pixels. */
  itkGetConstMacro(EffectiveCenter, CenterType);

  /** Number of detector pixels inside the annulus in the last update. */
  itkGetConstMacro(NumberOfDetectorPixels, itk::SizeValueType);

protected:
  VirtualDetectorImageFilter();
  ~VirtualDetectorImageFilter() override = default;

  /** Checks the parameters against the input's detector: errors surface when
   *  the pipeline asks for information, before any data is read. */
  void
  GenerateOutputInformation() override;

  void
  BeforeThreadedGenerateData() override;

  void
  DynamicThreadedGenerateData(const OutputImageRegionType & outputRegionForThread) override;

  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** Reads the detector axis of the input and validates every parameter. */
  VectorAxis
  CheckedDetectorAxis() const;

  CenterType m_Center{ { 0.0, 0.0 } };
  bool       m_CenterOnDetectorMiddle{ true };
  double     m_InnerRadius{ 0.0 };
  double     m_OuterRadius{ 10.0 };

  CenterType          m_EffectiveCenter{ { 0.0, 0.0 } };
  itk::SizeValueType  m_NumberOfDetectorPixels{ 0 };
  std::vector<size_t> m_DetectorOffsets; // component indices inside the annulus
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfVirtualDetectorImageFilter.hxx"
#endif

#endif
