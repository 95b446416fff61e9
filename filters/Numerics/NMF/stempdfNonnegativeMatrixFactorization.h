#ifndef stempdfNonnegativeMatrixFactorization_h
#define stempdfNonnegativeMatrixFactorization_h

#include "stempdfNMFDataMatrix.h"
#include "stempdfNMFParameters.h"
#include "stempdfNMFResult.h"
#include "stempdfRandomizedRangeFinder.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stempdf
{
/** \class NonnegativeMatrixFactorization
 * \brief V ~ W H with W, H >= 0, for a data matrix that may be spread over
 * processes by rows.
 *
 * The scheme (docs/method.md, section 6):
 * 1. Compression: V ~ Q B by RandomizedRangeFinder with CompressionRank
 *    columns (skipped when 0 or not smaller than V). Its singular vectors
 *    give the NNDSVD start.
 * 2. Replicates: the first from Initialization, the others from random
 *    starts (Seed + replicate), ReplicateIterations iterations each; the
 *    lowest objective wins (the paper's rough first step).
 * 3. Long run from the winner on the compressed V until the relative change
 *    of f is below Tolerance, then refinement iterations on V itself until
 *    it is again (at most MaxRefinementIterations; in all at most
 *    MaxIterations).
 * 4. The final weights are solved exactly for the final H (SolveWeights()).
 * 5. Convention: with WeightConstraint SumToOne the weights are fractions
 *    and fix the scale; with None each basis curve is scaled to V's mean
 *    value (the weights take the inverse scale, so W H is unchanged) and a
 *    position's weights add up to about 1. Components are sorted by total
 *    weight, largest first. Two runs, or two samples, compare directly.
 *
 * With SumToOne the weights of every position are the exact constrained
 * least-squares fractions given H (SimplexLeastSquares), whatever Algorithm
 * is; Algorithm then updates H.
 *
 * The same parameters give the same result bit for bit on any number of
 * threads; across process splits it agrees to rounding.
 *
 * Throws itk::ExceptionObject naming the parameter for a rank < 1 or larger
 * than min(rows, columns), and for constant data (V = 0 after the shift).
 */
class NonnegativeMatrixFactorization
{
public:
  using ProgressCallback = std::function<void(const std::string & stage, unsigned int iteration, double objective)>;

  void
  SetParameters(const NMFParameters & parameters)
  {
    m_Parameters = parameters;
  }
  const NMFParameters &
  GetParameters() const
  {
    return m_Parameters;
  }
  /** Adds partial results across processes (MPI); empty for one process. */
  void
  SetGlobalSum(GlobalSum sum)
  {
    m_Sum = std::move(sum);
  }
  /** The minimum across processes (MPI); empty for one process. */
  void
  SetGlobalMinimum(GlobalMinimum minimum)
  {
    m_Minimum = std::move(minimum);
  }
  /** Global number of this process's first row (for random starts that do
   *  not depend on the split). Default 0. */
  void
  SetFirstRow(std::uint64_t row)
  {
    m_FirstRow = row;
  }
  /** Positions per scan row (x fastest), for SpatialSmoothing. Default 0:
   *  unknown. */
  void
  SetScanWidth(Eigen::Index width)
  {
    m_ScanWidth = width;
  }
  /** Called after every iteration (for progress reports). */
  void
  SetProgressCallback(ProgressCallback callback)
  {
    m_Progress = std::move(callback);
  }

  NMFResult
  Run(const NMFDataMatrix & v) const;

  /** The exact weights w of every row of v for the basis h (k x cols),
   *  under WeightConstraint, and each row's ||v_i - w_i H||^2: how Run()
   *  makes its final W, and how rows that took no part in the factorisation
   *  (another process owns them) get theirs. */
  void
  SolveWeights(const NMFDataMatrix & v, const Eigen::MatrixXd & h, Eigen::MatrixXd & w,
               Eigen::VectorXd & residualSquares) const;

private:
  struct Factors
  {
    Eigen::MatrixXd W;
    Eigen::MatrixXd Ht;
  };
  /** One iteration (W, then H) on `data`; returns
   *  f = (squaredNorm - 2 <data H^T, W> + <W^T W, H H^T>) / 2. With
   *  squaredNorm = ||V||^2 and compressed data, that is f of the compressed V
   *  plus half the energy the compression dropped. */
  double
  Iterate(const NMFDataMatrix & data, double squaredNorm, Factors & factors) const;
  /** f of the factors on `data` without changing them. */
  double
  Objective(const NMFDataMatrix & data, double squaredNorm, const Factors & factors) const;
  /** Runs up to `iterations` iterations, appending f to `history` (if any);
   *  true when the relative change fell below Tolerance. */
  bool
  Converge(const NMFDataMatrix & data, double squaredNorm, Factors & factors, unsigned int iterations,
           const std::string & stage, std::vector<double> * history, unsigned int & done) const;
  void
  ApplyConvention(double meanOfV, Factors & factors) const;
  /** The compressed V smoothed over the whole scan (rows of every process
   *  gathered: q values per position), orthonormal again. */
  LowRankMatrix
  SmoothOverTheScan(const LowRankMatrix & compressed, const RandomizedRangeFinder & finder, double rows) const;
  /** MATLAB nnmf's step measure: the larger relative change of W or H. */
  double
  LargestStep(const Factors & before, const Factors & after) const;

  NMFParameters    m_Parameters;
  GlobalSum        m_Sum;
  GlobalMinimum    m_Minimum;
  std::uint64_t    m_FirstRow{ 0 };
  Eigen::Index     m_ScanWidth{ 0 };
  ProgressCallback m_Progress;
};
} // namespace stempdf

#endif
