#ifndef stempdfBasisCurves_h
#define stempdfBasisCurves_h

#include <cctype>
#include <string>
#include <vector>

namespace stempdf
{
/** Reference curves for MLLSFitImageFilter: k curves on one r grid. */
struct BasisCurves
{
  std::vector<double>              R;           //!< r samples, strictly ascending (at least 2)
  std::string                      RUnit = "A"; //!< unit of R: "A" ("Å", "angstrom" too; see IsAngstromUnit)
  std::vector<std::string>         Names;       //!< one per curve, or empty ("Component 1", ...)
  std::vector<std::vector<double>> Values;      //!< one entry per curve, each the length of R
};

/** True for the spellings of the Angstrom, the unit of r: "A", "Å" (either
 *  code point, either case), "angstrom(s)", "ångström", in any case. */
inline bool
IsAngstromUnit(const std::string & unit)
{
  std::string lower;
  for (const char c : unit)
  {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "a" || lower == "\xc3\x85" || lower == "\xc3\xa5" || lower == "\xe2\x84\xab" || lower == "angstrom" ||
         lower == "angstroms" || lower == "\xc3\xa5ngstr\xc3\xb6m" || lower == "\xc3\x85ngstr\xc3\xb6m";
}
} // namespace stempdf

#endif
