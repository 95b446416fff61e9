// Known answers for PairDistributionImageFilter: the r axis and its end, a
// closed-form transform through the s axis of the image, the round trip
// phi -> G of the Gaussian-shell model (first-peak position), g(r), threads
// and pieces, and bad input named.
#include "stempdfPairDistributionImageFilter.h"
#include "stempdfMetaDataKeys.h"
#include "stempdfShellPDFModel.h"

#include "itkMetaDataObject.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"
#include "stempdfTestingSamples.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <random>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::PairDistributionImageFilter<Image>;
using stempdf::testing::ExpectUpdateError;
using stempdf::testing::NewFilterOn;
constexpr double Pi = 3.14159265358979323846;

/** An nx x ny field of phi(s) on `bins` equal bins over [s0, s1] (the "s"
 *  axis of AzimuthalIntegrate: origin at the first bin centre). */
Image::Pointer
MakeField(unsigned int nx, unsigned int ny, double s0, double s1, unsigned int bins,
          const std::function<double(unsigned int, unsigned int, double)> & phi)
{
  const double width = (s1 - s0) / bins;
  const auto   axis =
    stempdf::MakeProfileAxis(stempdf::SQuantity, stempdf::InverseAngstromUnit, bins, s0 + 0.5 * width, width);
  auto image = stempdf::testing::MakeField<Image>(nx, ny, axis, 1.2);
  stempdf::testing::ForEachPosition(image, [&](unsigned int x, unsigned int y, double * values) {
    for (unsigned int j = 0; j < bins; ++j)
    {
      values[j] = phi(x, y, axis.GetCoordinate(j));
    }
  });
  itk::EncapsulateMetaData<double>(image->GetMetaDataDictionary(), stempdf::ScanStepKey, 1.2);
  return image;
}

Image::Pointer
RandomField(unsigned int nx, unsigned int ny, unsigned int seed)
{
  std::mt19937                           random(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  return MakeField(nx, ny, 0.25, 1.6, 94, [&](unsigned int, unsigned int, double) { return uniform(random); });
}

/** Position of the highest sample of G in [rMin, rMax], refined by the
 *  parabola through it and its neighbours (as ShellPDFModel::FindPeak). */
double
FirstPeak(const double * G, double r0, double dr, double rMin, double rMax)
{
  auto best = static_cast<size_t>(std::ceil((rMin - r0) / dr));
  for (auto m = best; r0 + m * dr <= rMax; ++m)
  {
    best = G[m] > G[best] ? m : best;
  }
  const double denominator = G[best - 1] - 2.0 * G[best] + G[best + 1];
  return r0 + best * dr + 0.5 * dr * (G[best - 1] - G[best + 1]) / denominator;
}

/** First-peak position of G computed by the filter from the model's phi on
 *  one-pixel bins (0.01433 1/A) over [0.25, sMax]. */
double
RoundTripPeak(const stempdf::ShellPDFModel & model, double sMax)
{
  const auto                bins = static_cast<unsigned int>(std::round((sMax - 0.25) / 0.01433));
  const std::vector<double> s = stempdf::testing::BinCentres(0.25, sMax, bins);
  const std::vector<double> phi = model.ReducedIntensity(s);
  auto                      field = MakeField(1, 1, 0.25, sMax, bins, [&](unsigned int, unsigned int, double value) {
    const auto j = static_cast<size_t>(std::lround((value - s[0]) / (s[1] - s[0])));
    return phi[j];
  });
  auto                      filter = NewFilterOn<Filter>(field);
  filter->Update();
  return FirstPeak(filter->GetOutput()->GetBufferPointer(), 0.0, 0.01, 2.0, 3.0);
}

/** The first peak of G(r) of the solid-like model's round trip over
 *  [0.25, sMax] lies within `tolerance` of the model's own (measured: see
 *  the message). */
void
ExpectRoundTripPeakWithin(double sMax, double tolerance)
{
  const auto   model = stempdf::ShellPDFModel::SolidLike();
  const double truth = model.FindPeak(2.0, 3.0).Position;
  const double peak = RoundTripPeak(model, sMax);
  EXPECT_NEAR(peak, truth, tolerance) << "G peak " << peak << " A, model " << truth << " A";
  std::cout << "s up to " << sMax << " 1/A: first peak " << peak << " A, model " << truth << " A, error "
            << peak - truth << " A\n";
}
} // namespace

