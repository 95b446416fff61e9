#ifndef stempdfRingCenterCalculator_h
#define stempdfRingCenterCalculator_h

#include "stempdfImageTypes.h"

#include "itkFixedArray.h"
#include "itkObject.h"
#include "itkObjectFactory.h"
#include "itkTimeStamp.h"

namespace stempdf
{
/** \class RingCenterCalculator
 * \brief The centre and the ellipticity of the rings of an amorphous
 * diffraction pattern (typically the mean pattern of a scan).
 *
 * Usage, in the style of itk::ImageMomentsCalculator: SetImage() (and
 * optionally SetMaskImage()), Compute(), then GetCenter(), GetEllipseRatio(),
 * GetEllipseAngle(), GetObjective(). Detector pixel (kx, ky) has its centre at
 * (kx, ky), detector x fastest (stempdf::DetectorImage); positions (Center,
 * InitialCenter) are image indices, also when the buffered region does not
 * start at (0, 0). The MaskImage is matched to the Image pixel by pixel.
 *
 * Geometry (the convention of stempdf::AzimuthalGeometry and
 * stempdf::AmorphousScanSimulator): a point (x, y) has
 *   u = cos(theta) (x - cx) + sin(theta) (y - cy),
 *   v = -sin(theta) (x - cx) + cos(theta) (y - cy),
 *   rho = sqrt(u^2 / e + v^2 e)   (px),
 * with (cx, cy) = Center, theta = EllipseAngle, e = EllipseRatio; rings of
 * constant rho are the rings of constant s. (e, theta) and (1/e, theta + 90)
 * describe the same rings, so the result is reported in a canonical form:
 * e <= 1 and theta in (-90, 90] degrees. With e < 1, theta is the direction of
 * the rings' MINOR axis (semi-axes R sqrt(e) along theta, R / sqrt(e) across).
 * For example the simulator's default (1.02, 30 deg) is reported as
 * (1/1.02, -60 deg). A circular result has e = 1 and theta = 0.
 *
 * Method.
 *  1. Transform: f = log(max(I, 0) + c), c = 1 % of the median of the
 *     positive unmasked pixel values. The log gives the bright inner rings
 *     and the faint outer ones comparable weight (it measures relative
 *     modulation); c is the scale-free version of log(I + 1) (the result does
 *     not change if I is multiplied by a constant) and keeps dead pixels finite.
 *  2. Outliers: a pixel whose f differs from the median of its unmasked 3 x 3
 *     neighbourhood by more than max(OutlierThreshold, 6 sigma) (sigma: the
 *     robust, MAD-based spread of these differences over the image) is
 *     excluded like a masked pixel. This removes isolated dead and hot pixels
 *     (and non-finite values), so they need not be masked; smooth rings are
 *     untouched. Extended defects (a beam stop and its arm, detector gaps) must
 *     be masked.
 *  3. Objective: f is resampled on rings of constant rho: radii 1 px apart in
 *     RadiusRange and, on each ring, about one sample per px of circumference
 *     (at least 64), mapped to the detector by d = M^(-1/2) rho (cos a, sin a)
 *     (M below); about 40,000 samples for the automatic band on 256 x 256.
 *     Interpolation is bilinear and mask-aware: a sample's value uses only its
 *     unmasked, on-detector neighbours (renormalised) and the sample weighs w^2,
 *     w the sum of their bilinear weights (1 away from masks), so a sample
 *     fades out continuously as it moves onto masked pixels or off the
 *     detector: the objective has no jumps, and needs no division per sample.
 *     The objective is the weighted variance across angle within each ring,
 *     pooled over the rings (sum of the rings' squared deviations over the sum
 *     of the weights), divided by the variance of all samples at the start
 *     point: 0 = perfect rings, about 1 = no ring structure.
 *  4. Parameters: (cx, cy, p, q), with the ring metric rho^2 = d^T M d,
 *     M = cosh(t) I + sinh(t) [[cos 2theta, sin 2theta], [sin 2theta, -cos 2theta]],
 *     t = -ln e, (p, q) = t (cos 2theta, sin 2theta): det M = 1 and the
 *     parametrisation is smooth through the circle (no degenerate angle at
 *     e = 1). (p, q) are scaled so that a unit step moves the outer ring by
 *     about 1 px, like the centre.
 *  5. Minimisation with itk::AmoebaOptimizer (Nelder-Mead): start at
 *     InitialCenter, or at the better (lower objective) of the detector middle
 *     and the centroid of the brightest (3 x 3 median-filtered) pixels, which
 *     is the direct beam when there is one; a circular, centre-only fit; then,
 *     with FitEllipse on, the full fit of (cx, cy, p, q), with restarts.
 *
 * Direct beam: the automatic RadiusRange starts at 0.1 times the smaller
 * detector dimension (25.6 px on 256 x 256), well outside a direct beam of a
 * few px, which therefore needs no mask; a larger direct beam or a beam stop
 * must be masked or excluded with RadiusRange[0].
 *
 * Accuracy (tests): about 1e-4 px in the centre and 2e-6 in e on noise-free
 * analytic patterns (also with masked regions, isolated defects and rings
 * that leave the detector); about 0.001 px and 3e-5 in e on the mean pattern
 * of a 32 x 32 scan of the project's simulator, with or without masking its
 * dead/hot pixels (without the outlier test the unmasked dead/hot pixels
 * spoil it: 0.2 px, 0.015 in e). Runtime: about 0.1 s of CPU on a 256 x 256
 * pattern (about 230 objective evaluations).
 *
 * Errors (itk::ExceptionObject, the message naming the parameter or input): no
 * Image; a MaskImage of another size; an invalid RadiusRange (negative, min >=
 * max, max beyond the detector diagonal); InitialCenter off the detector or not
 * finite; a constant Image; too few valid samples in RadiusRange (fewer than
 * 10 % of the polar samples on unmasked detector pixels); a fit that leaves the
 * detector (Center) or gives an implausible ellipse (EllipseRatio < 0.5).
 *
 * \ingroup STEMPDF
 */
class RingCenterCalculator : public itk::Object
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(RingCenterCalculator);

