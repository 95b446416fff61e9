// The scattering-factor tables against the self-checks of the published
// parametrisations, for every element, and the electron wavelength.
#include "stempdfScatteringFactorTables.h"
#include "stempdfScatteringFactors.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
constexpr double Pi = 3.14159265358979323846;
constexpr double BohrRadius = 0.529177; // A
} // namespace

TEST(ScatteringFactors, TableCoversZ1To103InOrder)
{
  const auto & table = stempdf::ScatteringParameterTable();
  for (int z = 1; z <= 103; ++z)
  {
    EXPECT_EQ(table[z - 1].Z, z);
  }
  EXPECT_STREQ(table[0].Symbol, "H");
  EXPECT_STREQ(table[25].Symbol, "Fe");
  EXPECT_STREQ(table[102].Symbol, "Lr");
}

TEST(ScatteringFactors, LobatoXRayLimitEqualsZForEveryElement)
{
  // Mott-Bethe: f_e(s) -> (Z - f_x(s)) / (2 pi^2 a0 s^2); Lobato's form gives
  // f_x(0) = Z - ... so 2 pi^2 a0 sum a_i / b_i = Z (Lobato & Van Dyck 2014).
  for (const auto & element : stempdf::ScatteringParameterTable())
  {
    double sum = 0.0;
    for (int i = 0; i < 5; ++i)
    {
      sum += element.LobatoA[i] / element.LobatoB[i];
    }
    EXPECT_NEAR(2.0 * Pi * Pi * BohrRadius * sum, element.Z, 1e-5 * element.Z) << element.Symbol;
  }
}

TEST(ScatteringFactors, KirklandPublishedValues)
{
  using stempdf::ElectronScatteringFactor;
  EXPECT_NEAR(ElectronScatteringFactor(26, 0.0), 7.163, 5e-4);
  EXPECT_NEAR(ElectronScatteringFactor(26, 0.5), 2.927, 5e-4);
  EXPECT_NEAR(ElectronScatteringFactor(5, 0.5), 1.050, 5e-4);
}

TEST(ScatteringFactors, KirklandAndLobatoAgreeForIronUpTo1p6)
{
  for (double s = 0.0; s <= 1.6 + 1e-9; s += 0.05)
  {
    const double k = stempdf::ElectronScatteringFactor(26, s, stempdf::ScatteringFactorTable::Kirkland);
    const double l = stempdf::ElectronScatteringFactor(26, s, stempdf::ScatteringFactorTable::Lobato);
    EXPECT_NEAR(l / k, 1.0, 0.01) << "s = " << s;
  }
}

TEST(ScatteringFactors, EveryElementIsPositiveAndDecreasing)
{
  for (int z = 1; z <= 103; ++z)
  {
    for (auto table : { stempdf::ScatteringFactorTable::Kirkland, stempdf::ScatteringFactorTable::Lobato })
    {
      double previous = stempdf::ElectronScatteringFactor(z, 0.0, table);
      for (double s = 0.1; s <= 3.0; s += 0.1)
      {
        const double f = stempdf::ElectronScatteringFactor(z, s, table);
        ASSERT_GT(f, 0.0) << "Z = " << z << " s = " << s;
        ASSERT_LT(f, previous) << "Z = " << z << " s = " << s;
        previous = f;
      }
    }
  }
}

TEST(ScatteringFactors, CompositionAveragesOfAnAlloy)
{
  const auto                composition = stempdf::ParseComposition("Cu50Zr50");
  const std::vector<double> s = { 0.0, 0.5, 1.5 };
  const auto                averages = stempdf::ComputeCompositionScatteringFactors(composition, s);
  for (size_t i = 0; i < s.size(); ++i)
  {
    const double cu = stempdf::ElectronScatteringFactor(29, s[i]);
    const double zr = stempdf::ElectronScatteringFactor(40, s[i]);
    EXPECT_NEAR(averages.MeanF[i], 0.5 * (cu + zr), 1e-12);
    EXPECT_NEAR(averages.MeanFSquared[i], 0.5 * (cu * cu + zr * zr), 1e-12);
    EXPECT_GT(averages.MeanFSquared[i], averages.MeanF[i] * averages.MeanF[i]); // Laue diffuse > 0
  }
  const auto relativistic = stempdf::ComputeCompositionScatteringFactors(
    composition, s, stempdf::ScatteringFactorTable::Kirkland, stempdf::RelativisticFactor(300.0));
  EXPECT_NEAR(relativistic.MeanF[1] / averages.MeanF[1], stempdf::RelativisticFactor(300.0), 1e-12);
}

TEST(ScatteringFactors, OutOfRangeElementsAndUnknownTablesAreErrors)
{
  EXPECT_THROW(stempdf::ElectronScatteringFactor(0, 0.5), itk::ExceptionObject);
  EXPECT_THROW(stempdf::ElectronScatteringFactor(104, 0.5), itk::ExceptionObject);
  EXPECT_EQ(stempdf::ScatteringFactorTableFromString("lobato"), stempdf::ScatteringFactorTable::Lobato);
  stempdf::testing::ExpectError([]() { stempdf::ScatteringFactorTableFromString("Doyle"); },
                                { "expected \"Kirkland\" or \"Lobato\"" });
}
