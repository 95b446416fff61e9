// Known answers for StructureFactorImageFilter: every position equals the
// calculator's result on its profile, with its own N; the output axes are the
// samples inside SRange and the parameters N, C, p_k; threads and pieces do
// not change a bit; bad parameters are named, bad data by scan position.
#include "stempdfStructureFactorImageFilter.h"

#include "stempdfComposition.h"
#include "stempdfShellPDFModel.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"
#include "stempdfTestingSamples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::StructureFactorImageFilter<Image>;
using stempdf::testing::ExpectUpdateError;
const char * Alloy = "Cu64.5Zr35.5";

constexpr unsigned int Nx = 9, Ny = 6;
// AzimuthalIntegrate's default: 94 one-pixel bins over 0.25 .. 1.6, samples at bin centres.
constexpr unsigned int Bins = 94;
const double           Width = 1.35 / Bins;

double
S(unsigned int i)
{
  return 0.25 + 0.5 * Width + i * Width;
}

/** The bin centres S(0), ..., S(Bins - 1). */
std::vector<double>
SSamples()
{
  return stempdf::testing::UniformSamples(S(0), Width, Bins);
}

double
AtomsAt(unsigned int x, unsigned int y)
{
  return 2000.0 + 37.0 * x + 11.0 * y;
}

/** Profiles mixing the solid- and liquid-like models, a different N and a
 *  background at every position. */
Image::Pointer
MakeField()
{
  const std::vector<double> s = SSamples();
  const auto                solid = stempdf::ShellPDFModel::SolidLike().ReducedIntensity(s);
  const auto                liquid = stempdf::ShellPDFModel::LiquidLike().ReducedIntensity(s);
  const auto                f = stempdf::ComputeCompositionScatteringFactors(stempdf::ParseComposition(Alloy), s);

  auto image = stempdf::testing::MakeField<Image>(
    Nx, Ny, stempdf::MakeProfileAxis(stempdf::SQuantity, stempdf::InverseAngstromUnit, Bins, S(0), Width), 1.2);
  stempdf::testing::ForEachPosition(image, [&](unsigned int x, unsigned int y, double * profile) {
    const double a = (x + Nx * y) / double(Nx * Ny - 1), atoms = AtomsAt(x, y);
    for (unsigned int i = 0; i < Bins; ++i)
    {
      const double phi = a * solid[i] + (1.0 - a) * liquid[i] + 0.05 * (y + 1) * s[i] * (1.6 - s[i]);
      profile[i] = atoms * f.MeanFSquared[i] + atoms * f.MeanF[i] * f.MeanF[i] * phi / s[i] + 3.0 * x;
    }
  });
  return image;
}

Filter::Pointer
MakeFilter(Image * input)
{
  auto filter = stempdf::testing::NewFilterOn<Filter>(input);
  filter->SetComposition(Alloy);
  filter->SetSRange(Filter::RangeType{ { 0.4, 1.6 } });
  filter->SetDamping(stempdf::ReducedIntensityDamping::Exponential);
  filter->SetDampingFactor(0.2);
  return filter;
}
} // namespace

