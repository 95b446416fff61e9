#ifndef stempdfNMFResult_h
#define stempdfNMFResult_h

#include <Eigen/Core>

#include <vector>

namespace stempdf
{
/** What an NMF run found. W has this process's rows; the objective is
 *  f = ||V - W H||_F^2 / 2 (scikit-learn's) over all processes. */
struct NMFResult
{
  Eigen::MatrixXd W; ///< rows x k, weights
  Eigen::MatrixXd H; ///< k x cols, basis curves (rows)
  /** f after each iteration of the long run; while it runs on the compressed
   *  V, f of the compressed V plus the energy the compression dropped. */
  std::vector<double> Objective;
  /** Number of leading entries of Objective that were compressed. */
  unsigned int        CompressedIterations{ 0 };
  unsigned int        RefinementIterations{ 0 };
  std::vector<double> ReplicateObjectives;
  unsigned int        BestReplicate{ 0 };
  bool                Converged{ false };
  double              FinalObjective{ 0.0 };
  Eigen::VectorXd     RowResidualSquares; ///< ||v_i - w_i H||^2 of every row
  unsigned int        UsedCompressionRank{ 0 };
  /** The leading singular values of V (from the compressed V; empty with a
   *  random start and no compression): how many components the data
   *  support — those well above the noise floor. */
  Eigen::VectorXd SingularValues;
};

} // namespace stempdf

#endif
