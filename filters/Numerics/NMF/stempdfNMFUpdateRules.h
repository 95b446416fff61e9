#ifndef stempdfNMFUpdateRules_h
#define stempdfNMFUpdateRules_h

#include "itkMultiThreaderBase.h"

#include <Eigen/Core>

namespace stempdf
{
/** The update rules of non-negative matrix factorisation V ~ W H, written
 * once for either factor.
 *
 * Updating W (n x k) with H fixed and updating H^T (m x k) with W fixed are
 * the same problem: minimise ||V - F G^T||^2 over F >= 0 for a fixed
 * G >= 0. Everything the rules need of V is A = V G (rows of F x k) and the
 * Gram matrix B = G^T G (k x k):
 *
 * - W update: F = W, A = V H^T, B = H H^T;
 * - H update: F = H^T, A = V^T W, B = W^T W.
 *
 * Each rule decreases (never increases) the objective. */

/** Hierarchical alternating least squares (Cichocki and Phan 2009; the
 *  "coordinate descent" of scikit-learn): each column of F in turn gets its
 *  exact non-negative least-squares optimum with the others fixed,
 *  F_j = max(0, F_j + (A_j - F B_j) / B_jj). A column whose B_jj is 0 (its
 *  partner in G vanished) is left as it is. */
void
UpdateHALS(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b);

/** Lee and Seung's multiplicative update F = F * A / (F B), element-wise;
 *  A is clipped at 0 (a compressed V can make it slightly negative) and the
 *  denominator at 1e-300 (no NaN). Entries at 0 stay 0. */
void
UpdateMultiplicative(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b);

/** Alternating non-negative least squares: every row of F gets the exact
 *  optimum min ||F_i B^(1/2) ...|| i.e. min_x>=0 x^T B x / 2 - A_i x, by the
 *  active-set solver NonnegativeLeastSquares, warm-started from the row's
 *  current value. */
void
UpdateAlternatingNNLS(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b);
/** Weights that are fractions: every row of F becomes the exact
 *  least-squares mixture min_x x^T B x / 2 - A_i x with x >= 0 and
 *  sum(x) = 1 (SimplexLeastSquares), warm-started from the row's current
 *  value. Only for the weights (F = W). Rows are independent: blocks of
 *  rows run on the threader's threads (none: this thread). */
void
UpdateFractions(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b,
                itk::MultiThreaderBase * threader = nullptr);
} // namespace stempdf

#endif
