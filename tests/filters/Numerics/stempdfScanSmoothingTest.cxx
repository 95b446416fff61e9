// SmoothOverScan: a Gaussian over the scan grid, channel by channel. Known
// answers: an impulse spreads into a kernel of unit sum and variance sigma^2
// along each scan axis; constant maps stay constant; channels stay apart.
#include "stempdfScanSmoothing.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <string>

namespace
{
constexpr Eigen::Index Width = 31;
constexpr Eigen::Index Height = 25;
} // namespace

TEST(ScanSmoothing, AnImpulseSpreadsIntoAGaussianOfTheGivenVariance)
{
  for (const double sigma : { 0.7, 1.5, 3.0 })
  {
    Eigen::MatrixXd    values = Eigen::MatrixXd::Zero(Width * Height, 2);
    const Eigen::Index cx = 15, cy = 12;
    values(cy * Width + cx, 0) = 1.0;
    values.col(1).setConstant(2.5);
    const Eigen::MatrixXd smoothed = stempdf::SmoothOverScan(values, Width, sigma);
    double                sum = 0.0, varianceX = 0.0, varianceY = 0.0, meanX = 0.0, meanY = 0.0;
    for (Eigen::Index y = 0; y < Height; ++y)
    {
      for (Eigen::Index x = 0; x < Width; ++x)
      {
        const double v = smoothed(y * Width + x, 0);
        sum += v;
        meanX += v * (x - cx);
        meanY += v * (y - cy);
        varianceX += v * (x - cx) * (x - cx);
        varianceY += v * (y - cy) * (y - cy);
      }
    }
    EXPECT_NEAR(sum, 1.0, 1e-3) << "sigma " << sigma;
    EXPECT_NEAR(meanX, 0.0, 1e-9) << "sigma " << sigma;
    EXPECT_NEAR(meanY, 0.0, 1e-9) << "sigma " << sigma;
    EXPECT_NEAR(varianceX / (sigma * sigma), 1.0, 0.01) << "sigma " << sigma;
    EXPECT_NEAR(varianceY / (sigma * sigma), 1.0, 0.01) << "sigma " << sigma;
    // the other channel: a constant map, edges included
    EXPECT_LT((smoothed.col(1).array() - 2.5).abs().maxCoeff(), 2.5e-3) << "sigma " << sigma;
  }
}

TEST(ScanSmoothing, ZeroSigmaReturnsTheValues)
{
  const Eigen::MatrixXd values = Eigen::MatrixXd::Random(Width * Height, 3);
  EXPECT_EQ(stempdf::SmoothOverScan(values, Width, 0.0), values);
}

TEST(ScanSmoothing, BadInputNamesTheParameter)
{
  const Eigen::MatrixXd values = Eigen::MatrixXd::Zero(Width * Height, 1);
  for (const double sigma : { -1.0, std::nan(""), 1.0 / 0.0 })
  {
    SCOPED_TRACE("sigma " + std::to_string(sigma));
    stempdf::testing::ExpectError([&]() { stempdf::SmoothOverScan(values, Width, sigma); }, { "SpatialSmoothing" });
  }
  // positions that are not whole scan rows
  stempdf::testing::ExpectError([&]() { stempdf::SmoothOverScan(values, Width + 1, 1.0); }, { "whole scan rows" });
}
