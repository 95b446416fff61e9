// Dead/hot detector pixels from the mean pattern: planted defects on a
// synthetic pattern with a saturated direct beam, the simulator's defects
// (with and without beam stop), and refusal of bad inputs.
#include "stempdfDefectivePixels.h"
#include "stempdfAmorphousScanSimulator.h"
#include "stempdfMeanPattern.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace
{
using stempdf::DefectivePixelClass;
using stempdf::DetectorImage;
using stempdf::DetectorMaskImage;
using stempdf::testing::ExpectError;
using stempdf::testing::MakeImage;

constexpr unsigned int Kx = 256, Ky = 256;
constexpr double       Saturation = 4095.0;
constexpr double       CenterX = 120.3, CenterY = 131.7, DiscRadius = 6.0;

double
Radius(unsigned int x, unsigned int y)
{
  return std::hypot(x - CenterX, y - CenterY);
}

/** A smooth radial pattern (decay + one broad ring, >= 5 counts everywhere)
 *  with a saturated direct-beam disc of radius 6 px. */
DetectorImage::Pointer
MakeSmoothPattern()
{
  return MakeImage<DetectorImage>(Kx, Ky, [](unsigned int x, unsigned int y) {
    const double r = Radius(x, y);
    return r < DiscRadius ? Saturation
                          : 5.0 + 800.0 * std::exp(-r / 25.0) + 40.0 * std::exp(-std::pow((r - 60.0) / 10.0, 2));
  });
}

DefectivePixelClass
ClassAt(const DetectorMaskImage * mask, unsigned int x, unsigned int y)
{
  return static_cast<DefectivePixelClass>(mask->GetPixel({ { x, y } }));
}
} // namespace

TEST(DefectivePixels, FindsExactlyThePlantedDefectsOnASmoothPatternWithASaturatedBeam)
{
  auto pattern = MakeSmoothPattern();
  // (x, y) -> class: corners, edges, inside and next to the disc, a pair, a dead column,
  // a 2 x 2 hot cluster.
  std::map<std::pair<unsigned int, unsigned int>, DefectivePixelClass> planted = {
    { { 0, 0 }, DefectivePixelClass::Dead },     { { 255, 255 }, DefectivePixelClass::Hot },
    { { 0, 77 }, DefectivePixelClass::Dead },    { { 255, 40 }, DefectivePixelClass::Hot },
    { { 100, 0 }, DefectivePixelClass::Dead },   { { 121, 132 }, DefectivePixelClass::Dead }, // inside the disc
    { { 127, 131 }, DefectivePixelClass::Dead },                                              // just outside the disc
    { { 180, 131 }, DefectivePixelClass::Hot },  { { 60, 200 }, DefectivePixelClass::Dead },
    { { 61, 200 }, DefectivePixelClass::Dead },  { { 30, 30 }, DefectivePixelClass::Hot },
    { { 31, 31 }, DefectivePixelClass::Dead },
  };
  for (unsigned int y = 50; y < 70; ++y)
  {
    planted[{ 200, y }] = DefectivePixelClass::Dead;
  }
  for (unsigned int y = 170; y < 172; ++y) // a 2 x 2 hot cluster
  {
    for (unsigned int x = 80; x < 82; ++x)
    {
      planted[{ x, y }] = DefectivePixelClass::Hot;
    }
  }
  for (const auto & [xy, kind] : planted)
  {
    const DetectorImage::IndexType index{ { xy.first, xy.second } };
    pattern->SetPixel(index, kind == DefectivePixelClass::Dead ? 0.0 : 50.0 * pattern->GetPixel(index));
  }
  // Extended features that are not defects: a 4 x 4 beam-stop-like shadow
  // (2 %) and a 3 x 3 Bragg-like spot (x 10): every pixel has at least 5
  // others of the feature within 2 px.
  for (unsigned int y = 210; y < 214; ++y)
  {
    for (unsigned int x = 150; x < 154; ++x)
    {
      pattern->SetPixel({ { x, y } }, 0.02 * pattern->GetPixel({ { x, y } }));
    }
  }
  for (unsigned int y = 90; y < 93; ++y)
  {
    for (unsigned int x = 160; x < 163; ++x)
    {
      pattern->SetPixel({ { x, y } }, 10.0 * pattern->GetPixel({ { x, y } }));
    }
  }

  const auto mask = stempdf::FindDefectivePixels(pattern.GetPointer());
  ASSERT_EQ(mask->GetBufferedRegion(), pattern->GetBufferedRegion());
  unsigned int wrong = 0;
  for (unsigned int y = 0; y < Ky; ++y)
  {
    for (unsigned int x = 0; x < Kx; ++x)
    {
      const auto it = planted.find({ x, y });
      const auto expected = it == planted.end() ? DefectivePixelClass::Good : it->second;
      if (ClassAt(mask, x, y) != expected && ++wrong <= 20)
      {
        ADD_FAILURE() << "pixel (" << x << ", " << y << ") at r = " << Radius(x, y) << " px: class "
                      << static_cast<int>(ClassAt(mask, x, y)) << ", expected " << static_cast<int>(expected);
      }
    }
  }
  EXPECT_EQ(wrong, 0u);
  const auto counts = stempdf::CountDefectivePixels(mask);
  EXPECT_EQ(counts.Dead, 28u); // 8 single/paired + 20 in the column
  EXPECT_EQ(counts.Hot, 8u);   // 4 single + the 2 x 2 cluster
  EXPECT_EQ(counts.Given, 0u);
  EXPECT_EQ(counts.Good + counts.Dead + counts.Hot, Kx * Ky);

  // Why MaximumOutlierNeighbours exists: without it the edge of the disc
  // (brighter than a median that mixes disc and ring) is called hot.
  stempdf::DefectivePixelCriteria noFeatureRule;
  noFeatureRule.MaximumOutlierNeighbours = 24;
  const auto   naive = stempdf::FindDefectivePixels(pattern.GetPointer(), noFeatureRule);
  unsigned int discEdgeHot = 0;
  for (unsigned int y = 0; y < Ky; ++y)
  {
    for (unsigned int x = 0; x < Kx; ++x)
    {
      discEdgeHot += Radius(x, y) < DiscRadius && ClassAt(naive, x, y) == DefectivePixelClass::Hot;
    }
  }
  std::cout << "without the extended-feature rule " << discEdgeHot << " pixels of the saturated disc are called hot"
            << std::endl;
  EXPECT_GT(discEdgeHot, 0u);
}

