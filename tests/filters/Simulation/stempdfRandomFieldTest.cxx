// Gaussian random fields and the radial autocorrelation: a field made with a
// known correlation FWHM is measured back; seeds reproduce fields.
#include "stempdfAutocorrelation.h"
#include "stempdfRandomField.h"

#include "itkMacro.h"

#include <gtest/gtest.h>

#include <cmath>

TEST(RandomField, IsStandardisedAndReproducible)
{
  auto   a = stempdf::MakeGaussianRandomField(64, 48, 1.2, 6.0, 7);
  auto   b = stempdf::MakeGaussianRandomField(64, 48, 1.2, 6.0, 7);
  auto   c = stempdf::MakeGaussianRandomField(64, 48, 1.2, 6.0, 8);
  double mean = 0.0, var = 0.0, diff = 0.0;
  for (size_t i = 0; i < 64 * 48; ++i)
  {
    mean += a->GetBufferPointer()[i];
    var += a->GetBufferPointer()[i] * a->GetBufferPointer()[i];
    ASSERT_EQ(a->GetBufferPointer()[i], b->GetBufferPointer()[i]);
    diff += std::abs(a->GetBufferPointer()[i] - c->GetBufferPointer()[i]);
  }
  EXPECT_NEAR(mean / (64 * 48), 0.0, 1e-12);
  EXPECT_NEAR(var / (64 * 48), 1.0, 1e-12);
  EXPECT_GT(diff, 100.0) << "another seed gives another field";
  EXPECT_DOUBLE_EQ(a->GetSpacing()[0], 1.2);
}

TEST(RandomField, AutocorrelationRecoversTheCorrelationLength)
{
  // exp(-r^2 / 4 sigma^2) has FWHM 4 sigma sqrt(ln 2) = the requested value.
  // Averaged over fields of 256 x 256 positions: within 5 %.
  for (double fwhm : { 4.0, 8.0 })
  {
    double    measured = 0.0;
    const int fields = 4;
    for (int seed = 0; seed < fields; ++seed)
    {
      auto field = stempdf::MakeGaussianRandomField(256, 256, 1.0, fwhm, 100 + seed);
      measured += stempdf::ComputeRadialAutocorrelation(field).FullWidthHalfMaximum() / fields;
    }
    EXPECT_NEAR(measured, fwhm, 0.05 * fwhm) << "requested FWHM " << fwhm;
  }
}

TEST(Autocorrelation, OneOverELengthOfAGaussianProfile)
{
  // For exp(-r^2/(4 sigma^2)) the 1/e length is 2 sigma = FWHM / (2 sqrt(ln 2)).
  auto       field = stempdf::MakeGaussianRandomField(256, 256, 0.5, 5.0, 3);
  const auto profile = stempdf::ComputeRadialAutocorrelation(field);
  EXPECT_NEAR(profile.Correlation.front(), 1.0, 1e-9);
  EXPECT_NEAR(profile.OneOverELength(), 5.0 / (2.0 * std::sqrt(std::log(2.0))), 0.3);
}

TEST(Autocorrelation, ConstantMapAndBadSizesAreErrors)
{
  auto field = stempdf::MakeGaussianRandomField(16, 16, 1.0, 3.0, 1);
  field->FillBuffer(2.0);
  EXPECT_THROW(stempdf::ComputeRadialAutocorrelation(field), itk::ExceptionObject);
  EXPECT_THROW(stempdf::MakeGaussianRandomField(0, 16, 1.0, 3.0, 1), itk::ExceptionObject);
  EXPECT_THROW(stempdf::MakeGaussianRandomField(16, 16, 1.0, -3.0, 1), itk::ExceptionObject);
}
