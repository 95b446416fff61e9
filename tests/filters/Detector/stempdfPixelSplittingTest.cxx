// Exact pixel-splitting weights: polygon-disk areas against closed forms and
// sampling; weights against annulus areas, conservation, the simulator's
// s(x, y) convention, a flat field and a known radial integral.
#include "stempdfPixelSplitting.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <string>

namespace
{
constexpr double Pi = 3.141592653589793238462643383279502884;
using Polygon = std::vector<std::array<double, 2>>;
using Weights = Eigen::SparseMatrix<double, Eigen::RowMajor>;

Polygon
Rectangle(double x0, double y0, double x1, double y1)
{
  return { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
}

bool
InsidePolygon(const Polygon & polygon, double x, double y) // convex, counter-clockwise
{
  for (size_t i = 0; i < polygon.size(); ++i)
  {
    const auto & a = polygon[i];
    const auto & b = polygon[(i + 1) % polygon.size()];
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < 0.0)
    {
      return false;
    }
  }
  return true;
}

// s at a detector point, written independently with the simulator's formula
// (stempdfAmorphousScanSimulator.cxx).
double
SAt(const stempdf::AzimuthalGeometry & g, double x, double y)
{
  const double angle = g.EllipseAngle * Pi / 180.0;
  const double c = std::cos(angle), s = std::sin(angle);
  const double dx = x - g.CenterX, dy = y - g.CenterY;
  const double u = c * dx + s * dy, v = -s * dx + c * dy;
  return g.PixelSize * std::sqrt(u * u / g.EllipseRatio + v * v * g.EllipseRatio);
}

stempdf::AzimuthalGeometry
Geometry(unsigned int k, double cx, double cy, double e = 1.0, double angle = 0.0, double pixelSize = 0.01433)
{
  stempdf::AzimuthalGeometry g;
  g.CenterX = cx;
  g.CenterY = cy;
  g.PixelSize = pixelSize;
  g.EllipseRatio = e;
  g.EllipseAngle = angle;
  g.DetectorWidth = k;
  g.DetectorHeight = k;
  return g;
}

Eigen::VectorXd
ColumnSums(const Weights & w)
{
  return Eigen::RowVectorXd::Ones(w.rows()) * w;
}

Eigen::VectorXd
RowSums(const Weights & w)
{
  return w * Eigen::VectorXd::Ones(w.cols());
}

// Range of s over pixel p's square, from 64 samples per edge (the maximum is at a
// corner, exact; the minimum is approached from above to ~1e-4 px).
std::pair<double, double>
SampledSRange(const stempdf::AzimuthalGeometry & g, unsigned int kx, unsigned int ky)
{
  double       lo = INFINITY, hi = 0.0;
  const double x0 = kx - 0.5, y0 = ky - 0.5;
  for (int i = 0; i <= 64; ++i)
  {
    const double t = i / 64.0;
    for (const auto & [x, y] :
         { std::pair{ x0 + t, y0 }, std::pair{ x0 + t, y0 + 1 }, std::pair{ x0, y0 + t }, std::pair{ x0 + 1, y0 + t } })
    {
      const double s = SAt(g, x, y);
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
  }
  return { lo, hi };
}
} // namespace

// ---------------------------------------------------------------- polygon ∩ disk

TEST(PolygonDiskIntersectionArea, ClosedForms)
{
  using stempdf::PolygonDiskIntersectionArea;
  // Square fully inside: its area.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(0.1, -0.3, 0.6, 0.2), 2.0), 0.25, 1e-15);
  // Fully outside (not containing the origin): 0.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(3.0, 1.0, 4.0, 2.5), 2.0), 0.0, 1e-15);
  // Disk inside a big square: pi R^2.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(-5.0, -4.0, 6.0, 3.0), 1.7), Pi * 1.7 * 1.7, 1e-13);
  // Unit square about the origin: inscribed disk pi/4; circumscribed disk 1.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(-0.5, -0.5, 0.5, 0.5), 0.5), Pi / 4.0, 1e-12);
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(-0.5, -0.5, 0.5, 0.5), std::sqrt(2.0) / 2.0), 1.0, 1e-12);
  // Origin on an edge: half-plane [0, 2] x [-1, 1] with R = 1 -> half disk.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(0.0, -1.0, 2.0, 1.0), 1.0), Pi / 2.0, 1e-12);
  // Origin at a vertex: quarter disk.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(0.0, 0.0, 3.0, 3.0), 1.3), Pi * 1.3 * 1.3 / 4.0, 1e-12);
  // Circular segment: x >= d (with the rest of the square far away), area R^2 acos(d/R) - d sqrt(R^2 - d^2).
  for (double d : { 0.1, 0.5, 0.9, 0.999 })
  {
    const double r = 1.0;
    EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(d, -3.0, d + 4.0, 3.0), r),
                r * r * std::acos(d / r) - d * std::sqrt(r * r - d * d),
                1e-12)
      << "d = " << d;
  }
  // Tangent edge: square touching the circle at one point -> 0; containing it -> 1.
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(1.0, -0.5, 2.0, 0.5), 1.0), 0.0, 1e-15);
  EXPECT_NEAR(PolygonDiskIntersectionArea(Rectangle(-0.5, -0.5, 0.5, 0.5), 0.5 * std::sqrt(2.0) + 1e-9), 1.0, 1e-12);
  // Radius 0 and fewer than 3 vertices -> 0; clockwise order gives the same area.
  EXPECT_EQ(PolygonDiskIntersectionArea(Rectangle(-1.0, -1.0, 1.0, 1.0), 0.0), 0.0);
  EXPECT_EQ(PolygonDiskIntersectionArea({ { 0.0, 0.0 }, { 1.0, 0.0 } }, 1.0), 0.0);
  Polygon clockwise = Rectangle(0.0, -1.0, 2.0, 1.0);
  std::reverse(clockwise.begin(), clockwise.end());
  EXPECT_NEAR(PolygonDiskIntersectionArea(clockwise, 1.0), Pi / 2.0, 1e-12);
}

