// MLLSFitImageFilter against known answers: positions made as known
// non-negative mixtures of realistic G(r) curves (Gaussian-shell models of the
// paper's two structural types and a weak noise-like pattern) plus an offset,
// with and without Gaussian noise; populations against a direct count;
// a basis on another r grid; every bad input; threads and pieces.
#include "stempdfMLLSFitImageFilter.h"
#include "stempdfShellPDFModel.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"
#include "stempdfTestingSamples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::MLLSFitImageFilter<Image>;
using stempdf::testing::ExpectUpdateError;
using stempdf::testing::UniformSamples;

/** The three reference curves on grid r: solid-like, liquid-like, noise-like. */
stempdf::BasisCurves
ModelBasis(const std::vector<double> & r)
{
  stempdf::BasisCurves basis;
  basis.R = r;
  basis.Names = { "solid-like", "liquid-like", "noise" };
  for (const auto & model :
       { stempdf::ShellPDFModel::SolidLike(), stempdf::ShellPDFModel::LiquidLike(), stempdf::ShellPDFModel::Noise() })
  {
    basis.Values.push_back(model.G(r));
  }
  return basis;
}

/** A scan of nx x ny mixtures sum_i w_i B_i + c (+ noise) on 0-10 A by 0.01 A. */
struct Mixtures
{
  Image::Pointer                   Field;
  std::vector<std::vector<double>> Weights; // per position
  std::vector<double>              Offsets;
};

Mixtures
MakeMixtures(unsigned int nx, unsigned int ny, double noise, unsigned int seed, bool withOffset = true)
{
  const auto r = UniformSamples(0.0, 0.01, 1001);
  const auto basis = ModelBasis(r);
  Mixtures   mixtures;
  auto &     field = mixtures.Field;
  const auto axis =
    stempdf::MakeProfileAxis(stempdf::RQuantity, stempdf::AngstromUnit, static_cast<unsigned int>(r.size()), 0.0, 0.01);
  field = stempdf::testing::MakeField<Image>(nx, ny, axis, 1.2, { { 3, 5 } }); // a scan that does not start at (0, 0)

  std::mt19937                           random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double>       gaussian(0.0, noise > 0.0 ? noise : 1.0);
  double *                               g = field->GetBufferPointer();
  for (unsigned int p = 0; p < nx * ny; ++p, g += r.size())
  {
    // Solid share from 0 to 1 across the scan, some positions purely one type.
    const double        solid = p % 7 == 0 ? 1.0 : (p % 11 == 0 ? 0.0 : uniform(random));
    const double        total = 0.5 + uniform(random);
    std::vector<double> w = { total * solid, total * (1.0 - solid), 0.3 * uniform(random) };
    const double        c = withOffset ? uniform(random) - 0.5 : 0.0;
    for (size_t m = 0; m < r.size(); ++m)
    {
      g[m] = c + (noise > 0.0 ? gaussian(random) : 0.0);
      for (size_t i = 0; i < w.size(); ++i)
      {
        g[m] += w[i] * basis.Values[i][m];
      }
    }
    mixtures.Weights.push_back(w);
    mixtures.Offsets.push_back(c);
  }
  return mixtures;
}

Filter::Pointer
MakeFilter(const Image::Pointer & field, const stempdf::BasisCurves & basis)
{
  auto filter = stempdf::testing::NewFilterOn<Filter>(field);
  filter->SetBasis(basis);
  return filter;
}

bool
SameBits(const double * a, const double * b, size_t count)
{
  return std::memcmp(a, b, count * sizeof(double)) == 0;
}
} // namespace