TEST(DefectivePixels, AGivenMaskIsCopiedAndLeftOutOfTheReferences)
{
  auto pattern = MakeSmoothPattern();
  // A 3 x 3 cluster of dead pixels is an extended feature ...
  for (unsigned int y = 60; y < 63; ++y)
  {
    for (unsigned int x = 150; x < 153; ++x)
    {
      pattern->SetPixel({ { x, y } }, 0.0);
    }
  }
  const auto unmasked = stempdf::CountDefectivePixels(stempdf::FindDefectivePixels(pattern.GetPointer()));
  EXPECT_EQ(unmasked.Dead + unmasked.Hot, 0u);

  // ... but with its outer 8 pixels given, the centre's reference and
  // neighbour count come from good pixels only: it is dead. A hot pixel
  // inside the given mask keeps class "given".
  auto given = DetectorMaskImage::New();
  given->SetRegions(pattern->GetBufferedRegion());
  given->Allocate(true);
  for (unsigned int y = 60; y < 63; ++y)
  {
    for (unsigned int x = 150; x < 153; ++x)
    {
      given->SetPixel({ { x, y } }, x == 151 && y == 61 ? 0 : 7);
    }
  }
  given->SetPixel({ { 20, 220 } }, 1);
  pattern->SetPixel({ { 20, 220 } }, Saturation);
  const auto mask = stempdf::FindDefectivePixels(pattern.GetPointer(), {}, given.GetPointer());
  EXPECT_EQ(ClassAt(mask, 151, 61), DefectivePixelClass::Dead);
  EXPECT_EQ(ClassAt(mask, 150, 60), DefectivePixelClass::Given);
  EXPECT_EQ(ClassAt(mask, 20, 220), DefectivePixelClass::Given);
  const auto counts = stempdf::CountDefectivePixels(mask);
  EXPECT_EQ(counts.Dead, 1u);
  EXPECT_EQ(counts.Hot, 0u);
  EXPECT_EQ(counts.Given, 9u);
}

