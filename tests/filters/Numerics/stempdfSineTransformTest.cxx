// Known answers for SineTransform, G(r) = 8 pi integral phi(s) sin(2 pi s r) ds:
// the quadrature weights, a step function (exact identity of the midpoint
// rule) and a Gaussian-windowed sine (closed form, to roundoff), second order
// on a non-uniform grid, linearity, bit-identical results for any grouping
// of the curves, g(r) and its value at r = 0, and refused input.
#include "stempdfSineTransform.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingSamples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace
{
using stempdf::SineTransform;
using Matrix = SineTransform::RowMajorMatrix;
using stempdf::testing::BinCentres;
using stempdf::testing::ExpectError;
using stempdf::testing::ThrownDescription;
using stempdf::testing::UniformSamples;
constexpr double Pi = 3.14159265358979323846;

Matrix
Apply(const SineTransform & transform, const Matrix & phi)
{
  Matrix G(phi.rows(), static_cast<Eigen::Index>(transform.GetR().size()));
  transform.Apply(phi, G);
  return G;
}

Matrix
Curve(const std::vector<double> & s, double (*f)(double))
{
  Matrix phi(1, static_cast<Eigen::Index>(s.size()));
  for (size_t j = 0; j < s.size(); ++j)
  {
    phi(0, static_cast<Eigen::Index>(j)) = f(s[j]);
  }
  return phi;
}

// phi = exp(-(s / sigma)^2) sin(2 pi s R): over [0, inf) its transform is
// G(r) = 2 pi^(3/2) sigma [exp(-(pi sigma (r - R))^2) - exp(-(pi sigma (r + R))^2)].
constexpr double Sigma = 0.7, R0 = 2.5;
double
WindowedSine(double s)
{
  return std::exp(-(s / Sigma) * (s / Sigma)) * std::sin(2.0 * Pi * s * R0);
}
double
WindowedSineG(double r)
{
  const double a = Pi * Sigma * (r - R0), b = Pi * Sigma * (r + R0);
  return 2.0 * std::pow(Pi, 1.5) * Sigma * (std::exp(-a * a) - std::exp(-b * b));
}
} // namespace

TEST(SineTransform, WeightsAreBinWidthsOnAUniformGridAndCellWidthsOtherwise)
{
  const auto uniform = SineTransform::QuadratureWeights(BinCentres(0.25, 1.6, 94));
  for (const double w : uniform)
  {
    EXPECT_NEAR(w, 1.35 / 94, 1e-15);
  }
  // Non-uniform: cells between the midpoints; the end cells reach as far out as in.
  const std::vector<double> s{ 0.2, 0.3, 0.6, 0.65, 1.0 };
  const auto                w = SineTransform::QuadratureWeights(s);
  const std::vector<double> expected{ 0.1, 0.2, 0.175, 0.2, 0.35 };
  ASSERT_EQ(w.size(), expected.size());
  double sum = 0.0;
  for (size_t j = 0; j < w.size(); ++j)
  {
    EXPECT_NEAR(w[j], expected[j], 1e-15) << "sample " << j;
    sum += w[j];
  }
  EXPECT_NEAR(sum, (1.0 - 0.2) + 0.5 * (0.1 + 0.35), 1e-15) << "the cells cover [0.15, 1.175]";
}

TEST(SineTransform, KernelIsEightPiWeightSine)
{
  const auto          s = BinCentres(0.25, 1.6, 94);
  const auto          r = UniformSamples(0.0, 0.01, 1001);
  const SineTransform transform(s, r);
  const auto          K = transform.GetKernel();
  ASSERT_EQ(K.rows(), 1001);
  ASSERT_EQ(K.cols(), 94);
  const double w = 1.35 / 94;
  for (Eigen::Index m = 0; m < K.rows(); m += 37)
  {
    for (Eigen::Index j = 0; j < K.cols(); ++j)
    {
      EXPECT_NEAR(K(m, j), 8.0 * Pi * w * std::sin(2.0 * Pi * s[j] * r[m]), 1e-14) << "r " << r[m] << ", s " << s[j];
    }
  }
}