TEST(MLLSFitImageFilter, NoiseFreeMixturesAreRecoveredExactly)
{
  const auto mixtures = MakeMixtures(12, 9, 0.0, 1);
  auto       filter = MakeFilter(mixtures.Field, ModelBasis(UniformSamples(0.0, 0.01, 1001)));
  filter->SetComponents({ 0, 1 }); // the structural types; the noise-like pattern is not a population
  filter->Update();
  const double * w = filter->GetWeightsOutput()->GetBufferPointer();
  const double * f = filter->GetFractionsOutput()->GetBufferPointer();
  const double * c = filter->GetOffsetOutput()->GetBufferPointer();
  const double * rms = filter->GetResidualOutput()->GetBufferPointer();
  ASSERT_EQ(filter->GetWeightsOutput()->GetNumberOfComponentsPerPixel(), 3u);
  double worstWeight = 0.0, worstFraction = 0.0, worstOffset = 0.0, worstResidual = 0.0;
  for (size_t p = 0; p < mixtures.Weights.size(); ++p)
  {
    const auto & truth = mixtures.Weights[p];
    const double solid = truth[0] / (truth[0] + truth[1]);
    for (size_t i = 0; i < 3; ++i)
    {
      worstWeight = std::max(worstWeight, std::abs(w[3 * p + i] - truth[i]));
    }
    worstFraction = std::max({ worstFraction, std::abs(f[3 * p] - solid), std::abs(f[3 * p + 1] - (1.0 - solid)) });
    EXPECT_EQ(f[3 * p + 2], 0.0) << "an unselected component has no fraction";
    worstOffset = std::max(worstOffset, std::abs(c[p] - mixtures.Offsets[p]));
    worstResidual = std::max(worstResidual, rms[p]);
  }
  EXPECT_LT(worstWeight, 1e-10);
  EXPECT_LT(worstFraction, 1e-10);
  EXPECT_LT(worstOffset, 1e-10);
  EXPECT_LT(worstResidual, 1e-10);
  std::cout << "noise-free: worst |w - w_true| " << worstWeight << ", |f - f_true| " << worstFraction
            << ", |c - c_true| " << worstOffset << ", RMS residual " << worstResidual << std::endl;
  // The outputs keep the scan grid; weights carry a component axis, maps none.
  EXPECT_EQ(filter->GetResidualOutput()->GetBufferedRegion(), mixtures.Field->GetBufferedRegion());
  EXPECT_EQ(filter->GetWeightsOutput()->GetSpacing(), mixtures.Field->GetSpacing());
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(filter->GetFractionsOutput()->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "component");
  EXPECT_EQ(axis.Size[0], 3u);
  EXPECT_FALSE(stempdf::GetVectorAxis(filter->GetOffsetOutput()->GetMetaDataDictionary(), axis));
}

TEST(MLLSFitImageFilter, NoisyMixturesGiveFractionsWithinOnePercent)
{
  // White noise of 0.03 / A^2 on every 0.01 A sample against G peaks of
  // 5-9 / A^2. The two types differ little, so the fraction error grows with
  // the noise: worst of 256 positions 0.0068 here, 0.011 at 0.05, 0.023 at
  // 0.1 (RMS 0.0018, 0.0031, 0.0061): the least-squares estimate's own spread.
  const auto mixtures = MakeMixtures(16, 16, 0.03, 2);
  auto       filter = MakeFilter(mixtures.Field, ModelBasis(UniformSamples(0.0, 0.01, 1001)));
  filter->SetComponents({ 0, 1 });
  filter->Update();
  const double * f = filter->GetFractionsOutput()->GetBufferPointer();
  const double * c = filter->GetOffsetOutput()->GetBufferPointer();
  const double * rms = filter->GetResidualOutput()->GetBufferPointer();
  double         worst = 0.0, worstOffset = 0.0, meanResidual = 0.0;
  for (size_t p = 0; p < mixtures.Weights.size(); ++p)
  {
    const auto & truth = mixtures.Weights[p];
    worst = std::max(worst, std::abs(f[3 * p] - truth[0] / (truth[0] + truth[1])));
    worstOffset = std::max(worstOffset, std::abs(c[p] - mixtures.Offsets[p]));
    meanResidual += rms[p] / static_cast<double>(mixtures.Weights.size());
  }
  std::cout << "noise 0.03: worst fraction error " << worst << ", worst offset error " << worstOffset
            << ", mean RMS residual " << meanResidual << std::endl;
  EXPECT_LT(worst, 0.01);
  EXPECT_LT(worstOffset, 0.02);
  EXPECT_NEAR(meanResidual, 0.03, 0.0015) << "the RMS residual is the noise";
}