TEST(PolygonDiskIntersectionArea, IsAdditiveOverAPolygonCutInTwo)
{
  // Cutting a square by a chord (not through the origin) and by a line through
  // the origin: the two parts' areas add up to the whole (exact identity).
  const Polygon whole = Rectangle(-0.8, -1.1, 1.3, 0.7);
  const Polygon left = { { -0.8, -1.1 }, { 0.4, -1.1 }, { -0.1, 0.7 }, { -0.8, 0.7 } };
  const Polygon right = { { 0.4, -1.1 }, { 1.3, -1.1 }, { 1.3, 0.7 }, { -0.1, 0.7 } };
  const Polygon lower = { { -0.8, -1.1 }, { 1.3, -1.1 }, { 1.3, 1.3 * 0.3 }, { -0.8, -0.8 * 0.3 } };
  const Polygon upper = { { -0.8, -0.8 * 0.3 }, { 1.3, 1.3 * 0.3 }, { 1.3, 0.7 }, { -0.8, 0.7 } };
  for (double r : { 0.05, 0.3, 0.75, 0.95, 1.2, 1.5, 2.0 })
  {
    const double a = stempdf::PolygonDiskIntersectionArea(whole, r);
    EXPECT_NEAR(
      stempdf::PolygonDiskIntersectionArea(left, r) + stempdf::PolygonDiskIntersectionArea(right, r), a, 1e-14)
      << "R = " << r;
    EXPECT_NEAR(
      stempdf::PolygonDiskIntersectionArea(lower, r) + stempdf::PolygonDiskIntersectionArea(upper, r), a, 1e-14)
      << "R = " << r;
  }
}

