#ifndef stempdfShellPDFModel_h
#define stempdfShellPDFModel_h

#include <string>
#include <vector>

namespace stempdf
{
/** \class ShellPDFModel
 * \brief A reduced pair distribution function G(r) made of Gaussian
 * coordination shells, and its reduced structure factor.
 *
 *   g(r) = H(r) [1 + sum_i A_i exp(-(r - R_i)^2 / (2 sigma_i^2))],
 *   H(r) = erfc((Rc - r) / Wc) / 2,      G(r) = 4 pi rho0 r (g(r) - 1).
 *
 * H removes all pairs below the hard-core radius Rc (G = -4 pi rho0 r there);
 * each shell is a Gaussian excess of g of position R_i (A), full width at half
 * maximum FWHM_i = 2 sqrt(2 ln 2) sigma_i and amplitude A_i (dimensionless;
 * negative for the minima between peaks, above -1 so that g >= 0). The
 * reduced intensity phi(s) = s (S(s) - 1) is the sine transform of G
 *
 *   phi(s) = 1/(2 pi) * integral_0^rmax G(r) sin(2 pi s r) dr,
 *
 * the inverse of G(r) = 8 pi integral phi(s) sin(2 pi s r) ds (s = 1/d).
 */
class ShellPDFModel
{
public:
  struct Shell
  {
    double Position;  //!< R_i in A
    double FWHM;      //!< full width at half maximum in A
    double Amplitude; //!< A_i in 1/A^2
  };

  /** Number density rho0 in atoms / A^3. Default 0.085. */
  double NumberDensity = 0.085;
  /** Hard-core radius Rc and the width Wc of its edge, A. Defaults 2.1, 0.12. */
  double HardCoreRadius = 2.1;
  double HardCoreWidth = 0.12;
  /** The shells, peaks and minima. */
  std::vector<Shell> Shells;
  /** Upper end of the r range of the transform (G is ~0 beyond), A. Default 20. */
  double RMax = 20.0;
  /** A tabulated G(r) instead of shells (see FromTable); empty by default. */
  std::vector<double> TableR, TableG;

  /** The pair correlation function g(r) (>= 0, -> 1 at large r). */
  double
  PairCorrelation(double r) const;

  /** G(r) in 1/A^2. */
  double
  G(double r) const;

  /** G on a grid. */
  std::vector<double>
  G(const std::vector<double> & r) const;

  /** phi(s) = s (S(s) - 1) in 1/A on a grid of s (1/A), by trapezoidal
   *  integration on a 0.002 A grid. */
  std::vector<double>
  ReducedIntensity(const std::vector<double> & s) const;

  /** S(s) on a grid (s > 0). */
  std::vector<double>
  StructureFactor(const std::vector<double> & s) const;

  /** The "liquid-like" type of the paper (Kang et al. 2023): first peak of
   *  G at 2.53 A (FWHM 0.65 A), second peak 4.24 A with a shoulder at 4.95 A,
   *  shells to ~10 A. */
  static ShellPDFModel
  LiquidLike();

  /** The "solid-like" type: 2.46 A (FWHM 0.48 A), 4.10 A, shoulder 4.66 A. */
  static ShellPDFModel
  SolidLike();

  /** A weak, broad third pattern (contamination / amorphous carbon like). */
  static ShellPDFModel
  Noise();

  /** A model with the paper's characteristic distances: the first peak of G
   *  (position and FWHM, met to 1e-3 A), the second peak and its shoulder;
   *  outer shells follow at typical ratios to the first peak, broadening and
   *  fading with r over `decayLength` (A). */
  static ShellPDFModel
  FromPeaks(double firstPeak, double firstFWHM, double secondPeak, double shoulder, double decayLength);

  /** A model given by a table of G(r) (r ascending, in A; G in 1/A^2),
   *  interpolated linearly and 0 beyond the last r (which becomes RMax).
   *  Throws when the table is too short, not ascending or holds non-numbers. */
  static ShellPDFModel
  FromTable(const std::vector<double> & r, const std::vector<double> & g, double numberDensity = 0.085);

  /** Position (A) and FWHM (A) of the highest maximum of G in [rMin, rMax],
   *  sub-grid by a parabola through the three highest samples. */
  struct Peak
  {
    double Position;
    double FWHM;
  };
  Peak
  FindPeak(double rMin, double rMax) const;
};
} // namespace stempdf

#endif
