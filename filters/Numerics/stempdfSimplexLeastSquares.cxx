#include "stempdfSimplexLeastSquares.h"

#include "itkMacro.h"

#include <Eigen/QR>

#include <cmath>

namespace stempdf
{
SimplexLeastSquares::SimplexLeastSquares(const Eigen::MatrixXd & gram)
  : m_Gram(gram)
  , m_Candidate(gram.rows())
{
  if (gram.rows() != gram.cols() || gram.rows() < 1 || gram.rows() > 16)
  {
    itkGenericExceptionMacro("SimplexLeastSquares: the Gram matrix is " << gram.rows() << " x " << gram.cols()
                                                                        << "; expected square, 1 to 16 components");
  }
  m_Cache.resize(std::size_t{ 1 } << gram.rows());
  m_LargestGram = gram.cwiseAbs().maxCoeff();
}

const SimplexLeastSquares::PassiveSetSolution &
SimplexLeastSquares::Solution(unsigned int passive)
{
  PassiveSetSolution & solution = m_Cache[passive];
  if (solution.Ready)
  {
    return solution;
  }
  for (Eigen::Index i = 0; i < m_Gram.rows(); ++i)
  {
    if (passive & (1u << i))
    {
      solution.Indices.push_back(i);
    }
  }
  const auto      p = static_cast<Eigen::Index>(solution.Indices.size());
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(p + 1, p + 1);
  for (Eigen::Index a = 0; a < p; ++a)
  {
    for (Eigen::Index b = 0; b < p; ++b)
    {
      kkt(a, b) = m_Gram(solution.Indices[a], solution.Indices[b]);
    }
    kkt(a, p) = kkt(p, a) = 1.0;
  }
  // [x; nu] = K^+ [b_P; 1]: the first p rows of K^+ give M (columns 0..p-1)
  // and c (column p).
  const Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> decomposition(kkt);
  const Eigen::MatrixXd                                         inverse = decomposition.pseudoInverse();
  solution.M = inverse.topLeftCorner(p, p);
  solution.C = inverse.col(p).head(p);
  solution.Ready = true;
  return solution;
}

void
SimplexLeastSquares::Solve(const Eigen::Ref<const Eigen::VectorXd> & rhs, Eigen::Ref<Eigen::VectorXd> x)
{
  const Eigen::Index k = m_Gram.rows();
  // A feasible start.
  x = x.cwiseMax(0.0);
  const double total = x.sum();
  if (!(total > 0.0) || !std::isfinite(total))
  {
    Eigen::Index vertex = 0;
    (0.5 * m_Gram.diagonal() - rhs).minCoeff(&vertex);
    x.setZero();
    x[vertex] = 1.0;
  }
  else
  {
    x /= total;
  }
  unsigned int passive = 0;
  for (Eigen::Index i = 0; i < k; ++i)
  {
    if (x[i] > 0.0)
    {
      passive |= 1u << i;
    }
  }
  double largestRhs = 0.0;
  for (Eigen::Index i = 0; i < k; ++i)
  {
    largestRhs = std::max(largestRhs, std::abs(rhs[i]));
  }
  const double tolerance = 1e-12 * (largestRhs + m_LargestGram);
  for (int step = 0; step < 4 * k + 10; ++step)
  {
    const PassiveSetSolution & solution = this->Solution(passive);
    const auto                 p = static_cast<Eigen::Index>(solution.Indices.size());
    m_Candidate.setZero();
    bool feasible = true;
    for (Eigen::Index a = 0; a < p; ++a)
    {
      double value = solution.C[a];
      for (Eigen::Index b = 0; b < p; ++b)
      {
        value += solution.M(a, b) * rhs[solution.Indices[b]];
      }
      m_Candidate[solution.Indices[a]] = value;
      feasible = feasible && value > 0.0;
    }
    if (!feasible)
    {
      // Move towards the candidate until the first variable reaches 0; drop it.
      double       alpha = 1.0;
      Eigen::Index blocking = -1;
      for (Eigen::Index i : solution.Indices)
      {
        if (m_Candidate[i] <= 0.0)
        {
          const double limit = x[i] / (x[i] - m_Candidate[i]);
          if (limit < alpha || blocking < 0)
          {
            alpha = limit;
            blocking = i;
          }
        }
      }
      x += alpha * (m_Candidate - x);
      x[blocking] = 0.0;
      passive &= ~(1u << blocking);
      for (Eigen::Index i = 0; i < k; ++i)
      {
        if (x[i] <= 0.0)
        {
          x[i] = 0.0;
          passive &= ~(1u << i);
        }
      }
      if (passive == 0) // rounding emptied the set: restart at the best vertex
      {
        Eigen::Index vertex = 0;
        (0.5 * m_Gram.diagonal() - rhs).minCoeff(&vertex);
        x[vertex] = 1.0;
        passive = 1u << vertex;
      }
      continue;
    }
    x = m_Candidate;
    // Optimal when no variable outside P would lower the objective: with the
    // multiplier nu = -(G x - b)_i of P, every other i needs (G x - b)_i + nu >= 0.
    // (Plain loops: Eigen's general products cost more than the work at k = 3.)
    const auto gradient = [&](Eigen::Index i) {
      double value = -rhs[i];
      for (Eigen::Index j : solution.Indices)
      {
        value += m_Gram(i, j) * x[j];
      }
      return value;
    };
    const double nu = -gradient(solution.Indices[0]);
    Eigen::Index entering = -1;
    double       mostNegative = -tolerance;
    for (Eigen::Index i = 0; i < k; ++i)
    {
      if (!(passive & (1u << i)))
      {
        const double reduced = gradient(i) + nu;
        if (reduced < mostNegative)
        {
          mostNegative = reduced;
          entering = i;
        }
      }
    }
    if (entering < 0)
    {
      return;
    }
    passive |= 1u << entering;
  }
}
} // namespace stempdf