TEST(PolygonDiskIntersectionArea, MatchesMonteCarloOnRandomPolygons)
{
  // Convex polygons: 3..8 sorted random angles on a circle of random centre and
  // radius. 400k uniform samples in the bounding box; tolerance 5 sigma of the
  // binomial estimate (plus a floor for near-empty cases).
  std::mt19937_64                        random(20240611);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const int                              samples = 400000;
  for (int trial = 0; trial < 20; ++trial)
  {
    const int           n = 3 + static_cast<int>(uniform(random) * 6);
    const double        cx = -1.5 + 3.0 * uniform(random), cy = -1.5 + 3.0 * uniform(random);
    const double        size = 0.3 + 1.7 * uniform(random);
    const double        radius = 0.2 + 2.0 * uniform(random);
    std::vector<double> angles(n);
    for (auto & a : angles)
    {
      a = 2.0 * Pi * uniform(random);
    }
    std::sort(angles.begin(), angles.end());
    Polygon polygon;
    double  x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (double a : angles)
    {
      polygon.push_back({ cx + size * std::cos(a), cy + size * std::sin(a) });
      x0 = std::min(x0, polygon.back()[0]);
      x1 = std::max(x1, polygon.back()[0]);
      y0 = std::min(y0, polygon.back()[1]);
      y1 = std::max(y1, polygon.back()[1]);
    }
    int hits = 0;
    for (int i = 0; i < samples; ++i)
    {
      const double x = x0 + (x1 - x0) * uniform(random), y = y0 + (y1 - y0) * uniform(random);
      if (x * x + y * y <= radius * radius && InsidePolygon(polygon, x, y))
      {
        ++hits;
      }
    }
    const double box = (x1 - x0) * (y1 - y0);
    const double fraction = static_cast<double>(hits) / samples;
    const double sigma = box * std::sqrt(std::max(fraction * (1.0 - fraction), 1.0 / samples) / samples);
    EXPECT_NEAR(stempdf::PolygonDiskIntersectionArea(polygon, radius), box * fraction, 5.0 * sigma)
      << "trial " << trial << ": " << n << " vertices, R = " << radius;
  }
}

// ---------------------------------------------------------------- weights

TEST(PixelSplittingWeights, SinglePixelKnownAnswers)
{
  // Centre on pixel (4, 4); bin edges at 0, 0.5, 1 px.
  const auto    g = Geometry(9, 4.0, 4.0, 1.0, 0.0, 0.02);
  const Weights w = stempdf::ComputePixelSplittingWeights(g, 0.0, 0.02, 2);
  const int     centre = 4 * 9 + 4, right = 4 * 9 + 5, diagonal = 5 * 9 + 5;
  // Centre pixel: inscribed disk pi/4 in bin 0, the rest of the disk of radius 1 in bin 1.
  EXPECT_NEAR(w.coeff(0, centre), Pi / 4.0, 1e-12);
  EXPECT_NEAR(w.coeff(1, centre), 1.0 - Pi / 4.0, 1e-12);
  // [0.5, 1.5] x [-0.5, 0.5] inside R = 1: sqrt(3)/4 - 1/2 + pi/6; nothing inside R = 0.5 (tangent).
  EXPECT_EQ(w.coeff(0, right), 0.0);
  EXPECT_NEAR(w.coeff(1, right), std::sqrt(3.0) / 4.0 - 0.5 + Pi / 6.0, 1e-12);
  // [0.5, 1.5]^2 inside R = 1: integral of sqrt(1 - x^2) - 1/2 over [1/2, sqrt(3)/2].
  const double a = 0.5, b = std::sqrt(3.0) / 2.0;
  const auto   primitive = [](double x) { return 0.5 * (x * std::sqrt(1.0 - x * x) + std::asin(x)) - 0.5 * x; };
  EXPECT_NEAR(w.coeff(1, diagonal), primitive(b) - primitive(a), 1e-12);
  EXPECT_EQ(w.coeff(0, diagonal), 0.0);
  EXPECT_EQ(w.rows(), 2);
  EXPECT_EQ(w.cols(), 81);
}

