#include "stempdfMLLSRowFit.h"

#include "itkMacro.h"

#include <cmath>

namespace stempdf
{
namespace
{
// Eight interleaved partial sums: vectorised (one AVX-512 or two AVX2
// registers) and in an order that depends on n only.
constexpr Eigen::Index Lanes = 8;
using Packet = Eigen::Array<double, Lanes, 1>;
using PacketMap = Eigen::Map<const Packet>;

/** out[m] = rows[m] . v for M consecutive rows of n samples. */
template <int M>
void
DotProducts(const double * rows, Eigen::Index n, const double * v, double * out)
{
  Packet sums[M];
  for (int m = 0; m < M; ++m)
  {
    sums[m].setZero();
  }
  Eigen::Index j = 0;
  for (; j + Lanes <= n; j += Lanes)
  {
    const Packet x = PacketMap(v + j);
    for (int m = 0; m < M; ++m)
    {
      sums[m] += PacketMap(rows + m * n + j) * x;
    }
  }
  for (int m = 0; m < M; ++m)
  {
    double total = sums[m].sum();
    for (Eigen::Index t = j; t < n; ++t)
    {
      total += rows[m * n + t] * v[t];
    }
    out[m] = total;
  }
}

/** out = rows . v for every row, four rows per pass over v (v stays in L1). */
void
AllDotProducts(const MLLSRowFit::RowMajorMatrix & rows, const double * v, double * out)
{
  const Eigen::Index n = rows.cols();
  Eigen::Index       m = 0;
  for (; m + 4 <= rows.rows(); m += 4)
  {
    DotProducts<4>(rows.data() + m * n, n, v, out + m);
  }
  switch (rows.rows() - m)
  {
    case 3:
      DotProducts<3>(rows.data() + m * n, n, v, out + m);
      break;
    case 2:
      DotProducts<2>(rows.data() + m * n, n, v, out + m);
      break;
    case 1:
      DotProducts<1>(rows.data() + m * n, n, v, out + m);
      break;
    default:
      break;
  }
}

/** sum_j (v_j - sum_m x_m rows_mj)^2. */
double
SquaredResidual(const MLLSRowFit::RowMajorMatrix & rows, const double * v, const double * x)
{
  const Eigen::Index n = rows.cols();
  const Eigen::Index K = rows.rows();
  Packet             sums = Packet::Zero();
  Eigen::Index       j = 0;
  for (; j + Lanes <= n; j += Lanes)
  {
    Packet r = PacketMap(v + j);
    for (Eigen::Index m = 0; m < K; ++m)
    {
      r -= x[m] * PacketMap(rows.data() + m * n + j);
    }
    sums += r * r;
  }
  double total = sums.sum();
  for (; j < n; ++j)
  {
    double r = v[j];
    for (Eigen::Index m = 0; m < K; ++m)
    {
      r -= x[m] * rows(m, j);
    }
    total += r * r;
  }
  return total;
}
} // namespace

MLLSRowFit::RowMajorMatrix
MLLSRowFit::Rows(const RowMajorMatrix & basis, bool fitOffset)
{
  if (basis.rows() < 1 || basis.rows() > MaxCurves || basis.cols() < 1)
  {
    itkGenericExceptionMacro(<< "MLLSRowFit: " << basis.rows() << " basis curves of " << basis.cols()
                             << " samples; expected 1 to " << MaxCurves << " curves of at least 1 sample");
  }
  if (!basis.allFinite())
  {
    itkGenericExceptionMacro(<< "MLLSRowFit: the basis holds a NaN or an infinite value");
  }
  RowMajorMatrix rows(basis.rows() + (fitOffset ? 1 : 0), basis.cols());
  rows.topRows(basis.rows()) = basis;
  if (fitOffset)
  {
    rows.bottomRows(1).setOnes();
  }
  return rows;
}

Eigen::MatrixXd
MLLSRowFit::Gram(const RowMajorMatrix & rows)
{
  Eigen::MatrixXd gram(rows.rows(), rows.rows());
  Eigen::VectorXd products(rows.rows());
  for (Eigen::Index m = 0; m < rows.rows(); ++m)
  {
    AllDotProducts(rows, rows.data() + m * rows.cols(), products.data());
    gram.col(m) = products;
  }
  return gram;
}

MLLSRowFit::MLLSRowFit(const RowMajorMatrix & basis, bool fitOffset)
  : m_Curves(basis.rows())
  , m_Rows(Rows(basis, fitOffset))
  , m_Solver(Gram(m_Rows), [&]() {
    std::vector<bool> constrained(static_cast<size_t>(m_Rows.rows()), true);
    if (fitOffset)
    {
      constrained.back() = false; // the offset takes either sign
    }
    return constrained;
  }())
{}

bool
MLLSRowFit::Fit(const double * v, double * weights, double & offset, double & rms) const
{
  const Eigen::Index K = m_Rows.rows();
  // Stack buffers (K <= MaxStackSize): Map binds to the solver's Ref without a copy.
  double rhsBuffer[NonnegativeLeastSquares::MaxStackSize];
  double xBuffer[NonnegativeLeastSquares::MaxStackSize];
  AllDotProducts(m_Rows, v, rhsBuffer);
  Eigen::Map<Eigen::VectorXd> rhs(rhsBuffer, K), x(xBuffer, K);
  if (!rhs.allFinite())
  {
    return false;
  }
  // Start with every variable free to be non-zero: a mixture whose weights
  // are all positive (the usual case) is then one factorisation.
  x.setOnes();
  m_Solver.Solve(rhs, x);
  for (Eigen::Index i = 0; i < m_Curves; ++i)
  {
    weights[i] = x(i);
  }
  offset = K > m_Curves ? x(K - 1) : 0.0;
  rms = std::sqrt(SquaredResidual(m_Rows, v, xBuffer) / static_cast<double>(m_Rows.cols()));
  return true;
}
} // namespace stempdf