TEST(MLLSFitImageFilter, PopulationsAreTheMeanAndDominantShareOfTheFractions)
{
  const auto mixtures = MakeMixtures(10, 10, 0.05, 3);
  auto       filter = MakeFilter(mixtures.Field, ModelBasis(UniformSamples(0.0, 0.01, 1001)));
  filter->SetComponents({ 0, 1 });
  filter->Update();
  const auto     populations = filter->GetPopulations();
  const double * f = filter->GetFractionsOutput()->GetBufferPointer();
  double         mean[3] = { 0, 0, 0 }, area[3] = { 0, 0, 0 }, trueMean = 0.0, trueArea = 0.0;
  const size_t   positions = mixtures.Weights.size();
  for (size_t p = 0; p < positions; ++p)
  {
    for (int i = 0; i < 3; ++i)
    {
      mean[i] += f[3 * p + i] / positions;
    }
    area[f[3 * p] >= f[3 * p + 1] ? 0 : 1] += 1.0 / positions;
    const double solid = mixtures.Weights[p][0] / (mixtures.Weights[p][0] + mixtures.Weights[p][1]);
    trueMean += solid / positions;
    trueArea += (solid >= 0.5 ? 1.0 : 0.0) / positions;
  }
  ASSERT_EQ(populations.size(), 3u);
  EXPECT_EQ(populations[0].Name, "solid-like");
  for (int i = 0; i < 3; ++i)
  {
    EXPECT_NEAR(populations[i].MeanFraction, mean[i], 1e-12) << "component " << i;
    EXPECT_NEAR(populations[i].AreaFraction, area[i], 1e-12) << "component " << i;
  }
  EXPECT_FALSE(populations[2].Selected);
  EXPECT_EQ(populations[2].MeanFraction, 0.0);
  EXPECT_NEAR(populations[0].MeanFraction + populations[1].MeanFraction, 1.0, 1e-12);
  EXPECT_NEAR(populations[0].MeanFraction, trueMean, 0.005) << "against the true solid share";
  EXPECT_NEAR(populations[0].AreaFraction, trueArea, 0.03) << "a few positions near 50/50 may flip";
  EXPECT_EQ(filter->GetNumberOfZeroSumPositions(), 0.0);
}

TEST(MLLSFitImageFilter, PositionsWithoutWeightHaveFractionZeroAndAreCounted)
{
  auto     mixtures = MakeMixtures(6, 4, 0.0, 4);
  double * g = mixtures.Field->GetBufferPointer();
  for (size_t m = 0; m < 1001; ++m)
  {
    g[m] = -0.25;          // position (3, 5): an offset alone
    g[5 * 1001 + m] = 0.0; // position (8, 5): nothing
  }
  auto filter = MakeFilter(mixtures.Field, ModelBasis(UniformSamples(0.0, 0.01, 1001)));
  filter->Update();
  const double * w = filter->GetWeightsOutput()->GetBufferPointer();
  const double * f = filter->GetFractionsOutput()->GetBufferPointer();
  for (const size_t p : { size_t{ 0 }, size_t{ 5 } })
  {
    for (int i = 0; i < 3; ++i)
    {
      EXPECT_EQ(w[3 * p + i], 0.0) << "position " << p;
      EXPECT_EQ(f[3 * p + i], 0.0) << "position " << p;
    }
  }
  EXPECT_NEAR(filter->GetOffsetOutput()->GetBufferPointer()[0], -0.25, 1e-12);
  EXPECT_EQ(filter->GetNumberOfZeroSumPositions(), 2.0);
}

TEST(MLLSFitImageFilter, BasisOnAnotherGridIsInterpolated)
{
  const auto mixtures = MakeMixtures(8, 8, 0.0, 5);
  // Coarser (0.02 A) and shifted by half a data step, covering 0-10 A.
  const auto coarse = ModelBasis(UniformSamples(-0.005, 0.02, 502));
  auto       filter = MakeFilter(mixtures.Field, coarse);
  filter->SetComponents({ 0, 1 });
  filter->Update();

  // The same basis interpolated here onto the data's samples gives the same fit.
  stempdf::BasisCurves fine = coarse;
  fine.R = UniformSamples(0.0, 0.01, 1001);
  for (size_t c = 0; c < coarse.Values.size(); ++c)
  {
    fine.Values[c].resize(fine.R.size());
    for (size_t m = 0; m < fine.R.size(); ++m)
    {
      const size_t l = std::min<size_t>(static_cast<size_t>(std::floor((fine.R[m] + 0.005) / 0.02)), 500);
      const double t = (fine.R[m] - coarse.R[l]) / (coarse.R[l + 1] - coarse.R[l]);
      fine.Values[c][m] = coarse.Values[c][l] + t * (coarse.Values[c][l + 1] - coarse.Values[c][l]);
    }
  }
  auto reference = MakeFilter(mixtures.Field, fine);
  reference->SetComponents({ 0, 1 });
  reference->Update();
  const size_t   values = 3 * mixtures.Weights.size();
  const double * a = filter->GetWeightsOutput()->GetBufferPointer();
  const double * b = reference->GetWeightsOutput()->GetBufferPointer();
  double         difference = 0.0;
  for (size_t i = 0; i < values; ++i)
  {
    difference = std::max(difference, std::abs(a[i] - b[i]));
  }
  EXPECT_LT(difference, 1e-12) << "linear interpolation onto the data's r samples";

  // And the fractions are still those of the true mixtures (interpolation error only).
  const double * f = filter->GetFractionsOutput()->GetBufferPointer();
  double         worst = 0.0;
  for (size_t p = 0; p < mixtures.Weights.size(); ++p)
  {
    const auto & truth = mixtures.Weights[p];
    worst = std::max(worst, std::abs(f[3 * p] - truth[0] / (truth[0] + truth[1])));
  }
  std::cout << "basis on a 0.02 A grid shifted by 0.005 A: worst fraction error " << worst << std::endl;
  EXPECT_LT(worst, 0.01);
}

