// The 4D-STEM simulator: counts follow the documented intensity model (checked
// against an independent evaluation from the ground truth), masks behave,
// output depends on the seed only, and bad parameters are named.
#include "stempdfAmorphousScanSimulator.h"
#include "stempdfVectorAxis.h"

#include "itkMultiThreaderBase.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
using Simulator = stempdf::AmorphousScanSimulator;

/** A small scan: 6 x 5 positions of 48 x 40 px, 0.05 1/A per px (s to ~1.6). */
Simulator::Pointer
SmallSimulator()
{
  auto simulator = Simulator::New();
  simulator->SetScanSize({ { 6, 5 } });
  simulator->SetDetectorSize({ { 48, 40 } });
  simulator->SetPixelSize(0.05);
  simulator->SetCenter(Simulator::PointType{ { 23.2, 19.7 } });
  simulator->SetDirectBeamRadius(0.08);
  simulator->SetDose(200.0);
  simulator->SetSeed(11);
  return simulator;
}

double
Interpolate(const std::vector<double> & grid, const std::vector<double> & y, double x)
{
  const double step = grid[1] - grid[0];
  const auto   i = static_cast<size_t>(x / step);
  const double w = x / step - i;
  return (1.0 - w) * y[i] + w * y[i + 1];
}
} // namespace

TEST(AmorphousScanSimulator, OutputDescribesTheScanAndDetector)
{
  auto simulator = SmallSimulator();
  simulator->Update();
  const auto * output = simulator->GetOutput();
  EXPECT_EQ(output->GetLargestPossibleRegion().GetSize(0), 6u);
  EXPECT_EQ(output->GetLargestPossibleRegion().GetSize(1), 5u);
  EXPECT_DOUBLE_EQ(output->GetSpacing()[0], 1.2);
  EXPECT_EQ(output->GetNumberOfComponentsPerPixel(), 48u * 40u);
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(output->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(48, 40));
}

TEST(AmorphousScanSimulator, CountsFollowTheIntensityModel)
{
  // Sum of counts over all frames in the ring 0.3 <= s < 1.5 (good pixels)
  // against the expected sum k sum_x [t sum_j c_j I_j(s_p) + t^2 B(s_p)],
  // evaluated here from the ground-truth maps and curves: Poisson, so the
  // difference must be within 4 standard deviations.
  auto simulator = SmallSimulator();
  simulator->Update();
  const auto * output = simulator->GetOutput();
  const auto * mask = simulator->GetDetectorMask()->GetBufferPointer();
  const auto & pixelS = simulator->GetPixelS();
  const auto & grid = simulator->GetSGrid();
  const double k = simulator->GetCountScale();
  double       observed = 0.0, expected = 0.0;
  for (unsigned int y = 0; y < 5; ++y)
  {
    for (unsigned int x = 0; x < 6; ++x)
    {
      const auto   frame = output->GetPixel({ { x, y } });
      const double t = simulator->GetThicknessMap()->GetPixel({ { x, y } });
      for (size_t p = 0; p < pixelS.size(); ++p)
      {
        if (mask[p] != 0 || pixelS[p] < 0.3 || pixelS[p] >= 1.5)
        {
          continue;
        }
        double lambda = t * t * Interpolate(grid, simulator->GetBackground(), pixelS[p]);
        for (unsigned int j = 0; j < 3; ++j)
        {
          lambda += t * simulator->GetFractionMap(j)->GetPixel({ { x, y } }) *
                    Interpolate(grid, simulator->GetIntensityPerAtom(j), pixelS[p]);
        }
        expected += k * lambda;
        observed += frame[p];
      }
    }
  }
  EXPECT_GT(expected, 1e5);
  EXPECT_NEAR(observed, expected, 4.0 * std::sqrt(expected)) << "relative " << observed / expected - 1.0;
}

TEST(AmorphousScanSimulator, MeanPatternHasTheDoseBetween0p25And1p6)
{
  auto simulator = SmallSimulator();
  simulator->SetScanSize({ { 16, 16 } });
  simulator->Update();
  const auto & pixelS = simulator->GetPixelS();
  const auto * mask = simulator->GetDetectorMask()->GetBufferPointer();
  double       sum = 0.0, count = 0.0;
  for (unsigned int y = 0; y < 16; ++y)
  {
    for (unsigned int x = 0; x < 16; ++x)
    {
      const auto frame = simulator->GetOutput()->GetPixel({ { x, y } });
      for (size_t p = 0; p < pixelS.size(); ++p)
      {
        if (pixelS[p] >= 0.25 && pixelS[p] <= 1.6 && mask[p] == 0)
        {
          sum += frame[p];
          count += 1.0;
        }
      }
    }
  }
  // Dose is defined over all pixels of the annulus; the few dead/hot ones
  // left out here change the mean by well under 2 %.
  EXPECT_NEAR(sum / count, 200.0, 0.03 * 200.0);
}