TEST(StructureFactorImageFilter, EveryPositionIsTheCalculatorsResultWithItsAxes)
{
  auto field = MakeField();
  auto filter = MakeFilter(field);
  filter->Update();
  const Image * phi = filter->GetOutput();
  const Image * parameters = filter->GetParametersOutput();

  // The samples inside SRange (0.4, 1.6): bin centres 10 .. 93.
  const unsigned int first = 10, count = Bins - first;
  ASSERT_GE(S(first), 0.4);
  ASSERT_LT(S(first - 1), 0.4);
  ASSERT_EQ(phi->GetNumberOfComponentsPerPixel(), count);
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(phi->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "s");
  EXPECT_EQ(axis.Unit, "1/A");
  EXPECT_EQ(axis.Size[0], count);
  EXPECT_EQ(axis.Size[1], 1u);
  EXPECT_NEAR(axis.Origin[0], S(first), 1e-12);
  EXPECT_DOUBLE_EQ(axis.Spacing[0], Width);
  EXPECT_DOUBLE_EQ(phi->GetSpacing()[0], 1.2);

  ASSERT_EQ(parameters->GetNumberOfComponentsPerPixel(), 6u); // N, C, p1..p4
  ASSERT_TRUE(stempdf::GetVectorAxis(parameters->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "parameters");
  EXPECT_EQ(axis.Size[0], 6u);

  const std::vector<double>                 s = SSamples();
  const stempdf::ReducedIntensityCalculator calculator(filter->GetReducedIntensityParameters(), s);
  ASSERT_EQ(calculator.GetFirstSample(), first);
  std::vector<double> expected(count), expectedParameters(6);
  for (unsigned int y = 0; y < Ny; ++y)
  {
    for (unsigned int x = 0; x < Nx; ++x)
    {
      const size_t p = static_cast<size_t>(y) * Nx + x;
      calculator.Compute(field->GetBufferPointer() + p * Bins, expected.data(), expectedParameters.data());
      for (unsigned int i = 0; i < count; ++i)
      {
        // Equal to rounding: with -march=native the compiler may fuse the
        // s = origin + i * spacing of the two grids differently (FMA).
        ASSERT_NEAR(phi->GetBufferPointer()[p * count + i], expected[i], 1e-12 * (1.0 + std::abs(expected[i])))
          << "position (" << x << ", " << y << ")";
      }
      for (unsigned int k = 0; k < 6; ++k)
      {
        ASSERT_NEAR(parameters->GetBufferPointer()[p * 6 + k],
                    expectedParameters[k],
                    1e-12 * (1.0 + std::abs(expectedParameters[k])));
      }
      // N: the last bin centre, 1.593 1/A, is where N is matched; the residual
      // oscillation of these mixtures there biases it by up to 0.77 %.
      EXPECT_NEAR(parameters->GetPixel({ { x, y } })[0], AtomsAt(x, y), 0.01 * AtomsAt(x, y));
      EXPECT_EQ(parameters->GetPixel({ { x, y } })[1], 0.0) << "automatic N: C = 0";
    }
  }

  // A fixed AtomCount: N is that number everywhere and C = I(s_fit) - N<f^2(s_fit)>.
  filter->SetAtomCount(2100.0);
  filter->SetNormalizationS(1.5);
  filter->Update();
  const auto         f = stempdf::ComputeCompositionScatteringFactors(stempdf::ParseComposition(Alloy), s);
  const double       fitS = filter->GetNormalizationS();
  const unsigned int j = static_cast<unsigned int>((fitS - S(0)) / Width); // bracketing bins j, j + 1
  const double       w = (fitS - S(j)) / Width;
  ASSERT_GT(w, 0.0);
  ASSERT_LT(w, 1.0);
  for (unsigned int y = 0; y < Ny; ++y)
  {
    for (unsigned int x = 0; x < Nx; ++x)
    {
      const auto   I = field->GetPixel({ { x, y } });
      const auto   result = filter->GetParametersOutput()->GetPixel({ { x, y } });
      const double expectedC =
        (1.0 - w) * I[j] + w * I[j + 1] - 2100.0 * ((1.0 - w) * f.MeanFSquared[j] + w * f.MeanFSquared[j + 1]);
      EXPECT_EQ(result[0], 2100.0);
      EXPECT_NEAR(result[1], expectedC, 1e-9 * std::abs(I[j]));
    }
  }
}

TEST(StructureFactorImageFilter, ThreadsAndPiecesDoNotChangeABit)
{
  auto         field = MakeField();
  auto         one = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(field), 1);
  auto         many = stempdf::testing::UpdatedWithWorkUnits(MakeFilter(field), 4);
  const size_t values = Nx * Ny * one->GetOutput()->GetNumberOfComponentsPerPixel();
  for (size_t i = 0; i < values; ++i)
  {
    ASSERT_EQ(one->GetOutput()->GetBufferPointer()[i], many->GetOutput()->GetBufferPointer()[i]);
  }
  for (size_t i = 0; i < Nx * Ny * 6; ++i)
  {
    ASSERT_EQ(one->GetParametersOutput()->GetBufferPointer()[i], many->GetParametersOutput()->GetBufferPointer()[i]);
  }

  using Region = Image::RegionType;
  for (const Region & piece : { Region({ { 0, 0 } }, { { 1, 1 } }),
                                Region({ { 3, 1 } }, { { 5, 4 } }),
                                Region({ { 8, 5 } }, { { 1, 1 } }),
                                Region({ { 2, 0 } }, { { 7, 6 } }) })
  {
    auto part = MakeFilter(field);
    part->GetOutput()->SetRequestedRegion(piece);
    part->Update();
    ASSERT_EQ(part->GetOutput()->GetBufferedRegion(), piece);
    ASSERT_EQ(part->GetParametersOutput()->GetBufferedRegion(), piece);
    for (unsigned int y = 0; y < piece.GetSize(1); ++y)
    {
      for (unsigned int x = 0; x < piece.GetSize(0); ++x)
      {
        const Image::IndexType index{ { piece.GetIndex(0) + x, piece.GetIndex(1) + y } };
        const auto             a = part->GetOutput()->GetPixel(index), b = one->GetOutput()->GetPixel(index);
        for (unsigned int i = 0; i < a.GetSize(); ++i)
        {
          ASSERT_EQ(a[i], b[i]) << "piece " << piece;
        }
        const auto pa = part->GetParametersOutput()->GetPixel(index), pb = one->GetParametersOutput()->GetPixel(index);
        for (unsigned int k = 0; k < pa.GetSize(); ++k)
        {
          ASSERT_EQ(pa[k], pb[k]) << "piece " << piece;
        }
      }
    }
  }
}

