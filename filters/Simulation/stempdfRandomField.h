#ifndef stempdfRandomField_h
#define stempdfRandomField_h

#include "stempdfImageTypes.h"

#include <cstdint>

namespace stempdf
{
/** A stationary Gaussian random field on an nx x ny grid (spacing `step`):
 *  white noise smoothed by a Gaussian kernel (FFTW), standardised to mean 0
 *  and standard deviation 1. Its autocorrelation is exp(-r^2 / (4 sigma^2))
 *  for a kernel of standard deviation sigma, i.e. of full width at half
 *  maximum `correlationFWHM` = 4 sigma sqrt(ln 2) (same unit as `step`).
 *  The field is made on a grid padded by 4 sigma and cropped, so it does not
 *  wrap around. Deterministic for a given seed. */
MapImage::Pointer
MakeGaussianRandomField(unsigned int nx, unsigned int ny, double step, double correlationFWHM, std::uint64_t seed);
} // namespace stempdf

#endif
