// Known answers for RingCenterCalculator: analytic elliptical ring patterns
// (off-centre) give back their centre and ellipse, in the canonical form; the
// mean pattern of the project's simulator gives back its centre and ellipse
// with and without masking its dead/hot pixels; bad inputs are named.
#include "stempdfAmorphousScanSimulator.h"
#include "stempdfMeanPattern.h"
#include "stempdfRingCenterCalculator.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <string>

namespace
{
using Calculator = stempdf::RingCenterCalculator;
using stempdf::DetectorImage;
using stempdf::DetectorMaskImage;
using stempdf::testing::ExpectError;
constexpr double Pi = 3.14159265358979323846;

/** An elliptical ring pattern: a smooth background and four Gaussian rings. */
struct Rings
{
  unsigned int kx = 256, ky = 256;
  double       cx = 131.3, cy = 122.6, ratio = 0.97, angle = 35.0;

  double
  Rho(double x, double y) const
  {
    const double a = angle * Pi / 180.0, dx = x - cx, dy = y - cy;
    const double u = std::cos(a) * dx + std::sin(a) * dy, v = -std::sin(a) * dx + std::cos(a) * dy;
    return std::sqrt(u * u / ratio + v * v * ratio);
  }

  static double
  Intensity(double rho)
  {
    const double radius[4] = { 35.0, 58.0, 83.0, 106.0 }, width[4] = { 3.0, 4.0, 4.5, 5.0 },
                 height[4] = { 60.0, 25.0, 10.0, 5.0 };
    double value = 400.0 * std::exp(-rho / 20.0) + 30.0 * std::exp(-rho / 90.0) + 2.0;
    for (int k = 0; k < 4; ++k)
    {
      const double z = (rho - radius[k]) / width[k];
      value += height[k] * std::exp(-0.5 * z * z);
    }
    return value;
  }

  DetectorImage::Pointer
  Make() const
  {
    return stempdf::testing::MakeImage<DetectorImage>(
      kx, ky, [this](unsigned int x, unsigned int y) { return Intensity(Rho(x, y)); });
  }
};

/** Angle difference folded to (-90, 90] degrees (an ellipse axis is a line). */
double
AngleError(double a, double b)
{
  double d = std::fmod(a - b, 180.0);
  if (d > 90.0)
  {
    d -= 180.0;
  }
  if (d <= -90.0)
  {
    d += 180.0;
  }
  return d;
}

struct Result
{
  double cx, cy, ratio, angle, objective, milliseconds;
};

Result
Fit(Calculator * calculator)
{
  const auto start = std::chrono::steady_clock::now();
  calculator->Compute();
  const auto stop = std::chrono::steady_clock::now();
  return { calculator->GetCenter()[0],    calculator->GetCenter()[1],
           calculator->GetEllipseRatio(), calculator->GetEllipseAngle(),
           calculator->GetObjective(),    std::chrono::duration<double, std::milli>(stop - start).count() };
}

void
Report(const char * name, const Result & r, double cx, double cy, double ratio, double angle)
{
  std::cout << "[ " << name << " ] centre error (" << r.cx - cx << ", " << r.cy - cy << ") px, ratio error "
            << r.ratio - ratio << ", angle error " << AngleError(r.angle, angle) << " deg, objective " << r.objective
            << ", Compute() " << r.milliseconds << " ms" << std::endl;
}

/** How close a fit must come to the truth: centre (px), ratio, angle (deg). */
struct Tolerance
{
  double Centre, Ratio, Angle;
};
constexpr Tolerance Analytic{ 0.02, 5e-4, 1.0 };  // the analytic patterns
constexpr Tolerance Simulated{ 0.1, 0.002, 5.0 }; // the mean pattern of the simulator

/** Reports the fit `name` and expects its centre, ratio and angle (an axis:
 *  folded) within `tolerance` of the truth. */
void
ExpectFit(const char * name, const Result & r, double cx, double cy, double ratio, double angle, Tolerance tolerance)
{
  SCOPED_TRACE(name);
  Report(name, r, cx, cy, ratio, angle);
  EXPECT_NEAR(r.cx, cx, tolerance.Centre);
  EXPECT_NEAR(r.cy, cy, tolerance.Centre);
  EXPECT_NEAR(r.ratio, ratio, tolerance.Ratio);
  EXPECT_NEAR(AngleError(r.angle, angle), 0.0, tolerance.Angle);
}

/** Canonical form of the truth: e <= 1, angle in (-90, 90]. */
void
Canonical(double & ratio, double & angle)
{
  if (ratio > 1.0)
  {
    ratio = 1.0 / ratio;
    angle += 90.0;
  }
  angle = AngleError(angle, 0.0);
}
} // namespace

