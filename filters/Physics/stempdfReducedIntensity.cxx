#include "stempdfReducedIntensity.h"

#include "stempdfComposition.h"

#include "itkMacro.h"

#include <Eigen/QR>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.14159265358979323846;

std::string
Lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

/** The message of an exception without ITK's "ITK ERROR: " prefix, to be wrapped into another. */
std::string
Stripped(const itk::ExceptionObject & e)
{
  std::string       text = e.GetDescription();
  const std::string prefix = "ITK ERROR: ";
  return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
}

/** ParseComposition, its message always naming Composition. */
Composition
ParseNamedComposition(const std::string & formula)
{
  try
  {
    return ParseComposition(formula);
  }
  catch (const itk::ExceptionObject & e)
  {
    // The parser's messages start with "Composition"; make sure the name is there.
    const std::string message = Stripped(e);
    if (message.compare(0, 11, "Composition") == 0)
    {
      itkGenericExceptionMacro(<< message);
    }
    itkGenericExceptionMacro(<< "Composition \"" << formula << "\": " << message);
  }
}

/** The data's s grid: at least 2 finite samples, strictly ascending. */
void
CheckInputGrid(const std::vector<double> & s)
{
  if (s.size() < 2)
  {
    itkGenericExceptionMacro(<< "the s grid of the data has " << s.size() << " samples; expected at least 2");
  }
  for (size_t i = 0; i < s.size(); ++i)
  {
    if (!std::isfinite(s[i]) || (i > 0 && !(s[i] > s[i - 1])))
    {
      itkGenericExceptionMacro(<< "the s grid of the data is not strictly ascending: sample " << i << " is s = " << s[i]
                               << " after " << (i > 0 ? s[i - 1] : -std::numeric_limits<double>::infinity()));
    }
  }
}

/** PolynomialOrder (for the `samples` in SRange), AtomCount and DampingFactor. */
void
CheckScalarParameters(const ReducedIntensityParameters & p, size_t samples)
{
  const unsigned int order = p.PolynomialOrder;
  if (order > MaximumPolynomialOrder || order >= samples)
  {
    itkGenericExceptionMacro(<< "PolynomialOrder is " << order << "; expected at most " << MaximumPolynomialOrder
                             << " and fewer than the " << samples << " samples in SRange");
  }
  if (!(p.AtomCount >= 0.0) || !std::isfinite(p.AtomCount))
  {
    itkGenericExceptionMacro(<< "AtomCount is " << p.AtomCount << "; expected 0 (automatic) or a positive number");
  }
  if (!(p.DampingFactor >= 0.0) || !std::isfinite(p.DampingFactor))
  {
    itkGenericExceptionMacro(<< "DampingFactor is " << p.DampingFactor << "; expected b >= 0 in A^2");
  }
}

/** The damping window at s. */
double
DampingAt(const ReducedIntensityParameters & p, double s)
{
  switch (p.Damping)
  {
    case ReducedIntensityDamping::Exponential:
      return std::exp(-p.DampingFactor * s * s);
    case ReducedIntensityDamping::Lorch:
    {
      const double x = Pi * s / p.SRange[1];
      return x == 0.0 ? 1.0 : std::sin(x) / x;
    }
    default:
      return 1.0;
  }
}
} // namespace

const char *
ToString(ReducedIntensityDenominator denominator)
{
  return denominator == ReducedIntensityDenominator::MeanSquaredF ? "MeanSquaredF" : "MeanFSquared";
}

const char *
ToString(ReducedIntensityDamping damping)
{
  switch (damping)
  {
    case ReducedIntensityDamping::Exponential:
      return "Exponential";
    case ReducedIntensityDamping::Lorch:
      return "Lorch";
    default:
      return "None";
  }
}

ReducedIntensityDenominator
ReducedIntensityDenominatorFromString(const std::string & name)
{
  const std::string lower = Lower(name);
  if (lower == "meanfsquared")
  {
    return ReducedIntensityDenominator::MeanFSquared;
  }
  if (lower == "meansquaredf")
  {
    return ReducedIntensityDenominator::MeanSquaredF;
  }
  itkGenericExceptionMacro(<< "Denominator is \"" << name
                           << "\"; expected \"MeanFSquared\" (N<f>^2) or \"MeanSquaredF\" (N<f^2>)");
}

