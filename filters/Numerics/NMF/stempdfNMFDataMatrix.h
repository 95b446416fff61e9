#ifndef stempdfNMFDataMatrix_h
#define stempdfNMFDataMatrix_h

#include "itkMultiThreaderBase.h"

#include <Eigen/Core>

namespace stempdf
{
/** \class NMFDataMatrix
 * \brief The data matrix V (rows = scan positions, columns = r samples) of a
 * non-negative matrix factorisation, seen only through the products the
 * update rules need.
 *
 * Every NMF update needs V F (rows x k) and V^T E (columns x k) for thin
 * factors, and the objective needs ||V||^2. Hiding V behind these products
 * lets the solver iterate on the measured matrix (DenseShiftedMatrix) or on
 * a compressed copy of it (LowRankMatrix, see RandomizedRangeFinder) with the
 * same code.
 *
 * Under MPI a process holds some rows. All results are then for those rows
 * only: MultiplyTransposed() and SquaredNorm() are partial sums that the
 * caller adds across processes.
 *
 * Work is split into blocks of BlockRows rows whatever the thread count, and
 * sums over blocks are added in block order: results are bit for bit the same
 * for any number of threads.
 */
class NMFDataMatrix
{
public:
  using Matrix = Eigen::MatrixXd;
  using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  static constexpr Eigen::Index BlockRows = 256;

  virtual ~NMFDataMatrix() = default;

  virtual Eigen::Index
  Rows() const = 0;
  virtual Eigen::Index
  Cols() const = 0;
  /** V F, F of Cols() x k: Rows() x k. */
  virtual Matrix
  Multiply(const Matrix & F) const = 0;
  /** V^T E, E of Rows() x k: Cols() x k (this process's rows). */
  virtual Matrix
  MultiplyTransposed(const Matrix & E) const = 0;
  /** ||V||_F^2 (this process's rows). */
  virtual double
  SquaredNorm() const = 0;
  /** ||v_i||^2 of every row i. */
  virtual Eigen::VectorXd
  RowSquaredNorms() const = 0;

  /** The threads of the block loops (default: a new one with ITK's global
   *  default thread count). */
  void
  SetMultiThreader(itk::MultiThreaderBase * threader)
  {
    m_Threader = threader;
  }
  /** The threads (created on first use). */
  itk::MultiThreaderBase *
  GetMultiThreader() const;

protected:
  /** Runs work(block) for every block of BlockRows rows, in parallel. */
  void
  ForEachBlock(const std::function<void(Eigen::Index first, Eigen::Index count, Eigen::Index block)> & work) const;
  /** Number of row blocks. */
  Eigen::Index
  NumberOfBlocks() const
  {
    return (this->Rows() + BlockRows - 1) / BlockRows;
  }

private:
  mutable itk::MultiThreaderBase::Pointer m_Threader;
};

/** \class DenseShiftedMatrix
 * \brief V = X - shift for a row-major block of doubles X that stays where it
 * is (e.g. an image buffer of G(r) curves), optionally only the columns
 * [firstColumn, firstColumn + cols) of rows `stride` doubles apart.
 *
 * The shift is applied inside the products (V F = X F - shift 1 (1^T F)), so
 * the 131 MB of a paper-scale G(r) cube are neither copied nor modified. */
class DenseShiftedMatrix : public NMFDataMatrix
{
public:
  DenseShiftedMatrix(const double * data, Eigen::Index rows, Eigen::Index cols, Eigen::Index stride,
                     Eigen::Index firstColumn, double shift);

  Eigen::Index
  Rows() const override
  {
    return m_Rows;
  }
  Eigen::Index
  Cols() const override
  {
    return m_Cols;
  }
  double
  GetShift() const
  {
    return m_Shift;
  }
  Matrix
  Multiply(const Matrix & F) const override;
  Matrix
  MultiplyTransposed(const Matrix & E) const override;
  double
  SquaredNorm() const override;
  Eigen::VectorXd
  RowSquaredNorms() const override;

private:
  using ConstBlock = Eigen::Map<const RowMajorMatrix, 0, Eigen::OuterStride<>>;
  ConstBlock
  RowBlock(Eigen::Index first, Eigen::Index count) const;

  const double * m_Data;
  Eigen::Index   m_Rows;
  Eigen::Index   m_Cols;
  Eigen::Index   m_Stride;
  double         m_Shift;
};

/** \class LowRankMatrix
 * \brief V = Q B with Q (rows x q, orthonormal columns) and B (q x cols):
 * the compressed data matrix of a randomised range finder. Products cost
 * rows * q * k instead of rows * cols * k. */
class LowRankMatrix : public NMFDataMatrix
{
public:
  LowRankMatrix(Matrix q, Matrix b);

  Eigen::Index
  Rows() const override
  {
    return m_Q.rows();
  }
  Eigen::Index
  Cols() const override
  {
    return m_B.cols();
  }
  const Matrix &
  GetQ() const
  {
    return m_Q;
  }
  const Matrix &
  GetB() const
  {
    return m_B;
  }
  Matrix
  Multiply(const Matrix & F) const override;
  Matrix
  MultiplyTransposed(const Matrix & E) const override;
  double
  SquaredNorm() const override;
  Eigen::VectorXd
  RowSquaredNorms() const override;

private:
  Matrix m_Q;
  Matrix m_B;
};
} // namespace stempdf

#endif