TEST(RingCenterCalculator, RecoversAnAnalyticEllipse)
{
  const Rings truth;
  auto        calculator = Calculator::New();
  calculator->SetImage(truth.Make());
  const Result r = Fit(calculator);
  ExpectFit("analytic ellipse", r, truth.cx, truth.cy, truth.ratio, truth.angle, Analytic);
  EXPECT_LT(r.objective, 1e-3);
  EXPECT_EQ(calculator->GetNumberOfOutliers(), 0u);
  EXPECT_DOUBLE_EQ(calculator->GetEffectiveRadiusRange()[0], 25.6);
  EXPECT_DOUBLE_EQ(calculator->GetEffectiveRadiusRange()[1], 115.2);
  std::cout << "[ analytic ellipse ] " << calculator->GetNumberOfEvaluations() << " objective evaluations" << std::endl;
}

TEST(RingCenterCalculator, ReportsTheCanonicalForm)
{
  // (1.03, 35 deg) and (1/1.03, 125 = -55 deg) are the same rings.
  Rings truth;
  truth.ratio = 1.03;
  truth.cx = 124.2;
  truth.cy = 133.9;
  auto calculator = Calculator::New();
  calculator->SetImage(truth.Make());
  const Result r = Fit(calculator);
  double       ratio = truth.ratio, angle = truth.angle;
  Canonical(ratio, angle);
  EXPECT_DOUBLE_EQ(angle, -55.0);
  Report("canonical form", r, truth.cx, truth.cy, ratio, angle);
  EXPECT_NEAR(r.cx, truth.cx, 0.02);
  EXPECT_NEAR(r.cy, truth.cy, 0.02);
  EXPECT_LE(r.ratio, 1.0);
  EXPECT_NEAR(r.ratio, ratio, 5e-4);
  EXPECT_NEAR(r.angle, angle, 1.0); // not folded: the canonical angle itself
  EXPECT_GT(r.angle, -90.0);
  EXPECT_LE(r.angle, 90.0);
}

TEST(RingCenterCalculator, RecoversACircularPattern)
{
  Rings truth;
  truth.ratio = 1.0;
  auto calculator = Calculator::New();
  calculator->SetImage(truth.Make());
  const Result r = Fit(calculator);
  Report("analytic circle", r, truth.cx, truth.cy, 1.0, r.angle);
  EXPECT_NEAR(r.cx, truth.cx, 0.02);
  EXPECT_NEAR(r.cy, truth.cy, 0.02);
  EXPECT_NEAR(r.ratio, 1.0, 5e-4);
  EXPECT_LE(r.ratio, 1.0);

  // FitEllipse off: only the centre is fitted; the ellipse is exactly circular.
  calculator->FitEllipseOff();
  const Result c = Fit(calculator);
  Report("analytic circle, FitEllipse off", c, truth.cx, truth.cy, 1.0, 0.0);
  EXPECT_NEAR(c.cx, truth.cx, 0.02);
  EXPECT_NEAR(c.cy, truth.cy, 0.02);
  EXPECT_EQ(c.ratio, 1.0);
  EXPECT_EQ(c.angle, 0.0);
}