TEST(MLLSFitImageFilter, WithoutOffsetTheOffsetMapIsZero)
{
  const auto mixtures = MakeMixtures(5, 5, 0.0, 6, /*withOffset=*/false);
  auto       filter = MakeFilter(mixtures.Field, ModelBasis(UniformSamples(0.0, 0.01, 1001)));
  filter->FitOffsetOff();
  filter->Update();
  const double * w = filter->GetWeightsOutput()->GetBufferPointer();
  for (size_t p = 0; p < mixtures.Weights.size(); ++p)
  {
    EXPECT_EQ(filter->GetOffsetOutput()->GetBufferPointer()[p], 0.0);
    for (int i = 0; i < 3; ++i)
    {
      EXPECT_NEAR(w[3 * p + i], mixtures.Weights[p][i], 1e-10);
    }
  }
}

TEST(MLLSFitImageFilter, ThreadCountsAndPiecesGiveIdenticalBits)
{
  const auto   mixtures = MakeMixtures(23, 17, 0.1, 7);
  const auto   basis = ModelBasis(UniformSamples(0.0, 0.01, 1001));
  auto         one = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(mixtures.Field, basis), 1);
  auto         two = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(mixtures.Field, basis), 2);
  auto         many = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(mixtures.Field, basis), 7);
  const size_t positions = mixtures.Weights.size();
  for (auto * other : { two.GetPointer(), many.GetPointer() })
  {
    EXPECT_TRUE(SameBits(
      one->GetWeightsOutput()->GetBufferPointer(), other->GetWeightsOutput()->GetBufferPointer(), 3 * positions));
    EXPECT_TRUE(SameBits(
      one->GetFractionsOutput()->GetBufferPointer(), other->GetFractionsOutput()->GetBufferPointer(), 3 * positions));
    EXPECT_TRUE(SameBits(
      one->GetResidualOutput()->GetBufferPointer(), other->GetResidualOutput()->GetBufferPointer(), positions));
    EXPECT_TRUE(
      SameBits(one->GetOffsetOutput()->GetBufferPointer(), other->GetOffsetOutput()->GetBufferPointer(), positions));
    for (size_t i = 0; i < 3; ++i)
    {
      EXPECT_EQ(one->GetPopulations()[i].MeanFraction, other->GetPopulations()[i].MeanFraction);
      EXPECT_EQ(one->GetPopulations()[i].AreaFraction, other->GetPopulations()[i].AreaFraction);
    }
  }

  // A piece of the scan (columns 7-18, rows 9-14 of the whole) equals the whole there.
  auto                    piece = MakeFilter(mixtures.Field, basis);
  const Image::RegionType region({ { 7, 9 } }, { { 12, 6 } });
  piece->GetWeightsOutput()->SetRequestedRegion(region);
  piece->GetWeightsOutput()->Update();
  ASSERT_EQ(piece->GetWeightsOutput()->GetBufferedRegion(), region);
  ASSERT_EQ(piece->GetResidualOutput()->GetBufferedRegion(), region);
  for (itk::IndexValueType y = 9; y < 15; ++y)
  {
    for (itk::IndexValueType x = 7; x < 19; ++x)
    {
      const Image::IndexType index = { { x, y } };
      const auto             a = one->GetWeightsOutput()->GetPixel(index);
      const auto             b = piece->GetWeightsOutput()->GetPixel(index);
      for (unsigned int i = 0; i < 3; ++i)
      {
        ASSERT_EQ(a[i], b[i]) << "position (" << x << ", " << y << ")";
      }
      ASSERT_EQ(one->GetResidualOutput()->GetPixel(index), piece->GetResidualOutput()->GetPixel(index));
      ASSERT_EQ(one->GetOffsetOutput()->GetPixel(index), piece->GetOffsetOutput()->GetPixel(index));
    }
  }
}