TEST(PixelSplittingWeights, TotalWeightIsTheAnnulusArea)
{
  // R from 5 to 50 px, fully on a 128 x 128 detector (off-centre); circular and
  // elliptical (area preserving: pi (R2^2 - R1^2) too).
  for (const auto & g :
       { Geometry(128, 64.2, 63.7), Geometry(128, 64.2, 63.7, 1.2, 30.0), Geometry(128, 61.9, 66.3, 0.8, -70.0) })
  {
    const double  r1 = 5.0, r2 = 50.0;
    const Weights w = stempdf::ComputePixelSplittingWeights(g, r1 * g.PixelSize, r2 * g.PixelSize, 45);
    const double  expected = Pi * (r2 * r2 - r1 * r1);
    EXPECT_NEAR(w.sum(), expected, 1e-9 * expected) << "e = " << g.EllipseRatio;
    // Each bin (1 px wide) holds its own annulus.
    const Eigen::VectorXd rows = RowSums(w);
    for (int b = 0; b < 45; ++b)
    {
      const double lo = r1 + b, hi = r1 + b + 1;
      EXPECT_NEAR(rows[b], Pi * (hi * hi - lo * lo), 1e-10 * expected) << "bin " << b;
    }
    const Eigen::VectorXd columns = ColumnSums(w);
    EXPECT_LE(columns.maxCoeff(), 1.0 + 1e-12);
    EXPECT_GE(Eigen::VectorXd(w.coeffs()).minCoeff(), 0.0);
  }
}

TEST(PixelSplittingWeights, FollowsTheSimulatorConvention)
{
  // A strong, off-centre ellipse: for every pixel, the bin of s at the pixel's
  // centre (simulator formula) has weight, and every bin with weight overlaps
  // the pixel's sampled s range. A wrong sign of the angle or an inverted
  // ratio fails this.
  const auto    g = Geometry(96, 41.3, 52.8, 1.3, 25.0);
  const double  sMin = 0.1, sMax = 0.6;
  const int     n = 50;
  const double  width = (sMax - sMin) / n;
  const Weights w = stempdf::ComputePixelSplittingWeights(g, sMin, sMax, n);
  int           checked = 0;
  for (unsigned int y = 0; y < 96; ++y)
  {
    for (unsigned int x = 0; x < 96; ++x)
    {
      const int    p = static_cast<int>(y * 96 + x);
      const double s = SAt(g, x, y);
      const auto   range = SampledSRange(g, x, y);
      if (s > sMin && s < sMax)
      {
        const int b = static_cast<int>((s - sMin) / width);
        EXPECT_GT(w.coeff(b, p), 0.0) << "pixel (" << x << ", " << y << "), s = " << s;
        ++checked;
      }
      for (int b = 0; b < n; ++b)
      {
        if (w.coeff(b, p) > 0.0)
        {
          EXPECT_LT(range.first - 1e-4 * g.PixelSize, sMin + (b + 1) * width);
          EXPECT_GT(range.second, sMin + b * width);
        }
      }
    }
  }
  EXPECT_GT(checked, 2000);
}

