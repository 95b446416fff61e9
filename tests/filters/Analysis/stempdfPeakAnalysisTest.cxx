// Peak analysis of G(r): known answers on the Gaussian-shell models of the
// paper's two types (truth from the model itself, found independently of the
// analysis), exact recovery of a pure sum of two Gaussians and a line, noise
// robustness, and bad input.
#include "stempdfPeakAnalysis.h"
#include "stempdfShellPDFModel.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

namespace
{
const double SigmaToFWHM = 2.0 * std::sqrt(2.0 * std::log(2.0));

struct Truth
{
  double Position, FWHM;
};

/** The highest maximum of model.G in [lo, hi] (golden-section search after a
 *  1e-4 A scan) and where G falls to half of it on either side (bisection):
 *  the exact answer of the model, by a route unrelated to AnalyzePeaks. */
Truth
ModelPeak(const stempdf::ShellPDFModel & model, double lo, double hi)
{
  double best = lo;
  for (double r = lo; r <= hi; r += 1e-4)
  {
    best = model.G(r) > model.G(best) ? r : best;
  }
  double       a = best - 1e-4, b = best + 1e-4;
  const double phi = 0.5 * (std::sqrt(5.0) - 1.0);
  while (b - a > 1e-10)
  {
    const double c = b - phi * (b - a), d = a + phi * (b - a);
    (model.G(c) > model.G(d) ? b : a) = (model.G(c) > model.G(d) ? d : c);
  }
  const double position = 0.5 * (a + b), half = 0.5 * model.G(position);
  const auto   crossing = [&](double step) {
    double outside = position;
    while (model.G(outside) > half)
    {
      outside += step;
    }
    double inside = outside - step;
    for (int i = 0; i < 60; ++i)
    {
      const double mid = 0.5 * (inside + outside);
      (model.G(mid) > half ? inside : outside) = mid;
    }
    return 0.5 * (inside + outside);
  };
  return { position, crossing(1e-3) - crossing(-1e-3) };
}

void
Sample(const stempdf::ShellPDFModel & model, double dr, std::vector<double> & r, std::vector<double> & g)
{
  r.clear();
  g.clear();
  for (int i = 0; i * dr <= 10.0 + 1e-9; ++i)
  {
    r.push_back(i * dr);
    g.push_back(model.G(i * dr));
  }
}

double
Gauss(double r, double height, double centre, double fwhm)
{
  const double u = (r - centre) / (fwhm / SigmaToFWHM);
  return height * std::exp(-0.5 * u * u);
}

struct Case
{
  const char *           Name;
  stempdf::ShellPDFModel Model;
  double                 Shoulder; // the shoulder shell's position in the model
};

std::vector<Case>
PaperCases()
{
  return {
    { "liquid-like", stempdf::ShellPDFModel::LiquidLike(), 4.95 },
    { "solid-like", stempdf::ShellPDFModel::SolidLike(), 4.66 },
    { "FromPeaks(2.50, 0.56, 4.18, 4.80)", stempdf::ShellPDFModel::FromPeaks(2.50, 0.56, 4.18, 4.80, 3.0), 4.80 }
  };
}

/** Expects the analysis of (x, y) to fail with an error saying every one of `parts`. */
void
ExpectAnalysisError(const std::vector<double> & x, const std::vector<double> & y,
                    const stempdf::PeakAnalysisOptions & options, const std::vector<std::string> & parts)
{
  stempdf::testing::ExpectError([&]() { stempdf::AnalyzePeaks(x, y, options); }, parts);
}
void
ExpectAnalysisError(const std::vector<double> & x, const std::vector<double> & y,
                    const std::vector<std::string> & parts)
{
  ExpectAnalysisError(x, y, {}, parts);
}
} // namespace

