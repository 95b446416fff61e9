#include "stempdfNMFUpdateRules.h"

#include "stempdfNonnegativeLeastSquares.h"
#include "stempdfSimplexLeastSquares.h"

namespace stempdf
{
void
UpdateHALS(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b)
{
  for (Eigen::Index j = 0; j < f.cols(); ++j)
  {
    if (!(b(j, j) > 0.0))
    {
      continue;
    }
    f.col(j) = (f.col(j) + (a.col(j) - f * b.col(j)) / b(j, j)).cwiseMax(0.0);
  }
}

void
UpdateMultiplicative(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b)
{
  const Eigen::MatrixXd denominator = (f * b).cwiseMax(1e-300);
  f = f.cwiseProduct(a.cwiseMax(0.0)).cwiseQuotient(denominator);
}

void
UpdateAlternatingNNLS(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b)
{
  const NonnegativeLeastSquares solver(b);
  Eigen::VectorXd               x(f.cols());
  Eigen::VectorXd               rhs(f.cols());
  for (Eigen::Index i = 0; i < f.rows(); ++i)
  {
    x = f.row(i).transpose();
    rhs = a.row(i).transpose();
    solver.Solve(rhs, x);
    f.row(i) = x.transpose();
  }
}

void
UpdateFractions(Eigen::MatrixXd & f, const Eigen::MatrixXd & a, const Eigen::MatrixXd & b,
                itk::MultiThreaderBase * threader)
{
  constexpr Eigen::Index blockRows = 1024;
  const auto             solveBlock = [&](itk::SizeValueType block) {
    SimplexLeastSquares solver(b); // its cache is per thread
    Eigen::VectorXd     x(f.cols());
    Eigen::VectorXd     rhs(f.cols());
    const Eigen::Index  first = static_cast<Eigen::Index>(block) * blockRows;
    const Eigen::Index  last = std::min(f.rows(), first + blockRows);
    for (Eigen::Index i = first; i < last; ++i)
    {
      x = f.row(i).transpose();
      rhs = a.row(i).transpose();
      solver.Solve(rhs, x);
      f.row(i) = x.transpose();
    }
  };
  const auto blocks = static_cast<itk::SizeValueType>((f.rows() + blockRows - 1) / blockRows);
  if (threader)
  {
    threader->ParallelizeArray(0, blocks, solveBlock, nullptr);
  }
  else
  {
    for (itk::SizeValueType block = 0; block < blocks; ++block)
    {
      solveBlock(block);
    }
  }
}
} // namespace stempdf
