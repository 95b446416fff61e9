#ifndef stempdfAzimuthalIntegrateImageFilter_h
#define stempdfAzimuthalIntegrateImageFilter_h

#include "stempdfPerPositionImageFilter.h"
#include "stempdfPixelSplitting.h"
#include "stempdfSparseFrameProjector.h"

#include "itkFixedArray.h"

#include <Eigen/SparseCore>

#include <cstdint>

namespace stempdf
{
/** \class AzimuthalIntegrateImageFilter
 * \brief The radial profile I(s) of every diffraction pattern of a scan.
 *
 * Input: a field of patterns over the scan grid (PatternFieldImage with a
 * "detector" VectorAxis). Output 0: a field of profiles over the same grid
 * (ProfileFieldImage) with an "s" VectorAxis in 1/A: NumberOfBins bins of
 * equal width between SRange[0] and SRange[1], the axis origin at the centre
 * of the first bin. Output 1 (when ComputeVariance is on): the Poisson
 * variance of each bin's value.
 *
 * Each bin's value is the mean intensity per unit unmasked detector area in
 * its annulus, with exact pixel splitting: a pixel's counts are shared among
 * the bins in proportion to the area of the pixel lying in each annulus
 * (stempdf::ComputePixelSplittingWeights, elliptical rings included). Masked
 * pixels and the detector edge therefore do not bias a bin. The weights are
 * computed once per geometry and applied to every frame, in batches of
 * frames that share each read of the matrix (stempdf::SparseFrameProjector). With w_bp the area of pixel p in bin b and
 * A_b = sum_p w_bp:
 *
 *   I_b = sum_p w_bp c_p / A_b,      Var(I_b) = sum_p w_bp^2 c_p / A_b^2.
 *
 * Geometry: s of a point (x, y) is PixelSize * sqrt(u^2/e + v^2 e) with
 * (u, v) its offset from Center rotated by EllipseAngle and e = EllipseRatio
 * (the convention of stempdf::AmorphousScanSimulator).
 *
 * Bad parameters (no pixel size, SRange not increasing, a bin without
 * unmasked pixels, a mask of the wrong size, ...) raise an
 * itk::ExceptionObject naming the parameter.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT AzimuthalIntegrateImageFilter : public PerPositionImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(AzimuthalIntegrateImageFilter);

  using Self = AzimuthalIntegrateImageFilter;
  using Superclass = PerPositionImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using typename Superclass::AxisRequirement;
  using typename Superclass::PositionRun;
  using PointType = itk::FixedArray<double, 2>;
  using RangeType = itk::FixedArray<double, 2>;
  /** Detector mask: one value per detector pixel (Kx x Ky), non-zero = excluded. */
  using MaskImageType = itk::Image<std::uint8_t, 2>;
  using WeightMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

  itkNewMacro(Self);
  itkTypeMacro(AzimuthalIntegrateImageFilter, PerPositionImageFilter);