TEST(DefectivePixels, ABeamStopShadowOnASteepPatternIsNotFlagged)
{
  // A disc and an 8 px wide arm to the detector edge passing 2 %, on a
  // pattern falling by e every 5 px (as steep as the simulator's inside its
  // first ring): along the arm's staircase edge half of a pixel's
  // neighbourhood can be shadow, and the median of the even count must not
  // fall between shadow and light (their mean makes 2 bright pixels "hot").
  const double pi = std::acos(-1.0), arm = 250.0 * pi / 180.0;
  auto         pattern = MakeImage<DetectorImage>(Kx, Ky, [arm](unsigned int x, unsigned int y) {
    const double dx = x - CenterX, dy = y - CenterY;
    const double along = dx * std::cos(arm) + dy * std::sin(arm), across = -dx * std::sin(arm) + dy * std::cos(arm);
    const bool   shadow = Radius(x, y) < 8.0 || (along > 0.0 && std::abs(across) < 4.0);
    return (shadow ? 0.02 : 1.0) * (1.0 + 5000.0 * std::exp(-Radius(x, y) / 5.0));
  });
  const auto   counts = stempdf::CountDefectivePixels(stempdf::FindDefectivePixels(pattern.GetPointer()));
  EXPECT_EQ(counts.Dead, 0u);
  EXPECT_EQ(counts.Hot, 0u);
}

TEST(DefectivePixels, DarkCornersAreNotJudgedDeadButHotPixelsThereAreFound)
{
  auto pattern = DetectorImage::New();
  pattern->SetRegions(DetectorImage::SizeType{ { 32, 32 } });
  pattern->Allocate();
  pattern->FillBuffer(0.01);              // below MinimumReference (0.05)
  pattern->SetPixel({ { 5, 5 } }, 0.0);   // could be noise: not judged
  pattern->SetPixel({ { 9, 9 } }, 0.1);   // 10 x the reference, below 3 x MinimumReference
  pattern->SetPixel({ { 20, 20 } }, 0.2); // above 3 x MinimumReference: hot
  const auto mask = stempdf::FindDefectivePixels(pattern.GetPointer());
  EXPECT_EQ(ClassAt(mask, 5, 5), DefectivePixelClass::Good);
  EXPECT_EQ(ClassAt(mask, 9, 9), DefectivePixelClass::Good);
  EXPECT_EQ(ClassAt(mask, 20, 20), DefectivePixelClass::Hot);
  const auto counts = stempdf::CountDefectivePixels(mask);
  EXPECT_EQ(counts.Dead + counts.Hot, 1u);
}

