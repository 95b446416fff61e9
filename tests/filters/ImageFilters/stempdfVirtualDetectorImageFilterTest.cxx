// Known answers for VirtualDetectorImageFilter: annuli whose pixels can be
// counted by hand, patterns whose sums are known in closed form, the scan
// geometry of a piece, thread-count independence and every error message.
#include "stempdfVirtualDetectorImageFilter.h"

#include "itkMultiThreaderBase.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace
{
using PatternImage = stempdf::PatternFieldImage<unsigned short>;
using FilterType = stempdf::VirtualDetectorImageFilter<PatternImage>;
using stempdf::testing::ExpectUpdateError;
using stempdf::testing::NewFilterOn;
using stempdf::testing::UpdatedWithWorkUnits;

/** A scan of nx x ny positions of kx x ky patterns where the pattern at scan
 *  position (x, y) is (1 + x + 10 y) at every detector pixel, so a virtual
 *  detector of n pixels reads n (1 + x + 10 y). */
PatternImage::Pointer
MakeScan(unsigned int nx, unsigned int ny, unsigned int kx, unsigned int ky,
         PatternImage::IndexType start = { { 0, 0 } })
{
  auto         image = stempdf::testing::MakeField<PatternImage>(nx, ny, stempdf::MakeDetectorAxis(kx, ky), 1.2, start);
  const double origin[2] = { -3.0, 4.5 };
  image->SetOrigin(origin);
  stempdf::testing::ForEachPosition(image, [&](unsigned int x, unsigned int y, unsigned short * pattern) {
    std::fill_n(pattern, kx * ky, static_cast<unsigned short>(1 + x + 10 * y));
  });
  return image;
}

/** A filter on `input` whose virtual detector is the annulus [inner, outer). */
FilterType::Pointer
AnnulusOn(const PatternImage * input, double inner, double outer)
{
  auto filter = NewFilterOn<FilterType>(input);
  filter->SetInnerRadius(inner);
  filter->SetOuterRadius(outer);
  return filter;
}

/** Expects the update of a filter with the annulus [inner, outer) on a scan
 *  of 8 x 8 pixel patterns to fail saying `text`. */
void
ExpectAnnulusError(double inner, double outer, const std::string & text)
{
  ExpectUpdateError(AnnulusOn(MakeScan(2, 2, 8, 8), inner, outer), { text });
}
} // namespace

TEST(VirtualDetectorImageFilter, DiskAroundDetectorMiddleHoldsTheNineCentralPixels)
{
  // 5 x 5 detector, middle (2, 2): distances < 1.5 are 0, 1 and sqrt(2) -> 3 x 3 block.
  auto filter = AnnulusOn(MakeScan(4, 3, 5, 5), 0.0, 1.5);
  filter->Update();
  EXPECT_EQ(filter->GetNumberOfDetectorPixels(), 9u);
  EXPECT_DOUBLE_EQ(filter->GetEffectiveCenter()[0], 2.0);
  EXPECT_DOUBLE_EQ(filter->GetEffectiveCenter()[1], 2.0);
  const auto * output = filter->GetOutput();
  for (unsigned int y = 0; y < 3; ++y)
  {
    for (unsigned int x = 0; x < 4; ++x)
    {
      EXPECT_DOUBLE_EQ(output->GetPixel({ { x, y } }), 9.0 * (1 + x + 10 * y)) << "at scan (" << x << ", " << y << ")";
    }
  }
}

TEST(VirtualDetectorImageFilter, AnnulusIncludesInnerAndExcludesOuterRadius)
{
  // Off-centre ring around (3, 2) on a 7 x 5 detector: [1.4, 2) holds the 4
  // diagonal neighbours (d = sqrt 2) only, d = 2 stays out because the outer
  // radius is exclusive; [1, 2) adds the 4 edge neighbours at d = 1 because the
  // inner radius is inclusive.
  auto filter = AnnulusOn(MakeScan(2, 2, 7, 5), 1.4, 2.0);
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(FilterType::CenterType{ { 3.0, 2.0 } });
  filter->Update();
  EXPECT_EQ(filter->GetNumberOfDetectorPixels(), 4u);

  filter->SetInnerRadius(1.0);
  filter->Update();
  EXPECT_EQ(filter->GetNumberOfDetectorPixels(), 8u);
  EXPECT_DOUBLE_EQ(filter->GetOutput()->GetPixel({ { 1, 1 } }), 8.0 * 12);
}

TEST(VirtualDetectorImageFilter, SinglePixelPatternIsSeenOnlyInsideTheAnnulus)
{
  // A pattern that is zero but for one pixel of value v at (kx, ky) = (6, 2) of
  // an 8 x 8 detector: distance 2.5 from the middle (3.5, 3.5) is sqrt(2.5^2+1.5^2).
  auto                    image = MakeScan(1, 1, 8, 8);
  PatternImage::PixelType pattern(64);
  pattern.Fill(0);
  pattern[2 * 8 + 6] = 1000;
  image->SetPixel({ { 0, 0 } }, pattern);
  const double d = std::sqrt(2.5 * 2.5 + 1.5 * 1.5);

  auto filter = AnnulusOn(image, d - 0.01, d + 0.01);
  filter->Update();
  EXPECT_DOUBLE_EQ(filter->GetOutput()->GetPixel({ { 0, 0 } }), 1000.0);

  filter->SetInnerRadius(d + 0.01);
  filter->SetOuterRadius(d + 1.0);
  filter->Update();
  EXPECT_DOUBLE_EQ(filter->GetOutput()->GetPixel({ { 0, 0 } }), 0.0);
}

