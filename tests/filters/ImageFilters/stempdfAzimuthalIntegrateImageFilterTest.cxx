// Known answers for AzimuthalIntegrateImageFilter: an analytic radial pattern
// (off-centre, elliptical) integrates back to its annulus means, a flat field
// is flat with and without a mask, counts are conserved, the Poisson variance
// matches the scatter of simulated frames, and bad parameters are named.
#include "stempdfAzimuthalIntegrateImageFilter.h"
#include "stempdfCalibratedAzimuthalIntegrateImageFilter.h"
#include "stempdfElectronOptics.h"
#include "stempdfMetaDataKeys.h"

#include "itkMetaDataObject.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace
{
using PatternImage = stempdf::PatternFieldImage<float>;
using Filter = stempdf::AzimuthalIntegrateImageFilter<PatternImage>;
using stempdf::testing::ExpectUpdateError;
using stempdf::testing::NewFilterOn;
using stempdf::testing::UpdateError;
constexpr double Pi = 3.14159265358979323846;

struct Geometry
{
  unsigned int kx = 72, ky = 64;
  double       cx = 33.3, cy = 30.8, pixelSize = 0.03, ratio = 1.03, angle = 25.0;

  double
  S(double x, double y) const
  {
    const double a = angle * Pi / 180.0, dx = x - cx, dy = y - cy;
    const double u = std::cos(a) * dx + std::sin(a) * dy, v = -std::sin(a) * dx + std::cos(a) * dy;
    return pixelSize * std::sqrt(u * u / ratio + v * v * ratio);
  }
};

/** nx x 1 scan; frame i holds (i + 1) * value(kx, ky). */
PatternImage::Pointer
MakeScan(const Geometry & g, unsigned int nx, const std::function<double(unsigned int, unsigned int)> & value,
         bool calibrated = true)
{
  auto image = stempdf::testing::MakeField<PatternImage>(nx, 1, stempdf::MakeDetectorAxis(g.kx, g.ky), 1.2);
  stempdf::testing::ForEachPosition(image, [&](unsigned int i, unsigned int, float * frame) {
    for (unsigned int y = 0; y < g.ky; ++y)
    {
      for (unsigned int x = 0; x < g.kx; ++x)
      {
        frame[y * g.kx + x] = static_cast<float>((i + 1) * value(x, y));
      }
    }
  });
  if (calibrated)
  {
    itk::EncapsulateMetaData<double>(image->GetMetaDataDictionary(), stempdf::DetectorPixelSizeKey, g.pixelSize);
  }
  return image;
}

Filter::Pointer
MakeFilter(const Geometry & g, PatternImage * input, double s0, double s1)
{
  auto filter = NewFilterOn<Filter>(input);
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(Filter::PointType{ { g.cx, g.cy } });
  filter->SetEllipseRatio(g.ratio);
  filter->SetEllipseAngle(g.angle);
  filter->SetSRange(Filter::RangeType{ { s0, s1 } });
  return filter;
}
} // namespace

