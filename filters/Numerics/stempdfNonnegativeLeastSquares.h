#ifndef stempdfNonnegativeLeastSquares_h
#define stempdfNonnegativeLeastSquares_h

#include <Eigen/Core>

#include <vector>

namespace stempdf
{
/** \class NonnegativeLeastSquares
 * \brief Small non-negative least-squares problems on their normal equations.
 *
 *   min_x  0.5 x^T G x - b^T x   subject to  x_i >= 0 for every constrained i,
 *
 * for a symmetric positive semi-definite Gram matrix G (k x k, k up to ~20):
 * the least-squares fit min ||v - B^T x||^2 with G = B B^T and b = B v, e.g.
 * the MLLS weights of basis curves B for one position's G(r) (with a free
 * offset column), or one row of W in an alternating-NNLS NMF update.
 *
 * Method: Lawson and Hanson's active set (Solving Least Squares Problems,
 * 1974, chapter 23) on the normal equations. The passive set P (variables
 * allowed to be non-zero; free variables always belong to it) starts from
 * the warm start's positive entries; each step solves G_PP z_P = b_P with a
 * pivoted LDL^T (Eigen::LDLT) and moves towards z as far as feasibility
 * allows, dropping variables that reach 0; when z is feasible, the
 * constrained variable with the largest positive gradient (b - G x)_j joins
 * P, until no gradient is positive (the KKT conditions, to rounding).
 *
 * Singular G (duplicate or dependent basis curves): the LDL^T pivots are
 * ordered largest first, and a pivot below 1e-13 of the largest is treated
 * as zero, its variable set to 0 on that passive set: a basic solution
 * among the equally good ones, never a NaN or a huge cancelling pair.
 *
 * Cost: for k up to MaxStackSize all work matrices live on the stack (no
 * heap allocation per Solve); a problem whose optimum is interior takes one
 * factorisation when the warm start has every entry positive. The number of
 * factorisations is bounded (10 (k + 1)); the method is deterministic.
 * Solve() is const and may run on many threads at once.
 */
class NonnegativeLeastSquares
{
public:
  /** Largest k solved with stack-allocated work matrices (larger k works, with heap allocations). */
  static constexpr int MaxStackSize = 24;

  /** gram: G (k x k, symmetric positive semi-definite, finite; only its lower
   *  triangle is read). constrained: one flag per variable, true = x_i >= 0;
   *  empty = every variable constrained. Throws itk::ExceptionObject when G
   *  is not square, holds a NaN/inf, or the flags do not number k. */
  explicit NonnegativeLeastSquares(const Eigen::MatrixXd & gram, std::vector<bool> constrained = {});

  /** rhs: b (k). x: on entry a warm start (any values: negative constrained
   *  entries are clamped to 0, non-finite ones are taken as 0), on exit the
   *  solution. Throws itk::ExceptionObject when b holds a NaN/inf or the
   *  sizes differ from k. */
  void
  Solve(const Eigen::Ref<const Eigen::VectorXd> & rhs, Eigen::Ref<Eigen::VectorXd> x) const;

  /** k. */
  Eigen::Index
  GetSize() const
  {
    return m_Gram.rows();
  }
  const Eigen::MatrixXd &
  GetGram() const
  {
    return m_Gram;
  }
  bool
  IsConstrained(Eigen::Index i) const
  {
    return m_Constrained[static_cast<size_t>(i)];
  }

private:
  template <int MaxK>
  void
  SolveWith(const Eigen::Ref<const Eigen::VectorXd> & rhs, Eigen::Ref<Eigen::VectorXd> x) const;

  Eigen::MatrixXd   m_Gram;
  std::vector<bool> m_Constrained;
  double            m_Scale{ 0.0 }; // largest |G_ii|, for the tolerances
};
} // namespace stempdf

#endif
