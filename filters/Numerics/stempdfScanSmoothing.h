#ifndef stempdfScanSmoothing_h
#define stempdfScanSmoothing_h

#include <Eigen/Core>

namespace stempdf
{
/** Gaussian smoothing over the scan grid of one vector per position.
 *
 * Rows of `values` are scan positions (x fastest, `width` positions per scan
 * row); each column is smoothed on its own as an image of width x
 * (rows / width) with ITK's DiscreteGaussianImageFilter: standard deviation
 * `sigma` in scan steps, kernel error below 1e-4, edges continued with the
 * nearest position (zero-flux Neumann), so a constant map stays constant.
 *
 * Used by NonnegativeMatrixFactorization to find the basis on data whose
 * per-position noise is averaged over neighbours (docs/method.md, section 6).
 * Throws itk::ExceptionObject for sigma < 0 or not finite, and for a row count
 * that is not a whole number of scan rows. sigma = 0 returns the values.
 */
Eigen::MatrixXd
SmoothOverScan(const Eigen::MatrixXd & values, Eigen::Index width, double sigma);
} // namespace stempdf

#endif
