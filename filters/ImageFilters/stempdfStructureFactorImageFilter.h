#ifndef stempdfStructureFactorImageFilter_h
#define stempdfStructureFactorImageFilter_h

#include "stempdfPerPositionImageFilter.h"
#include "stempdfReducedIntensity.h"

#include "itkFixedArray.h"

#include <memory>
#include <string>

namespace stempdf
{
/** Quantity of the VectorAxis of the StructureFactor parameters output. */
constexpr const char * ReducedIntensityParametersQuantity = ParametersQuantity;

/** \class StructureFactorImageFilter
 * \brief The reduced intensity phi(s) = s (S(s) - 1) of every profile I(s) of a scan.
 *
 * Input: a field of profiles over the scan grid (ProfileFieldImage with an
 * "s" VectorAxis in 1/A, sample i at Origin + i * Spacing), e.g. the output
 * of AzimuthalIntegrateImageFilter. Per position (docs/method.md, section 4):
 *
 *   phi(s) = [I(s) - N<f^2(s)> - C] s / (N <f(s)>^2),
 *
 * less the least-squares polynomial sum_{k=1..K} p_k s^k, then damped. The
 * numerics are stempdf::ReducedIntensityCalculator; see
 * stempdf::ReducedIntensityParameters for the exact meaning of every
 * parameter, mirrored here.
 *
 * Output 0: the phi(s) field with an "s" VectorAxis holding the input samples
 * inside SRange (same spacing; origin at the first of them). Output 1
 * (GetParametersOutput()): 2 + PolynomialOrder components per position with
 * a "parameters" VectorAxis, in this order: N, C, p_1, ..., p_K (N and C in
 * the units of I / f^2 and I; p_k in the units of phi / s^k, s in 1/A).
 *
 * Bad parameters raise an itk::ExceptionObject naming the parameter; bad data
 * (a non-number in SRange, I <= 0 where N is matched) one naming the first
 * such scan position in scan order, e.g. "position (3, 7): I(s) at
 * NormalizationS = 1.6 is -2; expected > 0". Positions are independent: any piece of the scan gives the
 * values of the whole, whatever the number of threads.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage = ProfileFieldImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT StructureFactorImageFilter : public PerPositionImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(StructureFactorImageFilter);

  using Self = StructureFactorImageFilter;
  using Superclass = PerPositionImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using RangeType = itk::FixedArray<double, 2>;
  using typename Superclass::AxisRequirement;
  using typename Superclass::PositionRun;

  itkNewMacro(Self);
  itkTypeMacro(StructureFactorImageFilter, PerPositionImageFilter);

  /** Chemical formula, e.g. "Cu64.5Zr35.5". Default "Fe85.2Si0.5B9.5P4Cu0.8". */
  itkSetStringMacro(Composition);
  itkGetStringMacro(Composition);
  /** Electron scattering factors: Kirkland or Lobato. Default Kirkland. */
  itkSetEnumMacro(ScatteringFactors, ScatteringFactorTable);
  itkGetEnumMacro(ScatteringFactors, ScatteringFactorTable);
  /** s range used, 1/A; within the input's s axis widened by half a spacing
   *  at each end. Default (0.25, 1.6). */
  itkSetMacro(SRange, RangeType);
  itkGetConstMacro(SRange, RangeType);
  /** s (1/A) where N<f^2> + C is matched to I (linear interpolation between
   *  samples). Default 0: the last sample inside SRange. */
  itkSetMacro(NormalizationS, double);
  itkGetConstMacro(NormalizationS, double);
  /** Number of atoms N; fixing it keeps phi linear in I (for NMF). Default 0:
   *  N = I(s_fit) / <f^2(s_fit)> at every position, with C = 0. */
  itkSetMacro(AtomCount, double);
  itkGetConstMacro(AtomCount, double);
  /** s interval (1/A) where N and C are fitted by least squares (Hann-weighted
   *  over the interval); takes precedence over NormalizationS. Default (0, 0): unused. */
  itkSetMacro(FitWindow, RangeType);
  itkGetConstMacro(FitWindow, RangeType);
  /** With FitWindow, also fit the offset C. Default on (see ReducedIntensityParameters::FitOffset). */
  itkSetMacro(FitOffset, bool);
  itkGetConstMacro(FitOffset, bool);
  itkBooleanMacro(FitOffset);
  /** N<f>^2 (MeanFSquared) or N<f^2> (MeanSquaredF). Default MeanFSquared. */
  itkSetEnumMacro(Denominator, ReducedIntensityDenominator);
  itkGetEnumMacro(Denominator, ReducedIntensityDenominator);
  /** Order K of the background polynomial without constant term; 0: none. Default 4. */
  itkSetMacro(PolynomialOrder, unsigned int);
  itkGetConstMacro(PolynomialOrder, unsigned int);
  /** None, Exponential exp(-b s^2) or Lorch sin(pi s/s_max)/(pi s/s_max), s_max = SRange[1]. Default None. */
  itkSetEnumMacro(Damping, ReducedIntensityDamping);
  itkGetEnumMacro(Damping, ReducedIntensityDamping);
  /** b of the Exponential damping, A^2 (>= 0). Default 0. */
  itkSetMacro(DampingFactor, double);
  itkGetConstMacro(DampingFactor, double);

  /** All of the above as one struct. */
  ReducedIntensityParameters
  GetReducedIntensityParameters() const;
  /** Set all of the above at once. */
  void
  SetReducedIntensityParameters(const ReducedIntensityParameters & parameters);

  /** N, C, p_1 .. p_K of every position. */
  OutputImageType *
  GetParametersOutput()
  {
    return static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(1));
  }

protected:
  StructureFactorImageFilter();
  ~StructureFactorImageFilter() override = default;

  /** An "s" axis in 1/A: I(s). */
  AxisRequirement
  GetInputAxisRequirement() const override;
  /** Output 0 holds the samples inside SRange, output 1 the 2 + K parameters. */
  std::vector<VectorAxis>
  ComputeOutputAxes(const VectorAxis & inputAxis) const override;
  void
  BeforeThreadedGenerateData() override;
  void
  ProcessRun(const PositionRun & run) override;
  void
  AfterThreadedGenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** The calculator for the parameters on the input's s axis (checks the parameters). */
  std::unique_ptr<ReducedIntensityCalculator>
  MakeCalculator(const VectorAxis & inputAxis) const;

  std::string                 m_Composition;
  ScatteringFactorTable       m_ScatteringFactors;
  RangeType                   m_SRange;
  double                      m_NormalizationS;
  double                      m_AtomCount;
  RangeType                   m_FitWindow;
  bool                        m_FitOffset{ true };
  ReducedIntensityDenominator m_Denominator;
  unsigned int                m_PolynomialOrder;
  ReducedIntensityDamping     m_Damping;
  double                      m_DampingFactor;

  std::unique_ptr<ReducedIntensityCalculator> m_Calculator; // during an update only
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfStructureFactorImageFilter.hxx"
#endif

#endif
