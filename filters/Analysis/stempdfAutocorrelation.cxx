#include "stempdfAutocorrelation.h"

#include "itkMacro.h"

#include <fftw3.h>
#include <unsupported/Eigen/NonLinearOptimization>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <memory>

namespace stempdf
{
namespace
{
const double NotANumber = std::numeric_limits<double>::quiet_NaN();

/** Index of the first profile point below `level` (0 when there is none). */
std::size_t
FirstBelow(const RadialAutocorrelation & profile, double level)
{
  for (std::size_t i = 1; i < profile.Correlation.size(); ++i)
  {
    if (profile.Correlation[i] < level)
    {
      return i;
    }
  }
  return 0;
}

/** Distance where the profile first falls to `level`, interpolated linearly; NaN when it never does. */
double
FirstCrossing(const RadialAutocorrelation & profile, double level)
{
  const std::size_t i = FirstBelow(profile, level);
  if (i == 0)
  {
    return NotANumber;
  }
  const double a = profile.Correlation[i - 1], b = profile.Correlation[i];
  const double t = (a - level) / (a - b);
  return profile.Distance[i - 1] + t * (profile.Distance[i] - profile.Distance[i - 1]);
}

/** Residuals exp(-d exp(-u)) - C of the exponential model, u = ln xi, for Eigen's Levenberg-Marquardt. */
struct ExponentialResiduals
{
  using Scalar = double;
  using InputType = Eigen::VectorXd;
  using ValueType = Eigen::VectorXd;
  using JacobianType = Eigen::MatrixXd;
  enum
  {
    InputsAtCompileTime = Eigen::Dynamic,
    ValuesAtCompileTime = Eigen::Dynamic
  };

  const double * Distance;
  const double * Correlation;
  int            Count;

  int
  inputs() const
  {
    return 1;
  }
  int
  values() const
  {
    return Count;
  }
  int
  operator()(const Eigen::VectorXd & u, Eigen::VectorXd & residuals) const
  {
    const double rate = std::exp(-u[0]);
    for (int i = 0; i < Count; ++i)
    {
      residuals[i] = std::exp(-Distance[i] * rate) - Correlation[i];
    }
    return 0;
  }
  int
  df(const Eigen::VectorXd & u, Eigen::MatrixXd & jacobian) const
  {
    const double rate = std::exp(-u[0]);
    for (int i = 0; i < Count; ++i)
    {
      jacobian(i, 0) = std::exp(-Distance[i] * rate) * Distance[i] * rate;
    }
    return 0;
  }
};
} // namespace

double
RadialAutocorrelation::FullWidthHalfMaximum() const
{
  return 2.0 * FirstCrossing(*this, 0.5);
}

double
RadialAutocorrelation::OneOverELength() const
{
  return FirstCrossing(*this, std::exp(-1.0));
}

std::size_t
RadialAutocorrelation::ExponentialFitPoints() const
{
  const std::size_t last = FirstBelow(*this, 0.1);
  return last == 0 ? 0 : last + 1;
}

double
RadialAutocorrelation::ExponentialFitLength() const
{
  const std::size_t count = this->ExponentialFitPoints();
  if (count == 0)
  {
    return NotANumber;
  }
  // Start at the 1/e length (it exists: the profile falls below 0.1).
  Eigen::VectorXd u(1);
  u[0] = std::log(this->OneOverELength());
  ExponentialResiduals residuals{ Distance.data(), Correlation.data(), static_cast<int>(count) };
  Eigen::LevenbergMarquardt<ExponentialResiduals> solver(residuals);
  solver.parameters.xtol = 1e-12;
  solver.parameters.ftol = 1e-15;
  solver.parameters.maxfev = 1000;
  solver.minimize(u);
  // Gauss-Newton converges only linearly when the residuals do not vanish (a
  // profile that is not exactly exponential): finish with Newton steps on the
  // exact gradient and second derivative of the sum of squares in k = 1 / xi,
  // kept while they lower the gradient.
  double rate = std::exp(-u[0]);
  auto   derivatives = [&](double k, double & gradient, double & curvature) {
    gradient = 0.0;
    curvature = 0.0;
    for (std::size_t i = 0; i < count; ++i)
    {
      const double d = Distance[i], e = std::exp(-d * k), r = e - Correlation[i];
      gradient += r * (-d * e);
      curvature += d * d * e * e + r * d * d * e;
    }
  };
  for (int step = 0; step < 8; ++step)
  {
    double gradient = 0.0, curvature = 0.0;
    derivatives(rate, gradient, curvature);
    if (!(curvature > 0.0) || gradient == 0.0)
    {
      break;
    }
    const double next = rate - gradient / curvature;
    double       nextGradient = 0.0, nextCurvature = 0.0;
    derivatives(next, nextGradient, nextCurvature);
    if (!(next > 0.0) || !(std::abs(nextGradient) < std::abs(gradient)))
    {
      break;
    }
    rate = next;
  }
  const double xi = 1.0 / rate;
  return std::isfinite(xi) && xi > 0.0 ? xi : NotANumber;
}

void
ComputeAutocorrelation(const double * values, unsigned int nx, unsigned int ny, double * out, const std::string & name)
{
  const std::string map = name.empty() ? std::string("the map") : "the map '" + name + "'";
  if (nx < 2 || ny < 2)
  {
    itkGenericExceptionMacro(<< "autocorrelation of " << map << " (" << nx << " x " << ny
                             << " positions): expected at least 2 x 2 positions");
  }
  const std::size_t n = static_cast<std::size_t>(nx) * ny;
  bool              constant = true;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!std::isfinite(values[i]))
    {
      itkGenericExceptionMacro(<< "autocorrelation of " << map << ": position (" << i % nx << ", " << i / nx << ") is "
                               << values[i] << "; expected a finite value at every position");
    }
    constant = constant && values[i] == values[0];
  }
  if (constant)
  {
    itkGenericExceptionMacro(<< "autocorrelation of " << map << ": the map is constant (" << values[0]
                             << " everywhere), so its variance is 0 and its autocorrelation is undefined");
  }

  const int                         px = 2 * static_cast<int>(nx), py = 2 * static_cast<int>(ny), hxFFT = px / 2 + 1;
  std::vector<double>               grid(static_cast<size_t>(px) * py, 0.0);
  std::vector<std::complex<double>> spectrum(static_cast<size_t>(hxFFT) * py);
  double                            mean = 0.0;
  for (std::size_t i = 0; i < n; ++i)
  {
    mean += values[i];
  }
  mean /= static_cast<double>(n);
  for (unsigned int y = 0; y < ny; ++y)
  {
    for (unsigned int x = 0; x < nx; ++x)
    {
      grid[static_cast<size_t>(y) * px + x] = values[static_cast<size_t>(y) * nx + x] - mean;
    }
  }
  using Plan = std::unique_ptr<fftw_plan_s, decltype(&fftw_destroy_plan)>;
  Plan forward(
    fftw_plan_dft_r2c_2d(py, px, grid.data(), reinterpret_cast<fftw_complex *>(spectrum.data()), FFTW_ESTIMATE),
    &fftw_destroy_plan);
  Plan backward(
    fftw_plan_dft_c2r_2d(py, px, reinterpret_cast<fftw_complex *>(spectrum.data()), grid.data(), FFTW_ESTIMATE),
    &fftw_destroy_plan);
  fftw_execute(forward.get());
  for (auto & c : spectrum)
  {
    c = std::norm(c);
  }
  fftw_execute(backward.get());

  // FFTW's c2r is unnormalised: grid holds (px py) x the circular correlation,
  // the same factor at every shift, so it cancels in the ratio below.
  const double zero = grid[0] / (static_cast<double>(nx) * ny);
  if (!(zero > 0.0))
  {
    itkGenericExceptionMacro(<< "autocorrelation of " << map
                             << ": the variance of the map is 0, so its autocorrelation is undefined");
  }
  const int hx = static_cast<int>(AutocorrelationHalfWidth(nx)), hy = static_cast<int>(AutocorrelationHalfWidth(ny));
  const int width = 2 * hx + 1;
  for (int dy = -hy; dy <= hy; ++dy)
  {
    for (int dx = -hx; dx <= hx; ++dx)
    {
      const int    gx = (dx + px) % px, gy = (dy + py) % py;
      const double pairs =
        static_cast<double>(static_cast<int>(nx) - std::abs(dx)) * (static_cast<int>(ny) - std::abs(dy));
      out[static_cast<size_t>(dy + hy) * width + (dx + hx)] = grid[static_cast<size_t>(gy) * px + gx] / pairs / zero;
    }
  }
}

