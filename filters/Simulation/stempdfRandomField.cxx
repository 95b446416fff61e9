#include "stempdfRandomField.h"

#include "itkMacro.h"

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <memory>
#include <random>
#include <vector>

namespace stempdf
{
MapImage::Pointer
MakeGaussianRandomField(unsigned int nx, unsigned int ny, double step, double correlationFWHM, std::uint64_t seed)
{
  if (nx == 0 || ny == 0 || !(step > 0.0) || !(correlationFWHM > 0.0))
  {
    itkGenericExceptionMacro(<< "random field of " << nx << " x " << ny << " positions, step " << step
                             << ", correlation FWHM " << correlationFWHM << ": expected sizes > 0 and lengths > 0");
  }
  const double sigma = correlationFWHM / (4.0 * std::sqrt(std::log(2.0))) / step; // in grid steps
  const auto   pad = static_cast<unsigned int>(std::ceil(4.0 * sigma));
  const int    px = static_cast<int>(nx + 2 * pad), py = static_cast<int>(ny + 2 * pad);
  const int    hx = px / 2 + 1; // r2c output width

  std::vector<double>               field(static_cast<size_t>(px) * py);
  std::vector<std::complex<double>> spectrum(static_cast<size_t>(hx) * py);
  std::mt19937_64                   random(seed);
  std::normal_distribution<double>  normal;
  for (auto & value : field)
  {
    value = normal(random);
  }

  using Plan = std::unique_ptr<fftw_plan_s, decltype(&fftw_destroy_plan)>;
  Plan forward(
    fftw_plan_dft_r2c_2d(py, px, field.data(), reinterpret_cast<fftw_complex *>(spectrum.data()), FFTW_ESTIMATE),
    &fftw_destroy_plan);
  Plan backward(
    fftw_plan_dft_c2r_2d(py, px, reinterpret_cast<fftw_complex *>(spectrum.data()), field.data(), FFTW_ESTIMATE),
    &fftw_destroy_plan);
  fftw_execute(forward.get());
  // Gaussian kernel of standard deviation sigma, in Fourier space.
  const double pi = 3.14159265358979323846;
  for (int ky = 0; ky < py; ++ky)
  {
    const double fy = static_cast<double>(ky <= py / 2 ? ky : ky - py) / py;
    for (int kx = 0; kx < hx; ++kx)
    {
      const double fx = static_cast<double>(kx) / px;
      spectrum[static_cast<size_t>(ky) * hx + kx] *= std::exp(-2.0 * pi * pi * sigma * sigma * (fx * fx + fy * fy));
    }
  }
  fftw_execute(backward.get());

  auto result = MapImage::New();
  result->SetRegions(MapImage::SizeType{ { nx, ny } });
  const double spacing[2] = { step, step };
  result->SetSpacing(spacing);
  result->Allocate();
  double sum = 0.0, sum2 = 0.0;
  for (unsigned int y = 0; y < ny; ++y)
  {
    for (unsigned int x = 0; x < nx; ++x)
    {
      const double v = field[static_cast<size_t>(y + pad) * px + (x + pad)];
      result->GetBufferPointer()[static_cast<size_t>(y) * nx + x] = v;
      sum += v;
      sum2 += v * v;
    }
  }
  const double n = static_cast<double>(nx) * ny;
  const double mean = sum / n;
  const double deviation = std::sqrt(std::max(sum2 / n - mean * mean, 1e-300));
  for (size_t i = 0; i < static_cast<size_t>(n); ++i)
  {
    double & v = result->GetBufferPointer()[i];
    v = (v - mean) / deviation;
  }
  return result;
}
} // namespace stempdf