TEST(MLLSFitImageFilter, BadInputsNameTheParameter)
{
  const auto mixtures = MakeMixtures(4, 3, 0.0, 8);
  const auto good = ModelBasis(UniformSamples(0.0, 0.01, 1001));
  const auto expectError = [&](const stempdf::BasisCurves & basis, const std::string & expected) {
    ExpectUpdateError(MakeFilter(mixtures.Field, basis), { expected });
  };

  stempdf::BasisCurves none = good;
  none.Values.clear();
  none.Names.clear();
  expectError(none, "Basis: no curves");

  stempdf::BasisCurves shorter = good;
  shorter.Values[1].pop_back();
  expectError(shorter, "Basis: curve 'liquid-like' has 1000 values for 1001 r samples");

  stempdf::BasisCurves unordered = good;
  std::swap(unordered.R[10], unordered.R[11]);
  expectError(unordered, "Basis: R must be finite and strictly ascending");

  stempdf::BasisCurves nan = good;
  nan.Values[2][500] = std::numeric_limits<double>::quiet_NaN();
  expectError(nan, "Basis: curve 'noise' is nan at r = 5 A");

  stempdf::BasisCurves nm = good;
  nm.RUnit = "nm";
  expectError(nm, "Basis: RUnit is 'nm'; expected A");
  for (const char * angstrom : { "A", "\xc3\x85", "angstrom" })
  {
    stempdf::BasisCurves ok = good;
    ok.RUnit = angstrom;
    EXPECT_EQ(stempdf::testing::UpdateError(MakeFilter(mixtures.Field, ok)), "") << angstrom;
  }

  stempdf::BasisCurves narrow = good;
  narrow.R = UniformSamples(1.0, 0.01, 801);
  for (auto & values : narrow.Values)
  {
    values.resize(801);
  }
  expectError(narrow, "Basis: its r range [1, 9] A does not cover the input's r samples [0, 10] A");

  stempdf::BasisCurves names = good;
  names.Names.pop_back();
  expectError(names, "Basis: 2 names for 3 curves");

  auto components = MakeFilter(mixtures.Field, good);
  components->SetComponents({ 0, 3 });
  ExpectUpdateError(components, { "Components: index 3 is not a basis curve" });

  // A non-number in G names its position and r (position (4, 6) of a scan starting at (3, 5)).
  auto broken = MakeMixtures(4, 3, 0.0, 8);
  broken.Field->GetBufferPointer()[(1 * 4 + 1) * 1001 + 250] = std::numeric_limits<double>::infinity();
  broken.Field->GetBufferPointer()[(2 * 4 + 3) * 1001 + 10] = std::numeric_limits<double>::quiet_NaN();
  ExpectUpdateError(MakeFilter(broken.Field, good), { "position (4, 6): G(r) is +inf at r = 2.5 A" });

  // An input without an r axis.
  auto                phi = MakeMixtures(4, 3, 0.0, 8).Field;
  stempdf::VectorAxis sAxis;
  stempdf::GetVectorAxis(phi->GetMetaDataDictionary(), sAxis);
  sAxis.Quantity = "s";
  sAxis.Unit = "1/A";
  stempdf::SetVectorAxis(phi->GetMetaDataDictionary(), sAxis);
  ExpectUpdateError(MakeFilter(phi, good), { "the input needs an \"r\" VectorAxis" });
}

TEST(MLLSFitImageFilter, ComponentSelectionText)
{
  EXPECT_EQ(stempdf::ParseComponentSelection("1,2", 3), std::vector<bool>({ true, true, false }));
  EXPECT_EQ(stempdf::ParseComponentSelection(" 3 1 ", 3), std::vector<bool>({ true, false, true }));
  EXPECT_EQ(stempdf::ParseComponentSelection("2-3", 3), std::vector<bool>({ false, true, true }));
  EXPECT_EQ(stempdf::ParseComponentSelection("", 3), std::vector<bool>(3, true));
  EXPECT_EQ(stempdf::ParseComponentSelection("  ", 2), std::vector<bool>(2, true));
  for (const char * bad : { "0", "4", "x", "1,a", "3-1" })
  {
    SCOPED_TRACE(std::string("selection \"") + bad + "\"");
    stempdf::testing::ExpectError([&]() { stempdf::ParseComponentSelection(bad, 3); }, { "Components:" });
  }
  stempdf::testing::ExpectError([]() { stempdf::ParseComponentSelection(" , ", 3); },
                                { "Components: select at least one component" });
}

TEST(MLLSFitImageFilter, ExercisesBasicObjectMethods)
{
  auto filter = stempdf::testing::NewAndExercise<Filter>(
    "MLLSFitImageFilter", "ImageToImageFilter", { "Basis: 0 curves", "FitOffset: On", "Components: all" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, FitOffset, true);
}
