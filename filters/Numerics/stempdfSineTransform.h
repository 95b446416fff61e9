#ifndef stempdfSineTransform_h
#define stempdfSineTransform_h

#include <Eigen/Core>

#include <vector>

namespace stempdf
{
/** \class SineTransform
 * \brief G(r) = 8 pi integral phi(s) sin(2 pi s r) ds of many curves at once,
 * for any ascending s samples and any r samples.
 *
 * The integral is a quadrature over the s samples, so the transform of a
 * curve is a product with a fixed dense kernel (r x s):
 *
 *   G(r_m) = sum_j K_mj phi(s_j),      K_mj = 8 pi w_j sin(2 pi s_j r_m),
 *
 * and the transform of many curves is one matrix product, G = phi K^T (curves
 * x s times s x r).
 *
 * Quadrature (QuadratureWeights): each sample owns the cell between the
 * midpoints to its neighbours, and the cells of the first and last samples
 * reach as far outside as inside (the samples are treated as bin centres):
 *
 *   w_0 = s_1 - s_0,   w_j = (s_{j+1} - s_{j-1}) / 2,   w_n = s_n - s_{n-1}.
 *
 * Why: the profiles of AzimuthalIntegrate are bin means at the centres of
 * bins of width ds, which cover [s_0 - ds/2, s_n + ds/2]; on such a uniform
 * grid every w_j is ds, the midpoint rule over exactly the measured range.
 * (The trapezoid rule would stop at s_0 and s_n and drop half a bin of data
 * at each end.) On a non-uniform grid the interior weights are the trapezoid
 * rule's, second order in the spacing. For a phi with jumps at the ends (the
 * truncation at s_min and s_max), the midpoint sum of sin(2 pi s r) over whole
 * bins is the exact integral times x / sin(x), x = pi r ds: +0.3 % at r = 3 A
 * and +3.5 % at r = 10 A for ds = 0.01433 1/A; for a phi that vanishes
 * smoothly at both ends it is far more accurate.
 *
 * Apply() is one dense product of all curves with the kernel, Eigen's
 * blocked and vectorised GEMM (docs/method.md: not a loop of per-position
 * integrals). Its summation order depends on how many curves it is given, so
 * two splits of a scan (threads, pieces, MPI ranks) agree to rounding (about
 * 1e-14 relative), not bit for bit.
 *
 * Construction throws itk::ExceptionObject on bad samples. Apply() and
 * PairCorrelation() are const and thread-safe.
 */
class SineTransform
{
public:
  using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ConstKernelMap = Eigen::Map<const RowMajorMatrix>;

  SineTransform() = default;
  /** The kernel for samples s (1/A; finite, strictly ascending, at least 2)
   *  with QuadratureWeights(s), and r (A; finite, any order). */
  SineTransform(const std::vector<double> & s, const std::vector<double> & r);
  /** The kernel with given quadrature weights (1/A; one per s sample,
   *  finite): for a single sample, or another rule. */
  SineTransform(const std::vector<double> & s, const std::vector<double> & weights, const std::vector<double> & r);

  /** The weights w_j above for ascending samples (at least 2). */
  /** The r grid of RRange (r0, r1) and RStep (A): r0 + m RStep up to r1,
   *  r1 included when it lies on the grid (within 1e-6 of a step), never
   *  beyond it. Throws itk::ExceptionObject naming RStep or RRange for
   *  RStep <= 0, r0 < 0, r1 <= r0, non-finite values or more than 2^24
   *  samples. (0, 10, 0.01) gives 1001 samples. */
  static std::vector<double>
  RSamples(double r0, double r1, double step);

  static std::vector<double>
  QuadratureWeights(const std::vector<double> & s);

  const std::vector<double> &
  GetS() const
  {
    return m_S;
  }
  const std::vector<double> &
  GetWeights() const
  {
    return m_Weights;
  }
  const std::vector<double> &
  GetR() const
  {
    return m_R;
  }
  /** K (r x s), in 1/A (G in 1/A^2 from phi in 1/A). */
  ConstKernelMap
  GetKernel() const
  {
    return ConstKernelMap(
      m_Kernel.data(), static_cast<Eigen::Index>(m_R.size()), static_cast<Eigen::Index>(m_S.size()));
  }

  /** G = phi K^T: phi is curves x s, G curves x r (any row strides; a curve
   *  per row). Throws itk::ExceptionObject when the shapes do not fit. */
  void
  Apply(const Eigen::Ref<const RowMajorMatrix> & phi, Eigen::Ref<RowMajorMatrix> G) const;

  /** The pair correlation g(r) of curves phi whose transform is G (=
   *  Apply(phi)), for the number density rho0 > 0 (atoms / A^3):
   *
   *    g(r) = 1 + G(r) / (4 pi r rho0)                 where r != 0, computed
   *           exactly as 1.0 + G / (4.0 * pi * r * rho0);
   *    g(0) = 1 + (4 pi / rho0) sum_j w_j s_j phi_j    at r = 0.
   *
   * G(0) = 0 for every phi, so the formula is 0/0 at r = 0; g(0) is its limit
   * r -> 0 for the same samples and weights (sin(2 pi s r) / r -> 2 pi s):
   * the curve stays continuous and never holds a NaN. (The true g(0) of a
   * material is 0; a transform over a finite s range does not reach it.)
   * Throws itk::ExceptionObject when rho0 <= 0 or the shapes do not fit. */
  void
  PairCorrelation(const Eigen::Ref<const RowMajorMatrix> & phi, const Eigen::Ref<const RowMajorMatrix> & G,
                  double numberDensity, Eigen::Ref<RowMajorMatrix> g) const;

private:
  std::vector<double> m_S;
  std::vector<double> m_Weights;
  std::vector<double> m_R;
  std::vector<double> m_Kernel; // K, r x s, row-major
};
} // namespace stempdf

#endif