TEST(RingCenterCalculator, FitEllipseOffFindsTheCentreOfAnAsymmetricDetectorPlacement)
{
  // A pattern far from the detector middle, on a non-square detector, with
  // InitialCenter given: the centre-only fit still lands on the truth.
  Rings truth;
  truth.kx = 300;
  truth.ky = 240;
  truth.cx = 160.7;
  truth.cy = 110.2;
  truth.ratio = 1.0;
  auto calculator = Calculator::New();
  calculator->SetImage(truth.Make());
  calculator->FitEllipseOff();
  calculator->SetInitialCenter(Calculator::PointType{ { 150.0, 120.0 } });
  calculator->UseInitialCenterOn();
  const Result r = Fit(calculator);
  Report("non-square, InitialCenter, FitEllipse off", r, truth.cx, truth.cy, 1.0, 0.0);
  EXPECT_NEAR(r.cx, truth.cx, 0.02);
  EXPECT_NEAR(r.cy, truth.cy, 0.02);
}

TEST(RingCenterCalculator, WorksInImageIndices)
{
  // A buffered region that starts at index (10, 20): the centre is reported as
  // an index, and InitialCenter is read as one.
  const Rings truth;
  const auto  shifted = DetectorImage::New();
  shifted->SetRegions(DetectorImage::RegionType{ { { 10, 20 } }, { { truth.kx, truth.ky } } });
  shifted->Allocate();
  const auto plain = truth.Make();
  std::copy(plain->GetBufferPointer(),
            plain->GetBufferPointer() + plain->GetBufferedRegion().GetNumberOfPixels(),
            shifted->GetBufferPointer());
  auto calculator = Calculator::New();
  calculator->SetImage(shifted);
  calculator->SetInitialCenter(Calculator::PointType{ { 140.0, 140.0 } });
  calculator->UseInitialCenterOn();
  const Result r = Fit(calculator);
  Report("region index (10, 20)", r, truth.cx + 10.0, truth.cy + 20.0, truth.ratio, truth.angle);
  EXPECT_NEAR(r.cx, truth.cx + 10.0, 0.02);
  EXPECT_NEAR(r.cy, truth.cy + 20.0, 0.02);
  EXPECT_NEAR(r.ratio, truth.ratio, 5e-4);
}

TEST(RingCenterCalculator, UsesRingsThatLeaveTheDetector)
{
  // Patterns near a corner with a band reaching well past the detector edges:
  // the samples off the detector are simply absent.
  for (const auto & centre : { Calculator::PointType{ { 70.3, 150.8 } }, Calculator::PointType{ { 190.6, 200.2 } } })
  {
    Rings truth;
    truth.cx = centre[0];
    truth.cy = centre[1];
    auto calculator = Calculator::New();
    calculator->SetImage(truth.Make());
    calculator->SetRadiusRange(Calculator::RangeType{ { 20.0, 150.0 } });
    const Result r = Fit(calculator);
    ExpectFit("band past the detector edge", r, truth.cx, truth.cy, truth.ratio, truth.angle, Analytic);
  }
}

TEST(RingCenterCalculator, IgnoresMaskedAndOutlierPixels)
{
  const Rings truth;
  auto        image = truth.Make();
  // A masked block of garbage (a "beam stop arm") ...
  auto mask = DetectorMaskImage::New();
  mask->SetRegions(image->GetBufferedRegion());
  mask->Allocate(true);
  for (unsigned int y = 120; y < 130; ++y)
  {
    for (unsigned int x = 140; x < 256; ++x)
    {
      image->SetPixel({ { x, y } }, 1e5);
      mask->SetPixel({ { x, y } }, 1);
    }
  }
  // ... and unmasked isolated dead and hot pixels, left to the outlier test.
  unsigned int defects = 0;
  for (unsigned int i = 0; i < 60; ++i)
  {
    const unsigned int x = 20 + (i * 37) % 216, y = 20 + (i * 71) % 216;
    if (mask->GetPixel({ { x, y } }) == 0)
    {
      image->SetPixel({ { x, y } }, i % 2 ? 0.0 : 4095.0);
      ++defects;
    }
  }
  auto calculator = Calculator::New();
  calculator->SetImage(image);
  calculator->SetMaskImage(mask);
  const Result r = Fit(calculator);
  ExpectFit("masked block + defects", r, truth.cx, truth.cy, truth.ratio, truth.angle, Analytic);
  EXPECT_GE(calculator->GetNumberOfOutliers(), defects);
  EXPECT_LE(calculator->GetNumberOfOutliers(), defects + 20);
}