TEST(SineTransform, StepFunctionIsTheMidpointRuleExactly)
{
  // phi = 1 on [s0, s1]: G(r) = 8 pi [cos(2 pi s0 r) - cos(2 pi s1 r)] / (2 pi r).
  // The midpoint sum of sin(2 pi s r) over n whole bins of width h is the
  // exact integral times x / sin(x), x = pi r h (sum of a geometric series):
  // that identity holds to roundoff, and x / sin(x) - 1 is the quadrature
  // error of a phi with jumps at the ends: 0.3 % at r = 3 A, 3.5 % at 10 A.
  const double        s0 = 0.25, s1 = 3.0;
  const unsigned int  n = 192; // h = 0.014323 1/A, the paper's pixel
  const double        h = (s1 - s0) / n;
  const auto          r = UniformSamples(0.0, 0.01, 1001);
  const SineTransform transform(BinCentres(s0, s1, n), r);
  const Matrix        G = Apply(transform, Matrix::Ones(1, n));
  EXPECT_EQ(G(0, 0), 0.0);
  double largest = 0.0;
  for (size_t m = 1; m < r.size(); ++m)
  {
    const double exact =
      8.0 * Pi * (std::cos(2.0 * Pi * s0 * r[m]) - std::cos(2.0 * Pi * s1 * r[m])) / (2.0 * Pi * r[m]);
    const double x = Pi * r[m] * h;
    EXPECT_NEAR(G(0, m), exact * x / std::sin(x), 1e-11) << "r = " << r[m];
    EXPECT_LE(std::abs(G(0, m) - exact), (x / std::sin(x) - 1.0) * std::abs(exact) + 1e-11) << "r = " << r[m];
    largest = std::max(largest, std::abs(exact));
  }
  EXPECT_GT(largest, 20.0); // the comparison is not trivially small

  // The trapezoid rule on the same samples (half weights at the ends: it
  // integrates over [s_0, s_n] only) breaks that bound at most r.
  std::vector<double> trapezoid(n, h);
  trapezoid.front() = trapezoid.back() = 0.5 * h;
  const Matrix GTrapezoid = Apply(SineTransform(BinCentres(s0, s1, n), trapezoid, r), Matrix::Ones(1, n));
  int          outside = 0;
  for (size_t m = 1; m <= 300; ++m)
  {
    const double exact =
      8.0 * Pi * (std::cos(2.0 * Pi * s0 * r[m]) - std::cos(2.0 * Pi * s1 * r[m])) / (2.0 * Pi * r[m]);
    const double x = Pi * r[m] * h;
    outside += std::abs(GTrapezoid(0, m) - exact) > (x / std::sin(x) - 1.0) * std::abs(exact) + 1e-11;
  }
  EXPECT_GT(outside, 200) << "of 300 r samples up to 3 A";
}

TEST(SineTransform, GaussianWindowedSineMatchesItsClosedFormToRoundoff)
{
  // phi is even-extendable at s = 0 and negligible (< 1e-14) at s = 4, so the
  // midpoint rule has no end corrections: only roundoff is left.
  const auto          r = UniformSamples(0.0, 0.01, 1001);
  const auto          s = BinCentres(0.0, 4.0, 279); // h = 0.014337
  const SineTransform transform(s, r);
  const Matrix        G = Apply(transform, Curve(s, WindowedSine));
  double              largest = 0.0, error = 0.0;
  for (size_t m = 0; m < r.size(); ++m)
  {
    largest = std::max(largest, std::abs(WindowedSineG(r[m])));
    error = std::max(error, std::abs(G(0, m) - WindowedSineG(r[m])));
  }
  EXPECT_GT(largest, 7.0);
  EXPECT_LT(error, 1e-12 * largest) << "largest error " << error;
  // A factor wrong by one part in 10^6 would show:
  EXPECT_NEAR(G(0, 250), WindowedSineG(2.5), 1e-6 * WindowedSineG(2.5));
}

