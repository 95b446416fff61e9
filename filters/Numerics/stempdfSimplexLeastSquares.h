#ifndef stempdfSimplexLeastSquares_h
#define stempdfSimplexLeastSquares_h

#include <Eigen/Core>

#include <vector>

namespace stempdf
{
/** \class SimplexLeastSquares
 * \brief Fractions by least squares: min_x x^T G x / 2 - b^T x subject to
 * x >= 0 and sum(x) = 1, for one small Gram matrix G (k x k, symmetric
 * positive semi-definite) and many right-hand sides b.
 *
 * This is the weight update of an NMF whose weights are fractions (a
 * position is a mixture of the basis curves; docs/method.md, section 6): with
 * G = H H^T and b = H v for a curve v, x is the mixture of the rows of H
 * closest to v.
 *
 * Active-set method (the equality-constrained analogue of Lawson and
 * Hanson's): on the passive set P the KKT system [G_PP 1; 1^T 0] gives
 * x_P = M_P b_P + c_P; variables whose multiplier shows they should be
 * positive join P, and a step that would make one negative stops at the
 * boundary and drops it. M_P and c_P depend only on G and P: they are
 * computed once per passive set that occurs (through a complete orthogonal
 * decomposition, so a singular G_PP, e.g. two equal basis curves, gives the
 * minimum-norm solution instead of NaN) and reused for every right-hand
 * side. Warm-started from the previous x, a solve is mostly one small
 * matrix-vector product.
 *
 * Not thread-safe (the cache); use one object per thread.
 */
class SimplexLeastSquares
{
public:
  /** k <= 16. */
  explicit SimplexLeastSquares(const Eigen::MatrixXd & gram);

  /** x: on entry a start (any values: negative entries are clamped and the
   *  sum normalised; all zero starts at the best vertex), on exit the
   *  solution. */
  void
  Solve(const Eigen::Ref<const Eigen::VectorXd> & rhs, Eigen::Ref<Eigen::VectorXd> x);

private:
  struct PassiveSetSolution
  {
    bool                      Ready{ false };
    std::vector<Eigen::Index> Indices;
    Eigen::MatrixXd           M;
    Eigen::VectorXd           C;
  };
  const PassiveSetSolution &
  Solution(unsigned int passive);

  Eigen::MatrixXd                 m_Gram;
  double                          m_LargestGram{ 0.0 };
  std::vector<PassiveSetSolution> m_Cache;
  Eigen::VectorXd                 m_Candidate;
};
} // namespace stempdf

#endif
