#include "stempdfAutocorrelation.h"

#include "itkMacro.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>

namespace stempdf
{
namespace
{
double
FirstCrossing(const RadialAutocorrelation & profile, double level)
{
  for (size_t i = 1; i < profile.Correlation.size(); ++i)
  {
    const double a = profile.Correlation[i - 1], b = profile.Correlation[i];
    if (a >= level && b < level)
    {
      const double t = (a - level) / (a - b);
      return profile.Distance[i - 1] + t * (profile.Distance[i] - profile.Distance[i - 1]);
    }
  }
  return 0.0;
}
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

RadialAutocorrelation
ComputeRadialAutocorrelation(const MapImage * map, double binWidth)
{
  const auto size = map->GetBufferedRegion().GetSize();
  const int  nx = static_cast<int>(size[0]), ny = static_cast<int>(size[1]);
  if (nx < 2 || ny < 2 || !(binWidth > 0.0))
  {
    itkGenericExceptionMacro(<< "autocorrelation of a " << nx << " x " << ny
                             << " map: expected at least 2 x 2 positions and a bin width > 0");
  }
  const int px = 2 * nx, py = 2 * ny, hx = px / 2 + 1;
  std::vector<double>               grid(static_cast<size_t>(px) * py, 0.0);
  std::vector<std::complex<double>> spectrum(static_cast<size_t>(hx) * py);
  const double *                    values = map->GetBufferPointer();
  double                            mean = 0.0;
  for (int i = 0; i < nx * ny; ++i)
  {
    mean += values[i];
  }
  mean /= nx * ny;
  for (int y = 0; y < ny; ++y)
  {
    for (int x = 0; x < nx; ++x)
    {
      grid[static_cast<size_t>(y) * px + x] = values[y * nx + x] - mean;
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

  const double zero = grid[0] / (static_cast<double>(nx) * ny);
  if (!(zero > 0.0))
  {
    itkGenericExceptionMacro(<< "autocorrelation of a constant map is undefined (its variance is 0)");
  }
  const double spacing = map->GetSpacing()[0];
  const int    maxShift = std::min(nx, ny) / 2;
  const auto   bins = static_cast<size_t>(std::ceil(maxShift / binWidth)) + 1;
  std::vector<double> sum(bins, 0.0), distance(bins, 0.0), count(bins, 0.0);
  for (int dy = -maxShift; dy <= maxShift; ++dy)
  {
    for (int dx = -maxShift; dx <= maxShift; ++dx)
    {
      const double d = std::hypot(dx, dy);
      if (d > maxShift)
      {
        continue;
      }
      const int    gx = (dx + px) % px, gy = (dy + py) % py;
      const double pairs = static_cast<double>(nx - std::abs(dx)) * (ny - std::abs(dy));
      const double c = grid[static_cast<size_t>(gy) * px + gx] / pairs / zero;
      const auto   bin = static_cast<size_t>(std::floor(d / binWidth + 0.5));
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
      result.Distance.push_back(distance[i] / count[i] * spacing);
      result.Correlation.push_back(sum[i] / count[i]);
    }
  }
  return result;
}
} // namespace stempdf
