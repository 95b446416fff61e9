#ifndef stempdfAutocorrelation_h
#define stempdfAutocorrelation_h

#include "stempdfImageTypes.h"

#include <string>
#include <vector>

namespace stempdf
{
/** Radial profile of the normalised autocorrelation of a map, and the
 * correlation lengths read from it (docs/method.md, section 8).
 *
 * Distance[i] is the mean length of the shifts of ring i, in the map's
 * spacing unit (nm); Correlation[i] the mean autocorrelation over them.
 * Distance[0] = 0 and Correlation[0] = 1. Each length is NaN when the profile
 * does not reach its level within the shifts measured (half the map side):
 * the domains are then too large for the map. */
struct RadialAutocorrelation
{
  std::vector<double> Distance;
  std::vector<double> Correlation;

  /** Full width at half maximum: twice the distance where the profile first
   *  falls to 1/2 (linear interpolation between the two profile points that
   *  bracket the crossing). */
  double
  FullWidthHalfMaximum() const;

  /** Distance where the profile first falls to 1/e (interpolated alike). */
  double
  OneOverELength() const;

  /** Length xi of C(d) = exp(-d / xi) fitted by least squares to the profile:
   *  xi minimises sum_i (Correlation[i] - exp(-Distance[i] / xi))^2 over the
   *  profile points from d = 0 up to and including the first point below 0.1
   *  (all with equal weight; Eigen's Levenberg-Marquardt on ln xi started at
   *  the 1/e length, finished by Newton steps on the exact gradient). NaN
   *  when the profile never falls below 0.1. */
  double
  ExponentialFitLength() const;

  /** Number of profile points the exponential fit uses (0 when it is NaN). */
  std::size_t
  ExponentialFitPoints() const;
};

/** Shifts of the autocorrelation grid of an nx x ny map: +-(nx / 2) along x
 *  and +-(ny / 2) along y (integer division): beyond half the side, fewer than
 *  half of the positions overlap. */
inline unsigned int
AutocorrelationHalfWidth(unsigned int n)
{
  return n / 2;
}

/** The normalised, unbiased autocorrelation of an nx x ny map (x fastest):
 *
 *   C(dx, dy) = [1 / P(dx, dy)] sum_x w'(x) w'(x + d) / [(1 / N) sum_x w'(x)^2],
 *
 * with w' = w - mean(w), the sums over the P(dx, dy) = (nx - |dx|)(ny - |dy|)
 * position pairs that overlap at shift d and N = nx ny; C(0, 0) = 1. The
 * correlation is computed with FFTW on a 2nx x 2ny zero-padded grid (so no
 * shift wraps around). `out` receives (2hx + 1) x (2hy + 1) values, x
 * fastest, shift (dx, dy) at index (dx + hx, dy + hy), hx = nx / 2 and
 * hy = ny / 2 (AutocorrelationHalfWidth).
 *
 * Errors (itk::ExceptionObject; `name` names the map in the message): a map
 * smaller than 2 x 2, a NaN or infinite value (naming its position), a
 * constant map (variance 0). */
void
ComputeAutocorrelation(const double * values, unsigned int nx, unsigned int ny, double * out,
                       const std::string & name = std::string());

/** The radial profile of an autocorrelation grid as ComputeAutocorrelation
 *  writes it ((2hx + 1) x (2hy + 1) values, zero shift in the middle), for a
 *  map of spacing (sx, sy): rings of width binWidth x steps (sx) centred on
 *  0, binWidth, 2 binWidth, ... ; shifts up to min(hx sx, hy sy) in length.
 *  Empty rings are left out. */
RadialAutocorrelation
ComputeRadialProfile(const double * autocorrelation, unsigned int hx, unsigned int hy, double sx, double sy,
                     double binWidth);

/** Both steps for a whole map (the map's spacing gives the distances). */
RadialAutocorrelation
ComputeRadialAutocorrelation(const MapImage * map, double binWidth = 0.5);
} // namespace stempdf

#endif