  using Self = RingCenterCalculator;
  using Superclass = itk::Object;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using ImageType = DetectorImage;
  using MaskImageType = DetectorMaskImage;
  using PointType = itk::FixedArray<double, 2>;
  using RangeType = itk::FixedArray<double, 2>;

  itkNewMacro(Self);
  itkTypeMacro(RingCenterCalculator, Object);

  /** The pattern (e.g. the mean pattern of a scan). Required. */
  itkSetConstObjectMacro(Image, ImageType);
  itkGetConstObjectMacro(Image, ImageType);
  /** Detector mask, same size as Image, non-zero = excluded pixel. Optional
   *  (default none). */
  itkSetConstObjectMacro(MaskImage, MaskImageType);
  itkGetConstObjectMacro(MaskImage, MaskImageType);

  /** Band of radii rho used by the fit, px. Default (0, 0) = automatic: 0.1 to
   *  0.45 times the smaller detector dimension (outside a direct beam of a few
   *  px, inside the detector for a roughly centred pattern). */
  itkSetMacro(RadiusRange, RangeType);
  itkGetConstMacro(RadiusRange, RangeType);
  /** Fit the ellipse (EllipseRatio and EllipseAngle) as well as the centre.
   *  Default on; off = circular rings, only the centre is fitted. */
  itkSetMacro(FitEllipse, bool);
  itkGetConstMacro(FitEllipse, bool);
  itkBooleanMacro(FitEllipse);
  /** Starting centre, px, used when UseInitialCenter is on. Default (0, 0). */
  itkSetMacro(InitialCenter, PointType);
  itkGetConstMacro(InitialCenter, PointType);
  /** Start at InitialCenter instead of the automatic start. Default off. */
  itkSetMacro(UseInitialCenter, bool);
  itkGetConstMacro(UseInitialCenter, bool);
  itkBooleanMacro(UseInitialCenter);
  /** Smallest deviation of log-intensity from the 3 x 3 median that makes a
   *  pixel an outlier (excluded); the threshold used is the larger of this and
   *  6 robust standard deviations of the deviations. Default 0.5 (a factor
   *  1.65). Zero or negative: no outlier rejection. */
  itkSetMacro(OutlierThreshold, double);
  itkGetConstMacro(OutlierThreshold, double);