TEST(AzimuthalIntegrateImageFilter, AnalyticRadialPatternIntegratesBackWithinHalfAPercent)
{
  // Pixel values are the pixel averages (16 x 16 sub-samples) of f(s); the
  // mean of f over an annulus of an area-preserving ellipse geometry is
  // int f(s) 2 s ds / (s1^2 - s0^2).
  // The paper's pixel size: s >= 0.25 1/A is at least 17 px from the centre.
  Geometry g;
  g.kx = 128;
  g.ky = 120;
  g.cx = 63.3;
  g.cy = 58.8;
  g.pixelSize = 0.01433;
  const auto f = [](double s) {
    return 2.0 * std::exp(-s / 0.5) + 0.6 * std::sin(2.0 * Pi * s / 0.35) * std::exp(-s) + 1.0;
  };
  auto scan = MakeScan(g, 2, [&](unsigned int x, unsigned int y) {
    double sum = 0.0;
    for (int i = 0; i < 16; ++i)
    {
      for (int j = 0; j < 16; ++j)
      {
        sum += f(g.S(x - 0.5 + (i + 0.5) / 16.0, y - 0.5 + (j + 0.5) / 16.0));
      }
    }
    return sum / 256.0;
  });
  auto filter = MakeFilter(g, scan, 0.25, 0.8); // one-pixel bins by default
  filter->Update();
  const auto *       output = filter->GetOutput();
  const unsigned int bins = 38; // round(0.55 / 0.01433)
  ASSERT_EQ(output->GetNumberOfComponentsPerPixel(), bins);
  const double width = 0.55 / bins;
  for (unsigned int b = 0; b < bins; ++b)
  {
    const double s0 = 0.25 + width * b, s1 = s0 + width;
    double       integral = 0.0;
    const int    steps = 2000;
    for (int k = 0; k < steps; ++k)
    {
      const double s = s0 + (k + 0.5) * (s1 - s0) / steps;
      integral += f(s) * 2.0 * s * (s1 - s0) / steps;
    }
    const double expected = integral / (s1 * s1 - s0 * s0);
    EXPECT_NEAR(output->GetPixel({ { 0, 0 } })[b], expected, 0.005 * expected) << "bin " << b;
    EXPECT_NEAR(output->GetPixel({ { 1, 0 } })[b], 2.0 * expected, 0.01 * expected) << "bin " << b << ", frame 2";
  }
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(output->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "s");
  EXPECT_EQ(axis.Unit, "1/A");
  EXPECT_NEAR(axis.Origin[0], 0.25 + 0.5 * width, 1e-12);
  EXPECT_NEAR(axis.Spacing[0], width, 1e-12);
  EXPECT_DOUBLE_EQ(output->GetSpacing()[0], 1.2);
}

TEST(AzimuthalIntegrateImageFilter, FlatFieldIsFlatWithAndWithoutMask)
{
  const Geometry g;
  auto           scan = MakeScan(g, 1, [](unsigned int, unsigned int) { return 7.0; });
  std::mt19937   random(3);
  // 10 % dead pixels and a beam-stop arm to the right.
  auto mask = stempdf::testing::MakeImage<Filter::MaskImageType>(g.kx, g.ky, [&](unsigned int x, unsigned int y) {
    return (random() % 10 == 0 || (x > g.cx && std::abs(y - g.cy) < 3.0)) ? 1 : 0;
  });
  for (const bool masked : { false, true })
  {
    auto filter = MakeFilter(g, scan, 0.1, 0.9);
    if (masked)
    {
      filter->SetMaskImage(mask);
    }
    filter->Update();
    const auto profile = filter->GetOutput()->GetPixel({ { 0, 0 } });
    for (unsigned int b = 0; b < profile.GetSize(); ++b)
    {
      EXPECT_NEAR(profile[b], 7.0, 7e-6) << (masked ? "masked" : "unmasked") << " bin " << b;
    }
  }
}

TEST(AzimuthalIntegrateImageFilter, TotalCountsAreConserved)
{
  // Over a range holding the whole detector, sum_b A_b I_b = sum_p c_p.
  const Geometry g;
  std::mt19937   random(5);
  auto           scan = MakeScan(g, 1, [&](unsigned int, unsigned int) { return static_cast<double>(random() % 100); });
  auto           filter = MakeFilter(g, scan, 0.0, 3.5);
  filter->SetNumberOfBins(40);
  filter->SetNumberOfWorkUnits(1);
  const std::string beyond = UpdateError(filter);
  ASSERT_NE(beyond, "") << "expected an error: the outer bins lie beyond the detector";
  EXPECT_NE(beyond.find("holds no unmasked detector area"), std::string::npos);
  // A range that just holds the farthest pixel corner: every pixel lies in it.
  double sMax = 0.0;
  for (unsigned int y = 0; y <= g.ky; ++y)
  {
    for (unsigned int x = 0; x <= g.kx; ++x)
    {
      sMax = std::max(sMax, g.S(x - 0.5, y - 0.5));
    }
  }
  filter->SetSRange(Filter::RangeType{ { 0.0, sMax * (1.0 + 1e-9) } });
  filter->SetNumberOfBins(10);
  filter->Update();
  double total = 0.0, integrated = 0.0;
  for (unsigned int p = 0; p < g.kx * g.ky; ++p)
  {
    total += scan->GetBufferPointer()[p];
  }
  const auto profile = filter->GetOutput()->GetPixel({ { 0, 0 } });
  for (unsigned int b = 0; b < 10; ++b)
  {
    integrated += filter->GetBinAreas()[b] * profile[b];
  }
  EXPECT_NEAR(integrated, total, 1e-9 * total);
}