TEST(PairDistributionImageFilter, OutputHasAnRAxisFrom0To10AIncluded)
{
  auto field = RandomField(3, 2, 1);
  auto filter = NewFilterOn<Filter>(field);
  filter->Update();
  const Image * output = filter->GetOutput();
  ASSERT_EQ(output->GetNumberOfComponentsPerPixel(), 1001u);
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(output->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "r");
  EXPECT_EQ(axis.Unit, "A");
  EXPECT_EQ(axis.Size[0], 1001u);
  EXPECT_EQ(axis.Origin[0], 0.0);
  EXPECT_EQ(axis.Spacing[0], 0.01);
  EXPECT_DOUBLE_EQ(axis.GetCoordinate(1000), 10.0);
  EXPECT_EQ(output->GetBufferedRegion().GetSize(), field->GetBufferedRegion().GetSize());
  EXPECT_DOUBLE_EQ(output->GetSpacing()[0], 1.2);
  double step = 0.0;
  EXPECT_TRUE(itk::ExposeMetaData<double>(output->GetMetaDataDictionary(), stempdf::ScanStepKey, step));
  EXPECT_EQ(step, 1.2) << "the input's calibration travels on";
  EXPECT_EQ(filter->GetPairCorrelationOutput()->GetBufferPointer(), nullptr) << "no g(r) without NumberDensity";

  // An end off the grid is not reached; one on it (up to rounding) is included.
  filter->SetRRange(Filter::RangeType{ { 1.0, 3.005 } });
  filter->Update();
  ASSERT_EQ(output->GetNumberOfComponentsPerPixel(), 201u);
  filter->SetRRange(Filter::RangeType{ { 0.3, 0.9 } });
  filter->SetRStep(0.1);
  filter->Update();
  ASSERT_EQ(output->GetNumberOfComponentsPerPixel(), 7u) << "0.3, 0.4, ..., 0.9: (0.9 - 0.3) / 0.1 = 5.999...";
  ASSERT_TRUE(stempdf::GetVectorAxis(output->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Origin[0], 0.3);
}

TEST(PairDistributionImageFilter, GaussianWindowedSineMatchesItsClosedForm)
{
  // phi = exp(-(s / sigma)^2) sin(2 pi s R) on bins over [0, 4] 1/A:
  // G(r) = 2 pi^(3/2) sigma [exp(-(pi sigma (r - R))^2) - exp(-(pi sigma (r + R))^2)]
  // to roundoff (stempdfSineTransformTest), if the filter reads the s axis right.
  const double sigma = 0.7;
  auto         field = MakeField(2, 1, 0.0, 4.0, 279, [&](unsigned int x, unsigned int, double s) {
    return std::exp(-(s / sigma) * (s / sigma)) * std::sin(2.0 * Pi * s * (2.5 + x));
  });
  auto         filter = NewFilterOn<Filter>(field);
  filter->Update();
  for (unsigned int x = 0; x < 2; ++x)
  {
    const double R = 2.5 + x;
    const auto   G = filter->GetOutput()->GetPixel({ { x, 0 } });
    for (unsigned int m = 0; m < 1001; ++m)
    {
      const double r = 0.01 * m, a = Pi * sigma * (r - R), b = Pi * sigma * (r + R);
      ASSERT_NEAR(G[m], 2.0 * std::pow(Pi, 1.5) * sigma * (std::exp(-a * a) - std::exp(-b * b)), 1e-12)
        << "R = " << R << ", r = " << r;
    }
  }
}

TEST(PairDistributionImageFilter, ModelRoundTripKeepsTheFirstPeakUpTo3PerA)
{
  // phi of the solid-like model on 0.25-3.0 1/A: the first peak of G(r) within
  // 0.01 A of the model's own.
  ExpectRoundTripPeakWithin(3.0, 0.01);
}

TEST(PairDistributionImageFilter, ModelRoundTripKeepsTheFirstPeakOnThePapersRange)
{
  // The paper's 0.25-1.6 1/A: within 0.03 A.
  ExpectRoundTripPeakWithin(1.6, 0.03);
}

TEST(PairDistributionImageFilter, PairCorrelationOutput)
{
  auto         field = RandomField(4, 3, 2);
  const double rho0 = 0.085;
  auto         filter = NewFilterOn<Filter>(field);
  filter->SetNumberDensity(rho0);
  filter->Update();
  const Image * G = filter->GetOutput();
  const Image * g = filter->GetPairCorrelationOutput();
  ASSERT_NE(g->GetBufferPointer(), nullptr);
  ASSERT_EQ(g->GetNumberOfComponentsPerPixel(), 1001u);
  stempdf::VectorAxis axis, sAxis;
  ASSERT_TRUE(stempdf::GetVectorAxis(g->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis.Quantity, "r");
  stempdf::GetVectorAxis(field->GetMetaDataDictionary(), sAxis);
  for (unsigned int p = 0; p < 12; ++p)
  {
    const double * phi = field->GetBufferPointer() + p * 94;
    const double * Gp = G->GetBufferPointer() + p * 1001;
    const double * gp = g->GetBufferPointer() + p * 1001;
    for (unsigned int m = 1; m < 1001; ++m)
    {
      ASSERT_EQ(gp[m], 1.0 + Gp[m] / (4.0 * Pi * axis.GetCoordinate(m) * rho0)) << "position " << p << ", m " << m;
    }
    // r = 0: the limit r -> 0 of the same formula, 1 + (4 pi / rho0) sum_j ds s_j phi_j.
    double moment = 0.0;
    for (unsigned int j = 0; j < 94; ++j)
    {
      moment += sAxis.Spacing[0] * sAxis.GetCoordinate(j) * phi[j];
    }
    EXPECT_EQ(Gp[0], 0.0);
    EXPECT_NEAR(gp[0], 1.0 + 4.0 * Pi / rho0 * moment, 1e-12 * std::abs(4.0 * Pi / rho0 * moment));
    EXPECT_TRUE(std::isfinite(gp[0]));
  }
  // Switched off again: no stale g(r) is left.
  filter->SetNumberDensity(0.0);
  filter->Update();
  EXPECT_EQ(filter->GetPairCorrelationOutput()->GetBufferPointer(), nullptr);
}

TEST(PairDistributionImageFilter, ThreadsAndPiecesGiveTheValuesOfTheWhole)
// Eigen's product sums in another order for blocks of other shapes: the
// values agree to rounding (1e-12 of the largest |G|), not bit for bit.
{
  const unsigned int nx = 37, ny = 5;
  auto               field = RandomField(nx, ny, 4);
  const auto         withDensity = [&field]() {
    auto filter = NewFilterOn<Filter>(field);
    filter->SetNumberDensity(0.07);
    return filter;
  };
  auto         one = stempdf::testing::UpdatedWithWorkUnits(withDensity(), 1);
  auto         four = stempdf::testing::UpdatedWithWorkUnits(withDensity(), 4);
  const size_t values = size_t{ nx } * ny * 1001;
  double       largest = 0.0;
  for (size_t i = 0; i < values; ++i)
  {
    largest = std::max(largest, std::abs(one->GetOutput()->GetBufferPointer()[i]));
  }
  const double Tolerance = 1e-12 * largest;
  for (size_t i = 0; i < values; ++i)
  {
    ASSERT_NEAR(one->GetOutput()->GetBufferPointer()[i], four->GetOutput()->GetBufferPointer()[i], Tolerance)
      << "G value " << i;
    ASSERT_NEAR(one->GetPairCorrelationOutput()->GetBufferPointer()[i],
                four->GetPairCorrelationOutput()->GetBufferPointer()[i],
                Tolerance)
      << "g value " << i;
  }
  // Pieces that start anywhere and are narrower than the scan (positions not
  // consecutive across lines).
  for (const auto & piece : { Image::RegionType({ { 0, 0 } }, { { 1, 1 } }),
                              Image::RegionType({ { 5, 1 } }, { { 7, 3 } }),
                              Image::RegionType({ { 0, 2 } }, { { nx, 2 } }),
                              Image::RegionType({ { 36, 4 } }, { { 1, 1 } }) })
  {
    auto part = withDensity();
    part->GetOutput()->SetRequestedRegion(piece);
    part->Update();
    ASSERT_EQ(part->GetOutput()->GetBufferedRegion(), piece);
    for (itk::IndexValueType y = piece.GetIndex(1);
         y < piece.GetIndex(1) + static_cast<itk::IndexValueType>(piece.GetSize(1));
         ++y)
    {
      for (itk::IndexValueType x = piece.GetIndex(0);
           x < piece.GetIndex(0) + static_cast<itk::IndexValueType>(piece.GetSize(0));
           ++x)
      {
        const Image::IndexType index{ { x, y } };
        const auto             mine = part->GetOutput()->GetPixel(index), whole = one->GetOutput()->GetPixel(index);
        const auto             g = part->GetPairCorrelationOutput()->GetPixel(index),
                   gWhole = one->GetPairCorrelationOutput()->GetPixel(index);
        for (unsigned int m = 0; m < 1001; ++m)
        {
          ASSERT_NEAR(mine[m], whole[m], Tolerance) << "position (" << x << ", " << y << ") of piece " << piece;
          ASSERT_NEAR(g[m], gWhole[m], Tolerance) << "position (" << x << ", " << y << ") of piece " << piece;
        }
      }
    }
  }
}

TEST(PairDistributionImageFilter, BadInputIsNamed)
{
  auto field = RandomField(4, 3, 3);
  auto filter = NewFilterOn<Filter>(field);
  filter->SetRStep(0.0);
  ExpectUpdateError(filter, { "RStep is 0; expected the r step in A (> 0)" });
  filter->SetRStep(-0.01);
  ExpectUpdateError(filter, { "RStep is -0.01" });
  filter->SetRStep(1e-9);
  ExpectUpdateError(filter, { "r samples; expected at most" });
  filter->SetRStep(0.01);
  filter->SetRRange(Filter::RangeType{ { 5.0, 2.0 } });
  ExpectUpdateError(filter, { "RRange is (5, 2); expected 0 <= r0 < r1 in A" });
  filter->SetRRange(Filter::RangeType{ { -1.0, 10.0 } });
  ExpectUpdateError(filter, { "RRange is (-1, 10)" });
  filter->SetRRange(Filter::RangeType{ { 0.0, 10.0 } });
  filter->SetNumberDensity(-0.085);
  ExpectUpdateError(filter, { "NumberDensity is -0.085" });
  filter->SetNumberDensity(0.085);
  EXPECT_EQ(stempdf::testing::UpdateError(filter), "");

  // Non-numbers, named by position and s.
  stempdf::VectorAxis axis;
  stempdf::GetVectorAxis(field->GetMetaDataDictionary(), axis);
  field->GetBufferPointer()[(1 * 4 + 3) * 94 + 10] = std::nan("");
  field->Modified();
  std::ostringstream expected;
  expected << "position (3, 1): phi(s) is NaN at s = " << axis.GetCoordinate(10) << " 1/A";
  ExpectUpdateError(filter, { expected.str() });
  field->GetBufferPointer()[(1 * 4 + 3) * 94 + 10] = 0.0;
  field->GetBufferPointer()[(2 * 4 + 0) * 94 + 93] = -INFINITY;
  field->Modified();
  ExpectUpdateError(filter, { "position (0, 2): phi(s) is -inf at s = 1.59" });
  field->GetBufferPointer()[(2 * 4 + 0) * 94 + 93] = 0.0;
  field->Modified();
  EXPECT_EQ(stempdf::testing::UpdateError(filter), "");

  // No "s" axis, or one that does not fit.
  auto bare = Image::New();
  bare->SetRegions(Image::SizeType{ { 2, 2 } });
  bare->SetVectorLength(94);
  bare->Allocate(true);
  filter->SetInput(bare);
  ExpectUpdateError(filter, { "the input needs an \"s\" VectorAxis", "it has no VectorAxis" });
  auto wrong = axis;
  wrong.Quantity = "r";
  wrong.Unit = "A";
  stempdf::SetVectorAxis(bare->GetMetaDataDictionary(), wrong);
  bare->Modified();
  ExpectUpdateError(filter, { "its VectorAxis is r [A]" });
  wrong = axis;
  wrong.Size[0] = 90;
  stempdf::SetVectorAxis(bare->GetMetaDataDictionary(), wrong);
  bare->Modified();
  ExpectUpdateError(filter, { "with one sample per component (94)" });
  wrong = axis;
  wrong.Spacing[0] = -0.01;
  stempdf::SetVectorAxis(bare->GetMetaDataDictionary(), wrong);
  bare->Modified();
  ExpectUpdateError(filter, { "expected ascending s" });
}

TEST(PairDistributionImageFilter, ExercisesBasicObjectMethods)
{
  // "InputAxis:" comes from the PrintSelf of the base, PerPositionImageFilter
  stempdf::testing::NewAndExercise<Filter>(
    "PairDistributionImageFilter", "PerPositionImageFilter", { "InputAxis:", "RRange:", "NumberDensity: 0 (no g(r))" });
}