ReducedIntensityDamping
ReducedIntensityDampingFromString(const std::string & name)
{
  const std::string lower = Lower(name);
  for (const auto damping :
       { ReducedIntensityDamping::None, ReducedIntensityDamping::Exponential, ReducedIntensityDamping::Lorch })
  {
    if (lower == Lower(ToString(damping)))
    {
      return damping;
    }
  }
  itkGenericExceptionMacro(<< "Damping is \"" << name << "\"; expected \"None\", \"Exponential\" or \"Lorch\"");
}

ReducedIntensityCalculator::ReducedIntensityCalculator(const ReducedIntensityParameters & parameters,
                                                       const std::vector<double> &        s)
  : m_Parameters(parameters)
  , m_InputSize(s.size())
{
  const ReducedIntensityParameters & p = m_Parameters;
  const Composition                  composition = ParseNamedComposition(p.Composition);
  CheckInputGrid(s);
  const double tolerance = 1e-9 * (s.back() - s.front()); // rounding of s = origin + i * spacing
  this->SelectSamples(s, tolerance);
  CheckScalarParameters(p, m_S.size());
  this->ComputeFactors(composition);
  // Normalisation: a least-squares window, or one point.
  const bool windowSet = p.FitWindow[0] != 0.0 || p.FitWindow[1] != 0.0;
  if (windowSet)
  {
    this->PrepareFitWindow(tolerance);
  }
  else
  {
    this->PrepareNormalizationPoint(tolerance);
  }
  this->PrepareBackgroundProjector();
}

void
ReducedIntensityCalculator::SelectSamples(const std::vector<double> & s, double tolerance)
{
  // SRange: within the data, extended by half a spacing so that the bin edges of
  // a profile of bin centres (AzimuthalIntegrate's output) are accepted.
  const ReducedIntensityParameters & p = m_Parameters;
  const double                       low = s.front() - 0.5 * (s[1] - s[0]);
  const double                       high = s.back() + 0.5 * (s.back() - s[s.size() - 2]);
  if (!std::isfinite(p.SRange[0]) || !std::isfinite(p.SRange[1]) || !(p.SRange[0] >= 0.0) ||
      !(p.SRange[1] > p.SRange[0]))
  {
    itkGenericExceptionMacro(<< "SRange is (" << p.SRange[0] << ", " << p.SRange[1]
                             << "); expected 0 <= s0 < s1 in 1/A");
  }
  if (p.SRange[0] < low - tolerance || p.SRange[1] > high + tolerance)
  {
    itkGenericExceptionMacro(<< "SRange (" << p.SRange[0] << ", " << p.SRange[1]
                             << ") 1/A is outside the data's s grid (" << s.front() << " .. " << s.back()
                             << " 1/A; with half a sample spacing at each end " << low << " .. " << high << ")");
  }
  const auto first = std::lower_bound(s.begin(), s.end(), p.SRange[0] - tolerance);
  const auto last = std::upper_bound(s.begin(), s.end(), p.SRange[1] + tolerance);
  m_First = static_cast<size_t>(first - s.begin());
  m_S.assign(first, last);
  const size_t n = m_S.size();
  if (n < 2)
  {
    itkGenericExceptionMacro(<< "SRange (" << p.SRange[0] << ", " << p.SRange[1] << ") 1/A holds " << n
                             << " sample(s) of the data; expected at least 2");
  }
}

void
ReducedIntensityCalculator::ComputeFactors(const Composition & composition)
{
  const ReducedIntensityParameters & p = m_Parameters;
  const size_t                       n = m_S.size();
  const CompositionScatteringFactors factors =
    ComputeCompositionScatteringFactors(composition, m_S, p.ScatteringFactors);
  m_MeanF = factors.MeanF;
  m_MeanFSquared = factors.MeanFSquared;
  m_Factor.resize(n);
  m_Damping.resize(n);
  for (size_t i = 0; i < n; ++i)
  {
    const double denominator =
      p.Denominator == ReducedIntensityDenominator::MeanSquaredF ? m_MeanFSquared[i] : m_MeanF[i] * m_MeanF[i];
    if (!(denominator > 0.0) || !std::isfinite(denominator))
    {
      itkGenericExceptionMacro(<< "Composition \"" << p.Composition << "\": the mean scattering factor at s = "
                               << m_S[i] << " gives a denominator of " << denominator << "; expected > 0");
    }
    m_Factor[i] = m_S[i] / denominator;
    m_Damping[i] = DampingAt(p, m_S[i]);
  }
}

