#include "stempdfNonnegativeLeastSquares.h"

#include "itkMacro.h"

#include <Eigen/Cholesky>

#include <cmath>

namespace stempdf
{
namespace
{
// A pivot of the LDL^T below this share of the largest one counts as zero:
// for a positive semi-definite G the rounding of a zero pivot is ~k eps.
constexpr double SingularPivot = 1e-13;
} // namespace

NonnegativeLeastSquares::NonnegativeLeastSquares(const Eigen::MatrixXd & gram, std::vector<bool> constrained)
  : m_Constrained(std::move(constrained))
{
  const Eigen::Index k = gram.rows();
  if (k == 0 || gram.cols() != k)
  {
    itkGenericExceptionMacro(<< "NonnegativeLeastSquares: the Gram matrix is " << gram.rows() << " x " << gram.cols()
                             << "; expected a square, non-empty matrix (one row per variable)");
  }
  if (!gram.allFinite())
  {
    itkGenericExceptionMacro(<< "NonnegativeLeastSquares: the Gram matrix holds a NaN or an infinite value");
  }
  if (m_Constrained.empty())
  {
    m_Constrained.assign(static_cast<size_t>(k), true);
  }
  if (m_Constrained.size() != static_cast<size_t>(k))
  {
    itkGenericExceptionMacro(<< "NonnegativeLeastSquares: " << m_Constrained.size() << " constraint flags for " << k
                             << " variables; expected one per variable");
  }
  // Only the lower triangle counts: a G made by a product may be symmetric
  // only to rounding, and the solver must see one matrix.
  m_Gram = gram.selfadjointView<Eigen::Lower>();
  m_Scale = m_Gram.diagonal().cwiseAbs().maxCoeff();
}

void
NonnegativeLeastSquares::Solve(const Eigen::Ref<const Eigen::VectorXd> & rhs, Eigen::Ref<Eigen::VectorXd> x) const
{
  const Eigen::Index k = this->GetSize();
  if (rhs.size() != k || x.size() != k)
  {
    itkGenericExceptionMacro(<< "NonnegativeLeastSquares::Solve: right-hand side of size " << rhs.size()
                             << " and x of size " << x.size() << " for " << k << " variables");
  }
  if (!rhs.allFinite())
  {
    itkGenericExceptionMacro(<< "NonnegativeLeastSquares::Solve: the right-hand side holds a NaN or an infinite value");
  }
  if (k <= MaxStackSize)
  {
    this->SolveWith<MaxStackSize>(rhs, x);
  }
  else
  {
    this->SolveWith<Eigen::Dynamic>(rhs, x);
  }
}

template <int MaxK>
void
NonnegativeLeastSquares::SolveWith(const Eigen::Ref<const Eigen::VectorXd> & b, Eigen::Ref<Eigen::VectorXd> x) const
{
  // With MaxK fixed these are stack objects: no allocation per Solve.
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, MaxK, MaxK>;
  using Vector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, MaxK, 1>;
  using Flags = Eigen::Matrix<int, Eigen::Dynamic, 1, Eigen::ColMajor, MaxK, 1>;

  const Eigen::Index  k = this->GetSize();
  Flags               passive(k), blocked(k), index(k);
  Vector              z(k), gradient(k), bP(k), y(k);
  Matrix              sub(k, k);
  Eigen::LDLT<Matrix> ldlt(k);

  for (Eigen::Index i = 0; i < k; ++i)
  {
    double & xi = x(i);
    if (!std::isfinite(xi) || (m_Constrained[static_cast<size_t>(i)] && xi < 0.0))
    {
      xi = 0.0;
    }
    passive(i) = (!m_Constrained[static_cast<size_t>(i)] || xi > 0.0) ? 1 : 0;
  }
  blocked.setZero();

  // z = the minimiser on the passive set (0 elsewhere), by a pivoted LDL^T
  // whose near-zero pivots give 0 (the basic solution of a singular G_PP).
  const auto solvePassive = [&]() {
    Eigen::Index p = 0;
    for (Eigen::Index i = 0; i < k; ++i)
    {
      if (passive(i))
      {
        index(p++) = static_cast<int>(i);
      }
    }
    z.setZero();
    if (p == 0)
    {
      return;
    }
    sub.resize(p, p);
    bP.resize(p);
    for (Eigen::Index c = 0; c < p; ++c)
    {
      bP(c) = b(index(c));
      for (Eigen::Index r = 0; r < p; ++r)
      {
        sub(r, c) = m_Gram(index(r), index(c));
      }
    }
    ldlt.compute(sub);
    y = ldlt.transpositionsP() * bP;
    ldlt.matrixL().solveInPlace(y);
    const auto   D = ldlt.vectorD();
    const double threshold = SingularPivot * D.cwiseAbs().maxCoeff();
    for (Eigen::Index i = 0; i < p; ++i)
    {
      y(i) = D(i) > threshold ? y(i) / D(i) : 0.0;
    }
    ldlt.matrixU().solveInPlace(y);
    bP = ldlt.transpositionsP().transpose() * y;
    for (Eigen::Index c = 0; c < p; ++c)
    {
      z(index(c)) = bP(c);
    }
  };

  const int maxFactorisations = 10 * (static_cast<int>(k) + 1);
  int       factorisations = 0;
  int       added = -1; // the variable that joined P last, or -1
  while (factorisations < maxFactorisations)
  {
    // Make x the minimiser on P, dropping variables that would turn negative.
    bool firstStep = true;
    while (factorisations++ < maxFactorisations)
    {
      solvePassive();
      double       alpha = 1.0;
      Eigen::Index limiting = -1;
      for (Eigen::Index i = 0; i < k; ++i)
      {
        if (passive(i) && m_Constrained[static_cast<size_t>(i)] && z(i) <= 0.0)
        {
          const double step = x(i) > 0.0 ? x(i) / (x(i) - z(i)) : 0.0;
          if (limiting < 0 || step < alpha)
          {
            alpha = step;
            limiting = i;
          }
        }
      }
      if (limiting < 0)
      {
        x = z.head(k);
        blocked.setZero();
        break;
      }
      if (firstStep && limiting == added && alpha == 0.0)
      {
        // The variable just added cannot grow (rounding of a zero gradient):
        // keep it out until something else changes, so the loop cannot cycle.
        passive(limiting) = 0;
        blocked(limiting) = 1;
        break;
      }
      firstStep = false;
      for (Eigen::Index i = 0; i < k; ++i)
      {
        if (passive(i))
        {
          x(i) += alpha * (z(i) - x(i));
          if (m_Constrained[static_cast<size_t>(i)] && (i == limiting || x(i) <= 0.0))
          {
            x(i) = 0.0;
            passive(i) = 0;
          }
        }
      }
      if (alpha > 0.0)
      {
        blocked.setZero();
      }
    }
    if (factorisations >= maxFactorisations)
    {
      break; // x is feasible and no worse than the warm start
    }

    // KKT: a constrained variable at 0 whose gradient b - G x is positive
    // would lower the objective; the largest joins P.
    gradient.noalias() = b - m_Gram * x;
    const double tolerance =
      1e-13 * (static_cast<double>(k) + 1.0) * (b.cwiseAbs().maxCoeff() + m_Scale * x.cwiseAbs().maxCoeff());
    added = -1;
    double largest = tolerance;
    for (Eigen::Index i = 0; i < k; ++i)
    {
      if (!passive(i) && !blocked(i) && gradient(i) > largest)
      {
        largest = gradient(i);
        added = static_cast<int>(i);
      }
    }
    if (added < 0)
    {
      break;
    }
    passive(added) = 1;
  }
}
} // namespace stempdf
