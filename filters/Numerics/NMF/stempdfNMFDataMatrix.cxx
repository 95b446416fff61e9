#include "stempdfNMFDataMatrix.h"

#include <vector>

namespace stempdf
{
itk::MultiThreaderBase *
NMFDataMatrix::GetMultiThreader() const
{
  if (!m_Threader)
  {
    m_Threader = itk::MultiThreaderBase::New();
  }
  return m_Threader;
}

void
NMFDataMatrix::ForEachBlock(
  const std::function<void(Eigen::Index first, Eigen::Index count, Eigen::Index block)> & work) const
{
  const Eigen::Index rows = this->Rows();
  this->GetMultiThreader()->ParallelizeArray(
    0,
    static_cast<itk::SizeValueType>(this->NumberOfBlocks()),
    [&](itk::SizeValueType block) {
      const Eigen::Index first = static_cast<Eigen::Index>(block) * BlockRows;
      work(first, std::min(BlockRows, rows - first), static_cast<Eigen::Index>(block));
    },
    nullptr);
}

namespace
{
/** Adds per-block partial results in block order (deterministic). */
NMFDataMatrix::Matrix
SumInOrder(const std::vector<NMFDataMatrix::Matrix> & parts, Eigen::Index rows, Eigen::Index cols)
{
  NMFDataMatrix::Matrix sum = NMFDataMatrix::Matrix::Zero(rows, cols);
  for (const auto & part : parts)
  {
    sum += part;
  }
  return sum;
}
} // namespace

DenseShiftedMatrix::DenseShiftedMatrix(const double * data, Eigen::Index rows, Eigen::Index cols, Eigen::Index stride,
                                       Eigen::Index firstColumn, double shift)
  : m_Data(data + firstColumn)
  , m_Rows(rows)
  , m_Cols(cols)
  , m_Stride(stride)
  , m_Shift(shift)
{}

DenseShiftedMatrix::ConstBlock
DenseShiftedMatrix::RowBlock(Eigen::Index first, Eigen::Index count) const
{
  return ConstBlock(m_Data + first * m_Stride, count, m_Cols, Eigen::OuterStride<>(m_Stride));
}

NMFDataMatrix::Matrix
DenseShiftedMatrix::Multiply(const Matrix & F) const
{
  // (X - shift) F = X F - shift * 1 (column sums of F)
  const Eigen::RowVectorXd correction = m_Shift * F.colwise().sum();
  Matrix                   product(m_Rows, F.cols());
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index) {
    product.middleRows(first, count).noalias() = this->RowBlock(first, count) * F;
    product.middleRows(first, count).rowwise() -= correction;
  });
  return product;
}

NMFDataMatrix::Matrix
DenseShiftedMatrix::MultiplyTransposed(const Matrix & E) const
{
  std::vector<Matrix> parts(static_cast<std::size_t>(this->NumberOfBlocks()));
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index block) {
    const auto rowsOfE = E.middleRows(first, count);
    Matrix     part = this->RowBlock(first, count).transpose() * rowsOfE;
    // (X - shift)^T E = X^T E - shift * 1 (column sums of E)
    part.rowwise() -= m_Shift * rowsOfE.colwise().sum();
    parts[static_cast<std::size_t>(block)] = std::move(part);
  });
  return SumInOrder(parts, m_Cols, E.cols());
}

Eigen::VectorXd
DenseShiftedMatrix::RowSquaredNorms() const
{
  Eigen::VectorXd norms(m_Rows);
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index) {
    norms.segment(first, count) = (this->RowBlock(first, count).array() - m_Shift).square().rowwise().sum();
  });
  return norms;
}

double
DenseShiftedMatrix::SquaredNorm() const
{
  const Eigen::VectorXd norms = this->RowSquaredNorms();
  double                sum = 0.0;
  for (Eigen::Index i = 0; i < norms.size(); ++i)
  {
    sum += norms[i];
  }
  return sum;
}

LowRankMatrix::LowRankMatrix(Matrix q, Matrix b)
  : m_Q(std::move(q))
  , m_B(std::move(b))
{}

NMFDataMatrix::Matrix
LowRankMatrix::Multiply(const Matrix & F) const
{
  const Matrix small = m_B * F; // q x k
  Matrix       product(m_Q.rows(), F.cols());
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index) {
    product.middleRows(first, count).noalias() = m_Q.middleRows(first, count) * small;
  });
  return product;
}

NMFDataMatrix::Matrix
LowRankMatrix::MultiplyTransposed(const Matrix & E) const
{
  std::vector<Matrix> parts(static_cast<std::size_t>(this->NumberOfBlocks()));
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index block) {
    parts[static_cast<std::size_t>(block)].noalias() =
      m_Q.middleRows(first, count).transpose() * E.middleRows(first, count);
  });
  const Matrix qtE = SumInOrder(parts, m_Q.cols(), E.cols()); // q x k
  return m_B.transpose() * qtE;
}

Eigen::VectorXd
LowRankMatrix::RowSquaredNorms() const
{
  // ||q_i B||^2 = q_i (B B^T) q_i^T
  const Matrix    gram = m_B * m_B.transpose();
  Eigen::VectorXd norms(m_Q.rows());
  this->ForEachBlock([&](Eigen::Index first, Eigen::Index count, Eigen::Index) {
    const auto rows = m_Q.middleRows(first, count);
    norms.segment(first, count) = (rows * gram).cwiseProduct(rows).rowwise().sum();
  });
  return norms;
}

double
LowRankMatrix::SquaredNorm() const
{
  return this->RowSquaredNorms().sum();
}
} // namespace stempdf
