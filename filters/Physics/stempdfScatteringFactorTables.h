#ifndef stempdfScatteringFactorTables_h
#define stempdfScatteringFactorTables_h

#include <array>

namespace stempdf
{
/** Published parameters of the electron scattering factor of one element
 *  (non-relativistic, f in A, s = 1/d in 1/A). */
struct ElementScatteringParameters
{
  int                   Z;
  const char *          Symbol;
  std::array<double, 3> KirklandA, KirklandB, KirklandC, KirklandD; // Kirkland (2010), App. C
  std::array<double, 5> LobatoA, LobatoB;                           // Lobato & Van Dyck (2014)
};

/** The table for Z = 1..103 in order of Z (entry Z-1). */
const std::array<ElementScatteringParameters, 103> &
ScatteringParameterTable();
} // namespace stempdf

#endif
