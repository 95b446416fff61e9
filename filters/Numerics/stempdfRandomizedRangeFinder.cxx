#include "stempdfRandomizedRangeFinder.h"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <random>

namespace stempdf
{
void
AddAcrossProcesses(const GlobalSum & sum, Eigen::MatrixXd & values)
{
  if (sum && values.size() > 0)
  {
    sum(values.data(), static_cast<std::size_t>(values.size()));
  }
}

double
AddAcrossProcesses(const GlobalSum & sum, double value)
{
  if (sum)
  {
    sum(&value, 1);
  }
  return value;
}

Eigen::MatrixXd
RandomizedRangeFinder::Orthonormalize(const Eigen::MatrixXd & y) const
{
  Eigen::MatrixXd q = y;
  for (int pass = 0; pass < 2; ++pass)
  {
    Eigen::MatrixXd gram = q.transpose() * q;
    AddAcrossProcesses(m_Sum, gram);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram);
    const Eigen::VectorXd &                              values = eigen.eigenvalues(); // ascending
    const double                                         largest = values.size() > 0 ? values[values.size() - 1] : 0.0;
    Eigen::Index                                         first = 0;
    while (first < values.size() && !(values[first] > 1e-12 * largest))
    {
      ++first;
    }
    const Eigen::Index kept = values.size() - first;
    // Q = Y U L^(-1/2) (largest direction first): Q^T Q = 1.
    Eigen::MatrixXd transform(q.cols(), kept);
    for (Eigen::Index j = 0; j < kept; ++j)
    {
      const Eigen::Index source = values.size() - 1 - j;
      transform.col(j) = eigen.eigenvectors().col(source) / std::sqrt(values[source]);
    }
    q = q * transform;
  }
  return q;
}

Eigen::MatrixXd
RandomizedRangeFinder::FindRange(const NMFDataMatrix & v) const
{
  const Eigen::Index q = std::min<Eigen::Index>(m_Rank, v.Cols());
  // Omega (cols x q) depends only on the seed: the same in every process.
  std::mt19937_64                  engine(m_Seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd                  omega(v.Cols(), q);
  for (Eigen::Index j = 0; j < omega.cols(); ++j)
  {
    for (Eigen::Index i = 0; i < omega.rows(); ++i)
    {
      omega(i, j) = normal(engine);
    }
  }
  Eigen::MatrixXd range = this->Orthonormalize(v.Multiply(omega));
  for (unsigned int pass = 0; pass < m_PowerIterations; ++pass)
  {
    Eigen::MatrixXd z = v.MultiplyTransposed(range); // cols x q, partial
    AddAcrossProcesses(m_Sum, z);
    // z has all columns in every process: orthonormalise it locally.
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(z);
    const Eigen::MatrixXd                       zq = qr.householderQ() * Eigen::MatrixXd::Identity(z.rows(), z.cols());
    range = this->Orthonormalize(v.Multiply(zq));
  }
  return range;
}

LowRankMatrix
RandomizedRangeFinder::Compress(const NMFDataMatrix & v) const
{
  Eigen::MatrixXd q = this->FindRange(v);
  Eigen::MatrixXd bt = v.MultiplyTransposed(q); // cols x q', partial
  AddAcrossProcesses(m_Sum, bt);
  return LowRankMatrix(std::move(q), bt.transpose());
}

TruncatedSVD
RandomizedRangeFinder::SingularValueDecomposition(const LowRankMatrix & compressed) const
{
  // Q B = Q (Ub S Vb^T) = (Q Ub) S Vb^T: Q Ub stays orthonormal.
  const Eigen::BDCSVD<Eigen::MatrixXd> svd(compressed.GetB(), Eigen::ComputeThinU | Eigen::ComputeThinV);
  TruncatedSVD                         result;
  result.U = compressed.GetQ() * svd.matrixU();
  result.S = svd.singularValues();
  result.Vt = svd.matrixV();
  return result;
}
} // namespace stempdf
