#include "stempdfNonnegativeMatrixFactorization.h"

#include "stempdfNMFInitialization.h"
#include "stempdfNMFUpdateRules.h"
#include "stempdfScanSmoothing.h"

#include "itkMacro.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stempdf
{
namespace
{
void
Update(NMFAlgorithm algorithm, Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b)
{
  switch (algorithm)
  {
    case NMFAlgorithm::HALS:
      UpdateHALS(f, a, b);
      break;
    case NMFAlgorithm::MultiplicativeUpdate:
      UpdateMultiplicative(f, a, b);
      break;
    case NMFAlgorithm::AlternatingNNLS:
      UpdateAlternatingNNLS(f, a, b);
      break;
  }
}
} // namespace

const char *
ToString(NMFAlgorithm algorithm)
{
  switch (algorithm)
  {
    case NMFAlgorithm::HALS:
      return "HALS";
    case NMFAlgorithm::MultiplicativeUpdate:
      return "MultiplicativeUpdate";
    case NMFAlgorithm::AlternatingNNLS:
      return "AlternatingNNLS";
  }
  return "?";
}

const char *
ToString(NMFWeightConstraint constraint)
{
  return constraint == NMFWeightConstraint::SumToOne ? "SumToOne" : "None";
}

const char *
ToString(NMFInitialization initialization)
{
  switch (initialization)
  {
    case NMFInitialization::SuccessiveProjection:
      return "SuccessiveProjection";
    case NMFInitialization::NNDSVD:
      return "NNDSVD";
    case NMFInitialization::NNDSVDA:
      return "NNDSVDA";
    case NMFInitialization::Random:
      return "Random";
  }
  return "?";
}

double
NonnegativeMatrixFactorization::Iterate(const NMFDataMatrix & data, double squaredNorm, Factors & factors) const
{
  const NMFAlgorithm algorithm = m_Parameters.Algorithm;
  // W: A = V H^T, B = H H^T (H^T has every column in every process).
  if (m_Parameters.WeightConstraint == NMFWeightConstraint::SumToOne)
  {
    UpdateFractions(factors.W, data.Multiply(factors.Ht), factors.Ht.transpose() * factors.Ht, data.GetMultiThreader());
  }
  else
  {
    Update(algorithm, factors.W, data.Multiply(factors.Ht), factors.Ht.transpose() * factors.Ht);
  }
  // H^T: A = V^T W, B = W^T W, both sums over the rows of every process.
  Eigen::MatrixXd vtw = data.MultiplyTransposed(factors.W);
  Eigen::MatrixXd wtw = factors.W.transpose() * factors.W;
  AddAcrossProcesses(m_Sum, vtw);
  AddAcrossProcesses(m_Sum, wtw);
  Update(algorithm, factors.Ht, vtw, wtw);
  const Eigen::MatrixXd hht = factors.Ht.transpose() * factors.Ht;
  return 0.5 * (squaredNorm - 2.0 * vtw.cwiseProduct(factors.Ht).sum() + wtw.cwiseProduct(hht).sum());
}

double
NonnegativeMatrixFactorization::Objective(const NMFDataMatrix & data, double squaredNorm, const Factors & factors) const
{
  Eigen::MatrixXd vtw = data.MultiplyTransposed(factors.W);
  Eigen::MatrixXd wtw = factors.W.transpose() * factors.W;
  AddAcrossProcesses(m_Sum, vtw);
  AddAcrossProcesses(m_Sum, wtw);
  const Eigen::MatrixXd hht = factors.Ht.transpose() * factors.Ht;
  return 0.5 * (squaredNorm - 2.0 * vtw.cwiseProduct(factors.Ht).sum() + wtw.cwiseProduct(hht).sum());
}

bool
NonnegativeMatrixFactorization::Converge(const NMFDataMatrix & data, double squaredNorm, Factors & factors,
                                         unsigned int iterations, const std::string & stage,
                                         std::vector<double> * history, unsigned int & done) const
{
  double  previous = std::numeric_limits<double>::infinity();
  Factors before;
  for (done = 0; done < iterations;)
  {
    if (m_Parameters.StepTolerance > 0.0)
    {
      before = factors;
    }
    const double objective = this->Iterate(data, squaredNorm, factors);
    ++done;
    if (history)
    {
      history->push_back(objective);
    }
    if (m_Progress)
    {
      m_Progress(stage, done, objective);
    }
    // The change relative to f; f itself is >= 0 up to rounding.
    if (previous - objective <= m_Parameters.Tolerance * std::abs(objective) ||
        (m_Parameters.StepTolerance > 0.0 && this->LargestStep(before, factors) <= m_Parameters.StepTolerance))
    {
      return true;
    }
    previous = objective;
  }
  return false;
}

double
NonnegativeMatrixFactorization::LargestStep(const Factors & before, const Factors & after) const
{
  // max |change| / max |entry| of each factor, the larger of the two; W's
  // over all processes.
  constexpr double tiny = 1.4901161193847656e-08; // sqrt(machine epsilon), as MATLAB
  Eigen::MatrixXd  w(2, 1);
  w.setZero();
  if (after.W.size() > 0) // a process may hold no rows
  {
    w << (after.W - before.W).cwiseAbs().maxCoeff(), before.W.cwiseAbs().maxCoeff();
  }
  if (m_Minimum)
  {
    w(0, 0) = -m_Minimum(-w(0, 0));
    w(1, 0) = -m_Minimum(-w(1, 0));
  }
  const double stepW = w(0, 0) / (tiny + w(1, 0));
  const double stepH = (after.Ht - before.Ht).cwiseAbs().maxCoeff() / (tiny + before.Ht.cwiseAbs().maxCoeff());
  return std::max(stepW, stepH);
}

void
NonnegativeMatrixFactorization::ApplyConvention(double meanOfV, Factors & factors) const
{
  const Eigen::Index k = factors.W.cols();
  // Each basis curve to V's mean value, the weights take the inverse scale
  // (fractions already fix the scale).
  for (Eigen::Index j = 0; j < k && m_Parameters.WeightConstraint == NMFWeightConstraint::None; ++j)
  {
    const double mean = factors.Ht.col(j).mean();
    if (mean > 0.0 && meanOfV > 0.0)
    {
      factors.Ht.col(j) *= meanOfV / mean;
      factors.W.col(j) *= mean / meanOfV;
    }
  }
  // Largest total weight first (ties keep their order).
  Eigen::MatrixXd totals = factors.W.colwise().sum().transpose();
  AddAcrossProcesses(m_Sum, totals);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), Eigen::Index{ 0 });
  std::stable_sort(
    order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return totals(a, 0) > totals(b, 0); });
  Factors sorted{ Eigen::MatrixXd(factors.W.rows(), k), Eigen::MatrixXd(factors.Ht.rows(), k) };
  for (Eigen::Index j = 0; j < k; ++j)
  {
    sorted.W.col(j) = factors.W.col(order[static_cast<std::size_t>(j)]);
    sorted.Ht.col(j) = factors.Ht.col(order[static_cast<std::size_t>(j)]);
  }
  factors = std::move(sorted);
}