RadialAutocorrelation
ComputeRadialProfile(const double * autocorrelation, unsigned int hx, unsigned int hy, double sx, double sy,
                     double binWidth)
{
  if (!(binWidth > 0.0) || !(sx > 0.0) || !(sy > 0.0))
  {
    itkGenericExceptionMacro(<< "radial autocorrelation: expected a bin width > 0 (got " << binWidth
                             << " scan steps) and a spacing > 0 (got " << sx << ", " << sy << ")");
  }
  // Distances in x steps; y shifts scaled by sy / sx (1 on a square grid).
  const double        ratio = sy / sx;
  const double        maxShift = std::min(static_cast<double>(hx), hy * ratio);
  const auto          bins = static_cast<size_t>(std::ceil(maxShift / binWidth)) + 1;
  const int           width = 2 * static_cast<int>(hx) + 1;
  std::vector<double> sum(bins, 0.0), distance(bins, 0.0), count(bins, 0.0);
  for (int dy = -static_cast<int>(hy); dy <= static_cast<int>(hy); ++dy)
  {
    for (int dx = -static_cast<int>(hx); dx <= static_cast<int>(hx); ++dx)
    {
      const double d = std::hypot(dx, dy * ratio);
      if (d > maxShift)
      {
        continue;
      }
      const double c =
        autocorrelation[static_cast<size_t>(dy + static_cast<int>(hy)) * width + (dx + static_cast<int>(hx))];
      const auto bin = static_cast<size_t>(std::floor(d / binWidth + 0.5));
      sum[bin] += c;
      distance[bin] += d;
      count[bin] += 1.0;
    }
  }
  RadialAutocorrelation result;
  for (size_t i = 0; i < bins; ++i)
  {
    if (count[i] > 0.0)
    {
      result.Distance.push_back(distance[i] / count[i] * sx);
      result.Correlation.push_back(sum[i] / count[i]);
    }
  }
  return result;
}

RadialAutocorrelation
ComputeRadialAutocorrelation(const MapImage * map, double binWidth)
{
  const auto          size = map->GetBufferedRegion().GetSize();
  const unsigned int  nx = static_cast<unsigned int>(size[0]), ny = static_cast<unsigned int>(size[1]);
  const unsigned int  hx = AutocorrelationHalfWidth(nx), hy = AutocorrelationHalfWidth(ny);
  std::vector<double> grid(static_cast<size_t>(2 * hx + 1) * (2 * hy + 1));
  ComputeAutocorrelation(map->GetBufferPointer(), nx, ny, grid.data(), map->GetObjectName());
  return ComputeRadialProfile(grid.data(), hx, hy, map->GetSpacing()[0], map->GetSpacing()[1], binWidth);
}
} // namespace stempdf