namespace
{
struct SimulatorRun
{
  stempdf::AmorphousScanSimulator::Pointer Simulator;
  DetectorImage::Pointer                   Mean;
};

SimulatorRun
Simulate(bool beamStop)
{
  SimulatorRun run;
  run.Simulator = stempdf::AmorphousScanSimulator::New();
  run.Simulator->SetScanSize({ { 32, 32 } });
  run.Simulator->SetDetectorSize({ { Kx, Ky } });
  run.Simulator->SetBeamStop(beamStop);
  run.Simulator->Update();
  run.Mean = stempdf::ComputeMeanPattern(run.Simulator->GetOutput());
  return run;
}

enum class Place
{
  Clear,         // a defect away from beam and shadow
  InBeam,        // a defect in the saturated direct beam (s < DirectBeamRadius, no beam stop)
  InShadow,      // a defect inside the beam-stop shadow
  TouchesShadow, // a defect with a shadow pixel among its 8 nearest neighbours
  Good,          // truth class 0
  Feature        // the direct beam (3) or the shadow (4) itself
};

/** Where each detector pixel is. The simulator writes defects over the beam
 *  and shadow classes, so a defect is "in the beam" by its s and "in the
 *  shadow" when most of its 8 nearest neighbours are shadow. */
std::vector<Place>
Places(const SimulatorRun & run)
{
  const auto * truth = run.Simulator->GetDetectorMask()->GetBufferPointer();
  const auto & s = run.Simulator->GetPixelS();
  const auto   shadowNeighbours = [truth](size_t p) {
    unsigned int n = 0;
    const long   x = static_cast<long>(p % Kx), y = static_cast<long>(p / Kx);
    for (long qy = std::max(0L, y - 1); qy <= std::min<long>(Ky - 1, y + 1); ++qy)
    {
      for (long qx = std::max(0L, x - 1); qx <= std::min<long>(Kx - 1, x + 1); ++qx)
      {
        n += truth[qy * Kx + qx] == 4;
      }
    }
    return n;
  };
  std::vector<Place> places(s.size());
  for (size_t p = 0; p < s.size(); ++p)
  {
    switch (truth[p])
    {
      case 0:
        places[p] = Place::Good;
        break;
      case 1:
      case 2:
      {
        const unsigned int shadow = shadowNeighbours(p);
        const bool         beam = !run.Simulator->GetBeamStop() && s[p] < run.Simulator->GetDirectBeamRadius();
        places[p] = shadow >= 5  ? Place::InShadow
                    : shadow > 0 ? Place::TouchesShadow
                    : beam       ? Place::InBeam
                                 : Place::Clear;
      }
      break;
      default:
        places[p] = Place::Feature;
    }
  }
  return places;
}

/** Compares the found mask with the simulator's classes, prints the counts,
 *  and returns how many defects of each place were found with the right class
 *  out of how many. Expects every Clear defect found (and, with
 *  `touchingMustBeFound`, every TouchesShadow one), no good pixel flagged,
 *  and the beam and shadow either unflagged or, where `given`, class 3. */
void
CompareWithTruth(const SimulatorRun & run, const DetectorMaskImage * found, const char * label,
                 const DetectorMaskImage * given = nullptr)
{
  const auto *                                           truth = run.Simulator->GetDetectorMask()->GetBufferPointer();
  const auto                                             places = Places(run);
  const std::uint8_t *                                   classes = found->GetBufferPointer();
  std::map<Place, std::pair<unsigned int, unsigned int>> defects; // found right, total
  unsigned int                                           falsePositives = 0, featureFlagged = 0;
  for (size_t p = 0; p < places.size(); ++p)
  {
    const auto where = [&] {
      return std::string(label) + ": pixel (" + std::to_string(p % Kx) + ", " + std::to_string(p / Kx) + "), truth " +
             std::to_string(truth[p]) + ", mean " + std::to_string(run.Mean->GetBufferPointer()[p]) + ", found " +
             std::to_string(classes[p]);
    };
    if (given != nullptr && given->GetBufferPointer()[p] != 0)
    {
      EXPECT_EQ(classes[p], 3) << where();
      continue;
    }
    switch (places[p])
    {
      case Place::Good:
        falsePositives += classes[p] != 0;
        EXPECT_EQ(classes[p], 0) << where();
        break;
      case Place::Feature:
        // Neither the direct beam nor the beam-stop shadow is a detector
        // defect: not flagged (a user gives the beam stop as a mask).
        featureFlagged += classes[p] != 0;
        EXPECT_EQ(classes[p], 0) << where();
        break;
      default:
        ++defects[places[p]].second;
        defects[places[p]].first += classes[p] == truth[p];
        if (places[p] == Place::Clear || (given != nullptr && places[p] == Place::TouchesShadow))
        {
          EXPECT_EQ(classes[p], truth[p]) << where();
        }
    }
  }
  const auto report = [&defects](Place place) {
    return std::to_string(defects[place].first) + " / " + std::to_string(defects[place].second);
  };
  std::cout << label << ": defects found (right class / planted): clear " << report(Place::Clear)
            << ", in the direct beam " << report(Place::InBeam) << ", inside the shadow " << report(Place::InShadow)
            << ", touching the shadow " << report(Place::TouchesShadow) << "; flagged: good pixels " << falsePositives
            << ", beam/shadow pixels " << featureFlagged << std::endl;
  EXPECT_GT(defects[Place::Clear].second, 50u); // the simulator did plant defects
}

DetectorMaskImage::Pointer
ClassesOf(const DetectorImage * mean, const SimulatorRun & run, DefectivePixelClass kind)
{
  auto mask = DetectorMaskImage::New();
  mask->SetRegions(mean->GetBufferedRegion());
  mask->Allocate(true);
  const auto * truth = run.Simulator->GetDetectorMask()->GetBufferPointer();
  for (size_t p = 0; p < run.Simulator->GetPixelS().size(); ++p)
  {
    mask->GetBufferPointer()[p] = truth[p] == static_cast<std::uint8_t>(kind);
  }
  return mask;
}
} // namespace

