// Composition formulas: the paper's alloys, stoichiometric compounds, and a
// clear error for every malformed formula.
#include "stempdfComposition.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

namespace
{
/** Expects parsing `formula` to fail with an error saying every one of `parts`. */
void
ExpectParseError(const std::string & formula, const std::vector<std::string> & parts)
{
  stempdf::testing::ExpectError([&]() { stempdf::ParseComposition(formula); }, parts);
}
} // namespace

TEST(Composition, PaperAlloyIsNormalised)
{
  const auto c = stempdf::ParseComposition("Fe85.2Si0.5B9.5P4Cu0.8");
  ASSERT_EQ(c.Components.size(), 5u);
  const int    z[] = { 26, 14, 5, 15, 29 };
  const double amount[] = { 85.2, 0.5, 9.5, 4.0, 0.8 };
  for (size_t i = 0; i < 5; ++i)
  {
    EXPECT_EQ(c.Components[i].Z, z[i]);
    EXPECT_NEAR(c.Components[i].Fraction, amount[i] / 100.0, 1e-12);
  }
}

TEST(Composition, BinaryAlloyAndCompound)
{
  const auto cuzr = stempdf::ParseComposition("Cu64.5Zr35.5");
  EXPECT_NEAR(cuzr.Components[0].Fraction, 0.645, 1e-12);
  EXPECT_EQ(cuzr.Components[1].Symbol, "Zr");

  const auto silica = stempdf::ParseComposition("SiO2");
  ASSERT_EQ(silica.Components.size(), 2u);
  EXPECT_NEAR(silica.Components[0].Fraction, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(silica.Components[1].Fraction, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(silica.Components[1].Z, 8);
}

TEST(Composition, SpacesRepeatsAndTwoLetterSymbols)
{
  const auto c = stempdf::ParseComposition(" Fe 40 Co 40 B 10 Fe 10 ");
  ASSERT_EQ(c.Components.size(), 3u);
  EXPECT_NEAR(c.Components[0].Fraction, 0.5, 1e-12); // Fe 40 + 10
  EXPECT_EQ(c.Components[1].Z, 27);                  // Co, not C + O
  EXPECT_EQ(stempdf::ParseComposition("CO").Components.size(), 2u);
}

TEST(Composition, UnknownSymbolIsNamed)
{
  ExpectParseError("Fe80Xx20", { "unknown element symbol \"Xx\"" });
}

TEST(Composition, NegativeOrZeroAmountIsAnError)
{
  ExpectParseError("Fe-5B10", { "the amount of Fe is -5" });
  ExpectParseError("Fe0B10", { "the amount of Fe is 0" });
}

TEST(Composition, EmptyAndMalformedFormulasAreErrors)
{
  ExpectParseError("", { "Composition is empty" });
  ExpectParseError("   ", { "Composition is empty" });
  ExpectParseError("fe80", { "unexpected 'f' at position 0" });
  ExpectParseError("Fe80,B20", { "unexpected ','" });
}

TEST(Composition, RoundTripThroughToString)
{
  const auto c = stempdf::ParseComposition(stempdf::ToString(stempdf::ParseComposition("Cu64.5Zr35.5")));
  EXPECT_NEAR(c.Components[0].Fraction, 0.645, 1e-12);
}