  /** Runs the fit. Throws itk::ExceptionObject on bad inputs (see above). */
  void
  Compute();

  /** Centre of the rings, px (pixel (kx, ky) has its centre at (kx, ky)). */
  PointType
  GetCenter() const;
  /** Axis ratio e of the rings, canonical form: 0 < e <= 1. */
  double
  GetEllipseRatio() const;
  /** Angle theta of the ellipse from detector x (towards +y), degrees, in
   *  (-90, 90]: the direction of the minor axis when e < 1; 0 when e = 1. */
  double
  GetEllipseAngle() const;
  /** Final objective: the pooled variance of log-intensity across angle on the
   *  fitted rings over the variance of all samples of the band at the start
   *  point (0 = perfect rings, about 1 = no ring structure). */
  double
  GetObjective() const;
  /** The band of radii actually used (RadiusRange or its automatic value), px. */
  RangeType
  GetEffectiveRadiusRange() const;
  /** Number of pixels excluded as outliers (step 2). */
  itk::SizeValueType
  GetNumberOfOutliers() const;
  /** Number of objective evaluations of the last Compute(). */
  itk::SizeValueType
  GetNumberOfEvaluations() const;

protected:
  RingCenterCalculator() = default;
  ~RingCenterCalculator() override = default;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** Throws unless Compute() succeeded after the last modification. */
  void
  CheckComputed(const char * what) const;

  /** What one Compute() passes from step to step (in the .cxx). */
  struct Fit;
  // The steps of Compute() (Method above), in its order: the first error found wins.
  /** The Image and MaskImage sizes, the band of radii (RadiusRange or the
   *  automatic one) and InitialCenter. */
  void
  CheckInputs(Fit & fit) const;
  /** The valid (unmasked, finite) pixels, which must not be constant, and
   *  step 1 on them: f = log(max(I, 0) + c). */
  void
  TransformPattern(Fit & fit) const;
  /** Step 2: f's 3 x 3 median over the valid neighbours (also used for the
   *  start) and the outliers against it, which stop being valid. */
  void
  FindOutliers(Fit & fit);
  /** f and its validity on the padded grid of the objective; some pixel must
   *  still be valid. */
  void
  PadPattern(Fit & fit) const;
  /** Step 5's start: InitialCenter, or the better of the detector middle and
   *  the brightest pixels' centroid; enough valid samples and ring structure
   *  there, which also gives the objective's reference variance. */
  void
  ChooseStart(Fit & fit) const;
  /** Steps 4-5: the circular fit of the centre, then (FitEllipse) the full fit. */
  void
  FitRings(Fit & fit, double & cx, double & cy, double & p, double & q) const;
  /** Checks the fit (on the detector, enough valid samples, a plausible
   *  ellipse) and keeps it in canonical form. */
  void
  StoreResult(const Fit & fit, double cx, double cy, double p, double q);

  ImageType::ConstPointer     m_Image;
  MaskImageType::ConstPointer m_MaskImage;
  RangeType                   m_RadiusRange{ { 0.0, 0.0 } };
  bool                        m_FitEllipse{ true };
  PointType                   m_InitialCenter{ { 0.0, 0.0 } };
  bool                        m_UseInitialCenter{ false };
  double                      m_OutlierThreshold{ 0.5 };

  bool               m_Valid{ false };
  itk::TimeStamp     m_ComputeTime;
  PointType          m_Center{ { 0.0, 0.0 } };
  double             m_EllipseRatio{ 1.0 };
  double             m_EllipseAngle{ 0.0 };
  double             m_Objective{ 0.0 };
  RangeType          m_EffectiveRadiusRange{ { 0.0, 0.0 } };
  itk::SizeValueType m_NumberOfOutliers{ 0 };
  itk::SizeValueType m_NumberOfEvaluations{ 0 };
};
} // namespace stempdf

#endif