TEST(PeakAnalysis, PaperTypesOfTheShellModel)
{
  // R1 within 0.005 A and the FWHM within 2 % of the model's exact values on
  // grids from 0.01 to 0.05 A; the second peak (the highest point of G near
  // 4.1-4.25 A) within 0.01 A, the shoulder shell within 0.025 A.
  for (const auto & c : PaperCases())
  {
    const Truth  first = ModelPeak(c.Model, 2.0, 3.2);
    const double secondTruth = ModelPeak(c.Model, 3.6, c.Model.Shells[3].Position - 0.25).Position;
    for (const double dr : { 0.01, 0.02, 0.05 })
    {
      std::vector<double> r, g;
      Sample(c.Model, dr, r, g);
      const auto result = stempdf::AnalyzePeaks(r, g);
      std::cout << c.Name << ", dr " << dr << ": R1 " << result.FirstPeak << " (truth " << first.Position << "), FWHM "
                << result.FirstPeakFWHM << " (truth " << first.FWHM << "), second peak " << result.SecondPeak
                << " (truth " << secondTruth << "), shoulder " << result.Shoulder << " (shell " << c.Shoulder
                << "); components " << result.SecondComponent << ", " << result.Shoulder << ", fit RMS "
                << result.SecondPeakFitRMS << "\n";
      EXPECT_TRUE(result.FitOK) << result.Message;
      EXPECT_TRUE(result.Message.empty()) << result.Message;
      EXPECT_NEAR(result.FirstPeak, first.Position, 0.005) << c.Name << " dr " << dr;
      EXPECT_NEAR(result.FirstPeakFWHM / first.FWHM, 1.0, 0.02) << c.Name << " dr " << dr;
      EXPECT_NEAR(result.FirstPeakHeight, c.Model.G(first.Position), 0.01 * c.Model.G(first.Position));
      EXPECT_NEAR(result.SecondPeak, secondTruth, 0.01) << c.Name << " dr " << dr;
      EXPECT_NEAR(result.Shoulder, c.Shoulder, 0.025) << c.Name << " dr " << dr;
      EXPECT_LT(result.SecondComponent, result.SecondPeak);
      EXPECT_GT(result.Shoulder, result.SecondPeak);
      EXPECT_DOUBLE_EQ(result.VertexSharing(), 2.0 * result.FirstPeak);
      EXPECT_DOUBLE_EQ(result.EdgeSharing(), std::sqrt(3.0) * result.FirstPeak);
      EXPECT_DOUBLE_EQ(result.FaceSharing(), std::sqrt(8.0 / 3.0) * result.FirstPeak);
    }
  }
}

TEST(PeakAnalysis, AGaussianFirstPeakIsRecoveredExactly)
{
  // ln G of a Gaussian is a parabola: the local fit of its top is exact.
  const double        first = 2.4837, firstFWHM = 0.52;
  std::vector<double> r, g;
  for (int i = 0; i <= 800; ++i)
  {
    r.push_back(1.0 + 0.01 * i);
    g.push_back(Gauss(r.back(), 5.0, first, firstFWHM));
  }
  const auto result = stempdf::AnalyzePeaks(r, g);
  EXPECT_NEAR(result.FirstPeak, first, 1e-9);
  EXPECT_NEAR(result.FirstPeakHeight, 5.0, 1e-9);
  // Linear interpolation of the half-maximum crossings: exact to ~1e-5 A on a 0.01 A grid.
  EXPECT_NEAR(result.FirstPeakFWHM, firstFWHM, 1e-4);
  EXPECT_NEAR(result.FirstPeakLeft + result.FirstPeakRight, 2.0 * first, 1e-4);
}

TEST(PeakAnalysis, TwoGaussiansAndALineAreRecoveredExactly)
{
  // The second window holds exactly the fit's model; a narrow first peak far
  // from it (its tail at 3.6 A is 1e-22 of its height).
  const double        c1 = 4.1234, h1 = 3.0, w1 = 0.71, c2 = 4.7321, h2 = 1.7, w2 = 0.58, b0 = 0.2, b1 = -0.15;
  const auto          sum = [&](double x) { return Gauss(x, h1, c1, w1) + Gauss(x, h2, c2, w2) + b0 + b1 * (x - 4.5); };
  std::vector<double> r, g;
  for (int i = 0; i <= 800; ++i)
  {
    r.push_back(1.0 + 0.01 * i);
    g.push_back(Gauss(r.back(), 5.0, 2.3, 0.3) + sum(r.back()));
  }
  const auto result = stempdf::AnalyzePeaks(r, g);
  ASSERT_TRUE(result.FitOK) << result.Message;
  EXPECT_TRUE(result.Message.empty()) << result.Message;
  EXPECT_NEAR(result.SecondComponent, c1, 1e-6);
  EXPECT_NEAR(result.Shoulder, c2, 1e-6);
  EXPECT_NEAR(result.SecondComponentHeight, h1, 1e-6);
  EXPECT_NEAR(result.ShoulderHeight, h2, 1e-6);
  EXPECT_NEAR(result.SecondComponentFWHM, w1, 1e-6);
  EXPECT_NEAR(result.ShoulderFWHM, w2, 1e-6);
  EXPECT_NEAR(result.BaselineSlope, b1, 1e-6);
  EXPECT_LT(result.SecondPeakFitRMS, 1e-9);
  // The highest point of the sum, by a dense scan of the exact curve.
  double highest = 3.6;
  for (double x = 3.6; x <= 5.4; x += 1e-6)
  {
    highest = sum(x) > sum(highest) ? x : highest;
  }
  EXPECT_NEAR(result.SecondPeak, highest, 1e-5);
  EXPECT_NEAR(result.SecondPeakHeight, sum(highest), 1e-9);
}