void
ReducedIntensityCalculator::PrepareFitWindow(double tolerance)
{
  const ReducedIntensityParameters & p = m_Parameters;
  if (!std::isfinite(p.FitWindow[0]) || !std::isfinite(p.FitWindow[1]) || !(p.FitWindow[1] > p.FitWindow[0]) ||
      p.FitWindow[0] < p.SRange[0] - tolerance || p.FitWindow[1] > p.SRange[1] + tolerance)
  {
    itkGenericExceptionMacro(<< "FitWindow is (" << p.FitWindow[0] << ", " << p.FitWindow[1]
                             << "); expected s0 < s1 within SRange (" << p.SRange[0] << ", " << p.SRange[1]
                             << ") 1/A, or (0, 0) for none");
  }
  m_WindowBegin =
    static_cast<size_t>(std::lower_bound(m_S.begin(), m_S.end(), p.FitWindow[0] - tolerance) - m_S.begin());
  m_WindowEnd = static_cast<size_t>(std::upper_bound(m_S.begin(), m_S.end(), p.FitWindow[1] + tolerance) - m_S.begin());
  const size_t count = m_WindowEnd > m_WindowBegin ? m_WindowEnd - m_WindowBegin : 0;
  if (count < 2)
  {
    itkGenericExceptionMacro(<< "FitWindow (" << p.FitWindow[0] << ", " << p.FitWindow[1] << ") 1/A holds " << count
                             << " sample(s); expected at least 2");
  }
  m_UseFitWindow = true;
  m_FitS = std::numeric_limits<double>::quiet_NaN();
  // Least squares weighted by a Hann taper over the window: the oscillation
  // of S(s) - 1 that the window cuts then averages out instead of leaking
  // into N through the window's edges (docs/method.md, stages 4-5).
  std::vector<double> taper(count);
  double              taperSum = 0.0;
  for (size_t i = 0; i < count; ++i)
  {
    const double x = std::sin(M_PI * (i + 0.5) / count);
    taper[i] = x * x;
    taperSum += taper[i];
  }
  // Centred normal equations of I ~ N f2 + C: well conditioned even where f2 barely changes.
  double mean = 0.0;
  for (size_t i = 0; i < count; ++i)
  {
    mean += taper[i] * m_MeanFSquared[m_WindowBegin + i];
  }
  mean /= taperSum;
  double spread = 0.0;
  m_WindowWeights.resize(count);
  for (size_t i = 0; i < count; ++i)
  {
    m_WindowWeights[i] = m_MeanFSquared[m_WindowBegin + i] - mean;
    spread += taper[i] * m_WindowWeights[i] * m_WindowWeights[i];
  }
  if (!(spread > 0.0))
  {
    itkGenericExceptionMacro(<< "FitWindow (" << p.FitWindow[0] << ", " << p.FitWindow[1]
                             << ") 1/A: <f^2> does not vary over it, N and C cannot be told apart; widen it");
  }
  for (size_t i = 0; i < count; ++i)
  {
    m_WindowWeights[i] *= taper[i] / spread;
  }
  m_WindowMeanFSquared = mean;
  double squares = 0.0;
  for (size_t i = 0; i < count; ++i)
  {
    squares += taper[i] * m_MeanFSquared[m_WindowBegin + i] * m_MeanFSquared[m_WindowBegin + i];
  }
  m_WindowNOnlyWeights.resize(count);
  m_WindowMeanWeights.resize(count);
  for (size_t i = 0; i < count; ++i)
  {
    m_WindowNOnlyWeights[i] = taper[i] * m_MeanFSquared[m_WindowBegin + i] / squares;
    m_WindowMeanWeights[i] = taper[i] / taperSum;
  }
}

