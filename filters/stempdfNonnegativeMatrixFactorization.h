#ifndef stempdfNonnegativeMatrixFactorization_h
#define stempdfNonnegativeMatrixFactorization_h

#include "stempdfNMFDataMatrix.h"
#include "stempdfRandomizedRangeFinder.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stempdf
{
/** The update rule of the iterations (stempdfNMFUpdateRules.h). */
enum class NMFAlgorithm
{
  HALS,
  MultiplicativeUpdate,
  AlternatingNNLS
};

/** The start of the first replicate (later replicates start at random). */
enum class NMFInitialization
{
  /** The basis curves are the curves of the k "purest" positions, found by
   *  the successive projection algorithm (Gillis and Vavasis 2014). */
  SuccessiveProjection,
  NNDSVD,
  NNDSVDA,
  Random
};

/** What the weights of a position may be. */
enum class NMFWeightConstraint
{
  /** Fractions: non-negative and adding up to 1 (each position a mixture of
   *  the basis curves). */
  SumToOne,
  /** Non-negative only (plain NMF, as scikit-learn and MATLAB's nnmf). */
  None
};

/** Names as the docs and progress messages spell them. */
const char *
ToString(NMFAlgorithm algorithm);
const char *
ToString(NMFInitialization initialization);
const char *
ToString(NMFWeightConstraint constraint);

/** Everything that decides an NMF result; the defaults are the paper's
 *  scheme (docs/method.md, section 6). */
struct NMFParameters
{
  unsigned int      Rank{ 3 };
  NMFAlgorithm      Algorithm{ NMFAlgorithm::HALS };
  NMFInitialization   Initialization{ NMFInitialization::SuccessiveProjection };
  NMFWeightConstraint WeightConstraint{ NMFWeightConstraint::SumToOne };
  /** Short runs from different starts; the best seeds the long run. */
  unsigned int Replicates{ 5 };
  unsigned int ReplicateIterations{ 5 };
  /** Iterations of the long run, compressed and refinement together. */
  unsigned int MaxIterations{ 1000 };
  /** The long run stops when the objective falls by less than this fraction
   *  of itself in one iteration. */
  double Tolerance{ 1e-7 };
  /** ... or when no entry of W or H moves by more than this fraction of
   *  the largest entry of its factor (MATLAB nnmf's TolX, which the paper's
   *  code used with its default 1e-4); 0 = off. */
  double        StepTolerance{ 1e-4 };
  std::uint64_t Seed{ 0 };
  /** Columns q of the compressed V the iterations run on before they refine
   *  on V itself; 0 iterates on V from the start. */
  unsigned int CompressionRank{ 20 };
  /** Power iterations of the range finder. */
  unsigned int PowerIterations{ 2 };
  /** Most iterations on V itself after the compressed ones converged. */
  unsigned int MaxRefinementIterations{ 50 };
  /** Standard deviation, in scan steps, of a Gaussian smoothing over the
   *  scan applied to the compressed V while the basis is found; the weights
   *  are then solved on V itself (no refinement on V). Per-position noise
   *  otherwise pushes the basis outwards and compresses the fractions
   *  (docs/method.md, section 6). 0 = off. Needs SetScanWidth(). */
  double SpatialSmoothing{ 0.0 };
};

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
  unsigned int              CompressedIterations{ 0 };
  unsigned int              RefinementIterations{ 0 };
  std::vector<double>       ReplicateObjectives;
  unsigned int              BestReplicate{ 0 };
  bool                      Converged{ false };
  double                    FinalObjective{ 0.0 };
  Eigen::VectorXd           RowResidualSquares; ///< ||v_i - w_i H||^2 of every row
  unsigned int              UsedCompressionRank{ 0 };
  /** The leading singular values of V (from the compressed V; empty with a
   *  random start and no compression): how many components the data
   *  support — those well above the noise floor. */
  Eigen::VectorXd SingularValues;
};

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