TEST(AmorphousScanSimulator, DeadHotAndDirectBeamPixels)
{
  auto simulator = SmallSimulator();
  simulator->SetDeadPixelFraction(0.01);
  simulator->SetHotPixelFraction(0.005);
  simulator->Update();
  const auto * mask = simulator->GetDetectorMask()->GetBufferPointer();
  const size_t pixels = 48 * 40;
  size_t       dead = 0, hot = 0, beam = 0;
  for (unsigned int y = 0; y < 5; ++y)
  {
    for (unsigned int x = 0; x < 6; ++x)
    {
      const auto frame = simulator->GetOutput()->GetPixel({ { x, y } });
      for (size_t p = 0; p < pixels; ++p)
      {
        if (mask[p] == 1)
        {
          ASSERT_EQ(frame[p], 0);
        }
        if (mask[p] == 2 || mask[p] == 3)
        {
          ASSERT_EQ(frame[p], 4095);
        }
        ASSERT_LE(frame[p], 4095);
      }
    }
  }
  for (size_t p = 0; p < pixels; ++p)
  {
    dead += mask[p] == 1;
    hot += mask[p] == 2;
    beam += mask[p] == 3;
  }
  EXPECT_NEAR(static_cast<double>(dead), 0.01 * pixels, 3.0); // a few may coincide
  EXPECT_NEAR(static_cast<double>(hot), 0.005 * pixels, 3.0);
  // Direct beam: s < 0.08 1/A at 0.05 1/A per px, i.e. radius ~1.6 px.
  EXPECT_GE(beam, 5u);
  EXPECT_LE(beam, 12u);
}

TEST(AmorphousScanSimulator, EllipseStretchesRingsAlongItsAngle)
{
  auto simulator = SmallSimulator();
  simulator->SetCenter(Simulator::PointType{ { 20.0, 20.0 } });
  simulator->SetEllipseRatio(1.1);
  simulator->SetEllipseAngle(0.0);
  simulator->ComputeGroundTruth();
  const auto & s = simulator->GetPixelS();
  // 10 px along x (major axis): s = 0.05 * 10 / sqrt(1.1); along y: 0.05 * 10 * sqrt(1.1).
  EXPECT_NEAR(s[20 * 48 + 30], 0.5 / std::sqrt(1.1), 1e-12);
  EXPECT_NEAR(s[30 * 48 + 20], 0.5 * std::sqrt(1.1), 1e-12);
}

TEST(AmorphousScanSimulator, SameSeedSameScanWhateverTheThreadsOrRegion)
{
  auto one = SmallSimulator();
  one->SetNumberOfWorkUnits(1);
  one->Update();
  auto many = SmallSimulator();
  many->SetNumberOfWorkUnits(5);
  many->Update();
  const size_t values = 6 * 5 * 48 * 40;
  for (size_t i = 0; i < values; ++i)
  {
    ASSERT_EQ(one->GetOutput()->GetBufferPointer()[i], many->GetOutput()->GetBufferPointer()[i]) << i;
  }
  // Rows 2..3 only (a pipeline piece) hold the same frames.
  auto                             piece = SmallSimulator();
  Simulator::OutputImageRegionType rows({ { 0, 2 } }, { { 6, 2 } });
  piece->GetOutput()->SetRequestedRegion(rows);
  piece->Update();
  EXPECT_EQ(piece->GetOutput()->GetBufferedRegion(), rows);
  EXPECT_EQ(piece->GetOutput()->GetPixel({ { 4, 3 } }), one->GetOutput()->GetPixel({ { 4, 3 } }));

  auto other = SmallSimulator();
  other->SetSeed(12);
  other->Update();
  EXPECT_NE(other->GetOutput()->GetPixel({ { 0, 0 } }), one->GetOutput()->GetPixel({ { 0, 0 } }));
}

TEST(AmorphousScanSimulator, FractionsDomainsAndPhysicalIntensities)
{
  auto simulator = Simulator::New();
  simulator->SetScanSize({ { 96, 96 } });
  simulator->ComputeGroundTruth();
  const auto means = simulator->GetMeanFractions();
  EXPECT_NEAR(means[0] + means[1] + means[2], 1.0, 1e-12);
  EXPECT_NEAR(means[1] / (means[0] + means[1]), 0.47, 0.06);
  EXPECT_GT(means[2], 0.0);
  EXPECT_LT(means[2], 0.05);
  // The realised domains are of the requested order (the soft threshold of
  // the random field makes them somewhat smaller than its 5.5 nm).
  EXPECT_GT(simulator->GetRealisedDomainSize(), 3.5);
  EXPECT_LT(simulator->GetRealisedDomainSize(), 6.5);
  // Positive intensities (S > 0) wherever the detector sees.
  for (unsigned int j = 0; j < 3; ++j)
  {
    const auto & S = simulator->GetStructureFactor(j);
    for (size_t i = 1; i < S.size(); ++i)
    {
      ASSERT_GT(S[i], 0.0) << "type " << j << " s = " << simulator->GetSGrid()[i];
      ASSERT_GT(simulator->GetIntensityPerAtom(j)[i], 0.0);
    }
  }
}

TEST(AmorphousScanSimulator, BadParametersAreNamed)
{
  const auto expectError = [](const std::function<void(Simulator *)> & set, const std::vector<std::string> & parts) {
    auto simulator = SmallSimulator();
    set(simulator);
    stempdf::testing::ExpectUpdateError(simulator, parts);
  };
  expectError([](Simulator * s) { s->SetDose(0.0); }, { "Dose is 0; expected a value > 0" });
  expectError([](Simulator * s) { s->SetSolidFraction(1.5); }, { "SolidFraction is 1.5" });
  expectError([](Simulator * s) { s->SetComposition("Fe80Qq20"); }, { "unknown element symbol \"Qq\"" });
  expectError([](Simulator * s) { s->SetPixelSize(0.0001); }, { "no detector pixel lies between" });
}

TEST(AmorphousScanSimulator, ExercisesBasicObjectMethods)
{
  auto simulator = stempdf::testing::NewAndExercise<Simulator>(
    "AmorphousScanSimulator", "ImageSource", { "ScanSize:", "Composition:", "BeamStop: Off" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(simulator, BeamStop, false);
}
