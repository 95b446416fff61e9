#ifndef stempdfMLLSRowFit_h
#define stempdfMLLSRowFit_h

#include "stempdfNonnegativeLeastSquares.h"

#include <Eigen/Core>

namespace stempdf
{
/** \class MLLSRowFit
 * \brief The multiple linear least-squares fit of k basis curves onto one
 * curve, with non-negative weights and an optional free constant offset.
 *
 *   min over w >= 0, c:  || v - sum_i w_i B_i - c ||^2      (c = 0 without the offset)
 *
 * for a curve v of n samples and basis curves B_i on the same samples. The
 * normal equations' Gram matrix (basis rows plus a row of ones for the
 * offset) is made once; per curve the work is k + 1 dot products with v,
 * one small NonnegativeLeastSquares solve, and a second pass over v (still
 * in cache) for the residual, computed directly rather than from
 * ||v||^2 - 2 w.Bv + w^T G w, which loses all digits of a near-perfect fit.
 *
 * Every sum runs in an order fixed by n alone (8 interleaved partial sums,
 * independent of the data's address and of which other curves are fitted
 * with it), so a curve gets bit-identical results in any block of positions,
 * on any thread, in any piece of a scan.
 *
 * Fit() is const and thread-safe and allocates nothing.
 */
class MLLSRowFit
{
public:
  using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /** Most basis curves (the offset not counted). */
  static constexpr int MaxCurves = NonnegativeLeastSquares::MaxStackSize - 1;

  /** basis: k x n, one curve per row (finite; 1 <= k <= MaxCurves, n >= 1).
   *  Throws itk::ExceptionObject otherwise. */
  MLLSRowFit(const RowMajorMatrix & basis, bool fitOffset);

  /** The fit of v (n samples): weights (k values, >= 0), the offset c (0
   *  without FitOffset) and the RMS residual sqrt(mean of (v - fit)^2).
   *  Returns false, and writes nothing, when v holds a NaN or an infinite
   *  value (every dot product then is one). */
  bool
  Fit(const double * v, double * weights, double & offset, double & rms) const;

  Eigen::Index
  GetNumberOfCurves() const
  {
    return m_Curves;
  }
  Eigen::Index
  GetNumberOfSamples() const
  {
    return m_Rows.cols();
  }
  bool
  GetFitOffset() const
  {
    return m_Rows.rows() > m_Curves;
  }
  /** The rows of the fit: the basis curves, then a row of ones with FitOffset. */
  const RowMajorMatrix &
  GetRows() const
  {
    return m_Rows;
  }

private:
  static RowMajorMatrix
  Rows(const RowMajorMatrix & basis, bool fitOffset);
  static Eigen::MatrixXd
  Gram(const RowMajorMatrix & rows);

  Eigen::Index            m_Curves;
  RowMajorMatrix          m_Rows;
  NonnegativeLeastSquares m_Solver;
};
} // namespace stempdf

#endif