TEST(SineTransform, NonUniformGridIsSecondOrder)
{
  // Samples crowded at low s (s = 4 t^1.5, t the bin centres of [0, 1]):
  // the error against the closed form falls 4x per halving of the spacing.
  const auto r = UniformSamples(0.0, 0.05, 201);
  double     previous = 0.0;
  for (const unsigned int n : { 200u, 400u, 800u })
  {
    std::vector<double> s = BinCentres(0.0, 1.0, n);
    for (double & value : s)
    {
      value = 4.0 * std::pow(value, 1.5);
    }
    const SineTransform transform(s, r);
    const Matrix        G = Apply(transform, Curve(s, WindowedSine));
    double              error = 0.0;
    for (size_t m = 0; m < r.size(); ++m)
    {
      error = std::max(error, std::abs(G(0, m) - WindowedSineG(r[m])));
    }
    if (n == 200)
    {
      EXPECT_LT(error, 1e-3) << "n = " << n; // 6.1e-4 measured
    }
    else
    {
      EXPECT_GT(previous / error, 3.5) << "n = " << n << ": error " << error << " after " << previous;
      EXPECT_LT(previous / error, 4.5) << "n = " << n << ": error " << error << " after " << previous;
    }
    previous = error;
  }
}

TEST(SineTransform, IsLinear)
{
  const auto                       s = BinCentres(0.25, 1.6, 94);
  const SineTransform              transform(s, UniformSamples(0.0, 0.01, 1001));
  std::mt19937                     random(11);
  std::normal_distribution<double> normal;
  Matrix                           phi1(5, 94), phi2(5, 94);
  for (Eigen::Index i = 0; i < phi1.size(); ++i)
  {
    phi1.data()[i] = normal(random);
    phi2.data()[i] = normal(random);
  }
  const double a = 0.37, b = -2.1;
  const Matrix G1 = Apply(transform, phi1), G2 = Apply(transform, phi2);
  const Matrix G = Apply(transform, a * phi1 + b * phi2);
  const double scale = (a * G1).cwiseAbs().maxCoeff() + (b * G2).cwiseAbs().maxCoeff();
  EXPECT_LE((G - (a * G1 + b * G2)).cwiseAbs().maxCoeff(), 1e-12 * scale);
}

TEST(SineTransform, AnyGroupingOfCurvesGivesTheSameValues)
{
  const auto                             s = BinCentres(0.25, 1.6, 94);
  const SineTransform                    transform(s, UniformSamples(0.0, 0.01, 1001));
  const auto                             K = transform.GetKernel();
  std::mt19937                           random(5);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Matrix                                 phi(23, 94);
  for (Eigen::Index i = 0; i < phi.size(); ++i)
  {
    phi.data()[i] = uniform(random);
  }
  const Matrix all = Apply(transform, phi);
  // Against a plain sum.
  for (Eigen::Index i = 0; i < phi.rows(); ++i)
  {
    for (Eigen::Index m = 0; m < all.cols(); ++m)
    {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < phi.cols(); ++j)
      {
        sum += K(m, j) * phi(i, j);
      }
      ASSERT_NEAR(all(i, m), sum, 1e-12) << "curve " << i << ", r sample " << m;
    }
  }
  // Curves in groups of every size, and rows with a stride.
  for (Eigen::Index group = 1; group <= 8; ++group)
  {
    Matrix part(phi.rows(), all.cols());
    for (Eigen::Index first = 0; first < phi.rows(); first += group)
    {
      const Eigen::Index rows = std::min(group, phi.rows() - first);
      Matrix             G(rows, all.cols());
      transform.Apply(phi.middleRows(first, rows), G);
      part.middleRows(first, rows) = G;
    }
    // Eigen's product sums in another order for other shapes: equal to rounding.
    ASSERT_LT((part - all).cwiseAbs().maxCoeff(), 1e-12 * all.cwiseAbs().maxCoeff()) << "groups of " << group;
  }
  Matrix wide = Matrix::Zero(phi.rows(), 1100);
  transform.Apply(phi, wide.leftCols(1001));
  ASSERT_LT((wide.leftCols(1001) - all).cwiseAbs().maxCoeff(), 1e-12 * all.cwiseAbs().maxCoeff()) << "strided output";
  Matrix paddedPhi = Matrix::Zero(phi.rows(), 100);
  paddedPhi.leftCols(94) = phi;
  Matrix G(phi.rows(), 1001);
  transform.Apply(paddedPhi.leftCols(94), G);
  ASSERT_LT((G - all).cwiseAbs().maxCoeff(), 1e-12 * all.cwiseAbs().maxCoeff()) << "strided input";
}

