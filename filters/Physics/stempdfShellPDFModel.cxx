#include "stempdfShellPDFModel.h"

#include "itkMacro.h"

#include <algorithm>
#include <cmath>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.14159265358979323846;
const double     FWHMToSigma = 1.0 / (2.0 * std::sqrt(2.0 * std::log(2.0)));
constexpr double IntegrationStep = 0.002; // A
} // namespace

double
ShellPDFModel::PairCorrelation(double r) const
{
  if (!TableR.empty())
  {
    return r > 0.0 ? 1.0 + G(r) / (4.0 * Pi * NumberDensity * r) : 0.0;
  }
  double excess = 0.0;
  for (const auto & shell : Shells)
  {
    const double sigma = shell.FWHM * FWHMToSigma;
    const double d = (r - shell.Position) / sigma;
    excess += shell.Amplitude * std::exp(-0.5 * d * d);
  }
  const double hardCore = 0.5 * std::erfc((HardCoreRadius - r) / HardCoreWidth);
  return hardCore * (1.0 + excess);
}

double
ShellPDFModel::G(double r) const
{
  if (!TableR.empty())
  {
    if (r <= TableR.front() || r >= TableR.back())
    {
      return r <= TableR.front() ? TableG.front() * r / std::max(TableR.front(), 1e-12) : 0.0;
    }
    const auto   upper = std::upper_bound(TableR.begin(), TableR.end(), r);
    const size_t i = static_cast<size_t>(upper - TableR.begin());
    const double w = (r - TableR[i - 1]) / (TableR[i] - TableR[i - 1]);
    return (1.0 - w) * TableG[i - 1] + w * TableG[i];
  }
  return 4.0 * Pi * NumberDensity * r * (PairCorrelation(r) - 1.0);
}

std::vector<double>
ShellPDFModel::G(const std::vector<double> & r) const
{
  std::vector<double> g(r.size());
  for (size_t i = 0; i < r.size(); ++i)
  {
    g[i] = G(r[i]);
  }
  return g;
}

std::vector<double>
ShellPDFModel::ReducedIntensity(const std::vector<double> & s) const
{
  const auto          n = static_cast<size_t>(std::ceil(RMax / IntegrationStep));
  std::vector<double> r(n + 1);
  for (size_t j = 0; j <= n; ++j)
  {
    r[j] = j * IntegrationStep;
  }
  const std::vector<double> g = G(r);
  std::vector<double>       phi(s.size(), 0.0);
  for (size_t i = 0; i < s.size(); ++i)
  {
    // Trapezoid rule; sin(2 pi s r_j) by the recurrence
    // sin((j+1)a) = 2 cos(a) sin(ja) - sin((j-1)a), a = 2 pi s dr.
    const double a = 2.0 * Pi * s[i] * IntegrationStep;
    const double twoCos = 2.0 * std::cos(a);
    double       previous = 0.0, current = std::sin(a); // sin(0), sin(a)
    double       sum = 0.0;                             // j = 0 adds g[0] sin 0 = 0
    for (size_t j = 1; j <= n; ++j)
    {
      sum += (j == n ? 0.5 : 1.0) * g[j] * current;
      const double next = twoCos * current - previous;
      previous = current;
      current = next;
    }
    phi[i] = sum * IntegrationStep / (2.0 * Pi);
  }
  return phi;
}

std::vector<double>
ShellPDFModel::StructureFactor(const std::vector<double> & s) const
{
  std::vector<double> phi = ReducedIntensity(s);
  for (size_t i = 0; i < s.size(); ++i)
  {
    if (!(s[i] > 0.0))
    {
      itkGenericExceptionMacro(<< "S(s) needs s > 0; got s = " << s[i]);
    }
    phi[i] = 1.0 + phi[i] / s[i];
  }
  return phi;
}