TEST(PixelSplittingWeights, PixelsInsideOneBinOrTheRangeHaveWeightOne)
{
  // Wide bins (9 px): pixels whose whole s range lies inside one bin have exactly
  // one weight, 1; pixels inside [sMin, sMax) have weights adding up to 1; a
  // pixel straddling sMin keeps its area above sMin (sub-sampled estimate).
  const auto                  g = Geometry(128, 64.2, 63.7, 1.1, 40.0);
  const double                sMin = 5.0 * g.PixelSize, sMax = 50.0 * g.PixelSize, width = (sMax - sMin) / 5;
  const Weights               w = stempdf::ComputePixelSplittingWeights(g, sMin, sMax, 5);
  const Eigen::VectorXd       columns = ColumnSums(w);
  Eigen::SparseMatrix<double> wc(w);
  int                         insideBin = 0, insideRange = 0, straddling = 0;
  for (unsigned int y = 0; y < 128; ++y)
  {
    for (unsigned int x = 0; x < 128; ++x)
    {
      const int p = static_cast<int>(y * 128 + x);
      const auto [lo, hi] = SampledSRange(g, x, y);
      const double margin = 1e-3 * g.PixelSize;
      if (lo - margin > sMin && hi < sMax)
      {
        ++insideRange;
        EXPECT_NEAR(columns[p], 1.0, 1e-12) << "pixel (" << x << ", " << y << ")";
        const int b = static_cast<int>((lo - sMin) / width);
        if (hi < sMin + (b + 1) * width && lo - margin > sMin + b * width)
        {
          ++insideBin;
          EXPECT_EQ(wc.col(p).nonZeros(), 1);
          EXPECT_EQ(w.coeff(b, p), 1.0) << "pixel (" << x << ", " << y << ")";
        }
      }
      else if (lo < sMin && hi > sMin && straddling < 40)
      {
        ++straddling;
        // Area of the pixel above sMin by 200 x 200 sub-sampling.
        int above = 0;
        for (int i = 0; i < 200; ++i)
        {
          for (int j = 0; j < 200; ++j)
          {
            above += SAt(g, x - 0.5 + (i + 0.5) / 200, y - 0.5 + (j + 0.5) / 200) >= sMin;
          }
        }
        EXPECT_NEAR(columns[p], above / 40000.0, 2e-3) << "pixel (" << x << ", " << y << ")";
      }
    }
  }
  EXPECT_GT(insideBin, 1000);
  EXPECT_GT(insideRange, 5000);
  EXPECT_EQ(straddling, 40);
}

TEST(PixelSplittingWeights, WholeDetectorAndCentrePixel)
{
  // sMin = 0 and sMax beyond every corner: every column (including the pixel
  // holding the centre) adds up to 1, the total to the number of pixels.
  const auto            g = Geometry(40, 19.7, 20.2, 1.25, 110.0);
  const Weights         w = stempdf::ComputePixelSplittingWeights(g, 0.0, 40.0 * g.PixelSize, 37);
  const Eigen::VectorXd columns = ColumnSums(w);
  EXPECT_NEAR(columns.minCoeff(), 1.0, 1e-12);
  EXPECT_NEAR(columns.maxCoeff(), 1.0, 1e-12);
  EXPECT_NEAR(w.sum(), 1600.0, 1e-9);
  // The centre pixel (20, 20) contains s = 0: its weight in bin 0 is the area of
  // an ellipse-mapped disk of radius 40/37 px clipped by the pixel, > 0.
  EXPECT_GT(w.coeff(0, 20 * 40 + 20), 0.5);
}

TEST(PixelSplittingWeights, FlatFieldGivesOneInEveryBin)
{
  const auto                 g = Geometry(128, 70.4, 58.1, 1.03, 25.0);
  std::vector<unsigned char> mask(128 * 128, 0);
  std::mt19937               random(3);
  for (auto & m : mask)
  {
    m = random() % 10 == 0; // 10 % dead pixels
  }
  for (unsigned int y = 0; y < 128; ++y) // a beam-stop arm
  {
    for (unsigned int x = 70; x < 128; ++x)
    {
      if (std::abs(static_cast<double>(y) - 58.0) < 4.0)
      {
        mask[y * 128 + x] = 2;
      }
    }
  }
  const Eigen::VectorXd flat = Eigen::VectorXd::Ones(128 * 128);
  // The range runs past the detector edge (R up to ~105 px): edge bins are partial.
  const std::vector<unsigned char> * const masks[] = { nullptr, &mask };
  for (const auto * m : masks)
  {
    const Weights         w = stempdf::ComputePixelSplittingWeights(g, 0.05, 1.5, 100, m);
    const Eigen::VectorXd sums = RowSums(w);
    const Eigen::VectorXd weighted = w * flat;
    int                   nonEmpty = 0;
    for (int b = 0; b < 100; ++b)
    {
      if (sums[b] > 0.0)
      {
        ++nonEmpty;
        EXPECT_NEAR(weighted[b] / sums[b], 1.0, 1e-12) << "bin " << b;
      }
    }
    EXPECT_GT(nonEmpty, 90);
  }
}