/** The mean pattern of a 32 x 32 simulated scan, shared by the tests below. */
class RingCenterCalculatorSimulation : public ::testing::Test
{
protected:
  static void
  SetUpTestSuite()
  {
    auto simulator = stempdf::AmorphousScanSimulator::New();
    simulator->SetScanSize(stempdf::AmorphousScanSimulator::SizeType{ { 32, 32 } });
    simulator->SetDetectorSize(stempdf::AmorphousScanSimulator::SizeType{ { 256, 256 } });
    simulator->SetCenter(stempdf::AmorphousScanSimulator::PointType{ { 130.4, 124.7 } });
    simulator->Update();
    Mean = stempdf::ComputeMeanPattern(simulator->GetOutput());
    // Dead (1) and hot (2) pixels only; the direct beam lies inside RadiusRange[0].
    DefectMask = DetectorMaskImage::New();
    DefectMask->SetRegions(Mean->GetBufferedRegion());
    DefectMask->Allocate(true);
    const auto * classes = simulator->GetDetectorMask()->GetBufferPointer();
    for (std::size_t i = 0; i < Mean->GetBufferedRegion().GetNumberOfPixels(); ++i)
    {
      DefectMask->GetBufferPointer()[i] = classes[i] == 1 || classes[i] == 2;
      Defects += classes[i] == 1 || classes[i] == 2;
    }
    Ratio = simulator->GetEllipseRatio();
    Angle = simulator->GetEllipseAngle();
    Canonical(Ratio, Angle);
  }

  static void
  TearDownTestSuite()
  {
    Mean = nullptr;
    DefectMask = nullptr;
  }

  static constexpr double                  Cx = 130.4, Cy = 124.7;
  static inline double                     Ratio = 0.0, Angle = 0.0;
  static inline std::size_t                Defects = 0;
  static inline DetectorImage::Pointer     Mean;
  static inline DetectorMaskImage::Pointer DefectMask;
};

TEST_F(RingCenterCalculatorSimulation, RecoversTheSimulatorGeometryWithADefectMask)
{
  EXPECT_NEAR(Ratio, 1.0 / 1.02, 1e-12);
  EXPECT_NEAR(Angle, -60.0, 1e-12);
  auto calculator = Calculator::New();
  calculator->SetImage(Mean);
  calculator->SetMaskImage(DefectMask);
  const Result r = Fit(calculator);
  ExpectFit("simulator, dead/hot masked", r, Cx, Cy, Ratio, Angle, Simulated);
}

TEST_F(RingCenterCalculatorSimulation, RecoversTheSimulatorGeometryWithoutAMask)
{
  auto calculator = Calculator::New();
  calculator->SetImage(Mean);
  const Result r = Fit(calculator);
  ExpectFit("simulator, no mask", r, Cx, Cy, Ratio, Angle, Simulated);
  std::cout << "[ simulator, no mask ] " << calculator->GetNumberOfOutliers() << " outliers excluded (" << Defects
            << " dead/hot pixels on the detector)" << std::endl;

  // Without the outlier test the dead/hot pixels do spoil the fit: the test
  // above depends on it.
  calculator->SetOutlierThreshold(0.0);
  const Result spoiled = Fit(calculator);
  Report("simulator, no mask, no outlier test", spoiled, Cx, Cy, Ratio, Angle);
  EXPECT_EQ(calculator->GetNumberOfOutliers(), 0u);
  EXPECT_TRUE(std::hypot(spoiled.cx - Cx, spoiled.cy - Cy) > 0.1 || std::abs(spoiled.ratio - Ratio) > 0.002);
}