ShellPDFModel
ShellPDFModel::FromPeaks(double firstPeak, double firstFWHM, double secondPeak, double shoulder, double decayLength)
{
  ShellPDFModel model;
  model.HardCoreRadius = 0.80 * firstPeak;
  const auto   fade = [&](double r) { return std::exp(-(r - firstPeak) / decayLength); };
  const double width = 0.55 + 0.3 * firstFWHM; // outer shells broaden from this width
  // g(r) excess of each shell: the first shell (g ~ 3), the deep minimum after
  // it, the split second shell, then alternating outer shells at typical
  // ratios to R1 that broaden and fade.
  model.Shells = {
    { firstPeak, firstFWHM, 2.0 * 0.65 / firstFWHM },
    { 1.34 * firstPeak, 0.8, -0.75 },
    { secondPeak, 0.75, 0.55 * fade(secondPeak) / fade(1.68 * firstPeak) },
    { shoulder, 0.6, 0.35 * fade(shoulder) / fade(1.96 * firstPeak) },
  };
  const double ratios[] = { 2.27, 2.62, 3.0, 3.42, 3.85, 4.25 };
  double       sign = -1.0;
  for (double ratio : ratios)
  {
    const double r = ratio * firstPeak;
    model.Shells.push_back({ r, width + 0.1 * (r - firstPeak), sign * 0.35 * fade(r) });
    sign = -sign;
  }
  // Put the maximum and width of G (not of g) where asked: G = 4 pi rho0 r (g - 1)
  // shifts and narrows the first Gaussian slightly.
  for (int iteration = 0; iteration < 8; ++iteration)
  {
    const Peak peak = model.FindPeak(firstPeak - 0.4, firstPeak + 0.4);
    model.Shells[0].Position += firstPeak - peak.Position;
    model.Shells[0].FWHM *= firstFWHM / peak.FWHM;
    const Peak second = model.FindPeak(secondPeak - 0.35, 0.5 * (secondPeak + shoulder));
    model.Shells[2].Position += secondPeak - second.Position;
  }
  return model;
}

ShellPDFModel
ShellPDFModel::FromTable(const std::vector<double> & r, const std::vector<double> & g, double numberDensity)
{
  if (r.size() != g.size() || r.size() < 2)
  {
    itkGenericExceptionMacro(<< "a G(r) table needs at least 2 rows of (r, G); got " << r.size() << " r and "
                             << g.size() << " G values");
  }
  for (size_t i = 0; i < r.size(); ++i)
  {
    if (!std::isfinite(r[i]) || !std::isfinite(g[i]) || r[i] < 0.0 || (i > 0 && !(r[i] > r[i - 1])))
    {
      itkGenericExceptionMacro(<< "G(r) table row " << i + 1 << " (r = " << r[i] << ", G = " << g[i]
                               << "): expected finite values with r >= 0 strictly ascending");
    }
  }
  ShellPDFModel model;
  model.NumberDensity = numberDensity;
  model.TableR = r;
  model.TableG = g;
  model.RMax = r.back();
  return model;
}

ShellPDFModel
ShellPDFModel::LiquidLike()
{
  return FromPeaks(2.53, 0.65, 4.24, 4.95, 2.6);
}

ShellPDFModel
ShellPDFModel::SolidLike()
{
  return FromPeaks(2.46, 0.48, 4.10, 4.66, 3.6);
}

ShellPDFModel
ShellPDFModel::Noise()
{
  ShellPDFModel model;
  model.NumberDensity = 0.10;
  model.HardCoreRadius = 1.2;
  model.Shells = { { 1.42, 0.25, 5.0 }, { 1.95, 0.4, -0.6 }, { 2.46, 0.45, 1.2 },
                   { 2.9, 0.5, 0.6 },   { 3.5, 0.9, -0.3 },  { 4.2, 1.0, 0.2 } };
  return model;
}

ShellPDFModel::Peak
ShellPDFModel::FindPeak(double rMin, double rMax) const
{
  const double step = 0.001;
  double       best = rMin;
  double       bestValue = G(rMin);
  for (double r = rMin; r <= rMax; r += step)
  {
    const double value = G(r);
    if (value > bestValue)
    {
      best = r;
      bestValue = value;
    }
  }
  // Parabola through the three samples around the maximum.
  const double gm = G(best - step), g0 = bestValue, gp = G(best + step);
  const double denominator = gm - 2.0 * g0 + gp;
  const double position = denominator < 0.0 ? best + 0.5 * step * (gm - gp) / denominator : best;
  const double peak = G(position);
  // Half-maximum crossings on either side (above the local baseline 0).
  double left = position, right = position;
  while (left > 0.0 && G(left) > 0.5 * peak)
  {
    left -= step;
  }
  while (right < RMax && G(right) > 0.5 * peak)
  {
    right += step;
  }
  return { position, right - left };
}
} // namespace stempdf