TEST(DefectivePixels, FindsTheSimulatorsDeadAndHotPixels)
{
  const auto run = Simulate(false);
  double     darkest = std::numeric_limits<double>::infinity();
  for (size_t p = 0; p < run.Simulator->GetPixelS().size(); ++p)
  {
    if (run.Simulator->GetDetectorMask()->GetBufferPointer()[p] == 0)
    {
      darkest = std::min(darkest, run.Mean->GetBufferPointer()[p]);
    }
  }
  std::cout << "darkest good pixel of the mean pattern: " << darkest << " counts per frame" << std::endl;

  const auto start = std::chrono::steady_clock::now();
  const auto found = stempdf::FindDefectivePixels(run.Mean.GetPointer());
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "FindDefectivePixels on " << Kx << " x " << Ky << ": " << 1e3 * seconds << " ms" << std::endl;
  CompareWithTruth(run, found, "no beam stop");
  const auto counts = stempdf::CountDefectivePixels(found);
  std::cout << "no beam stop: " << counts.Dead << " dead, " << counts.Hot << " hot found" << std::endl;
}

TEST(DefectivePixels, LeavesTheBeamStopShadowToTheUser)
{
  // Unmasked, the shadow (edge included) is not flagged; a defect touching it
  // may pass as part of it.
  const auto run = Simulate(true);
  CompareWithTruth(run, stempdf::FindDefectivePixels(run.Mean.GetPointer()), "beam stop");

  // Given the shadow as a mask, the result is the complete mask (shadow 3)
  // and the defects touching the shadow are found as well.
  const auto shadow = ClassesOf(run.Mean, run, static_cast<DefectivePixelClass>(4));
  CompareWithTruth(run,
                   stempdf::FindDefectivePixels(run.Mean.GetPointer(), {}, shadow.GetPointer()),
                   "beam stop, shadow given",
                   shadow);
}

TEST(DefectivePixels, BadInputsNameTheParameter)
{
  auto pattern = MakeSmoothPattern();
  using Criteria = stempdf::DefectivePixelCriteria;
  const auto with = [&pattern](Criteria criteria, const std::string & parameter) {
    ExpectError([&] { stempdf::FindDefectivePixels(pattern.GetPointer(), criteria); }, { parameter });
  };
  ExpectError([] { stempdf::FindDefectivePixels(nullptr); }, { "meanPattern" });
  for (const double threshold :
       { 1.0, 0.5, -3.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity() })
  {
    Criteria criteria;
    criteria.Threshold = threshold;
    SCOPED_TRACE(threshold);
    with(criteria, "Threshold");
  }
  for (const unsigned int radius : { 0u, 128u, 1000u })
  {
    Criteria criteria;
    criteria.NeighbourhoodRadius = radius;
    SCOPED_TRACE(radius);
    with(criteria, "NeighbourhoodRadius");
  }
  auto     small = MakeImage<DetectorImage>(9, 7, [](unsigned int, unsigned int) { return 1.0; });
  Criteria largest;
  largest.NeighbourhoodRadius = 3; // 2R+1 = 7 fits the 9 x 7 detector
  EXPECT_NO_THROW(stempdf::FindDefectivePixels(small.GetPointer(), largest));
  largest.NeighbourhoodRadius = 4;
  ExpectError([&] { stempdf::FindDefectivePixels(small.GetPointer(), largest); }, { "NeighbourhoodRadius" });
  for (const double minimum : { -1e-3, std::numeric_limits<double>::quiet_NaN() })
  {
    Criteria criteria;
    criteria.MinimumReference = minimum;
    SCOPED_TRACE(minimum);
    with(criteria, "MinimumReference");
  }
  Criteria tooMany;
  tooMany.MaximumOutlierNeighbours = 25;
  with(tooMany, "MaximumOutlierNeighbours");

  auto wrongSize = MakeImage<DetectorMaskImage>(Kx, Ky - 1, [](unsigned int, unsigned int) { return 0; });
  ExpectError([&] { stempdf::FindDefectivePixels(pattern.GetPointer(), {}, wrongSize.GetPointer()); },
              { "existingMask" });

  for (const double bad : { -1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity() })
  {
    auto copy = MakeSmoothPattern();
    copy->SetPixel({ { 17, 3 } }, bad);
    ExpectError([&] { stempdf::FindDefectivePixels(copy.GetPointer()); }, { "meanPattern pixel (17, 3)" });
  }

  ExpectError([] { stempdf::CountDefectivePixels(nullptr); }, { "mask" });
  auto invalid =
    MakeImage<DetectorMaskImage>(4, 4, [](unsigned int x, unsigned int y) { return x == 2 && y == 1 ? 4 : 0; });
  ExpectError([&] { stempdf::CountDefectivePixels(invalid.GetPointer()); }, { "(2, 1)" });
}
