// AutocorrelationImageFilter against known answers: Gaussian random fields of
// known correlation FWHM, random (Poisson) discs of known diameter, the
// definition summed directly on a small map, an exact checkerboard, the scan
// step carried into the distances, and bad input.
#include "stempdfAutocorrelationImageFilter.h"
#include "stempdfRandomField.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

namespace
{
using Filter = stempdf::AutocorrelationImageFilter<>;
using stempdf::MapImage;
using stempdf::testing::NewFilterOn;

const double Pi = 3.14159265358979323846;

MapImage::Pointer
MakeMap(unsigned int nx, unsigned int ny, double step, const std::function<double(unsigned int, unsigned int)> & value)
{
  return stempdf::testing::MakeImage<MapImage>(nx, ny, value, step);
}

Filter::Pointer
RunFilter(const MapImage * map, double binWidth = 0.5)
{
  auto filter = NewFilterOn<Filter>(map);
  filter->SetBinWidth(binWidth);
  filter->Update();
  return filter;
}

/** Where f (decreasing from f(0) > level) first falls to level, by bisection on [0, hi]. */
double
Crossing(const std::function<double(double)> & f, double level, double hi)
{
  double lo = 0.0;
  for (int i = 0; i < 200; ++i)
  {
    const double mid = 0.5 * (lo + hi);
    (f(mid) > level ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/** Area of the intersection of two discs of diameter D at distance d. */
double
LensArea(double d, double D)
{
  const double R = 0.5 * D;
  if (d >= D)
  {
    return 0.0;
  }
  return 2.0 * R * R * std::acos(d / D) - 0.5 * d * std::sqrt(D * D - d * d);
}
} // namespace

TEST(AutocorrelationImageFilter, GaussianRandomFieldOfKnownWidth)
{
  // MakeGaussianRandomField's autocorrelation is exp(-d^2 / (2 s^2)) with
  // FWHM = 2 s sqrt(2 ln 2) = the requested correlationFWHM (8 steps here):
  // s = 3.397 steps, so FWHM = 8 and the 1/e length s sqrt(2) = 4.804 steps.
  // 256 x 256 maps, four seeds averaged: within 5 %.
  const double fwhm = 8.0;
  const double s = fwhm / (2.0 * std::sqrt(2.0 * std::log(2.0)));
  const double oneOverE = s * std::sqrt(2.0);
  double       measuredFWHM = 0.0, measuredE = 0.0;
  const int    seeds = 4;
  for (int seed = 0; seed < seeds; ++seed)
  {
    auto filter = RunFilter(stempdf::MakeGaussianRandomField(256, 256, 1.0, fwhm, 200 + seed));
    measuredFWHM += filter->GetFullWidthHalfMaximum() / seeds;
    measuredE += filter->GetOneOverELength() / seeds;
    // The exponential model does not fit a Gaussian: only finite and positive.
    EXPECT_TRUE(std::isfinite(filter->GetExponentialFitLength()));
    EXPECT_GT(filter->GetExponentialFitLength(), 0.0);
    EXPECT_NEAR(filter->GetRadialProfile().Correlation.front(), 1.0, 1e-12);
  }
  EXPECT_NEAR(measuredFWHM, fwhm, 0.05 * fwhm);
  EXPECT_NEAR(measuredE, oneOverE, 0.05 * oneOverE);
  std::cout << "Gaussian field, FWHM " << fwhm << ": measured FWHM " << measuredFWHM << ", 1/e length " << measuredE
            << " (expected " << oneOverE << ")\n";
}

TEST(AutocorrelationImageFilter, RandomDiscsOfKnownDiameter)
{
  // Poisson (Boolean) discs: centres uniform with density lambda, overlaps
  // allowed, value 1 inside any disc, 0 outside. For this model the
  // normalised autocorrelation is exact at any coverage:
  //   C(d) = (exp(lambda A(d)) - 1) / (exp(lambda pi D^2 / 4) - 1),
  // A(d) the lens area of two discs of diameter D at distance d; at low
  // coverage C(d) -> A(d) / (pi D^2 / 4), which falls to 1/2 at d = 0.404 D
  // (FWHM = 0.808 D) and to 1/e at d = 0.521 D.
  const double       D = 16.0; // steps
  const unsigned int n = 512;
  const double       coverage = 0.15;
  const double       discArea = Pi * D * D / 4.0;
  const double       lambda = -std::log(1.0 - coverage) / discArea;
  auto         model = [&](double d) { return std::expm1(lambda * LensArea(d, D)) / std::expm1(lambda * discArea); };
  auto         dilute = [&](double d) { return LensArea(d, D) / discArea; };
  const double expectedFWHM = 2.0 * Crossing(model, 0.5, D);
  const double expectedE = Crossing(model, std::exp(-1.0), D);
  EXPECT_NEAR(2.0 * Crossing(dilute, 0.5, D) / D, 0.808, 0.001);
  EXPECT_NEAR(Crossing(dilute, std::exp(-1.0), D) / D, 0.521, 0.001);

  double    measuredFWHM = 0.0, measuredE = 0.0;
  const int seeds = 2;
  for (int seed = 0; seed < seeds; ++seed)
  {
    // Centres over the map widened by D / 2 on every side, so discs cut by the edge are there too.
    std::mt19937_64                        random(31 + seed);
    const double                           side = n + D;
    std::poisson_distribution<int>         count(lambda * side * side);
    std::uniform_real_distribution<double> where(-0.5 * D, n + 0.5 * D);
    std::vector<std::pair<double, double>> centres(count(random));
    for (auto & c : centres)
    {
      c.first = where(random);
      c.second = where(random);
    }
    auto map = MakeMap(n, n, 1.0, [](unsigned int, unsigned int) { return 0.0; });
    for (const auto & c : centres)
    {
      const int x0 = std::max(0, static_cast<int>(std::floor(c.first - D / 2)));
      const int x1 = std::min(static_cast<int>(n) - 1, static_cast<int>(std::ceil(c.first + D / 2)));
      const int y0 = std::max(0, static_cast<int>(std::floor(c.second - D / 2)));
      const int y1 = std::min(static_cast<int>(n) - 1, static_cast<int>(std::ceil(c.second + D / 2)));
      for (int y = y0; y <= y1; ++y)
      {
        for (int x = x0; x <= x1; ++x)
        {
          if (std::hypot(x - c.first, y - c.second) <= D / 2)
          {
            map->GetBufferPointer()[static_cast<std::size_t>(y) * n + x] = 1.0;
          }
        }
      }
    }
    auto filter = RunFilter(map);
    measuredFWHM += filter->GetFullWidthHalfMaximum() / seeds;
    measuredE += filter->GetOneOverELength() / seeds;
  }
  EXPECT_NEAR(measuredFWHM, expectedFWHM, 0.10 * expectedFWHM);
  EXPECT_NEAR(measuredE, expectedE, 0.10 * expectedE);
  std::cout << "Poisson discs D = " << D << ", coverage " << coverage << ": FWHM " << measuredFWHM << " (expected "
            << expectedFWHM << " = " << expectedFWHM / D << " D), 1/e length " << measuredE << " (expected "
            << expectedE << ")\n";
}

TEST(AutocorrelationImageFilter, MatchesTheDefinitionSummedDirectly)
{
  // The definition, summed over every pair (O(N^4)) on a 12 x 9 map.
  const unsigned int               nx = 12, ny = 9;
  std::mt19937_64                  random(5);
  std::normal_distribution<double> normal(3.0, 2.0);
  std::vector<double>              w(nx * ny);
  for (auto & v : w)
  {
    v = normal(random);
  }
  auto   map = MakeMap(nx, ny, 1.0, [&](unsigned int x, unsigned int y) { return w[y * nx + x]; });
  auto   filter = RunFilter(map);
  double mean = 0.0;
  for (double v : w)
  {
    mean += v / (nx * ny);
  }
  double variance = 0.0;
  for (double v : w)
  {
    variance += (v - mean) * (v - mean) / (nx * ny);
  }
  const MapImage * out = filter->GetOutput();
  const int        hx = 6, hy = 4;
  ASSERT_EQ(out->GetLargestPossibleRegion().GetSize(0), 2u * hx + 1);
  ASSERT_EQ(out->GetLargestPossibleRegion().GetSize(1), 2u * hy + 1);
  double worst = 0.0;
  for (int dy = -hy; dy <= hy; ++dy)
  {
    for (int dx = -hx; dx <= hx; ++dx)
    {
      double sum = 0.0;
      int    pairs = 0;
      for (int y = 0; y < static_cast<int>(ny); ++y)
      {
        for (int x = 0; x < static_cast<int>(nx); ++x)
        {
          const int u = x + dx, v = y + dy;
          if (u >= 0 && u < static_cast<int>(nx) && v >= 0 && v < static_cast<int>(ny))
          {
            sum += (w[y * nx + x] - mean) * (w[v * nx + u] - mean);
            ++pairs;
          }
        }
      }
      ASSERT_EQ(pairs, (static_cast<int>(nx) - std::abs(dx)) * (static_cast<int>(ny) - std::abs(dy)));
      const double expected = sum / pairs / variance;
      const double got = out->GetPixel({ { dx + hx, dy + hy } });
      worst = std::max(worst, std::abs(got - expected));
    }
  }
  EXPECT_LT(worst, 1e-12);
  EXPECT_NEAR(out->GetPixel({ { hx, hy } }), 1.0, 1e-15);
  // The zero shift at physical (0, 0).
  MapImage::PointType zero;
  out->TransformIndexToPhysicalPoint({ { hx, hy } }, zero);
  EXPECT_NEAR(zero[0], 0.0, 1e-15);
  EXPECT_NEAR(zero[1], 0.0, 1e-15);
  std::cout << "12 x 9 map: largest difference to the direct sum " << worst << "\n";
}

TEST(AutocorrelationImageFilter, CheckerboardIsExactlyPlusMinusOne)
{
  // w = (-1)^(x + y) on 10 x 8: mean 0, every pair product is (-1)^(dx + dy).
  auto filter = RunFilter(MakeMap(10, 8, 1.0, [](unsigned int x, unsigned int y) { return (x + y) % 2 ? -1.0 : 1.0; }));
  const MapImage * out = filter->GetOutput();
  double           worst = 0.0;
  for (int dy = -4; dy <= 4; ++dy)
  {
    for (int dx = -5; dx <= 5; ++dx)
    {
      const double expected = (std::abs(dx + dy) % 2) ? -1.0 : 1.0;
      worst = std::max(worst, std::abs(out->GetPixel({ { dx + 5, dy + 4 } }) - expected));
    }
  }
  EXPECT_LT(worst, 1e-13);
}

TEST(AutocorrelationImageFilter, ExponentialFitRecoversAnExponentialProfile)
{
  // A profile that is exactly exp(-d / xi): the fit returns xi, the 1/e
  // length xi (to the linear interpolation), the FWHM 2 ln 2 xi.
  stempdf::RadialAutocorrelation profile;
  const double                   xi = 3.7;
  for (int i = 0; i <= 40; ++i)
  {
    profile.Distance.push_back(0.25 * i);
    profile.Correlation.push_back(std::exp(-0.25 * i / xi));
  }
  EXPECT_NEAR(profile.ExponentialFitLength(), xi, 1e-10);
  EXPECT_NEAR(profile.OneOverELength(), xi, 0.01);
  EXPECT_NEAR(profile.FullWidthHalfMaximum(), 2.0 * std::log(2.0) * xi, 0.01);
  // Points up to the first below 0.1 (d = 8.75, exp(-8.75 / 3.7) = 0.094).
  EXPECT_EQ(profile.ExponentialFitPoints(), 36u);
  // A profile that never falls below 0.1 (or 1/2): the lengths are undefined.
  stempdf::RadialAutocorrelation flat;
  flat.Distance = { 0.0, 1.0, 2.0 };
  flat.Correlation = { 1.0, 0.9, 0.8 };
  EXPECT_TRUE(std::isnan(flat.ExponentialFitLength()));
  EXPECT_TRUE(std::isnan(flat.FullWidthHalfMaximum()));
  EXPECT_TRUE(std::isnan(flat.OneOverELength()));
}

TEST(AutocorrelationImageFilter, ScanStepScalesDistancesAndLengths)
{
  auto field = stempdf::MakeGaussianRandomField(64, 48, 1.0, 5.0, 11);
  auto a = RunFilter(field);
  auto scaled = MakeMap(64, 48, 1.7, [&](unsigned int x, unsigned int y) { return field->GetPixel({ { x, y } }); });
  auto b = RunFilter(scaled);
  EXPECT_NEAR(b->GetFullWidthHalfMaximum(), 1.7 * a->GetFullWidthHalfMaximum(), 1e-12);
  EXPECT_NEAR(b->GetOneOverELength(), 1.7 * a->GetOneOverELength(), 1e-12);
  EXPECT_NEAR(b->GetExponentialFitLength(), 1.7 * a->GetExponentialFitLength(), 1e-12);
  ASSERT_EQ(a->GetRadialProfile().Distance.size(), b->GetRadialProfile().Distance.size());
  for (std::size_t i = 0; i < a->GetRadialProfile().Distance.size(); ++i)
  {
    EXPECT_NEAR(b->GetRadialProfile().Distance[i], 1.7 * a->GetRadialProfile().Distance[i], 1e-12);
    EXPECT_EQ(b->GetRadialProfile().Correlation[i], a->GetRadialProfile().Correlation[i]);
  }
  // Rings of 0.5 steps up to half the smaller side (24 steps): 49, less the
  // rings at 0.5 and 2.5 steps, which hold no shift (no |d|^2 = dx^2 + dy^2
  // in [0.25^2, 0.75^2) or [2.25^2, 2.75^2)).
  EXPECT_EQ(a->GetRadialProfile().Distance.size(), 47u);
  EXPECT_NEAR(a->GetRadialProfile().Distance.back(), 24.0, 0.25);
  const MapImage * out = b->GetOutput();
  EXPECT_DOUBLE_EQ(out->GetSpacing()[0], 1.7);
  EXPECT_DOUBLE_EQ(out->GetOrigin()[0], -32 * 1.7);
  EXPECT_DOUBLE_EQ(out->GetOrigin()[1], -24 * 1.7);
  // Wider rings: fewer of them, about the same lengths.
  auto wide = RunFilter(scaled, 1.0);
  EXPECT_EQ(wide->GetRadialProfile().Distance.size(), 25u);
  EXPECT_NEAR(wide->GetFullWidthHalfMaximum(), b->GetFullWidthHalfMaximum(), 0.1 * b->GetFullWidthHalfMaximum());
}

TEST(AutocorrelationImageFilter, BadInputIsAnErrorNamingIt)
{
  auto expectError = [](const MapImage * map, const std::string & words, double binWidth = 0.5) {
    stempdf::testing::ExpectError([&]() { RunFilter(map, binWidth); }, { words });
  };
  auto constant = MakeMap(16, 16, 1.2, [](unsigned int, unsigned int) { return 0.1; });
  constant->SetObjectName("Weight 2");
  expectError(constant, "'Weight 2'");
  expectError(constant, "constant");
  auto nan = MakeMap(16, 16, 1.2, [](unsigned int x, unsigned int y) {
    return x == 3 && y == 5 ? std::numeric_limits<double>::quiet_NaN() : x * 0.1 + y;
  });
  expectError(nan, "position (3, 5)");
  auto infinite = MakeMap(16, 16, 1.2, [](unsigned int x, unsigned int y) {
    return x == 7 && y == 0 ? std::numeric_limits<double>::infinity() : x * 0.1 + y;
  });
  expectError(infinite, "position (7, 0)");
  expectError(MakeMap(3, 16, 1.2, [](unsigned int x, unsigned int y) { return x + y; }), "at least 4 x 4");
  expectError(MakeMap(16, 16, 1.2, [](unsigned int x, unsigned int y) { return x * y; }), "BinWidth", 0.0);
  EXPECT_NO_THROW(RunFilter(MakeMap(4, 4, 1.2, [](unsigned int x, unsigned int y) { return x * y; })));
}

TEST(AutocorrelationImageFilter, ExercisesBasicObjectMethods)
{
  stempdf::testing::NewAndExercise<Filter>("AutocorrelationImageFilter",
                                           "ImageToImageFilter",
                                           { "BinWidth:", "FullWidthHalfMaximum:", "RadialProfile: 0 rings" });
}