NMFResult
NonnegativeMatrixFactorization::Run(const NMFDataMatrix & v) const
{
  const NMFParameters & p = m_Parameters;
  const double          rows = AddAcrossProcesses(m_Sum, static_cast<double>(v.Rows()));
  const double          cols = static_cast<double>(v.Cols());
  if (p.Rank < 1 || p.Rank > std::min(rows, cols))
  {
    itkGenericExceptionMacro("NumberOfComponents: " << p.Rank << " components for " << rows << " positions x " << cols
                                                    << " samples; expected 1 to " << std::min(rows, cols));
  }
  if (!(p.Tolerance >= 0.0))
  {
    itkGenericExceptionMacro("Tolerance: " << p.Tolerance << "; expected >= 0");
  }
  if (!(p.SpatialSmoothing >= 0.0) || !std::isfinite(p.SpatialSmoothing))
  {
    itkGenericExceptionMacro("SpatialSmoothing: " << p.SpatialSmoothing
                                                  << " scan steps; expected a standard deviation >= 0 (0 = off)");
  }
  const double squaredNorm = AddAcrossProcesses(m_Sum, v.SquaredNorm());
  if (!(squaredNorm > 0.0))
  {
    itkGenericExceptionMacro("the data are constant (all values equal the minimum): nothing to factorise");
  }
  const double meanOfV =
    AddAcrossProcesses(m_Sum, v.Multiply(Eigen::MatrixXd::Ones(v.Cols(), 1)).sum()) / (rows * cols);

  NMFResult result;
  // 1. Compression (also the SVD of the NNDSVD start).
  RandomizedRangeFinder finder;
  finder.SetSeed(p.Seed);
  finder.SetGlobalSum(m_Sum);
  finder.SetPowerIterations(p.PowerIterations);
  // Smoothing works on the compressed V, so it always compresses.
  const bool smooth = p.SpatialSmoothing != 0.0;
  const bool compressionAsked = p.CompressionRank > 0 && p.CompressionRank < std::min(rows, cols);
  const bool compress = compressionAsked || smooth;
  const auto compressedRank = compressionAsked
                                ? p.CompressionRank
                                : std::min<unsigned int>(p.Rank + 10, static_cast<unsigned int>(std::min(rows, cols)));
  finder.SetRank(std::max(compressedRank, p.Rank));
  const bool    needSVD = p.Initialization != NMFInitialization::Random;
  LowRankMatrix compressed = (compress || needSVD) ? finder.Compress(v) : LowRankMatrix({}, {});
  compressed.SetMultiThreader(v.GetMultiThreader());
  if (needSVD && smooth)
  {
    // The singular values users choose k from: of V, not of its smoothed copy.
    result.SingularValues = finder.SingularValueDecomposition(compressed).S;
  }
  if (smooth)
  {
    compressed = this->SmoothOverTheScan(compressed, finder, rows);
    compressed.SetMultiThreader(v.GetMultiThreader());
  }
  // f of the iterations is measured on the data they fit.
  const double          workNorm = smooth ? AddAcrossProcesses(m_Sum, compressed.SquaredNorm()) : squaredNorm;
  const NMFDataMatrix & work = compress ? static_cast<const NMFDataMatrix &>(compressed) : v;
  result.UsedCompressionRank = compress ? static_cast<unsigned int>(compressed.GetB().rows()) : 0;

  // 2. Replicates.
  Factors best;
  double  bestObjective = std::numeric_limits<double>::infinity();
  for (unsigned int replicate = 0; replicate < std::max(p.Replicates, 1u); ++replicate)
  {
    NMFFactors start;
    if (replicate == 0 && needSVD)
    {
      const TruncatedSVD svd = finder.SingularValueDecomposition(compressed);
      if (!smooth)
      {
        result.SingularValues = svd.S;
      }
      if (svd.S.size() < static_cast<Eigen::Index>(p.Rank))
      {
        itkGenericExceptionMacro("NumberOfComponents: the data have rank " << svd.S.size() << ", fewer than the "
                                                                           << p.Rank << " components asked for");
      }
      start = p.Initialization == NMFInitialization::SuccessiveProjection
                ? SuccessiveProjectionFactors(svd, p.Rank, m_FirstRow, m_Sum, m_Minimum)
                : NNDSVDFactors(svd, p.Rank, p.Initialization == NMFInitialization::NNDSVDA, meanOfV, m_Sum);
    }
    else
    {
      start = RandomFactors(v.Rows(), v.Cols(), p.Rank, meanOfV, p.Seed + replicate, m_FirstRow);
    }
    Factors      factors{ std::move(start.W), std::move(start.Ht) };
    unsigned int done = 0;
    double       objective = 0.0;
    if (p.ReplicateIterations > 0)
    {
      std::vector<double> history;
      this->Converge(
        work, workNorm, factors, p.ReplicateIterations, "replicate " + std::to_string(replicate + 1), &history, done);
      objective = history.back();
    }
    else
    {
      objective = this->Objective(work, workNorm, factors);
    }
    result.ReplicateObjectives.push_back(objective);
    if (objective < bestObjective)
    {
      bestObjective = objective;
      best = std::move(factors);
      result.BestReplicate = replicate;
    }
  }

  // 3. The long run: compressed, then refined on V.
  unsigned int done = 0;
  result.Converged =
    this->Converge(work, workNorm, best, p.MaxIterations, ToString(p.Algorithm), &result.Objective, done);
  result.CompressedIterations = compress ? done : 0;
  // Refining on V would undo the smoothing: the basis is the smoothed data's.
  if (compress && !smooth)
  {
    const unsigned int left = p.MaxIterations - done;
    result.Converged = this->Converge(v,
                                      squaredNorm,
                                      best,
                                      std::min(left, p.MaxRefinementIterations),
                                      "refinement",
                                      &result.Objective,
                                      result.RefinementIterations);
  }

  // 4. Convention, exact objective and residuals.
  this->ApplyConvention(meanOfV, best);
  result.H = best.Ht.transpose();
  this->SolveWeights(v, result.H, result.W, result.RowResidualSquares);
  result.FinalObjective = 0.5 * AddAcrossProcesses(m_Sum, result.RowResidualSquares.sum());
  return result;
}

