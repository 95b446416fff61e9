// The Gaussian-shell PDF model: its sine transform against the closed form,
// the paper's peak positions, and g(r) >= 0.
#include "stempdfShellPDFModel.h"

#include "itkMacro.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
constexpr double Pi = 3.14159265358979323846;
}

TEST(ShellPDFModel, SineTransformOfOneShellMatchesTheClosedForm)
{
  // With no hard core (H = 1), G(r) = 4 pi rho0 r a exp(-(r - R)^2 / 2 sigma^2), and
  // phi(s) = (1/2pi) int G sin(2 pi s r) dr
  //        = 2 rho0 a sigma sqrt(2 pi) exp(-k^2 sigma^2 / 2) [R sin kR + k sigma^2 cos kR], k = 2 pi s.
  stempdf::ShellPDFModel model;
  model.HardCoreRadius = -50.0;
  model.HardCoreWidth = 0.1;
  const double R = 4.0, fwhm = 0.7, a = 0.8;
  model.Shells = { { R, fwhm, a } };
  const double        sigma = fwhm / (2.0 * std::sqrt(2.0 * std::log(2.0)));
  std::vector<double> s;
  for (double x = 0.05; x <= 3.0; x += 0.05)
  {
    s.push_back(x);
  }
  const auto phi = model.ReducedIntensity(s);
  for (size_t i = 0; i < s.size(); ++i)
  {
    const double k = 2.0 * Pi * s[i];
    const double expected = 2.0 * model.NumberDensity * a * sigma * std::sqrt(2.0 * Pi) *
                            std::exp(-0.5 * k * k * sigma * sigma) *
                            (R * std::sin(k * R) + k * sigma * sigma * std::cos(k * R));
    EXPECT_NEAR(phi[i], expected, 1e-6) << "s = " << s[i];
  }
}

TEST(ShellPDFModel, PaperTypesHaveTheirFirstAndSecondPeaks)
{
  const auto liquid = stempdf::ShellPDFModel::LiquidLike();
  const auto first = liquid.FindPeak(2.1, 2.9);
  EXPECT_NEAR(first.Position, 2.53, 2e-3);
  EXPECT_NEAR(first.FWHM, 0.65, 3e-3);
  EXPECT_NEAR(liquid.FindPeak(3.9, 4.6).Position, 4.24, 3e-3);

  const auto solid = stempdf::ShellPDFModel::SolidLike();
  EXPECT_NEAR(solid.FindPeak(2.1, 2.9).Position, 2.46, 2e-3);
  EXPECT_NEAR(solid.FindPeak(2.1, 2.9).FWHM, 0.48, 3e-3);
  EXPECT_NEAR(solid.FindPeak(3.8, 4.38).Position, 4.10, 3e-3);
}

TEST(ShellPDFModel, PairCorrelationIsNonNegativeAndTendsToOne)
{
  for (const auto & model :
       { stempdf::ShellPDFModel::LiquidLike(), stempdf::ShellPDFModel::SolidLike(), stempdf::ShellPDFModel::Noise() })
  {
    for (double r = 0.0; r < 20.0; r += 0.01)
    {
      ASSERT_GE(model.PairCorrelation(r), 0.0) << "r = " << r;
    }
    EXPECT_NEAR(model.PairCorrelation(0.5), 0.0, 1e-9); // no pairs inside the hard core
    EXPECT_NEAR(model.PairCorrelation(16.0), 1.0, 2e-3);
    EXPECT_NEAR(model.G(0.5), -4.0 * Pi * model.NumberDensity * 0.5, 1e-9);
  }
}

TEST(ShellPDFModel, TabulatedGGivesTheSameTransformAsItsSource)
{
  const auto          source = stempdf::ShellPDFModel::SolidLike();
  std::vector<double> r;
  for (double x = 0.0; x <= 20.0 + 1e-9; x += 0.005)
  {
    r.push_back(x);
  }
  const auto                table = stempdf::ShellPDFModel::FromTable(r, source.G(r));
  const std::vector<double> s = { 0.3, 0.5, 0.8, 1.2, 1.6 };
  const auto                expected = source.ReducedIntensity(s);
  const auto                actual = table.ReducedIntensity(s);
  for (size_t i = 0; i < s.size(); ++i)
  {
    EXPECT_NEAR(actual[i], expected[i], 2e-3 * std::abs(expected[i]) + 1e-4) << "s = " << s[i];
  }
  EXPECT_NEAR(table.FindPeak(2.1, 2.9).Position, 2.46, 3e-3);
  EXPECT_THROW(stempdf::ShellPDFModel::FromTable({ 1.0, 0.5 }, { 0.0, 0.0 }), itk::ExceptionObject);
  EXPECT_THROW(stempdf::ShellPDFModel::FromTable({ 1.0 }, { 0.0 }), itk::ExceptionObject);
}
