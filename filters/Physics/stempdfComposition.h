#ifndef stempdfComposition_h
#define stempdfComposition_h

#include <string>
#include <vector>

namespace stempdf
{
/** Atomic fractions of a material, normalised to sum 1, in order of first
 *  appearance in the formula. */
struct Composition
{
  struct Component
  {
    int         Z;
    std::string Symbol;
    double      Fraction;
  };
  std::vector<Component> Components;
};

/** Parses a chemical formula with optional amounts: "Fe85.2Si0.5B9.5P4Cu0.8",
 *  "Cu64.5Zr35.5", "SiO2", "Fe 80 B 20". An element without an amount counts
 *  1; a repeated element adds up; amounts are normalised to atomic fractions.
 *  An unknown symbol, a zero, negative or malformed amount, or an empty
 *  formula throws an itk::ExceptionObject naming the culprit. */
Composition
ParseComposition(const std::string & formula);

/** Atomic number of an element symbol ("Fe" -> 26); 0 when unknown. */
int
AtomicNumber(const std::string & symbol);

/** The formula with normalised fractions, e.g. "Cu0.645Zr0.355". */
std::string
ToString(const Composition & composition);
} // namespace stempdf

#endif
