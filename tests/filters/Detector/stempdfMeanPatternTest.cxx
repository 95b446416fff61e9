// The mean pattern of a field: the sum over pieces equals the sum over the
// whole, and the mean matches a direct loop.
#include "stempdfMeanPattern.h"

#include "stempdfTestingFields.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace
{
using Field = stempdf::PatternFieldImage<std::uint16_t>;

Field::Pointer
MakeField(unsigned int nx, unsigned int ny, unsigned int kx, unsigned int ky)
{
  auto         field = stempdf::testing::MakeField<Field>(nx, ny, stempdf::MakeDetectorAxis(kx, ky));
  const size_t n = static_cast<size_t>(nx) * ny * kx * ky;
  for (size_t i = 0; i < n; ++i)
  {
    field->GetBufferPointer()[i] = static_cast<std::uint16_t>((i * 2654435761u) % 60000u);
  }
  return field;
}
} // namespace

TEST(MeanPattern, MeanMatchesADirectLoopAndHasTheDetectorShape)
{
  const unsigned int nx = 5, ny = 3, kx = 7, ky = 4;
  auto               field = MakeField(nx, ny, kx, ky);
  auto               mean = stempdf::ComputeMeanPattern(field.GetPointer());
  ASSERT_EQ(mean->GetBufferedRegion().GetSize()[0], kx);
  ASSERT_EQ(mean->GetBufferedRegion().GetSize()[1], ky);
  for (unsigned int p = 0; p < kx * ky; ++p)
  {
    double sum = 0.0;
    for (unsigned int i = 0; i < nx * ny; ++i)
    {
      sum += field->GetBufferPointer()[static_cast<size_t>(i) * kx * ky + p];
    }
    EXPECT_DOUBLE_EQ(mean->GetBufferPointer()[p], sum / (nx * ny)) << "pixel " << p;
  }
}

TEST(MeanPattern, SumsOfPiecesAddUpToTheWhole)
{
  auto            field = MakeField(4, 6, 5, 5);
  Eigen::VectorXd whole, pieces;
  EXPECT_EQ(stempdf::AccumulatePatternSum(field.GetPointer(), field->GetBufferedRegion(), whole), 24u);
  for (unsigned int y = 0; y < 6; y += 2)
  {
    const Field::RegionType piece({ { 0, y } }, { { 4, 2 } });
    stempdf::AccumulatePatternSum(field.GetPointer(), piece, pieces);
  }
  EXPECT_EQ(pieces, whole); // integer counts: exact in double
}

TEST(MeanPattern, BadInputIsNamed)
{
  auto field = MakeField(2, 2, 3, 3);
  field->SetMetaDataDictionary(itk::MetaDataDictionary());
  EXPECT_THROW(stempdf::ComputeMeanPattern(field.GetPointer()), itk::ExceptionObject);
  Eigen::VectorXd sum;
  EXPECT_THROW(stempdf::AccumulatePatternSum(field.GetPointer(), Field::RegionType({ { 1, 1 } }, { { 2, 2 } }), sum),
               itk::ExceptionObject);
  EXPECT_THROW(stempdf::MakeDetectorImage(stempdf::MakeDetectorAxis(3, 3), Eigen::VectorXd::Zero(8)),
               itk::ExceptionObject);
}