void
ReducedIntensityCalculator::PrepareNormalizationPoint(double tolerance)
{
  const ReducedIntensityParameters & p = m_Parameters;
  const size_t                       n = m_S.size();
  double                             fitS = p.NormalizationS == 0.0 ? m_S.back() : p.NormalizationS;
  if (!std::isfinite(fitS) || fitS < p.SRange[0] - tolerance || fitS > p.SRange[1] + tolerance)
  {
    itkGenericExceptionMacro(<< "NormalizationS is " << p.NormalizationS
                             << "; expected 0 (the end of SRange) or an s within SRange (" << p.SRange[0] << ", "
                             << p.SRange[1] << ") 1/A");
  }
  // A value that names a sample (1.2 for origin + i * spacing = 1.2000000000000002) is that sample.
  const auto nearest = std::min_element(
    m_S.begin(), m_S.end(), [fitS](double a, double b) { return std::abs(a - fitS) < std::abs(b - fitS); });
  if (std::abs(*nearest - fitS) <= tolerance)
  {
    fitS = *nearest;
  }
  if (fitS <= m_S.front())
  {
    m_FitIndex = 0;
    m_FitWeight = 0.0;
  }
  else if (fitS >= m_S.back())
  {
    m_FitIndex = n - 1;
    m_FitWeight = 0.0;
  }
  else if (fitS == *nearest)
  {
    m_FitIndex = static_cast<size_t>(nearest - m_S.begin());
    m_FitWeight = 0.0;
  }
  else
  {
    m_FitIndex = static_cast<size_t>(std::upper_bound(m_S.begin(), m_S.end(), fitS) - m_S.begin()) - 1;
    m_FitWeight = (fitS - m_S[m_FitIndex]) / (m_S[m_FitIndex + 1] - m_S[m_FitIndex]);
  }
  m_FitS = m_FitWeight == 0.0 ? m_S[m_FitIndex] : fitS;
  m_FitMeanFSquared = m_FitWeight == 0.0 ? m_MeanFSquared[m_FitIndex]
                                         : (1.0 - m_FitWeight) * m_MeanFSquared[m_FitIndex] +
                                             m_FitWeight * m_MeanFSquared[m_FitIndex + 1];
}

void
ReducedIntensityCalculator::PrepareBackgroundProjector()
{
  // Background projector. Columns t^k with t = s / s_last in (0, 1]: powers of s
  // itself would span many orders of magnitude and spoil the QR.
  const unsigned int order = m_Parameters.PolynomialOrder;
  const size_t       n = m_S.size();
  if (order == 0)
  {
    return;
  }
  const double    scale = m_S.back();
  Eigen::MatrixXd vandermonde(n, order);
  for (size_t i = 0; i < n; ++i)
  {
    const double t = m_S[i] / scale;
    double       power = t;
    for (unsigned int k = 0; k < order; ++k)
    {
      vandermonde(static_cast<Eigen::Index>(i), k) = power;
      power *= t;
    }
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(vandermonde);
  if (qr.rank() < static_cast<Eigen::Index>(order))
  {
    itkGenericExceptionMacro(<< "PolynomialOrder is " << order << "; the " << n
                             << " samples in SRange determine only a polynomial of order " << qr.rank());
  }
  m_Q = qr.householderQ() * Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), order);
  const Eigen::MatrixXd r = qr.matrixR().topLeftCorner(order, order).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd rInverse = r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(order, order));
  // A P = Q R: coefficients of t^k are P R^-1 (Q^T phi); then p_k = q_k / scale^k.
  m_CoefficientMap = qr.colsPermutation() * rInverse;
  double power = 1.0;
  for (unsigned int k = 0; k < order; ++k)
  {
    power *= scale;
    m_CoefficientMap.row(k) /= power;
  }
}