TEST(PeakAnalysis, ShoulderOnTheLowSideIsReported)
{
  std::vector<double> r, g;
  for (int i = 0; i <= 800; ++i)
  {
    r.push_back(1.0 + 0.01 * i);
    g.push_back(Gauss(r.back(), 5.0, 2.5, 0.5) + Gauss(r.back(), 1.2, 4.0, 0.5) + Gauss(r.back(), 3.0, 4.7, 0.6));
  }
  const auto result = stempdf::AnalyzePeaks(r, g);
  EXPECT_TRUE(result.FitOK);
  EXPECT_NEAR(result.SecondComponent, 4.7, 1e-6);
  EXPECT_NEAR(result.Shoulder, 4.0, 1e-6);
  EXPECT_NE(result.Message.find("second peak: the shoulder lies on its low-r side"), std::string::npos)
    << result.Message;
}

TEST(PeakAnalysis, NoiseOfTwoPercent)
{
  // Gaussian noise of 2 % of the first peak's height on every sample (dr =
  // 0.01 A), 20 draws per type: the worst errors stay small.
  for (const auto & c : PaperCases())
  {
    const Truth  first = ModelPeak(c.Model, 2.0, 3.2);
    const double secondTruth = ModelPeak(c.Model, 3.6, c.Model.Shells[3].Position - 0.25).Position;
    const double sigma = 0.02 * c.Model.G(first.Position);
    double       worstR1 = 0, worstFWHM = 0, worstSecond = 0, worstShoulder = 0;
    for (unsigned seed = 1; seed <= 20; ++seed)
    {
      std::mt19937                     rng(seed);
      std::normal_distribution<double> normal(0.0, sigma);
      std::vector<double>              r, g;
      Sample(c.Model, 0.01, r, g);
      for (auto & value : g)
      {
        value += normal(rng);
      }
      const auto result = stempdf::AnalyzePeaks(r, g);
      ASSERT_TRUE(result.FitOK) << c.Name << " seed " << seed << ": " << result.Message;
      worstR1 = std::max(worstR1, std::abs(result.FirstPeak - first.Position));
      worstFWHM = std::max(worstFWHM, std::abs(result.FirstPeakFWHM / first.FWHM - 1.0));
      worstSecond = std::max(worstSecond, std::abs(result.SecondPeak - secondTruth));
      worstShoulder = std::max(worstShoulder, std::abs(result.Shoulder - c.Shoulder));
    }
    std::cout << c.Name << ", 2 % noise, worst of 20: R1 " << worstR1 << " A, FWHM " << 100 * worstFWHM
              << " %, second peak " << worstSecond << " A, shoulder " << worstShoulder << " A\n";
    EXPECT_LT(worstR1, 0.01) << c.Name;
    EXPECT_LT(worstFWHM, 0.05) << c.Name;
    EXPECT_LT(worstSecond, 0.04) << c.Name;
    EXPECT_LT(worstShoulder, 0.08) << c.Name;
  }
}