TEST(AzimuthalIntegrateImageFilter, PoissonVarianceMatchesTheScatterOfFrames)
{
  // 3000 frames of Poisson counts of mean 4: the reported variance of each
  // bin equals the variance of the bin's values across frames (within the
  // ~4 % sampling error of a variance from 3000 samples; 15 % allowed).
  Geometry g;
  g.kx = g.ky = 24;
  g.cx = 11.3;
  g.cy = 12.1;
  g.pixelSize = 0.1;
  const unsigned int             frames = 3000;
  std::mt19937                   random(9);
  std::poisson_distribution<int> counts(4.0);
  auto                           scan = MakeScan(g, frames, [](unsigned int, unsigned int) { return 0.0; });
  for (size_t i = 0; i < static_cast<size_t>(frames) * g.kx * g.ky; ++i)
  {
    scan->GetBufferPointer()[i] = static_cast<float>(counts(random));
  }
  auto filter = MakeFilter(g, scan, 0.2, 1.0);
  filter->SetNumberOfBins(4);
  filter->ComputeVarianceOn();
  filter->Update();
  for (unsigned int b = 0; b < 4; ++b)
  {
    double sum = 0.0, sum2 = 0.0, reported = 0.0;
    for (unsigned int i = 0; i < frames; ++i)
    {
      const double v = filter->GetOutput()->GetPixel({ { i, 0 } })[b];
      sum += v;
      sum2 += v * v;
      reported += filter->GetVarianceOutput()->GetPixel({ { i, 0 } })[b];
    }
    const double mean = sum / frames;
    const double scatter = sum2 / frames - mean * mean;
    EXPECT_NEAR(mean, 4.0, 0.05) << "bin " << b;
    EXPECT_NEAR(reported / frames, scatter, 0.15 * scatter) << "bin " << b;
  }
}

TEST(AzimuthalIntegrateImageFilter, DefaultBinsArePixelWideAndThreadsDoNotMatter)
{
  const Geometry g;
  auto           scan = MakeScan(g, 5, [&](unsigned int x, unsigned int y) { return 1.0 + x + 0.5 * y; });
  auto           one = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(g, scan, 0.25, 0.85), 1);
  EXPECT_EQ(one->GetOutput()->GetNumberOfComponentsPerPixel(), 20u); // 0.6 / 0.03
  auto many = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(g, scan, 0.25, 0.85), 4);
  for (size_t i = 0; i < 5 * 20; ++i)
  {
    ASSERT_EQ(one->GetOutput()->GetBufferPointer()[i], many->GetOutput()->GetBufferPointer()[i]);
  }
}

TEST(AzimuthalIntegrateImageFilter, BadParametersAreNamed)
{
  const Geometry g;
  auto           calibrated = MakeScan(g, 1, [](unsigned int, unsigned int) { return 1.0; });
  auto           uncalibrated = MakeScan(
    g, 1, [](unsigned int, unsigned int) { return 1.0; }, false);

  auto filter = MakeFilter(g, uncalibrated, 0.25, 0.85);
  ExpectUpdateError(filter, { "PixelSize is 0, CameraLength is not set" });
  filter->SetPixelSize(-0.03);
  ExpectUpdateError(filter, { "PixelSize is -0.03" });
  filter->SetPixelSize(0.03);
  EXPECT_EQ(UpdateError(filter), "");

  filter = MakeFilter(g, calibrated, 0.25, 0.85);
  filter->SetCenter(Filter::PointType{ { 80.0, 30.0 } });
  ExpectUpdateError(filter, { "Center is (80, 30) px; expected a point on the 72 x 64 detector" });

  filter = MakeFilter(g, calibrated, 0.25, 3.0); // the detector corner is at s = 1.4
  ExpectUpdateError(filter, { "narrow SRange to the detector" });

  filter = MakeFilter(g, calibrated, 0.9, 0.3);
  ExpectUpdateError(filter, { "SRange is (0.9, 0.3)" });

  filter = MakeFilter(g, calibrated, 0.25, 0.85);
  filter->SetEllipseRatio(0.0);
  ExpectUpdateError(filter, { "EllipseRatio" });

  auto mask = stempdf::testing::MakeImage<Filter::MaskImageType>(10, 10, [](unsigned int, unsigned int) { return 0; });
  filter = MakeFilter(g, calibrated, 0.25, 0.85);
  filter->SetMaskImage(mask);
  ExpectUpdateError(filter, { "expected the 72 x 64 detector" });

  auto full =
    stempdf::testing::MakeImage<Filter::MaskImageType>(g.kx, g.ky, [](unsigned int, unsigned int) { return 1; });
  filter = MakeFilter(g, calibrated, 0.25, 0.85);
  filter->SetMaskImage(full);
  ExpectUpdateError(filter, { "the Mask excludes every detector pixel" });

  filter = MakeFilter(g, uncalibrated, 0.25, 0.85);
  filter->SetCameraLength(195.0);
  ExpectUpdateError(filter, { "BeamEnergy is not" });
  filter->SetBeamEnergy(300.0);
  filter->SetDetectorPixelPitch(0.0);
  ExpectUpdateError(filter, { "DetectorPixelPitch is 0" });
}

