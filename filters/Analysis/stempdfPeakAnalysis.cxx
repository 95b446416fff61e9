#include "stempdfPeakAnalysis.h"

#include "itkMacro.h"

#include <Eigen/Dense>
#include <unsupported/Eigen/LevenbergMarquardt>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace stempdf
{
namespace
{
const double NaN = std::numeric_limits<double>::quiet_NaN();
const double SigmaToFWHM = 2.0 * std::sqrt(2.0 * std::log(2.0));

/** Samples needed in the windows: 3 for the top of the first peak, 10 for
 *  the 8 parameters of the two-Gaussian fit. */
constexpr size_t FirstWindowSamples = 3;
constexpr size_t SecondWindowSamples = 10;

/** The indices [first, last] of the samples r[i] inside window. */
void
WindowIndices(const std::vector<double> & r, const double window[2], const char * name, size_t needed, size_t & first,
              size_t & last)
{
  if (!std::isfinite(window[0]) || !std::isfinite(window[1]) || !(window[0] < window[1]))
  {
    itkGenericExceptionMacro(<< name << " = [" << window[0] << ", " << window[1]
                             << "] A: expected two finite values, lower < upper");
  }
  first = static_cast<size_t>(std::lower_bound(r.begin(), r.end(), window[0]) - r.begin());
  const size_t end = static_cast<size_t>(std::upper_bound(r.begin(), r.end(), window[1]) - r.begin());
  const size_t count = end > first ? end - first : 0;
  if (count < needed)
  {
    itkGenericExceptionMacro(<< name << " = [" << window[0] << ", " << window[1] << "] A holds " << count
                             << " r samples of the curve (r from " << r.front() << " to " << r.back()
                             << " A); at least " << needed << " are needed: move the window onto the curve's r range");
  }
  last = end - 1;
}

/** The top of the peak whose highest sample in [first, last] is interior:
 *  a least-squares Gaussian (parabola in ln G) through the contiguous samples
 *  around it with G >= 3/4 of its value (at least it and its neighbours).
 *  Returns false with `why` when the highest sample is at the window's edge
 *  or not positive, or the fit has no maximum. */
bool
TopOfPeak(const std::vector<double> & r, const std::vector<double> & g, size_t first, size_t last, size_t & top,
          double & position, double & height, std::string & why)
{
  top = first;
  for (size_t i = first; i <= last; ++i)
  {
    if (g[i] > g[top])
    {
      top = i;
    }
  }
  std::ostringstream message;
  if (top == first || top == last)
  {
    message << "G is highest at the window's edge (r = " << r[top] << " A), not at a maximum inside it";
    why = message.str();
    return false;
  }
  if (!(g[top] > 0.0))
  {
    message << "G is not positive anywhere in the window (highest " << g[top] << " at r = " << r[top] << " A)";
    why = message.str();
    return false;
  }
  const double level = 0.5 * g[top];
  size_t       lo = top - 1, hi = top + 1;
  while (lo > 0 && g[lo - 1] >= level && g[lo - 1] <= g[top])
  {
    --lo;
  }
  while (hi + 1 < r.size() && g[hi + 1] >= level && g[hi + 1] <= g[top])
  {
    ++hi;
  }
  if (!(g[lo] > 0.0) || !(g[hi] > 0.0))
  {
    message << "the samples next to the highest one (r = " << r[top] << " A) are not positive: no peak to fit";
    why = message.str();
    return false;
  }
  // ln G = p0 + p1 x + p2 x^2 [+ p3 x^3], x = r - r[top] (centred for
  // conditioning); the cubic term (from 5 samples on) takes up the peak's
  // asymmetry, which would otherwise shift the vertex.
  const auto      n = static_cast<Eigen::Index>(hi - lo + 1);
  const int       order = n >= 5 ? 3 : 2;
  Eigen::MatrixXd A(n, order + 1);
  Eigen::VectorXd b(n);
  for (Eigen::Index k = 0; k < n; ++k)
  {
    const double x = r[lo + static_cast<size_t>(k)] - r[top];
    for (int j = 0; j <= order; ++j)
    {
      A(k, j) = std::pow(x, j);
    }
    b(k) = std::log(g[lo + static_cast<size_t>(k)]);
  }
  Eigen::Vector4d p = Eigen::Vector4d::Zero();
  p.head(order + 1) = A.colPivHouseholderQr().solve(b);
  // The maximum: the root of p1 + 2 p2 x + 3 p3 x^2 nearest 0 (the stable
  // form of the quadratic formula, which holds for p3 -> 0 too), where the
  // second derivative 2 p2 + 6 p3 x is negative.
  double       vertex = std::numeric_limits<double>::quiet_NaN();
  const double qa = 3.0 * p(3), qb = 2.0 * p(2), qc = p(1);
  const double discriminant = qb * qb - 4.0 * qa * qc;
  if (discriminant >= 0.0)
  {
    const double q = -0.5 * (qb + std::copysign(std::sqrt(discriminant), qb));
    const double x = q != 0.0 ? qc / q : 0.0;
    vertex = qb + 2.0 * qa * x < 0.0 ? x : vertex;
  }
  if (!(r[top] + vertex >= r[lo] && r[top] + vertex <= r[hi]))
  {
    message << "the top of the peak near r = " << r[top] << " A is not peak-shaped (no maximum of the fitted Gaussian)";
    why = message.str();
    return false;
  }
  position = r[top] + vertex;
  height = std::exp(p(0) + vertex * (p(1) + vertex * (p(2) + vertex * p(3))));
  return true;
}

/** r where G crosses `level` walking from sample `top` in direction `step`
 *  (-1 or +1), linearly interpolated; NaN when it never does. */
double
Crossing(const std::vector<double> & r, const std::vector<double> & g, size_t top, int step, double level)
{
  size_t i = top;
  while (g[i] > level)
  {
    if ((step < 0 && i == 0) || (step > 0 && i + 1 == r.size()))
    {
      return NaN;
    }
    i = step < 0 ? i - 1 : i + 1;
  }
  const size_t inside = step < 0 ? i + 1 : i - 1; // the neighbour still above the level
  return r[i] + (level - g[i]) * (r[inside] - r[i]) / (g[inside] - g[i]);
}

/** Two Gaussians plus a line, for Eigen's Levenberg-Marquardt:
 *  x = (a1, c1, s1, a2, c2, s2, b0, b1); residual = model - G. */
struct TwoGaussians : Eigen::DenseFunctor<double>
{
  const double * R;
  const double * G;
  double         Middle;

  TwoGaussians(const double * r, const double * g, int n, double middle)
    : Eigen::DenseFunctor<double>(8, n)
    , R(r)
    , G(g)
    , Middle(middle)
  {}

  static double
  Model(const InputType & x, double r, double middle)
  {
    double value = x(6) + x(7) * (r - middle);
    for (int k = 0; k < 2; ++k)
    {
      const double u = (r - x(3 * k + 1)) / x(3 * k + 2);
      value += x(3 * k) * std::exp(-0.5 * u * u);
    }
    return value;
  }

  int
  operator()(const InputType & x, ValueType & f) const
  {
    for (int i = 0; i < values(); ++i)
    {
      f(i) = Model(x, R[i], Middle) - G[i];
    }
    return 0;
  }

  int
  df(const InputType & x, JacobianType & J) const
  {
    for (int i = 0; i < values(); ++i)
    {
      for (int k = 0; k < 2; ++k)
      {
        const double s = x(3 * k + 2);
        const double u = (R[i] - x(3 * k + 1)) / s;
        const double e = std::exp(-0.5 * u * u);
        J(i, 3 * k) = e;
        J(i, 3 * k + 1) = x(3 * k) * e * u / s;
        J(i, 3 * k + 2) = x(3 * k) * e * u * u / s;
      }
      J(i, 6) = 1.0;
      J(i, 7) = R[i] - Middle;
    }
    return 0;
  }
};

struct TwoGaussianFit
{
  Eigen::VectorXd Parameters;
  double          RMS = std::numeric_limits<double>::infinity();
  bool            Valid = false;
  std::string     Why;
};

/** One Levenberg-Marquardt run from `start`; Valid when it converged to two
 *  positive, distinct components with their centres inside the window and
 *  widths between half a sample spacing and the window's width. */
TwoGaussianFit
FitFrom(const TwoGaussians & functor, Eigen::VectorXd start, double spacing)
{
  TwoGaussians                            f = functor;
  Eigen::LevenbergMarquardt<TwoGaussians> lm(f);
  lm.setXtol(1e-12);
  lm.setFtol(1e-12);
  lm.setMaxfev(2000);
  const Eigen::LevenbergMarquardtSpace::Status status = lm.minimize(start);

  TwoGaussianFit fit;
  fit.Parameters = start;
  const int       n = f.values();
  const double    lo = f.R[0], hi = f.R[n - 1];
  Eigen::VectorXd residual(n);
  f(start, residual);
  fit.RMS = std::sqrt(residual.squaredNorm() / n);
  std::ostringstream why;
  if (status == Eigen::LevenbergMarquardtSpace::ImproperInputParameters ||
      status == Eigen::LevenbergMarquardtSpace::TooManyFunctionEvaluation || !start.allFinite() ||
      !std::isfinite(fit.RMS))
  {
    why << "the two-Gaussian fit did not converge (Eigen Levenberg-Marquardt status " << static_cast<int>(status)
        << ")";
  }
  else
  {
    for (int k = 0; k < 2 && why.str().empty(); ++k)
    {
      const double a = start(3 * k), c = start(3 * k + 1), s = std::abs(start(3 * k + 2));
      if (!(a > 0.0))
      {
        why << "the two-Gaussian fit gives a component of height " << a << " (a dip, not a peak) at r = " << c << " A";
      }
      else if (!(c >= lo && c <= hi))
      {
        why << "the two-Gaussian fit puts a component at r = " << c << " A, outside the window [" << lo << ", " << hi
            << "] A";
      }
      else if (!(s > 0.5 * spacing && s * SigmaToFWHM < hi - lo))
      {
        why << "the two-Gaussian fit gives a component of FWHM " << s * SigmaToFWHM << " A at r = " << c
            << " A (expected between a sample spacing and the window's width)";
      }
    }
    if (why.str().empty())
    {
      const double separation = std::abs(start(1) - start(4));
      const double narrower = std::min(std::abs(start(2)), std::abs(start(5))) * SigmaToFWHM;
      if (!(separation > 0.25 * narrower))
      {
        why << "the two-Gaussian fit merges both components at r = " << start(1) << " A: no shoulder resolved";
      }
    }
  }
  fit.Why = why.str();
  fit.Valid = fit.Why.empty();
  return fit;
}
} // namespace

double
PeakAnalysisResult::VertexSharing() const
{
  return 2.0 * FirstPeak;
}

double
PeakAnalysisResult::EdgeSharing() const
{
  return std::sqrt(3.0) * FirstPeak;
}

double
PeakAnalysisResult::FaceSharing() const
{
  return std::sqrt(8.0 / 3.0) * FirstPeak;
}

PeakAnalysisResult
AnalyzePeaks(const std::vector<double> & r, const std::vector<double> & g, const PeakAnalysisOptions & options)
{
  if (r.size() != g.size())
  {
    itkGenericExceptionMacro(<< "peak analysis: r has " << r.size() << " samples but G has " << g.size()
                             << "; expected one G value per r");
  }
  if (r.size() < SecondWindowSamples)
  {
    itkGenericExceptionMacro(<< "peak analysis: the curve has " << r.size() << " samples; expected at least "
                             << SecondWindowSamples);
  }
  for (size_t i = 0; i < r.size(); ++i)
  {
    if (!std::isfinite(r[i]) || (i > 0 && !(r[i] > r[i - 1])))
    {
      itkGenericExceptionMacro(<< "peak analysis: r[" << i << "] = " << r[i]
                               << " A; expected finite r values, strictly ascending");
    }
    if (!std::isfinite(g[i]))
    {
      itkGenericExceptionMacro(<< "peak analysis: G = " << g[i] << " at r = " << r[i]
                               << " A; expected finite G values");
    }
  }
  size_t first1 = 0, last1 = 0, first2 = 0, last2 = 0;
  WindowIndices(r, options.FirstPeakWindow, "FirstPeakWindow", FirstWindowSamples, first1, last1);
  WindowIndices(r, options.SecondPeakWindow, "SecondPeakWindow", SecondWindowSamples, first2, last2);

  PeakAnalysisResult result;
  result.FirstPeak = result.FirstPeakHeight = result.FirstPeakLeft = result.FirstPeakRight = result.FirstPeakFWHM = NaN;
  result.SecondPeak = result.SecondPeakHeight = NaN;
  result.SecondComponent = result.SecondComponentHeight = result.SecondComponentFWHM = NaN;
  result.Shoulder = result.ShoulderHeight = result.ShoulderFWHM = NaN;
  result.BaselineOffset = result.BaselineSlope = result.SecondPeakFitRMS = NaN;
  result.FitOK = false;
  std::vector<std::string> problems;

  // First peak and its width at half maximum (baseline G = 0).
  size_t      top = 0;
  std::string why;
  if (TopOfPeak(r, g, first1, last1, top, result.FirstPeak, result.FirstPeakHeight, why))
  {
    const double half = 0.5 * result.FirstPeakHeight;
    result.FirstPeakLeft = Crossing(r, g, top, -1, half);
    result.FirstPeakRight = Crossing(r, g, top, +1, half);
    result.FirstPeakFWHM = result.FirstPeakRight - result.FirstPeakLeft;
    if (std::isnan(result.FirstPeakFWHM))
    {
      problems.push_back("first peak: G does not fall to half the peak height on the " +
                         std::string(std::isnan(result.FirstPeakLeft) ? "low" : "high") + "-r side; no FWHM");
    }
  }
  else
  {
    problems.push_back("first peak: " + why);
  }

  // Two Gaussians and a line over the second window, started from the data:
  // the line through the window's end samples, the main Gaussian at the
  // highest sample above it (width from its half height on the low-r side),
  // the second Gaussian at the largest excess left over on either side of it
  // or half an angstrom to either side.
  const auto          n = static_cast<int>(last2 - first2 + 1);
  const double *      R = r.data() + first2;
  const double *      G = g.data() + first2;
  const double        middle = 0.5 * (R[0] + R[n - 1]);
  const double        spacing = (R[n - 1] - R[0]) / (n - 1);
  const TwoGaussians  functor(R, G, n, middle);
  const double        slope = (G[n - 1] - G[0]) / (R[n - 1] - R[0]);
  const double        offset = G[0] + slope * (middle - R[0]);
  std::vector<double> excess(static_cast<size_t>(n));
  int                 peak = 0;
  for (int i = 0; i < n; ++i)
  {
    excess[i] = G[i] - offset - slope * (R[i] - middle);
    peak = excess[i] > excess[peak] ? i : peak;
  }
  const double height = excess[peak];
  int          left = peak;
  while (left > 0 && excess[left] > 0.5 * height)
  {
    --left;
  }
  double sigma = (R[peak] - R[left]) / std::sqrt(2.0 * std::log(2.0));
  sigma = std::clamp(sigma, 2.0 * spacing, (R[n - 1] - R[0]) / 4.0);
  std::vector<double> centres;
  for (int side = -1; side <= 1; side += 2)
  {
    int    best = -1;
    double bestValue = 0.0;
    for (int i = 0; i < n; ++i)
    {
      const double u = (R[i] - R[peak]) / sigma;
      const double rest = excess[i] - height * std::exp(-0.5 * u * u);
      if ((i - peak) * side > 0 && rest > bestValue)
      {
        best = i;
        bestValue = rest;
      }
    }
    if (best >= 0)
    {
      centres.push_back(R[best]);
    }
    centres.push_back(std::clamp(R[peak] + 0.5 * side, R[0], R[n - 1]));
  }
  TwoGaussianFit best;
  for (const double centre : centres)
  {
    Eigen::VectorXd start(8);
    start << height, R[peak], sigma, 0.4 * height, centre, sigma, offset, slope;
    TwoGaussianFit fit = FitFrom(functor, start, spacing);
    if ((fit.Valid && (!best.Valid || fit.RMS < best.RMS)) || (!best.Valid && best.Why.empty()))
    {
      best = fit;
    }
  }
  if (best.Valid)
  {
    const Eigen::VectorXd & x = best.Parameters;
    // The highest point of the fitted curve, on a grid of 1/1000 of the
    // window refined by a parabola through its neighbours.
    const int    steps = 1000;
    const double h = (R[n - 1] - R[0]) / steps;
    int          highest = 0;
    double       highestValue = -std::numeric_limits<double>::infinity();
    for (int i = 0; i <= steps; ++i)
    {
      const double value = TwoGaussians::Model(x, R[0] + i * h, middle);
      if (value > highestValue)
      {
        highest = i;
        highestValue = value;
      }
    }
    result.SecondPeak = R[0] + highest * h;
    if (highest > 0 && highest < steps)
    {
      const double gm = TwoGaussians::Model(x, result.SecondPeak - h, middle);
      const double gp = TwoGaussians::Model(x, result.SecondPeak + h, middle);
      const double curvature = gm - 2.0 * highestValue + gp;
      result.SecondPeak += curvature < 0.0 ? 0.5 * h * (gm - gp) / curvature : 0.0;
    }
    result.SecondPeakHeight = TwoGaussians::Model(x, result.SecondPeak, middle);
    // The shoulder is the component farther from that highest point (by
    // position, not by height: the two heights can be close and swap with
    // noise, as on the solid-like type).
    const int main = std::abs(x(1) - result.SecondPeak) <= std::abs(x(4) - result.SecondPeak) ? 0 : 1;
    const int other = 1 - main;
    result.SecondComponent = x(3 * main + 1);
    result.SecondComponentHeight = x(3 * main);
    result.SecondComponentFWHM = std::abs(x(3 * main + 2)) * SigmaToFWHM;
    result.Shoulder = x(3 * other + 1);
    result.ShoulderHeight = x(3 * other);
    result.ShoulderFWHM = std::abs(x(3 * other + 2)) * SigmaToFWHM;
    result.BaselineOffset = x(6);
    result.BaselineSlope = x(7);
    result.SecondPeakFitRMS = best.RMS;
    if (highest == 0 || highest == steps)
    {
      std::ostringstream message;
      message << "second peak: the fitted curve is highest at the window's edge (r = " << result.SecondPeak
              << " A), not at a maximum inside it";
      problems.push_back(message.str());
      result.SecondPeak = result.SecondPeakHeight = NaN;
    }
    else if (result.Shoulder < result.SecondPeak)
    {
      problems.push_back("second peak: the shoulder lies on its low-r side");
    }
  }
  else
  {
    problems.push_back("second peak: " + best.Why);
  }

  result.FitOK = !std::isnan(result.FirstPeakFWHM) && !std::isnan(result.SecondPeak);
  for (const auto & problem : problems)
  {
    result.Message += (result.Message.empty() ? "" : "; ") + problem;
  }
  return result;
}
} // namespace stempdf