LowRankMatrix
NonnegativeMatrixFactorization::SmoothOverTheScan(const LowRankMatrix &         compressed,
                                                  const RandomizedRangeFinder & finder, double rows) const
{
  const auto totalRows = static_cast<Eigen::Index>(rows);
  if (m_ScanWidth < 1 || totalRows % m_ScanWidth != 0)
  {
    itkGenericExceptionMacro("SpatialSmoothing: needs the scan grid; "
                             << totalRows << " positions are not whole rows of " << m_ScanWidth << " positions");
  }
  // Every process places its rows of Q in the whole scan (q numbers per
  // position: small), smooths the whole and keeps its rows again.
  const Eigen::MatrixXd & q = compressed.GetQ();
  Eigen::MatrixXd         whole = Eigen::MatrixXd::Zero(totalRows, q.cols());
  whole.middleRows(static_cast<Eigen::Index>(m_FirstRow), q.rows()) = q;
  AddAcrossProcesses(m_Sum, whole);
  const Eigen::MatrixXd smoothed = SmoothOverScan(whole, m_ScanWidth, m_Parameters.SpatialSmoothing)
                                     .middleRows(static_cast<Eigen::Index>(m_FirstRow), q.rows());
  // S Q B = Q' (Q'^T S Q) B with Q' orthonormal.
  Eigen::MatrixXd orthonormal = finder.Orthonormalize(smoothed);
  Eigen::MatrixXd change = orthonormal.transpose() * smoothed;
  AddAcrossProcesses(m_Sum, change);
  return LowRankMatrix(std::move(orthonormal), change * compressed.GetB());
}

void
NonnegativeMatrixFactorization::SolveWeights(const NMFDataMatrix & v, const Eigen::MatrixXd & h, Eigen::MatrixXd & w,
                                             Eigen::VectorXd & residualSquares) const
{
  const Eigen::MatrixXd a = v.Multiply(h.transpose()); // V H^T: one pass over V for both
  const Eigen::MatrixXd b = h * h.transpose();
  if (m_Parameters.WeightConstraint == NMFWeightConstraint::SumToOne)
  {
    w = Eigen::MatrixXd::Constant(v.Rows(), h.rows(), 1.0 / h.rows());
    UpdateFractions(w, a, b, v.GetMultiThreader());
  }
  else
  {
    w = Eigen::MatrixXd::Zero(v.Rows(), h.rows());
    UpdateAlternatingNNLS(w, a, b);
  }
  // ||v_i - w_i H||^2 = ||v_i||^2 - 2 w_i (H v_i) + w_i (H H^T) w_i^T
  residualSquares =
    (v.RowSquaredNorms() - 2.0 * a.cwiseProduct(w).rowwise().sum() + (w * b).cwiseProduct(w).rowwise().sum())
      .cwiseMax(0.0);
}
} // namespace stempdf