TEST(PixelSplittingWeights, MaskedPixelsHaveNoWeight)
{
  const auto                 g = Geometry(64, 31.5, 30.2, 1.1, 10.0);
  std::vector<unsigned char> mask(64 * 64, 0);
  for (size_t p = 0; p < mask.size(); p += 7)
  {
    mask[p] = 255;
  }
  const Weights               all = stempdf::ComputePixelSplittingWeights(g, 0.0, 0.5, 40);
  const Weights               masked = stempdf::ComputePixelSplittingWeights(g, 0.0, 0.5, 40, &mask);
  Eigen::SparseMatrix<double> allColumns(all), maskedColumns(masked);
  int                         withWeight = 0;
  for (int p = 0; p < 64 * 64; ++p)
  {
    if (mask[p])
    {
      EXPECT_EQ(maskedColumns.col(p).nonZeros(), 0) << "pixel " << p;
      withWeight += allColumns.col(p).nonZeros() > 0;
    }
    else
    {
      // Unmasked columns are unchanged.
      EXPECT_EQ((Eigen::VectorXd(maskedColumns.col(p)) - Eigen::VectorXd(allColumns.col(p))).norm(), 0.0);
    }
  }
  EXPECT_GT(withWeight, 400) << "the masked pixels had weight without the mask";
}

namespace
{
// A smooth radial profile (oscillation period 0.5 1/A, about 35 px).
double
Profile(double s)
{
  return 1.0 + 0.6 * std::sin(2.0 * Pi * s / 0.5) * std::exp(-s) + 0.3 * s;
}

// Mean of Profile over the annulus between s0 and s1 (area-preserving map:
// weight 2 pi R dR), composite Simpson with 200 intervals.
double
AnnulusMean(double s0, double s1)
{
  const int n = 200;
  double    sum = 0.0;
  for (int i = 0; i <= n; ++i)
  {
    const double s = s0 + (s1 - s0) * i / n;
    sum += (i == 0 || i == n ? 1.0 : (i % 2 ? 4.0 : 2.0)) * Profile(s) * s;
  }
  const double integral = sum * (s1 - s0) / (3.0 * n);
  return integral / (0.5 * (s1 * s1 - s0 * s0));
}

void
CheckIntegration(const stempdf::AzimuthalGeometry & g, double sMin, double sMax, unsigned int n,
                 const std::vector<unsigned char> * mask)
{
  // Each pixel: the mean of Profile over its square (32 x 32 sub-samples).
  const unsigned int k = g.DetectorWidth;
  Eigen::VectorXd    pattern(k * k);
  for (unsigned int y = 0; y < k; ++y)
  {
    for (unsigned int x = 0; x < k; ++x)
    {
      double sum = 0.0;
      for (int i = 0; i < 32; ++i)
      {
        for (int j = 0; j < 32; ++j)
        {
          sum += Profile(SAt(g, x - 0.5 + (i + 0.5) / 32, y - 0.5 + (j + 0.5) / 32));
        }
      }
      pattern[y * k + x] = sum / 1024.0;
    }
  }
  const Weights         w = stempdf::ComputePixelSplittingWeights(g, sMin, sMax, n, mask);
  const Eigen::VectorXd sums = RowSums(w);
  const Eigen::VectorXd integrated = w * pattern;
  double                worst = 0.0;
  for (unsigned int b = 0; b < n; ++b)
  {
    ASSERT_GT(sums[b], 0.0) << "bin " << b;
    const double s0 = sMin + (sMax - sMin) * b / n, s1 = sMin + (sMax - sMin) * (b + 1) / n;
    const double expected = AnnulusMean(s0, s1);
    const double error = std::abs(integrated[b] / sums[b] / expected - 1.0);
    worst = std::max(worst, error);
    EXPECT_LT(error, 5e-3) << "bin " << b << " (s " << s0 << "-" << s1 << ")";
  }
  std::cout << "  e = " << g.EllipseRatio << ": largest relative error " << worst << " over " << n << " bins\n";
}
} // namespace

