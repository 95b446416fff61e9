#ifndef stempdfReducedIntensity_h
#define stempdfReducedIntensity_h

#include "stempdfScatteringFactors.h"

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace stempdf
{
/** The term that divides I - N<f^2> - C in the reduced intensity. */
enum class ReducedIntensityDenominator
{
  MeanFSquared, //!< N <f>^2: the interference term of an alloy; the default
  MeanSquaredF  //!< N <f^2>
};

/** The window applied to phi(s) after the background removal. */
enum class ReducedIntensityDamping
{
  None,        //!< no damping; the default
  Exponential, //!< phi * exp(-b s^2), b = DampingFactor (A^2)
  Lorch        //!< phi * sin(pi s / s_max) / (pi s / s_max), s_max = SRange[1]
};

/** "MeanFSquared" / "MeanSquaredF". */
const char *
ToString(ReducedIntensityDenominator denominator);
/** "None" / "Exponential" / "Lorch". */
const char *
ToString(ReducedIntensityDamping damping);
/** Parse the names above (case-insensitive); throw an itk::ExceptionObject naming Denominator / Damping otherwise. */
ReducedIntensityDenominator
ReducedIntensityDenominatorFromString(const std::string & name);
ReducedIntensityDamping
ReducedIntensityDampingFromString(const std::string & name);

/** The parameters of the StructureFactor stage (docs/method.md, section 4). s in 1/A. */
struct ReducedIntensityParameters
{
  /** Chemical formula of the material (stempdf::ParseComposition).
   *  Default "Fe85.2Si0.5B9.5P4Cu0.8", the paper's alloy. */
  std::string Composition{ "Fe85.2Si0.5B9.5P4Cu0.8" };
  /** Parametrisation of the electron scattering factors. Default Kirkland.
   *  (Non-relativistic: the relativistic factor of f is absorbed by N.) */
  ScatteringFactorTable ScatteringFactors{ ScatteringFactorTable::Kirkland };
  /** s interval [s0, s1] used; the output holds the input samples inside it.
   *  It must lie within the data's s grid extended by half a sample spacing at
   *  each end (the bin edges when the samples are bin centres). Default
   *  (0.25, 1.6), the paper's. */
  std::array<double, 2> SRange{ { 0.25, 1.6 } };
  /** s where N<f^2> + C is matched to I. Default 0: the last sample inside
   *  SRange. Else it must lie within SRange; between two samples I and <f^2>
   *  are both interpolated linearly with the same weights (so data that follow
   *  N<f^2> + C give N and C exactly); between an end of SRange and the
   *  outermost sample, that sample is used. Unused when FitWindow is set. */
  double NormalizationS{ 0.0 };
  /** Number of atoms N (in the units of I / f^2). Default 0: automatic,
   *  N = I(s_fit) / <f^2(s_fit)> and C = 0. A positive value fixes N and gives
   *  C = I(s_fit) - N <f^2(s_fit)> (or, with FitWindow, the Hann-weighted
   *  mean of I - N<f^2> over the window), which keeps phi linear in I. */
  double AtomCount{ 0.0 };
  /** s interval [s0, s1] within SRange holding at least 2 samples where N and
   *  C are fitted by least squares, I ~ N<f^2> + C, weighted by a Hann taper
   *  over the window (the oscillation the window cuts does not leak in through
   *  its edges). Takes precedence over NormalizationS. Default (0, 0): unused. */
  std::array<double, 2> FitWindow{ { 0.0, 0.0 } };
  /** With FitWindow: fit the offset C too (I ~ N<f^2> + C), or not (I ~
   *  N<f^2>, C = 0). Without C the fit averages the oscillation S(s) - 1 left
   *  in the window, which gives N far more accurately when no constant
   *  background is expected (N and C trade off over a short window). Default
   *  true. */
  bool FitOffset{ true };
  /** Default MeanFSquared, N <f>^2. */
  ReducedIntensityDenominator Denominator{ ReducedIntensityDenominator::MeanFSquared };
  /** Order K of the background sum_{k=1..K} p_k s^k (no constant term) fitted
   *  to phi by least squares over SRange and subtracted. 0: none. At most
   *  MaximumPolynomialOrder and fewer than the samples in SRange. Default 4. */
  unsigned int PolynomialOrder{ 4 };
  /** Default None. */
  ReducedIntensityDamping Damping{ ReducedIntensityDamping::None };
  /** b of the Exponential damping exp(-b s^2), A^2, >= 0. Default 0. */
  double DampingFactor{ 0.0 };
};

/** Higher orders would follow the oscillations of phi, not its background. */
constexpr unsigned int MaximumPolynomialOrder = 10;

/** \class ReducedIntensityCalculator
 * \brief The reduced intensity phi(s) of diffraction profiles I(s) on one s grid.
 *
 *   phi(s) = [I(s) - N<f^2(s)> - C] s / (N <f(s)>^2)     (or N <f^2(s)>),
 *
 * then the least-squares polynomial sum_{k=1..K} p_k s^k over the samples is
 * subtracted, then the damping is applied. Everything that does not depend on
 * I (the samples inside SRange, <f>, <f^2>, the polynomial projector) is
 * computed once by the constructor, which also checks every parameter and
 * throws an itk::ExceptionObject naming it. Compute() is const and
 * thread-safe; a profile with bad data (a non-number in SRange, I <= 0 where N
 * is matched) throws with a message saying what and where on the s axis.
 *
 * The input grid is any ascending set of s values (a uniform profile of a
 * field or the few points of an SAED curve); the output grid (GetS()) is the
 * input samples inside SRange, a contiguous run of them.
 */
class ReducedIntensityCalculator
{
public:
  using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /** Checks the parameters against the input grid `s` (ascending, 1/A). */
  ReducedIntensityCalculator(const ReducedIntensityParameters & parameters, const std::vector<double> & s);

  const ReducedIntensityParameters &
  GetParameters() const
  {
    return m_Parameters;
  }

  /** The output grid: the input samples inside SRange. */
  const std::vector<double> &
  GetS() const
  {
    return m_S;
  }

  /** Index in the input grid of GetS()[0]. */
  std::size_t
  GetFirstSample() const
  {
    return m_First;
  }

  /** Number of samples of the input grid (the length of an input profile). */
  std::size_t
  GetNumberOfInputSamples() const
  {
    return m_InputSize;
  }

  /** 2 + PolynomialOrder: N, C, p_1 .. p_K (p_k in the units of phi / s^k). */
  unsigned int
  GetNumberOfParameters() const
  {
    return 2u + m_Parameters.PolynomialOrder;
  }

  /** <f> and <f^2> on the output grid, A and A^2. */
  const std::vector<double> &
  GetMeanF() const
  {
    return m_MeanF;
  }
  const std::vector<double> &
  GetMeanFSquared() const
  {
    return m_MeanFSquared;
  }

  /** The s where N is matched (the default and end clamping resolved); NaN with a FitWindow. */
  double
  GetNormalizationS() const
  {
    return m_FitS;
  }

  /** One profile: `intensity` holds GetNumberOfInputSamples() values on the
   *  input grid; `phi` receives GetS().size() values; `parameters` (may be
   *  null) receives N, C, p_1 .. p_K. */
  void
  Compute(const double * intensity, double * phi, double * parameters = nullptr) const;

  /** Many profiles, one per row: intensity is rows x GetNumberOfInputSamples();
   *  phi and parameters are resized to rows x GetS().size() and rows x
   *  GetNumberOfParameters(). Errors name the row. */
  void
  Compute(const Eigen::Ref<const RowMajorMatrix> & intensity, RowMajorMatrix & phi, RowMajorMatrix & parameters) const;

private:
  // The steps of the constructor after the composition and the grid are
  // checked, in its order: the first error found wins.
  /** m_First and m_S, the samples inside SRange (at least 2): SRange must be
   *  ordered and lie within the data's grid extended by half a spacing. */
  void
  SelectSamples(const std::vector<double> & s, double tolerance);
  /** <f>, <f^2>, the factor s / denominator (which must be > 0) and the
   *  damping window on the output grid. */
  void
  ComputeFactors(const Composition & composition);
  /** FitWindow: its samples and the Hann-weighted least-squares weights of N
   *  and C. */
  void
  PrepareFitWindow(double tolerance);
  /** No FitWindow: where N<f^2> + C is matched (NormalizationS or the end of
   *  SRange), a sample or two interpolated. */
  void
  PrepareNormalizationPoint(double tolerance);
  /** The background polynomial's projector Q and its coefficient map. */
  void
  PrepareBackgroundProjector();

  ReducedIntensityParameters m_Parameters;
  std::size_t                m_InputSize{ 0 };
  std::size_t                m_First{ 0 };
  std::vector<double>        m_S;
  std::vector<double>        m_MeanF;
  std::vector<double>        m_MeanFSquared;
  std::vector<double>        m_Factor;  // s / <f>^2 or s / <f^2>
  std::vector<double>        m_Damping; // the damping window on the output grid

  // Normalisation at one point: I(s_fit) = (1 - w) I[j] + w I[j + 1] (output indices).
  double      m_FitS{ 0.0 };
  std::size_t m_FitIndex{ 0 };
  double      m_FitWeight{ 0.0 };
  double      m_FitMeanFSquared{ 0.0 };

  // Hann-weighted least squares over the FitWindow (output indices [begin, end)):
  // N = sum_i w_i I_i, w_i = h_i (f2_i - mean f2) / sum h (f2 - mean f2)^2,
  // means weighted by the taper h.
  bool                m_UseFitWindow{ false };
  std::size_t         m_WindowBegin{ 0 };
  std::size_t         m_WindowEnd{ 0 };
  std::vector<double> m_WindowWeights;
  std::vector<double> m_WindowNOnlyWeights; // N = sum_i w_i I_i with C = 0: w_i = h_i f2_i / sum h f2^2
  std::vector<double> m_WindowMeanWeights;  // the taper h_i / sum h: the weighted mean of I
  double              m_WindowMeanFSquared{ 0.0 };

  // Background projector: Q (n x K, orthonormal columns spanning t^k, t = s / s_last),
  // and the map from Q^T phi to p_1 .. p_K in physical units.
  Eigen::MatrixXd m_Q;
  Eigen::MatrixXd m_CoefficientMap;
};
} // namespace stempdf

#endif