TEST(PeakAnalysis, FailuresOfTheAnalysisAreNaNWithAReason)
{
  std::vector<double> r, g;
  for (int i = 0; i <= 800; ++i)
  {
    r.push_back(1.0 + 0.01 * i);
    g.push_back(r.back()); // rises everywhere: no peak at all
  }
  auto result = stempdf::AnalyzePeaks(r, g);
  EXPECT_FALSE(result.FitOK);
  EXPECT_TRUE(std::isnan(result.FirstPeak) && std::isnan(result.FirstPeakFWHM));
  EXPECT_TRUE(std::isnan(result.SecondPeak) && std::isnan(result.Shoulder));
  EXPECT_NE(result.Message.find("first peak: G is highest at the window's edge"), std::string::npos) << result.Message;
  EXPECT_NE(result.Message.find("second peak:"), std::string::npos) << result.Message;
  EXPECT_TRUE(std::isnan(result.VertexSharing()));

  // A curve that starts above half the first peak's height: no crossing on the low-r side.
  {
    std::vector<double> r2, g2;
    for (int i = 0; i <= 400; ++i)
    {
      r2.push_back(2.3 + 0.01 * i);
      g2.push_back(Gauss(r2.back(), 5.0, 2.5, 0.8) + Gauss(r2.back(), 2.0, 4.1, 0.7) + Gauss(r2.back(), 1.2, 4.7, 0.6));
    }
    result = stempdf::AnalyzePeaks(r2, g2);
    EXPECT_FALSE(result.FitOK);
    EXPECT_NEAR(result.FirstPeak, 2.5, 1e-3);
    EXPECT_TRUE(std::isnan(result.FirstPeakFWHM) && std::isnan(result.FirstPeakLeft));
    EXPECT_NEAR(result.FirstPeakRight, 2.9, 1e-3);
    EXPECT_NEAR(result.Shoulder, 4.7, 0.01); // the first peak's tail reaches the window
    EXPECT_NE(result.Message.find("first peak: G does not fall to half the peak height on the low-r side; no FWHM"),
              std::string::npos)
      << result.Message;
  }

  // A single Gaussian in the second window: no shoulder to resolve.
  for (size_t i = 0; i < r.size(); ++i)
  {
    g[i] = Gauss(r[i], 5.0, 2.5, 0.5) + Gauss(r[i], 2.0, 4.4, 0.7);
  }
  result = stempdf::AnalyzePeaks(r, g);
  EXPECT_FALSE(result.FitOK);
  EXPECT_NEAR(result.FirstPeak, 2.5, 1e-6);
  EXPECT_TRUE(std::isnan(result.Shoulder));
  EXPECT_NE(result.Message.find("second peak: the two-Gaussian fit"), std::string::npos) << result.Message;
  std::cout << "one Gaussian in the second window: " << result.Message << "\n";
}

TEST(PeakAnalysis, BadInputNamesTheParameter)
{
  std::vector<double> r, g;
  Sample(stempdf::ShellPDFModel::SolidLike(), 0.01, r, g);
  ExpectAnalysisError(r, std::vector<double>(g.begin(), g.end() - 1), { "r has 1001 samples but G has 1000" });
  auto bad = r;
  std::swap(bad[300], bad[301]);
  ExpectAnalysisError(bad, g, { "r[301] = 3 A; expected finite r values, strictly ascending" });
  auto nan = g;
  nan[250] = std::nan("");
  ExpectAnalysisError(r, nan, { "G = nan at r = 2.5 A" });

  stempdf::PeakAnalysisOptions options;
  options.FirstPeakWindow[0] = 3.2;
  options.FirstPeakWindow[1] = 2.0;
  ExpectAnalysisError(r, g, options, { "FirstPeakWindow = [3.2, 2] A: expected two finite values, lower < upper" });
  options = {};
  options.SecondPeakWindow[0] = 12.0;
  options.SecondPeakWindow[1] = 14.0;
  ExpectAnalysisError(
    r, g, options, { "SecondPeakWindow = [12, 14] A holds 0 r samples of the curve (r from 0 to 10 A)" });
  options = {};
  options.FirstPeakWindow[0] = 2.001;
  options.FirstPeakWindow[1] = 2.015;
  ExpectAnalysisError(r, g, options, { "FirstPeakWindow = [2.001, 2.015] A holds 1 r samples" });
  ExpectAnalysisError({ 1, 2, 3 }, { 1, 2, 3 }, { "the curve has 3 samples; expected at least 10" });
}
