// Known answers for VirtualDetectorImageFilter: annuli whose pixels can be
// counted by hand, patterns whose sums are known in closed form, the scan
// geometry of a piece, thread-count independence and every error message.
#include "stempdfVirtualDetectorImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <gtest/gtest.h>

#include <string>

namespace
{
using PatternImage = stempdf::PatternFieldImage<unsigned short>;
using FilterType = stempdf::VirtualDetectorImageFilter<PatternImage>;

/** A scan of nx x ny positions of kx x ky patterns where the pattern at scan
 *  position (x, y) is (1 + x + 10 y) at every detector pixel, so a virtual
 *  detector of n pixels reads n (1 + x + 10 y). */
PatternImage::Pointer
MakeScan(unsigned int nx, unsigned int ny, unsigned int kx, unsigned int ky, PatternImage::IndexType start = { { 0, 0 } })
{
  auto                    image = PatternImage::New();
  PatternImage::SizeType  size = { { nx, ny } };
  PatternImage::RegionType region(start, size);
  image->SetRegions(region);
  image->SetVectorLength(kx * ky);
  const double spacing[2] = { 1.2, 1.2 };
  const double origin[2] = { -3.0, 4.5 };
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->Allocate();
  for (unsigned int y = 0; y < ny; ++y)
  {
    for (unsigned int x = 0; x < nx; ++x)
    {
      PatternImage::IndexType index = { { start[0] + x, start[1] + y } };
      PatternImage::PixelType pattern(kx * ky);
      pattern.Fill(static_cast<unsigned short>(1 + (start[0] + x) + 10 * (start[1] + y)));
      image->SetPixel(index, pattern);
    }
  }
  stempdf::SetVectorAxis(image->GetMetaDataDictionary(), stempdf::MakeDetectorAxis(kx, ky));
  return image;
}

std::string
UpdateError(FilterType * filter)
{
  try
  {
    filter->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    return e.GetDescription();
  }
  return "";
}
} // namespace

TEST(VirtualDetectorImageFilter, DiskAroundDetectorMiddleHoldsTheNineCentralPixels)
{
  // 5 x 5 detector, middle (2, 2): distances < 1.5 are 0, 1 and sqrt(2) -> 3 x 3 block.
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(4, 3, 5, 5));
  filter->SetInnerRadius(0.0);
  filter->SetOuterRadius(1.5);
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
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(2, 2, 7, 5));
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(FilterType::CenterType{ { 3.0, 2.0 } });
  filter->SetInnerRadius(1.4);
  filter->SetOuterRadius(2.0);
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
  auto image = MakeScan(1, 1, 8, 8);
  PatternImage::PixelType pattern(64);
  pattern.Fill(0);
  pattern[2 * 8 + 6] = 1000;
  image->SetPixel({ { 0, 0 } }, pattern);
  const double d = std::sqrt(2.5 * 2.5 + 1.5 * 1.5);

  auto filter = FilterType::New();
  filter->SetInput(image);
  filter->SetInnerRadius(d - 0.01);
  filter->SetOuterRadius(d + 0.01);
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
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(3, 2, 16, 12));
  filter->SetOuterRadius(100.0);
  filter->Update();
  EXPECT_EQ(filter->GetNumberOfDetectorPixels(), 16u * 12u);
  EXPECT_DOUBLE_EQ(filter->GetOutput()->GetPixel({ { 2, 1 } }), 192.0 * 13);
}

TEST(VirtualDetectorImageFilter, KeepsTheScanGeometryOfAPiece)
{
  // A piece of a larger scan (rows 5..7, columns 3..6) keeps its index, origin
  // and spacing, so it lands where it belongs when pieces are put together.
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(4, 3, 6, 6, { { 3, 5 } }));
  filter->SetOuterRadius(2.0);
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
  auto one = FilterType::New();
  one->SetInput(input);
  one->SetOuterRadius(3.3);
  one->SetNumberOfWorkUnits(1);
  one->Update();
  auto many = FilterType::New();
  many->SetInput(input);
  many->SetOuterRadius(3.3);
  many->SetNumberOfWorkUnits(7);
  many->Update();
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
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(2, 2, 8, 8));
  filter->SetInnerRadius(5.0);
  filter->SetOuterRadius(5.0);
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("InnerRadius (5) must be smaller than OuterRadius (5)"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, NegativeInnerRadiusIsAnError)
{
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(2, 2, 8, 8));
  filter->SetInnerRadius(-1.0);
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("InnerRadius is -1"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, CenterOffTheDetectorIsAnError)
{
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(2, 2, 8, 6));
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(FilterType::CenterType{ { 3.0, 6.5 } });
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("Center (3, 6.5) lies off the 8 x 6 detector"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, AnnulusWithoutPixelsIsAnError)
{
  auto filter = FilterType::New();
  filter->SetInput(MakeScan(2, 2, 8, 8));
  filter->SetInnerRadius(0.1);
  filter->SetOuterRadius(0.2);
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("holds no detector pixel centre"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, InputWithoutDetectorAxisIsAnError)
{
  auto image = MakeScan(2, 2, 4, 4);
  image->GetMetaDataDictionary().Clear();
  auto filter = FilterType::New();
  filter->SetInput(image);
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("the input has no detector axis"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, DetectorAxisThatDoesNotMatchTheVectorLengthIsAnError)
{
  auto image = MakeScan(2, 2, 4, 4);
  stempdf::SetVectorAxis(image->GetMetaDataDictionary(), stempdf::MakeDetectorAxis(4, 5));
  auto filter = FilterType::New();
  filter->SetInput(image);
  const std::string message = UpdateError(filter);
  EXPECT_NE(message.find("4 x 5 = 20 pixels but the input has 16 components"), std::string::npos) << message;
}

TEST(VirtualDetectorImageFilter, PrintSelfNamesEveryParameter)
{
  auto filter = FilterType::New();
  filter->SetInnerRadius(2.5);
  std::ostringstream os;
  filter->Print(os);
  for (const char * name : { "Center:", "CenterOnDetectorMiddle: On", "InnerRadius: 2.5", "OuterRadius: 10" })
  {
    EXPECT_NE(os.str().find(name), std::string::npos) << name;
  }
}