TEST(SineTransform, PairCorrelationIsTheFormulaAndItsLimitAtZero)
{
  const auto                             s = BinCentres(0.25, 1.6, 94);
  const auto                             r = UniformSamples(0.0, 0.01, 1001);
  const SineTransform                    transform(s, r);
  std::mt19937                           random(3);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Matrix                                 phi(3, 94);
  for (Eigen::Index i = 0; i < phi.size(); ++i)
  {
    phi.data()[i] = uniform(random);
  }
  const double rho0 = 0.085;
  const Matrix G = Apply(transform, phi);
  Matrix       g(3, 1001);
  transform.PairCorrelation(phi, G, rho0, g);
  const SineTransform nearZero(s, { 0.0, 1e-7 });
  const Matrix        GNearZero = Apply(nearZero, phi);
  Matrix              gNearZero(3, 2);
  nearZero.PairCorrelation(phi, GNearZero, rho0, gNearZero);
  for (Eigen::Index i = 0; i < phi.rows(); ++i)
  {
    for (Eigen::Index m = 1; m < 1001; ++m)
    {
      ASSERT_EQ(g(i, m), 1.0 + G(i, m) / (4.0 * Pi * r[m] * rho0)) << "curve " << i << ", r " << r[m];
    }
    double moment = 0.0;
    for (Eigen::Index j = 0; j < 94; ++j)
    {
      moment += (1.35 / 94) * s[j] * phi(i, j);
    }
    EXPECT_NEAR(g(i, 0), 1.0 + 4.0 * Pi / rho0 * moment, 1e-12 * std::abs(4.0 * Pi / rho0 * moment));
    EXPECT_EQ(gNearZero(i, 0), g(i, 0));
    // The limit: g at r = 1e-7 A differs by O(r^2).
    EXPECT_NEAR(gNearZero(i, 1), g(i, 0), 1e-6 * std::abs(g(i, 0) - 1.0)) << "curve " << i;
    EXPECT_TRUE(g.row(i).allFinite());
  }
  ExpectError([&] { transform.PairCorrelation(phi, G, 0.0, g); }, { "the number density is 0" });
  ExpectError([&] { transform.PairCorrelation(phi, G, -0.1, g); }, { "expected atoms / A^3 (> 0)" });
}

TEST(SineTransform, BadSamplesAndShapesAreRefused)
{
  const auto r = UniformSamples(0.0, 0.1, 11);
  ExpectError([&] { SineTransform({ 0.3, 0.2, 0.4 }, r); }, { "s sample 1 is 0.2 after 0.3" });
  ExpectError([&] { SineTransform({ 0.3, NAN }, r); }, { "s sample 1 is nan" });
  ExpectError([&] { SineTransform({ 0.3, 0.4 }, { 1.0, INFINITY }); }, { "r sample 1 is inf" });
  ExpectError([&] { SineTransform({ 0.3 }, r); }, { "one s sample has no spacing" });
  ExpectError([&] { SineTransform({ 0.3, 0.4 }, { 0.1 }, r); }, { "1 quadrature weights for 2 s samples" });
  ExpectError([&] { SineTransform({}, r); }, { "no s samples" });
  EXPECT_EQ(ThrownDescription([&] { SineTransform({ 0.3 }, { 0.1 }, r); }), "") << "one sample with its bin width";

  const SineTransform transform({ 0.3, 0.4, 0.5 }, r);
  Matrix              phi(2, 3), G(2, 10);
  ExpectError([&] { transform.Apply(phi, G); }, { "phi is 2 x 3 and G 2 x 10" });
}
