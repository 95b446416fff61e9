#ifndef stempdfAutocorrelation_h
#define stempdfAutocorrelation_h

#include "stempdfImageTypes.h"

#include <vector>

namespace stempdf
{
/** Radial profile of the normalised autocorrelation of a map.
 *
 * The mean is removed; the autocorrelation is computed with FFTs on a grid
 * zero-padded to twice the map so nothing wraps around, divided at each shift
 * by the number of overlapping position pairs (an unbiased estimate), and
 * normalised to 1 at zero shift. The radial profile averages it in rings of
 * width `binWidth` scan steps; Distance[i] is the ring's mean distance in the
 * map's spacing unit (nm). Only shifts up to half the smaller map side are
 * used (beyond, too few pairs overlap). */
struct RadialAutocorrelation
{
  std::vector<double> Distance;
  std::vector<double> Correlation;

  /** Full width at half maximum: twice the distance where the profile first
   *  falls to 0.5 (linear interpolation). 0 when it never does. */
  double
  FullWidthHalfMaximum() const;

  /** Distance where the profile first falls to 1/e. */
  double
  OneOverELength() const;
};

RadialAutocorrelation
ComputeRadialAutocorrelation(const MapImage * map, double binWidth = 0.5);
} // namespace stempdf

#endif