TEST(StructureFactorImageFilter, FloatProfilesGiveTheSameValuesToFloatPrecision)
{
  using FloatImage = itk::VectorImage<float, 2>;
  auto field = MakeField();
  auto single = FloatImage::New();
  single->SetRegions(field->GetLargestPossibleRegion());
  single->SetVectorLength(Bins);
  single->Allocate();
  for (size_t i = 0; i < Nx * Ny * Bins; ++i)
  {
    single->GetBufferPointer()[i] = static_cast<float>(field->GetBufferPointer()[i]);
  }
  single->SetMetaDataDictionary(field->GetMetaDataDictionary());
  auto filter = stempdf::testing::NewFilterOn<stempdf::StructureFactorImageFilter<FloatImage>>(single);
  filter->SetComposition(Alloy);
  filter->Update();
  auto reference = stempdf::testing::NewFilterOn<Filter>(field);
  reference->SetComposition(Alloy);
  reference->Update();
  const size_t n = reference->GetOutput()->GetNumberOfComponentsPerPixel();
  for (size_t i = 0; i < Nx * Ny * n; ++i)
  {
    ASSERT_NEAR(filter->GetOutput()->GetBufferPointer()[i], reference->GetOutput()->GetBufferPointer()[i], 1e-4);
  }
}