TEST(PixelSplittingWeights, IntegratesASmoothRadialPattern)
{
  // Off-centre, e = 1.03, theta = 25 deg, bins about one pixel wide, the whole
  // range (R 17-56 px) on the detector.
  CheckIntegration(Geometry(128, 60.3, 66.8, 1.03, 25.0), 0.25, 0.8, 40, nullptr);
}

TEST(PixelSplittingWeights, IntegratesAcrossMaskAndDetectorEdge)
{
  // A strong ellipse, a masked wedge and dead pixels, and outer annuli cut by
  // the detector edge: the bins' means are still unbiased.
  const auto                 g = Geometry(128, 60.3, 66.8, 1.3, -40.0);
  std::vector<unsigned char> mask(128 * 128, 0);
  std::mt19937               random(5);
  for (unsigned int y = 0; y < 128; ++y)
  {
    for (unsigned int x = 0; x < 128; ++x)
    {
      const double angle = std::atan2(y - 66.8, x - 60.3);
      mask[y * 128 + x] = (std::abs(angle - 1.0) < 0.3) || random() % 20 == 0;
    }
  }
  CheckIntegration(g, 0.25, 0.95, 48, &mask);
}

TEST(PixelSplittingWeights, RejectsBadParametersByName)
{
  const auto expectThrow = [](const std::string & name, auto && call) {
    stempdf::testing::ExpectError(call, { name });
  };
  const auto good = Geometry(16, 8.0, 8.0);
  using stempdf::ComputePixelSplittingWeights;
  expectThrow("numberOfBins", [&] { ComputePixelSplittingWeights(good, 0.0, 0.1, 0); });
  expectThrow("sMin", [&] { ComputePixelSplittingWeights(good, -0.01, 0.1, 10); });
  expectThrow("sMax", [&] { ComputePixelSplittingWeights(good, 0.1, 0.1, 10); });
  expectThrow("sMax", [&] { ComputePixelSplittingWeights(good, 0.2, 0.1, 10); });
  auto bad = good;
  bad.PixelSize = 0.0;
  expectThrow("PixelSize", [&] { ComputePixelSplittingWeights(bad, 0.0, 0.1, 10); });
  bad = good;
  bad.PixelSize = -0.01;
  expectThrow("PixelSize", [&] { ComputePixelSplittingWeights(bad, 0.0, 0.1, 10); });
  bad = good;
  bad.EllipseRatio = 0.0;
  expectThrow("EllipseRatio", [&] { ComputePixelSplittingWeights(bad, 0.0, 0.1, 10); });
  bad = good;
  bad.DetectorWidth = 0;
  expectThrow("DetectorWidth", [&] { ComputePixelSplittingWeights(bad, 0.0, 0.1, 10); });
  bad = good;
  bad.DetectorHeight = 0;
  expectThrow("DetectorHeight", [&] { ComputePixelSplittingWeights(bad, 0.0, 0.1, 10); });
  const std::vector<unsigned char> shortMask(16 * 16 - 1, 0);
  expectThrow("mask", [&] { ComputePixelSplittingWeights(good, 0.0, 0.1, 10, &shortMask); });
  // The good call does not throw.
  EXPECT_NO_THROW(ComputePixelSplittingWeights(good, 0.0, 0.1, 10));
}

TEST(PixelSplittingWeights, Speed256x256With100Bins)
{
  // Paper geometry: 256 x 256 px, 0.01433 1/A per px, s 0.25-1.6 in 100 bins.
  const auto    g = Geometry(256, 131.3, 124.7, 1.02, 30.0);
  const auto    start = std::chrono::steady_clock::now();
  const Weights w = stempdf::ComputePixelSplittingWeights(g, 0.25, 1.6, 100);
  const double  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "  256 x 256 px, 100 bins: " << seconds * 1e3 << " ms, " << w.nonZeros() << " weights\n";
  EXPECT_GT(w.nonZeros(), 30000);
}