TEST(AzimuthalIntegrateImageFilter, CameraLengthGivesThePixelSize)
{
  // 55 um pixels at 300 kV: the camera length that gives Geometry's 0.03 1/A per pixel.
  Geometry     g;
  const double cameraLength = 55.0 / (1e3 * stempdf::ElectronWavelength(300.0) * g.pixelSize);
  auto         scan = MakeScan(
    g, 2, [&](unsigned int x, unsigned int y) { return 100.0 + 50.0 * std::cos(40.0 * g.S(x, y)); }, false);
  auto byPixelSize = MakeFilter(g, scan, 0.25, 0.85);
  byPixelSize->SetPixelSize(g.pixelSize);
  byPixelSize->Update();
  auto byCameraLength = MakeFilter(g, scan, 0.25, 0.85);
  byCameraLength->SetCameraLength(cameraLength);
  byCameraLength->SetDetectorPixelPitch(55.0);
  byCameraLength->SetBeamEnergy(300.0);
  byCameraLength->Update();
  const auto values = byPixelSize->GetOutput()->GetBufferedRegion().GetNumberOfPixels() *
                      byPixelSize->GetOutput()->GetNumberOfComponentsPerPixel();
  for (size_t i = 0; i < values; ++i)
  {
    EXPECT_NEAR(
      byCameraLength->GetOutput()->GetBufferPointer()[i], byPixelSize->GetOutput()->GetBufferPointer()[i], 1e-9);
  }
  double used = 0.0;
  ASSERT_TRUE(itk::ExposeMetaData<double>(
    byCameraLength->GetOutput()->GetMetaDataDictionary(), stempdf::DetectorPixelSizeKey, used));
  EXPECT_NEAR(used, g.pixelSize, 1e-12) << "the pixel size used is recorded on the output";

  // The beam energy may come from the input's calibration.
  itk::EncapsulateMetaData<double>(scan->GetMetaDataDictionary(), stempdf::BeamEnergyKey, 300.0);
  byCameraLength->SetBeamEnergy(0.0);
  byCameraLength->Update();
  EXPECT_NEAR(
    byCameraLength->GetOutput()->GetBufferPointer()[5], byPixelSize->GetOutput()->GetBufferPointer()[5], 1e-9);
}

