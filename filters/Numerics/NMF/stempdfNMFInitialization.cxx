#include "stempdfNMFInitialization.h"

#include <cmath>

namespace stempdf
{
NMFFactors
NNDSVDFactors(const TruncatedSVD & svd, unsigned int k, bool fillZeros, double meanOfV, const GlobalSum & sum)
{
  NMFFactors factors;
  factors.W = Eigen::MatrixXd::Zero(svd.U.rows(), k);
  factors.Ht = Eigen::MatrixXd::Zero(svd.Vt.rows(), k);
  for (unsigned int j = 0; j < k; ++j)
  {
    const auto u = svd.U.col(j);
    const auto v = svd.Vt.col(j);
    if (j == 0)
    {
      factors.W.col(0) = std::sqrt(svd.S[0]) * u.cwiseAbs();
      factors.Ht.col(0) = std::sqrt(svd.S[0]) * v.cwiseAbs();
      continue;
    }
    const Eigen::VectorXd uPositive = u.cwiseMax(0.0);
    const Eigen::VectorXd uNegative = (-u).cwiseMax(0.0);
    const Eigen::VectorXd vPositive = v.cwiseMax(0.0);
    const Eigen::VectorXd vNegative = (-v).cwiseMax(0.0);
    Eigen::MatrixXd       rowNorms(2, 1);
    rowNorms << uPositive.squaredNorm(), uNegative.squaredNorm();
    AddAcrossProcesses(sum, rowNorms);
    const double uPositiveNorm = std::sqrt(rowNorms(0, 0));
    const double uNegativeNorm = std::sqrt(rowNorms(1, 0));
    const double positive = uPositiveNorm * vPositive.norm();
    const double negative = uNegativeNorm * vNegative.norm();
    const bool   usePositive = positive >= negative;
    const double size = usePositive ? positive : negative;
    if (!(size > 0.0))
    {
      continue; // a degenerate pair: the column stays 0 (or the fill value)
    }
    const double scale = std::sqrt(svd.S[j] * size);
    factors.W.col(j) = scale / (usePositive ? uPositiveNorm : uNegativeNorm) * (usePositive ? uPositive : uNegative);
    factors.Ht.col(j) =
      scale / (usePositive ? vPositive.norm() : vNegative.norm()) * (usePositive ? vPositive : vNegative);
  }
  if (fillZeros)
  {
    factors.W = (factors.W.array() == 0.0).select(meanOfV, factors.W);
    factors.Ht = (factors.Ht.array() == 0.0).select(meanOfV, factors.Ht);
  }
  return factors;
}

NMFFactors
SuccessiveProjectionFactors(const TruncatedSVD & svd, unsigned int k, std::uint64_t firstRow, const GlobalSum & sum,
                            const GlobalMinimum & minimum)
{
  // Row coordinates in the orthonormal basis Vt: X = U S, ||x_i|| = ||v_i||.
  Eigen::MatrixXd    residual = svd.U * svd.S.asDiagonal();
  const Eigen::Index q = residual.cols();
  NMFFactors         factors;
  factors.W = Eigen::MatrixXd::Constant(svd.U.rows(), k, 1.0 / k);
  factors.Ht = Eigen::MatrixXd::Zero(svd.Vt.rows(), k);
  for (unsigned int j = 0; j < k; ++j)
  {
    const Eigen::VectorXd norms = residual.rowwise().squaredNorm();
    const double          localLargest = norms.size() > 0 ? norms.maxCoeff() : 0.0;
    const double          largest = minimum ? -minimum(-localLargest) : localLargest;
    if (!(largest > 0.0))
    {
      break; // fewer than k independent rows: the rest stays 0
    }
    // Near-ties (within 1e-9) go to the lowest global row, so the choice does
    // not depend on rounding, i.e. on how the rows are split into processes.
    Eigen::Index local = 0;
    while (local < norms.size() && norms[local] < (1.0 - 1e-9) * largest)
    {
      ++local;
    }
    const double candidate = local < norms.size() ? static_cast<double>(firstRow + local) : 1e300;
    const double chosen = minimum ? minimum(candidate) : candidate;
    // The process holding the chosen row hands its coordinates (and its
    // residual direction) to all.
    Eigen::MatrixXd picked = Eigen::MatrixXd::Zero(2 * q, 1);
    if (candidate == chosen)
    {
      picked.block(0, 0, q, 1) = (svd.U.row(local) * svd.S.asDiagonal()).transpose();
      picked.block(q, 0, q, 1) = residual.row(local).transpose();
    }
    AddAcrossProcesses(sum, picked);
    const Eigen::VectorXd direction = picked.block(q, 0, q, 1).normalized();
    factors.Ht.col(j) = (svd.Vt * picked.block(0, 0, q, 1)).cwiseMax(0.0);
    residual -= (residual * direction) * direction.transpose();
  }
  return factors;
}

namespace
{
/** SplitMix64 (Steele, Lea and Flood 2014): a counter-based random stream. */
std::uint64_t
Mix(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/** A number in (0, 1] from (seed, stream, index). */
double
UniformAt(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
{
  const std::uint64_t bits = Mix(Mix(Mix(seed) ^ stream) ^ index);
  return (static_cast<double>(bits >> 11) + 1.0) * 0x1.0p-53;
}
} // namespace

NMFFactors
RandomFactors(Eigen::Index rows, Eigen::Index cols, unsigned int k, double meanOfV, std::uint64_t seed,
              std::uint64_t firstRow)
{
  const double scale = 2.0 * std::sqrt(std::max(meanOfV, 0.0) / k);
  NMFFactors   factors;
  factors.W.resize(rows, k);
  factors.Ht.resize(cols, k);
  for (unsigned int j = 0; j < k; ++j)
  {
    for (Eigen::Index i = 0; i < rows; ++i)
    {
      factors.W(i, j) = scale * UniformAt(seed, 2 * j, firstRow + static_cast<std::uint64_t>(i));
    }
    for (Eigen::Index i = 0; i < cols; ++i)
    {
      factors.Ht(i, j) = scale * UniformAt(seed, 2 * j + 1, static_cast<std::uint64_t>(i));
    }
  }
  return factors;
}
} // namespace stempdf