TEST(RingCenterCalculator, NamesBadInputs)
{
  const Rings truth;
  const auto  image = truth.Make();

  // No image.
  ExpectError([] { Calculator::New()->Compute(); }, { "Image" });

  // Results before Compute(), and after a parameter changed.
  {
    auto calculator = Calculator::New();
    ExpectError([&] { calculator->GetCenter(); }, { "Compute" });
    calculator->SetImage(image);
    calculator->Compute();
    EXPECT_NO_THROW(calculator->GetCenter());
    calculator->FitEllipseOff();
    ExpectError([&] { calculator->GetEllipseRatio(); }, { "Compute" });
  }

  // Mask of the wrong size.
  {
    auto mask = stempdf::testing::MakeImage<DetectorMaskImage>(256, 255, [](unsigned int, unsigned int) { return 0; });
    auto calculator = Calculator::New();
    calculator->SetImage(image);
    calculator->SetMaskImage(mask);
    ExpectError([&] { calculator->Compute(); }, { "MaskImage" });
  }

  // RadiusRange: negative, min >= max, beyond the detector.
  for (const auto & range : { Calculator::RangeType{ { -1.0, 50.0 } },
                              Calculator::RangeType{ { 60.0, 60.0 } },
                              Calculator::RangeType{ { 80.0, 40.0 } },
                              Calculator::RangeType{ { 10.0, 400.0 } } })
  {
    auto calculator = Calculator::New();
    calculator->SetImage(image);
    calculator->SetRadiusRange(range);
    SCOPED_TRACE(range);
    ExpectError([&] { calculator->Compute(); }, { "RadiusRange" });
  }

  // InitialCenter off the detector.
  {
    auto calculator = Calculator::New();
    calculator->SetImage(image);
    calculator->SetInitialCenter(Calculator::PointType{ { 300.0, 100.0 } });
    calculator->UseInitialCenterOn();
    ExpectError([&] { calculator->Compute(); }, { "InitialCenter" });
  }

  // Too few valid samples: everything masked but a corner.
  {
    auto mask = stempdf::testing::MakeImage<DetectorMaskImage>(
      256, 256, [](unsigned int x, unsigned int y) { return x < 20 && y < 20 ? 0 : 1; });
    auto calculator = Calculator::New();
    calculator->SetImage(image);
    calculator->SetMaskImage(mask);
    ExpectError([&] { calculator->Compute(); }, { "valid samples", "MaskImage" });
    // Everything masked.
    mask->FillBuffer(1);
    mask->Modified();
    ExpectError([&] { calculator->Compute(); }, { "MaskImage" });
  }

  // A constant image.
  {
    auto flat = stempdf::testing::MakeImage<DetectorImage>(256, 256, [](unsigned int, unsigned int) { return 7.0; });
    auto calculator = Calculator::New();
    calculator->SetImage(flat);
    ExpectError([&] { calculator->Compute(); }, { "constant", "Image" });
  }

  // A fit that leaves the detector: a ramp has no rings, its "best" centre is
  // far away (rings of ever larger radius approach its straight contours).
  {
    auto ramp = stempdf::testing::MakeImage<DetectorImage>(
      256, 256, [](unsigned int x, unsigned int y) { return 100.0 + x + 0.3 * y; });
    auto calculator = Calculator::New();
    calculator->SetImage(ramp);
    calculator->FitEllipseOff();
    ExpectError([&] { calculator->Compute(); }, { "Center" });
  }
}

TEST(RingCenterCalculator, PrintSelf)
{
  auto calculator = Calculator::New();
  calculator->SetImage(Rings().Make());
  calculator->Compute();
  stempdf::testing::ExpectPrinted(calculator, { "EllipseRatio", "RadiusRange" });
}

TEST(RingCenterCalculator, ExercisesBasicObjectMethods)
{
  auto calculator = stempdf::testing::NewAndExercise<Calculator>(
    "RingCenterCalculator", "Object", { "RadiusRange:", "FitEllipse: On", "(not computed)" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(calculator, FitEllipse, true);
  STEMPDF_EXPECT_SET_GET_BOOLEAN(calculator, UseInitialCenter, false);
}
