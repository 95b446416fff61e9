#ifndef stempdfPairDistributionImageFilter_h
#define stempdfPairDistributionImageFilter_h

#include "stempdfPerPositionImageFilter.h"
#include "stempdfSineTransform.h"

#include "itkFixedArray.h"

#include <type_traits>

namespace stempdf
{
/** \class PairDistributionImageFilter
 * \brief The reduced pair distribution function G(r) of every phi(s) of a scan.
 *
 * Input: a field of reduced intensities over the scan grid (ProfileFieldImage
 * with an "s" VectorAxis in 1/A, sample i at Origin + i * Spacing), e.g. the
 * output of StructureFactorImageFilter. Per position (docs/method.md, section 5):
 *
 *   G(r) = 8 pi integral phi(s) sin(2 pi s r) ds,
 *
 * a quadrature over the input's samples, each the centre of a bin of width
 * Spacing (weight Spacing: the midpoint rule over [s_0 - ds/2, s_n + ds/2];
 * see stempdf::SineTransform, which does the numerics).
 *
 * Output 0: the G(r) field (1/A^2) with an "r" VectorAxis in A: samples
 * r_m = RRange[0] + m * RStep, m = 0, 1, ..., up to RRange[1] included when
 * it lies on that grid (within 1e-6 of a step), never beyond it. The defaults
 * (0 to 10 A by 0.01 A) give 1001 samples, 0 and 10 A included.
 * Output 1 (GetPairCorrelationOutput(); only when NumberDensity > 0): the
 * pair correlation g(r) = 1 + G(r) / (4 pi r rho0) on the same r axis; at
 * r = 0, where G = 0 and the formula is 0/0, its limit r -> 0 (see
 * SineTransform::PairCorrelation): never a NaN.
 *
 * Every position is one row of one dense product with the kernel, done a
 * block of positions at a time by each thread directly on the image buffers.
 * Positions are independent: any piece of the scan, with any number of
 * threads, gives the values of the whole to rounding (Eigen's product sums in
 * a shape-dependent order; 1e-12 of the largest |G| in the tests).
 *
 * Bad parameters raise an itk::ExceptionObject naming the parameter; a
 * non-number in the input one naming the position, e.g. "position (3, 7):
 * phi(s) is NaN at s = 0.9 1/A".
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage = ProfileFieldImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT PairDistributionImageFilter : public PerPositionImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(PairDistributionImageFilter);

  using Self = PairDistributionImageFilter;
  using Superclass = PerPositionImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using RangeType = itk::FixedArray<double, 2>;
  using typename Superclass::AxisRequirement;
  using typename Superclass::PositionRun;
  // The product works on the image buffers in place: double vectors in and out.
  static_assert(std::is_same<typename TInputImage::InternalPixelType, double>::value &&
                  std::is_same<typename TOutputImage::InternalPixelType, double>::value,
                "phi(s) and G(r) fields of doubles (ProfileFieldImage)");

  itkNewMacro(Self);
  itkTypeMacro(PairDistributionImageFilter, PerPositionImageFilter);

  /** r range of G, A: 0 <= r0 < r1. Default (0, 10). */
  itkSetMacro(RRange, RangeType);
  itkGetConstMacro(RRange, RangeType);
  /** r step, A (> 0). Default 0.01. */
  itkSetMacro(RStep, double);
  itkGetConstMacro(RStep, double);
  /** Number density rho0, atoms / A^3, for g(r) (output 1). Default 0: no g(r). */
  itkSetMacro(NumberDensity, double);
  itkGetConstMacro(NumberDensity, double);

  /** g(r) (valid when NumberDensity > 0). */
  OutputImageType *
  GetPairCorrelationOutput()
  {
    return static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(1));
  }

  /** The transform (s and r samples, weights, kernel) of the last update. */
  const SineTransform &
  GetSineTransform() const
  {
    return m_Transform;
  }

protected:
  PairDistributionImageFilter();
  ~PairDistributionImageFilter() override = default;

  /** An "s" axis in 1/A: phi(s). */
  AxisRequirement
  GetInputAxisRequirement() const override;
  /** Both outputs on the r axis of RRange and RStep. */
  std::vector<VectorAxis>
  ComputeOutputAxes(const VectorAxis & sAxis) const override;
  /** g(r) only when NumberDensity > 0. */
  bool
  IsOutputComputed(unsigned int i) const override
  {
    return i == 0 || m_NumberDensity > 0.0;
  }
  /** Huge pages: 131 MB for a paper-scale scan. */
  void
  AllocateOutput(OutputImageType * output) override;
  /** About 512 positions per product (G of a run stays in cache for g). */
  itk::SizeValueType
  GetPositionsPerRun() const override
  {
    return 512;
  }
  /** Builds the kernel (or keeps the last one) and refuses non-numbers in the input. */
  void
  BeforeThreadedGenerateData() override;
  void
  ProcessRun(const PositionRun & run) override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  RangeType     m_RRange{ { 0.0, 10.0 } };
  double        m_RStep{ 0.01 };
  double        m_NumberDensity{ 0.0 };
  SineTransform m_Transform;
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfPairDistributionImageFilter.hxx"
#endif

#endif
