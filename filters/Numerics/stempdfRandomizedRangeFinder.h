#ifndef stempdfRandomizedRangeFinder_h
#define stempdfRandomizedRangeFinder_h

#include "stempdfNMFDataMatrix.h"

#include <cstdint>
#include <functional>

namespace stempdf
{
/** Adds `count` doubles element-wise across the processes that share a
 *  computation (MPI all-reduce) and leaves the sum in every process. An empty
 *  function means one process: nothing to add. */
using GlobalSum = std::function<void(double * values, std::size_t count)>;

/** The minimum of a value across the processes (MPI all-reduce); empty for
 *  one process. */
using GlobalMinimum = std::function<double(double)>;

/** Applies `sum` to a matrix in place (nothing when `sum` is empty). */
void
AddAcrossProcesses(const GlobalSum & sum, Eigen::MatrixXd & values);
double
AddAcrossProcesses(const GlobalSum & sum, double value);

/** The leading singular triplets of V: V ~ U diag(S) Vt^T, U with this
 *  process's rows. */
struct TruncatedSVD
{
  Eigen::MatrixXd U;  ///< rows x q
  Eigen::VectorXd S;  ///< q, descending
  Eigen::MatrixXd Vt; ///< cols x q (the right singular vectors as columns)
};

/** \class RandomizedRangeFinder
 * \brief A q-dimensional orthonormal basis Q of the dominant range of V, and
 * the compressed matrix Q (Q^T V), by the randomised range finder of Halko,
 * Martinsson and Tropp (SIAM Review 53, 2011, algorithm 4.4).
 *
 * Y = V Omega for a Gaussian Omega (cols x q, the same in every process for a
 * seed), then `PowerIterations` times Q = orth(Y), Y = V orth(V^T Q): each
 * pass sharpens the subspace towards V's leading singular vectors (the
 * singular values of a G(r) cube fall slowly after the structural ones, so
 * two passes matter). orth() orthonormalises through the eigendecomposition of
 * the q x q Gram matrix Y^T Y, summed across processes, applied twice (the
 * second pass removes the rounding of the first); directions whose
 * eigenvalue is below 1e-12 of the largest are dropped, so rank-deficient
 * data (e.g. constant curves) give a narrower Q instead of NaN.
 *
 * Cost: 2 (PowerIterations + 1) passes over V, each a product with a thin
 * matrix (q columns), plus one more for B = Q^T V.
 */
class RandomizedRangeFinder
{
public:
  /** Dimension q of the basis (>= 1). Default 20. */
  void
  SetRank(unsigned int rank)
  {
    m_Rank = rank;
  }
  /** Passes of the power iteration. Default 2. */
  void
  SetPowerIterations(unsigned int passes)
  {
    m_PowerIterations = passes;
  }
  /** Seed of Omega. Default 0. */
  void
  SetSeed(std::uint64_t seed)
  {
    m_Seed = seed;
  }
  void
  SetGlobalSum(GlobalSum sum)
  {
    m_Sum = std::move(sum);
  }

  /** Q (rows x q' with q' <= q, orthonormal over all processes' rows). */
  Eigen::MatrixXd
  FindRange(const NMFDataMatrix & v) const;
  /** V ~ Q B with B = Q^T V (q' x cols). */
  LowRankMatrix
  Compress(const NMFDataMatrix & v) const;
  /** The singular triplets of a compressed V (exact for Q B). */
  TruncatedSVD
  SingularValueDecomposition(const LowRankMatrix & compressed) const;

  /** Orthonormal columns spanning Y's (over all processes' rows). */
  Eigen::MatrixXd
  Orthonormalize(const Eigen::MatrixXd & y) const;

private:
  unsigned int  m_Rank{ 20 };
  unsigned int  m_PowerIterations{ 2 };
  std::uint64_t m_Seed{ 0 };
  GlobalSum     m_Sum;
};
} // namespace stempdf

#endif
