#ifndef stempdfScatteringFactors_h
#define stempdfScatteringFactors_h

#include "stempdfComposition.h"
#include "stempdfElectronOptics.h"

#include <string>
#include <vector>

namespace stempdf
{
/** Parametrisations of the electron atomic scattering factor f(s). */
enum class ScatteringFactorTable
{
  Kirkland, //!< Kirkland (2010), 3 Lorentzians + 3 Gaussians; the default
  Lobato    //!< Lobato & Van Dyck (2014), 5 terms with the right asymptotics
};

/** "Kirkland" or "Lobato". */
const char *
ToString(ScatteringFactorTable table);

/** Parses "Kirkland" / "Lobato" (case-insensitive); throws itk::ExceptionObject otherwise. */
ScatteringFactorTable
ScatteringFactorTableFromString(const std::string & name);

/** Non-relativistic electron scattering factor f(s) in A of element Z at
 *  s = 1/d = 2 sin(theta)/lambda in 1/A. Throws for Z outside 1..103. */
double
ElectronScatteringFactor(int z, double s, ScatteringFactorTable table = ScatteringFactorTable::Kirkland);

/** Composition averages on an s grid: <f>(s) = sum_a c_a f_a(s) and
 *  <f^2>(s) = sum_a c_a f_a(s)^2, each multiplied by `scale` (e.g. the
 *  relativistic factor; 1 = non-relativistic). */
struct CompositionScatteringFactors
{
  std::vector<double> MeanF;
  std::vector<double> MeanFSquared;
};

CompositionScatteringFactors
ComputeCompositionScatteringFactors(const Composition & composition, const std::vector<double> & s,
                                    ScatteringFactorTable table = ScatteringFactorTable::Kirkland, double scale = 1.0);
} // namespace stempdf

#endif