  /** Pattern centre in detector pixels (pixel (kx, ky) has its centre at
   *  (kx, ky)); used when CenterOnDetectorMiddle is off. Default (0, 0). */
  itkSetMacro(Center, PointType);
  itkGetConstMacro(Center, PointType);
  /** Centre on the middle of the detector, ((Kx-1)/2, (Ky-1)/2). Default on. */
  itkSetMacro(CenterOnDetectorMiddle, bool);
  itkGetConstMacro(CenterOnDetectorMiddle, bool);
  itkBooleanMacro(CenterOnDetectorMiddle);
  /** Axis ratio of the rings (1 = circular). Default 1. */
  itkSetMacro(EllipseRatio, double);
  itkGetConstMacro(EllipseRatio, double);
  /** Angle of the ellipse's axis from detector x, degrees. Default 0. */
  itkSetMacro(EllipseAngle, double);
  itkGetConstMacro(EllipseAngle, double);
  /** Detector pixel size in s, 1/A per pixel. Default 0: from CameraLength
   *  when that is set, else from the input's "STEMPDF.DetectorPixelSize"
   *  metadata (an error when neither is there). The value used is written to
   *  the outputs' "STEMPDF.DetectorPixelSize". */
  itkSetMacro(PixelSize, double);
  itkGetConstMacro(PixelSize, double);
  /** Camera length in mm; with DetectorPixelPitch and BeamEnergy it gives
   *  PixelSize = pitch / (lambda L) (stempdf::DetectorPixelSizeFromCameraLength).
   *  Used when PixelSize is 0. Default 0: unused. */
  itkSetMacro(CameraLength, double);
  itkGetConstMacro(CameraLength, double);
  /** Detector pixel pitch in um (55 for Medipix/Merlin), for CameraLength. Default 55. */
  itkSetMacro(DetectorPixelPitch, double);
  itkGetConstMacro(DetectorPixelPitch, double);
  /** Beam energy in kV, for CameraLength. Default 0: the input's
   *  "STEMPDF.BeamEnergy" metadata. */
  itkSetMacro(BeamEnergy, double);
  itkGetConstMacro(BeamEnergy, double);
  /** s range of the profile, 1/A. Default (0.25, 1.6), the paper's. */
  itkSetMacro(SRange, RangeType);
  itkGetConstMacro(SRange, RangeType);
  /** Number of bins. Default 0: one pixel wide, round((s1 - s0) / PixelSize). */
  itkSetMacro(NumberOfBins, unsigned int);
  itkGetConstMacro(NumberOfBins, unsigned int);
  /** Also compute the Poisson variance of every bin (output 1). Default off. */
  itkSetMacro(ComputeVariance, bool);
  itkGetConstMacro(ComputeVariance, bool);
  itkBooleanMacro(ComputeVariance);
  /** Detector mask (optional). */
  itkSetConstObjectMacro(MaskImage, MaskImageType);
  itkGetConstObjectMacro(MaskImage, MaskImageType);

  /** The Poisson variance of every bin (valid with ComputeVariance on). */
  OutputImageType *
  GetVarianceOutput()
  {
    return static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(1));
  }

  /** The pixel-splitting weights of the last update (bins x pixels, px^2). */
  const WeightMatrix &
  GetWeights() const
  {
    return m_Weights;
  }

  /** The unmasked detector area of every bin in the last update (px^2). */
  const std::vector<double> &
  GetBinAreas() const
  {
    return m_BinAreas;
  }

protected:
  AzimuthalIntegrateImageFilter();
  ~AzimuthalIntegrateImageFilter() override = default;

  /** A "detector" axis: raw patterns. */
  AxisRequirement
  GetInputAxisRequirement() const override;
  /** Both outputs hold NumberOfBins values per position on the s axis. */
  std::vector<VectorAxis>
  ComputeOutputAxes(const VectorAxis & detector) const override;
  /** ... and the pixel size used, as "STEMPDF.DetectorPixelSize". */
  void
  GenerateOutputInformation() override;
  /** The variance only with ComputeVariance. */
  bool
  IsOutputComputed(unsigned int i) const override
  {
    return i == 0 || m_ComputeVariance;
  }
  /** The pixel-splitting weights of the geometry and the mask. */
  void
  BeforeThreadedGenerateData() override;
  /** The frames of a scan line, projected in batches (SparseFrameProjector). */
  void
  ProcessRun(const PositionRun & run) override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** The detector geometry and s axis the parameters and the input describe. */
  AzimuthalGeometry
  CheckedGeometry(const VectorAxis & detector, VectorAxis & profileAxis) const;

  PointType                   m_Center{ { 0.0, 0.0 } };
  bool                        m_CenterOnDetectorMiddle{ true };
  double                      m_EllipseRatio{ 1.0 };
  double                      m_EllipseAngle{ 0.0 };
  double                      m_PixelSize{ 0.0 };
  double                      m_CameraLength{ 0.0 };
  double                      m_DetectorPixelPitch{ 55.0 };
  double                      m_BeamEnergy{ 0.0 };
  RangeType                   m_SRange{ { 0.25, 1.6 } };
  unsigned int                m_NumberOfBins{ 0 };
  bool                        m_ComputeVariance{ false };
  MaskImageType::ConstPointer m_MaskImage;

  WeightMatrix         m_Weights;   // w_bp
  SparseFrameProjector m_Projector; // w_bp / A_b and w_bp^2 / A_b^2
  std::vector<double>  m_BinAreas;
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfAzimuthalIntegrateImageFilter.hxx"
#endif

#endif
