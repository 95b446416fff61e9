#ifndef stempdfCalibratedAzimuthalIntegrateImageFilter_h
#define stempdfCalibratedAzimuthalIntegrateImageFilter_h

#include "stempdfAzimuthalIntegrateImageFilter.h"

#include "itkImageToImageFilter.h"

#include <functional>

namespace stempdf
{
/** \class CalibratedAzimuthalIntegrateImageFilter
 * \brief AzimuthalIntegrateImageFilter with the calibration that needs the
 * whole scan: dead and hot pixels and the ring centre, from the mean pattern.
 *
 * A composite filter, the mini-pipeline of the main job's first stage:
 *
 * \dot
 * digraph CalibratedAzimuthalIntegrate {
 *   rankdir=LR; node [shape=box];
 *   patterns [label="patterns\n(input 0)"];
 *   mean [label="mean pattern\n(AccumulatePatternSum\n+ GlobalSum)"];
 *   defects [label="FindDefectivePixels"];
 *   centre [label="RingCenterCalculator"];
 *   integrate [label="AzimuthalIntegrateImageFilter"];
 *   given [label="MaskImage\n(given)"];
 *   patterns -> mean -> defects -> centre -> integrate;
 *   given -> defects; patterns -> integrate;
 *   defects -> integrate [label="mask"];
 *   centre -> integrate [label="Center, Ellipse"];
 * }
 * \enddot
 *
 * The mean pattern is computed only when RejectDefectivePixels or FindCenter
 * asks for it. The geometry (pixel size, SRange, bins, centre and ellipse
 * when FindCenter is off, variance) is that of the integrator, set through
 * GetIntegrator(); the mask given, the defects found and the fitted centre
 * and ellipse are used in its place for one update (the integrator's own
 * parameters are left as the user set them, so turning FindCenter off again
 * uses them), and the geometry used is reported by GetUsedCenter(),
 * GetUsedEllipseRatio() and GetUsedEllipseAngle().
 *
 * A scan spread over processes (MPI ranks): each process gives its piece as
 * the input, the positions of it that count for the mean pattern
 * (SetOwnedRegion: neighbouring pieces that share a row count it once) and a
 * GlobalSum that adds a vector over the processes; every process then finds
 * the same mask and centre.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT CalibratedAzimuthalIntegrateImageFilter
  : public itk::ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(CalibratedAzimuthalIntegrateImageFilter);

  using Self = CalibratedAzimuthalIntegrateImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using RegionType = typename InputImageType::RegionType;
  using IntegratorType = AzimuthalIntegrateImageFilter<TInputImage, TOutputImage>;
  using MaskImageType = typename IntegratorType::MaskImageType;
  /** Adds `count` doubles over the processes, in place. */
  using GlobalSumFunction = std::function<void(double * values, std::size_t count)>;

  itkNewMacro(Self);
  itkTypeMacro(CalibratedAzimuthalIntegrateImageFilter, ImageToImageFilter);

  /** The integrator whose geometry parameters this filter uses. */
  IntegratorType *
  GetIntegrator()
  {
    return m_Integrator;
  }
  const IntegratorType *
  GetIntegrator() const
  {
    return m_Integrator;
  }

  /** Detector pixels to exclude (non-zero), given by the user (optional). */
  itkSetConstObjectMacro(MaskImage, MaskImageType);
  itkGetConstObjectMacro(MaskImage, MaskImageType);
  /** Exclude dead and hot pixels found on the mean pattern. Default on. */
  itkSetMacro(RejectDefectivePixels, bool);
  itkGetConstMacro(RejectDefectivePixels, bool);
  itkBooleanMacro(RejectDefectivePixels);
  /** Contrast factor of a defective pixel (DefectivePixelCriteria::Threshold). Default 3. */
  itkSetMacro(DefectThreshold, double);
  itkGetConstMacro(DefectThreshold, double);
  /** Fit the ring centre (and with FitEllipse the ellipse) on the mean pattern. Default off. */
  itkSetMacro(FindCenter, bool);
  itkGetConstMacro(FindCenter, bool);
  itkBooleanMacro(FindCenter);
  /** With FindCenter, fit the ellipse too. Default on. */
  itkSetMacro(FitEllipse, bool);
  itkGetConstMacro(FitEllipse, bool);
  itkBooleanMacro(FitEllipse);

  /** The positions of the input that count for the mean pattern. Default:
   *  none set, the input's whole buffered region. */
  void
  SetOwnedRegion(const RegionType & region)
  {
    m_OwnedRegion = region;
    m_HasOwnedRegion = true;
    this->Modified();
  }
  /** Sum over the processes of a scan spread over several. Default: none (one process). */
  void
  SetGlobalSum(GlobalSumFunction sum)
  {
    m_GlobalSum = std::move(sum);
    this->Modified();
  }

  /** The Poisson variance of every bin (with the integrator's ComputeVariance on). */
  OutputImageType *
  GetVarianceOutput()
  {
    return static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(1));
  }
  /** The mean pattern of the last update (nullptr when it was not needed). */
  const DetectorImage *
  GetMeanPattern() const
  {
    return m_MeanPattern;
  }
  /** The mask the last update used: given, dead, hot (DefectivePixelClass), or nullptr for none. */
  const DetectorMaskImage *
  GetUsedMask() const
  {
    return m_UsedMask;
  }
  /** The centre (detector pixels), ellipse ratio and angle (degrees) the last update integrated about. */
  itkGetConstMacro(UsedCenter, typename IntegratorType::PointType);
  itkGetConstMacro(UsedEllipseRatio, double);
  itkGetConstMacro(UsedEllipseAngle, double);
  /** Dead and hot pixels found by the last update. */
  itkGetConstMacro(NumberOfDefectivePixels, itk::SizeValueType);
  /** Pixels the last update excluded: given and defective. */
  itkGetConstMacro(NumberOfExcludedPixels, itk::SizeValueType);

protected:
  CalibratedAzimuthalIntegrateImageFilter();
  ~CalibratedAzimuthalIntegrateImageFilter() override = default;

  /** The outputs of the integrator, as it would make them. */
  void
  GenerateOutputInformation() override;
  /** The mini-pipeline. */
  void
  GenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** The mean pattern of the whole scan (all processes). */
  DetectorImage::Pointer
  ComputeScanMeanPattern() const;
  /** The user's geometry back on the integrator after an update with a fitted one. */
  void
  RestoreIntegrator(const typename IntegratorType::PointType & center, bool middle, double ratio, double angle,
                    bool changed);

  typename IntegratorType::Pointer     m_Integrator;
  typename MaskImageType::ConstPointer m_MaskImage;
  bool                                 m_RejectDefectivePixels{ true };
  double                               m_DefectThreshold{ 3.0 };
  bool                                 m_FindCenter{ false };
  bool                                 m_FitEllipse{ true };
  RegionType                           m_OwnedRegion;
  bool                                 m_HasOwnedRegion{ false };
  GlobalSumFunction                    m_GlobalSum;

  DetectorImage::Pointer             m_MeanPattern;
  DetectorMaskImage::Pointer         m_UsedMask;
  typename IntegratorType::PointType m_UsedCenter{ { 0.0, 0.0 } };
  double                             m_UsedEllipseRatio{ 1.0 };
  double                             m_UsedEllipseAngle{ 0.0 };
  itk::SizeValueType                 m_NumberOfDefectivePixels{ 0 };
  itk::SizeValueType                 m_NumberOfExcludedPixels{ 0 };
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfCalibratedAzimuthalIntegrateImageFilter.hxx"
#endif

#endif