TEST(AzimuthalIntegrateImageFilter, AnyPieceOfTheScanGivesTheWholeScansValues)
{
  // 41 frames: two whole batches of the projector and a rest; pieces that
  // start anywhere regroup the frames into other batches.
  const Geometry     g;
  const unsigned int nx = 41;
  auto scan = MakeScan(g, nx, [&](unsigned int x, unsigned int y) { return 3.0 + ((x * 7 + y * 13) % 11); });
  auto whole = MakeFilter(g, scan, 0.25, 0.85);
  whole->Update();
  const size_t bins = whole->GetOutput()->GetNumberOfComponentsPerPixel();

  // The whole against an independent per-frame sparse product.
  const Eigen::SparseMatrix<double, Eigen::RowMajor> & w = whole->GetWeights();
  for (unsigned int i = 0; i < nx; ++i)
  {
    const Eigen::VectorXd frame =
      Eigen::Map<const Eigen::VectorXf>(scan->GetBufferPointer() + size_t{ i } * g.kx * g.ky, g.kx * g.ky)
        .cast<double>();
    const Eigen::VectorXd sums = w * frame;
    for (size_t b = 0; b < bins; ++b)
    {
      ASSERT_NEAR(whole->GetOutput()->GetBufferPointer()[i * bins + b],
                  sums[b] / whole->GetBinAreas()[b],
                  1e-12 * sums[b] / whole->GetBinAreas()[b]);
    }
  }
  for (const auto & piece : { std::pair<unsigned int, unsigned int>{ 0, 1 }, { 3, 17 }, { 16, 25 }, { 40, 1 } })
  {
    auto part = MakeFilter(g, scan, 0.25, 0.85);
    part->GetOutput()->SetRequestedRegion(PatternImage::RegionType({ { piece.first, 0 } }, { { piece.second, 1 } }));
    part->Update();
    ASSERT_EQ(part->GetOutput()->GetBufferedRegion().GetSize(0), piece.second);
    for (size_t i = 0; i < piece.second * bins; ++i)
    {
      ASSERT_EQ(part->GetOutput()->GetBufferPointer()[i],
                whole->GetOutput()->GetBufferPointer()[piece.first * bins + i])
        << "piece starting at " << piece.first;
    }
  }
}

TEST(AzimuthalIntegrateImageFilter, ExercisesBasicObjectMethods)
{
  // "InputAxis:" comes from the PrintSelf of the base, PerPositionImageFilter
  auto filter = stempdf::testing::NewAndExercise<Filter>("AzimuthalIntegrateImageFilter",
                                                         "PerPositionImageFilter",
                                                         { "InputAxis:", "EllipseRatio: 1", "ComputeVariance: Off" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, CenterOnDetectorMiddle, true);
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, ComputeVariance, false);
}

TEST(CalibratedAzimuthalIntegrateImageFilter, ExercisesBasicObjectMethods)
{
  // "EllipseRatio:" comes from the PrintSelf of its integrator
  auto filter = stempdf::testing::NewAndExercise<stempdf::CalibratedAzimuthalIntegrateImageFilter<PatternImage>>(
    "CalibratedAzimuthalIntegrateImageFilter",
    "ImageToImageFilter",
    { "RejectDefectivePixels: On", "Integrator:", "EllipseRatio: 1" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, RejectDefectivePixels, true);
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, FindCenter, false);
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, FitEllipse, true);
}

TEST(CalibratedAzimuthalIntegrateImageFilter, AFittedCentreIsUsedForOneUpdateOnly)
{
  // Rings about (33.3, 30.8): FindCenter finds them, and the integrator keeps
  // the user's centre, so turning FindCenter off again integrates about it.
  const Geometry g;
  auto           scan =
    MakeScan(g, 3, [&](unsigned int x, unsigned int y) { return 100.0 + 50.0 * std::cos(2.0 * Pi * g.S(x, y) / 0.2); });
  auto filter = stempdf::CalibratedAzimuthalIntegrateImageFilter<PatternImage>::New();
  filter->SetInput(scan);
  filter->RejectDefectivePixelsOff();
  filter->GetIntegrator()->CenterOnDetectorMiddleOff();
  filter->GetIntegrator()->SetCenter(Filter::PointType{ { 30.0, 29.0 } });
  filter->GetIntegrator()->SetSRange(Filter::RangeType{ { 0.25, 0.8 } });
  filter->FindCenterOn();
  filter->Update();
  EXPECT_NEAR(filter->GetUsedCenter()[0], g.cx, 0.2);
  EXPECT_NEAR(filter->GetUsedCenter()[1], g.cy, 0.2);
  EXPECT_EQ(filter->GetIntegrator()->GetCenter()[0], 30.0);
  EXPECT_FALSE(filter->GetIntegrator()->GetCenterOnDetectorMiddle());

  filter->FindCenterOff();
  filter->Update();
  EXPECT_EQ(filter->GetUsedCenter()[0], 30.0);
  EXPECT_EQ(filter->GetUsedCenter()[1], 29.0);
  EXPECT_EQ(filter->GetUsedEllipseRatio(), 1.0);
}