TEST(StructureFactorImageFilter, BadParametersAreNamedAndBadDataByPosition)
{
  auto field = MakeField();
  auto filter = MakeFilter(field);

  filter->SetComposition("Xx10Fe90");
  ExpectUpdateError(filter, { "Composition \"Xx10Fe90\": unknown element symbol \"Xx\"" });
  filter->SetComposition("Cu0Zr0");
  ExpectUpdateError(filter, { "Composition \"Cu0Zr0\": the amount of Cu is 0" });
  filter->SetComposition(Alloy);

  filter->SetSRange(Filter::RangeType{ { 0.1, 1.6 } });
  ExpectUpdateError(filter, { "SRange (0.1, 1.6) 1/A is outside the data's s grid" });
  filter->SetSRange(Filter::RangeType{ { 0.25, 1.6 } });
  EXPECT_EQ(stempdf::testing::UpdateError(filter), "") << "the bin edges of the default range are within the data";

  filter->SetNormalizationS(1.8);
  ExpectUpdateError(filter, { "NormalizationS is 1.8; expected 0 (the end of SRange) or an s within SRange" });
  filter->SetNormalizationS(0.0);

  filter->SetPolynomialOrder(12);
  ExpectUpdateError(filter, { "PolynomialOrder is 12" });
  filter->SetPolynomialOrder(4);

  filter->SetFitWindow(Filter::RangeType{ { 1.59, 1.6 } });
  ExpectUpdateError(filter, { "FitWindow (1.59, 1.6) 1/A holds 1 sample(s); expected at least 2" });
  filter->SetFitWindow(Filter::RangeType{ { 0.0, 0.0 } });

  filter->SetDampingFactor(-1.0);
  ExpectUpdateError(filter, { "DampingFactor is -1" });
  filter->SetDampingFactor(0.2);
  EXPECT_EQ(stempdf::testing::UpdateError(filter), "");

  // Bad data: the scan position is named.
  auto       bad = MakeField();
  const auto at = [&](unsigned int x, unsigned int y, unsigned int i) -> double & {
    return bad->GetBufferPointer()[(static_cast<size_t>(y) * Nx + x) * Bins + i];
  };
  at(3, 4, Bins - 1) = -2.0;
  filter->SetInput(bad);
  filter->SetNumberOfWorkUnits(4); // errors of worker threads are reported too
  // The last bin centre, 1.6 - Width / 2.
  ExpectUpdateError(filter, { "position (3, 4): I(s) at NormalizationS = 1.59282 is -2; expected > 0" });
  at(3, 4, Bins - 1) = 100.0;
  at(1, 5, 40) = std::numeric_limits<double>::quiet_NaN();
  bad->Modified();
  ExpectUpdateError(filter, { "position (1, 5): I(s) at s = ", "(sample 40) is nan; expected a finite number" });
  // Several bad positions: the first in scan order is named, whatever the work units.
  at(7, 0, Bins - 1) = -1.0;
  for (const unsigned int units : { 1u, 3u, 4u, 6u })
  {
    filter->SetNumberOfWorkUnits(units);
    SCOPED_TRACE(std::to_string(units) + " work units");
    ExpectUpdateError(filter, { "position (7, 0): I(s) at NormalizationS" });
  }
  at(7, 0, Bins - 1) = 100.0;
  at(1, 5, 40) = 100.0;
  bad->Modified();
  EXPECT_EQ(stempdf::testing::UpdateError(filter), "") << "the filter runs again once the data are good";

  // An input that is not an I(s) field.
  auto                other = MakeField();
  stempdf::VectorAxis axis;
  stempdf::GetVectorAxis(other->GetMetaDataDictionary(), axis);
  axis.Quantity = "r";
  axis.Unit = "A";
  stempdf::SetVectorAxis(other->GetMetaDataDictionary(), axis);
  filter->SetInput(other);
  ExpectUpdateError(filter, { "the input needs an \"s\" VectorAxis" });
}

TEST(StructureFactorImageFilter, ParametersMirrorTheStructAndPrint)
{
  auto                                      filter = Filter::New();
  const stempdf::ReducedIntensityParameters defaults;
  const auto                                p = filter->GetReducedIntensityParameters();
  EXPECT_EQ(p.Composition, defaults.Composition);
  EXPECT_EQ(filter->GetSRange()[0], 0.25);
  EXPECT_EQ(filter->GetSRange()[1], 1.6);
  EXPECT_EQ(filter->GetPolynomialOrder(), 4u);
  EXPECT_EQ(filter->GetDenominator(), stempdf::ReducedIntensityDenominator::MeanFSquared);
  EXPECT_EQ(filter->GetDamping(), stempdf::ReducedIntensityDamping::None);
  stempdf::ReducedIntensityParameters q;
  q.Composition = "Cu50Zr50";
  q.FitWindow = { { 1.3, 1.5 } };
  q.Damping = stempdf::ReducedIntensityDamping::Lorch;
  q.PolynomialOrder = 2;
  filter->SetReducedIntensityParameters(q);
  EXPECT_EQ(filter->GetComposition(), std::string("Cu50Zr50"));
  EXPECT_EQ(filter->GetFitWindow()[1], 1.5);
  EXPECT_EQ(filter->GetReducedIntensityParameters().PolynomialOrder, 2u);
  stempdf::testing::ExpectPrinted(filter, { "Damping: Lorch", "Composition: Cu50Zr50" });
}

TEST(StructureFactorImageFilter, ExercisesBasicObjectMethods)
{
  // "InputAxis:" comes from the PrintSelf of the base, PerPositionImageFilter
  auto filter = stempdf::testing::NewAndExercise<Filter>(
    "StructureFactorImageFilter", "PerPositionImageFilter", { "InputAxis:", "SRange:", "FitOffset: On" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, FitOffset, true);
}