void
ReducedIntensityCalculator::Compute(const double * intensity, double * phi, double * parameters) const
{
  const ReducedIntensityParameters & p = m_Parameters;
  const size_t                       n = m_S.size();
  const double *                     in = intensity + m_First;
  for (size_t i = 0; i < n; ++i)
  {
    if (!std::isfinite(in[i]))
    {
      itkGenericExceptionMacro(<< "I(s) at s = " << m_S[i] << " (sample " << m_First + i << ") is " << in[i]
                               << "; expected a finite number");
    }
  }

  double atoms = p.AtomCount, offset = 0.0;
  if (m_UseFitWindow)
  {
    double mean = 0.0, weighted = 0.0;
    for (size_t i = m_WindowBegin; i < m_WindowEnd; ++i)
    {
      if (!(in[i] > 0.0))
      {
        itkGenericExceptionMacro(<< "I(s) in FitWindow at s = " << m_S[i] << " is " << in[i] << "; expected > 0");
      }
      mean += m_WindowMeanWeights[i - m_WindowBegin] * in[i];
      weighted += (p.FitOffset ? m_WindowWeights : m_WindowNOnlyWeights)[i - m_WindowBegin] * in[i];
    }
    if (atoms == 0.0)
    {
      atoms = weighted;
      if (!(atoms > 0.0))
      {
        itkGenericExceptionMacro(<< "FitWindow (" << p.FitWindow[0] << ", " << p.FitWindow[1]
                                 << "): the least-squares N is " << atoms
                                 << "; expected > 0 (I(s) does not fall off like <f^2> there)");
      }
    }
    offset = p.FitOffset ? mean - atoms * m_WindowMeanFSquared : 0.0;
  }
  else
  {
    const double value =
      m_FitWeight == 0.0 ? in[m_FitIndex] : (1.0 - m_FitWeight) * in[m_FitIndex] + m_FitWeight * in[m_FitIndex + 1];
    if (!(value > 0.0))
    {
      itkGenericExceptionMacro(<< "I(s) at NormalizationS = " << m_FitS << " is " << value << "; expected > 0");
    }
    if (atoms == 0.0)
    {
      atoms = value / m_FitMeanFSquared;
    }
    else
    {
      offset = value - atoms * m_FitMeanFSquared;
    }
  }

  for (size_t i = 0; i < n; ++i)
  {
    phi[i] = (in[i] - atoms * m_MeanFSquared[i] - offset) * m_Factor[i] / atoms;
  }

  // Plain loops in a fixed order: the result must not depend on the alignment
  // of `phi` (a piece of a field against the whole).
  const auto order = static_cast<Eigen::Index>(p.PolynomialOrder);
  double     projection[MaximumPolynomialOrder] = {};
  for (Eigen::Index k = 0; k < order; ++k)
  {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i)
    {
      sum += m_Q(static_cast<Eigen::Index>(i), k) * phi[i];
    }
    projection[k] = sum;
  }
  for (size_t i = 0; i < n; ++i)
  {
    double background = 0.0;
    for (Eigen::Index k = 0; k < order; ++k)
    {
      background += m_Q(static_cast<Eigen::Index>(i), k) * projection[k];
    }
    phi[i] = (phi[i] - background) * m_Damping[i];
  }

  if (parameters != nullptr)
  {
    parameters[0] = atoms;
    parameters[1] = offset;
    for (Eigen::Index k = 0; k < order; ++k)
    {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < order; ++j)
      {
        sum += m_CoefficientMap(k, j) * projection[j];
      }
      parameters[2 + k] = sum;
    }
  }
}

void
ReducedIntensityCalculator::Compute(const Eigen::Ref<const RowMajorMatrix> & intensity, RowMajorMatrix & phi,
                                    RowMajorMatrix & parameters) const
{
  if (static_cast<size_t>(intensity.cols()) != m_InputSize)
  {
    itkGenericExceptionMacro(<< "the intensity matrix has " << intensity.cols() << " columns; expected the "
                             << m_InputSize << " samples of the s grid");
  }
  const Eigen::Index rows = intensity.rows();
  phi.resize(rows, static_cast<Eigen::Index>(m_S.size()));
  parameters.resize(rows, GetNumberOfParameters());
  for (Eigen::Index r = 0; r < rows; ++r)
  {
    try
    {
      // Rows of a row-major Ref are contiguous whatever its outer stride.
      Compute(intensity.data() + r * intensity.outerStride(),
              phi.data() + r * phi.cols(),
              parameters.data() + r * parameters.cols());
    }
    catch (const itk::ExceptionObject & e)
    {
      itkGenericExceptionMacro(<< "row " << r << ": " << Stripped(e));
    }
  }
}
} // namespace stempdf