TEST(VirtualDetectorImageFilter, FullDetectorSumEqualsTotalCounts)
{
  // An outer radius beyond the corners takes every pixel: the total counts.
  auto filter = AnnulusOn(MakeScan(3, 2, 16, 12), 0.0, 100.0);
  filter->Update();
  EXPECT_EQ(filter->GetNumberOfDetectorPixels(), 16u * 12u);
  EXPECT_DOUBLE_EQ(filter->GetOutput()->GetPixel({ { 2, 1 } }), 192.0 * 13);
}

TEST(VirtualDetectorImageFilter, KeepsTheScanGeometryOfAPiece)
{
  // A piece of a larger scan (rows 5..7, columns 3..6) keeps its index, origin
  // and spacing, so it lands where it belongs when pieces are put together.
  auto filter = AnnulusOn(MakeScan(4, 3, 6, 6, { { 3, 5 } }), 0.0, 2.0);
  filter->Update();
  const auto * output = filter->GetOutput();
  EXPECT_EQ(output->GetBufferedRegion().GetIndex(0), 3);
  EXPECT_EQ(output->GetBufferedRegion().GetIndex(1), 5);
  EXPECT_EQ(output->GetBufferedRegion().GetSize(0), 4u);
  EXPECT_EQ(output->GetBufferedRegion().GetSize(1), 3u);
  EXPECT_DOUBLE_EQ(output->GetSpacing()[0], 1.2);
  EXPECT_DOUBLE_EQ(output->GetOrigin()[1], 4.5);
  const double n = filter->GetNumberOfDetectorPixels();
  EXPECT_DOUBLE_EQ(output->GetPixel({ { 6, 7 } }), n * (1 + 6 + 70));
}

TEST(VirtualDetectorImageFilter, ResultDoesNotDependOnTheThreadCount)
{
  auto input = MakeScan(37, 23, 9, 9);
  auto one = UpdatedWithWorkUnits(AnnulusOn(input, 0.0, 3.3), 1);
  auto many = UpdatedWithWorkUnits(AnnulusOn(input, 0.0, 3.3), 7);
  for (unsigned int y = 0; y < 23; ++y)
  {
    for (unsigned int x = 0; x < 37; ++x)
    {
      ASSERT_EQ(one->GetOutput()->GetPixel({ { x, y } }), many->GetOutput()->GetPixel({ { x, y } }));
    }
  }
}

TEST(VirtualDetectorImageFilter, InnerRadiusNotBelowOuterRadiusIsAnError)
{
  ExpectAnnulusError(5.0, 5.0, "InnerRadius (5) must be smaller than OuterRadius (5)");
}

TEST(VirtualDetectorImageFilter, NegativeInnerRadiusIsAnError)
{
  auto filter = NewFilterOn<FilterType>(MakeScan(2, 2, 8, 8));
  filter->SetInnerRadius(-1.0);
  ExpectUpdateError(filter, { "InnerRadius is -1" });
}

TEST(VirtualDetectorImageFilter, CenterOffTheDetectorIsAnError)
{
  auto filter = NewFilterOn<FilterType>(MakeScan(2, 2, 8, 6));
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(FilterType::CenterType{ { 3.0, 6.5 } });
  ExpectUpdateError(filter, { "Center (3, 6.5) lies off the 8 x 6 detector" });
}

TEST(VirtualDetectorImageFilter, AnnulusWithoutPixelsIsAnError)
{
  ExpectAnnulusError(0.1, 0.2, "holds no detector pixel centre");
}

TEST(VirtualDetectorImageFilter, InputWithoutDetectorAxisIsAnError)
{
  auto image = MakeScan(2, 2, 4, 4);
  image->GetMetaDataDictionary().Clear();
  auto filter = NewFilterOn<FilterType>(image);
  ExpectUpdateError(filter, { "the input has no detector axis" });
}

TEST(VirtualDetectorImageFilter, DetectorAxisThatDoesNotMatchTheVectorLengthIsAnError)
{
  auto image = MakeScan(2, 2, 4, 4);
  stempdf::SetVectorAxis(image->GetMetaDataDictionary(), stempdf::MakeDetectorAxis(4, 5));
  auto filter = NewFilterOn<FilterType>(image);
  ExpectUpdateError(filter, { "4 x 5 = 20 pixels but the input has 16 components" });
}

TEST(VirtualDetectorImageFilter, PrintSelfNamesEveryParameter)
{
  auto filter = FilterType::New();
  filter->SetInnerRadius(2.5);
  stempdf::testing::ExpectPrinted(filter,
                                  { "Center:", "CenterOnDetectorMiddle: On", "InnerRadius: 2.5", "OuterRadius: 10" });
}

TEST(VirtualDetectorImageFilter, ExercisesBasicObjectMethods)
{
  auto filter = stempdf::testing::NewAndExercise<FilterType>(
    "VirtualDetectorImageFilter", "ImageToImageFilter", { "EffectiveCenter:", "NumberOfDetectorPixels: 0" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(filter, CenterOnDetectorMiddle, true);
}
