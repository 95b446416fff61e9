// SimplexLeastSquares: min x^T G x / 2 - b^T x over x >= 0, sum(x) = 1,
// against answers known in closed form and against brute force over every
// support set.
#include "stempdfSimplexLeastSquares.h"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <random>

namespace
{
double
Objective(const Eigen::MatrixXd & g, const Eigen::VectorXd & b, const Eigen::VectorXd & x)
{
  return 0.5 * x.dot(g * x) - b.dot(x);
}

/** The optimum by trying every support set (equality-constrained solve on
 *  it, kept when feasible). */
Eigen::VectorXd
BruteForce(const Eigen::MatrixXd & g, const Eigen::VectorXd & b)
{
  const Eigen::Index k = g.rows();
  Eigen::VectorXd    best;
  double             bestValue = std::numeric_limits<double>::infinity();
  for (unsigned int set = 1; set < (1u << k); ++set)
  {
    std::vector<Eigen::Index> idx;
    for (Eigen::Index i = 0; i < k; ++i)
      if (set & (1u << i))
        idx.push_back(i);
    const auto      p = static_cast<Eigen::Index>(idx.size());
    Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(p + 1, p + 1);
    Eigen::VectorXd rhs(p + 1);
    for (Eigen::Index a = 0; a < p; ++a)
    {
      for (Eigen::Index c = 0; c < p; ++c)
        kkt(a, c) = g(idx[a], idx[c]);
      kkt(a, p) = kkt(p, a) = 1.0;
      rhs[a] = b[idx[a]];
    }
    rhs[p] = 1.0;
    const Eigen::VectorXd solution = kkt.fullPivLu().solve(rhs);
    Eigen::VectorXd       x = Eigen::VectorXd::Zero(k);
    bool                  feasible = true;
    for (Eigen::Index a = 0; a < p; ++a)
    {
      x[idx[a]] = solution[a];
      feasible = feasible && solution[a] >= -1e-12;
    }
    if (feasible && Objective(g, b, x) < bestValue)
    {
      bestValue = Objective(g, b, x);
      best = x;
    }
  }
  return best;
}
} // namespace

TEST(SimplexLeastSquares, MixtureOfCurvesIsRecoveredExactly)
{
  // Three curves (rows of H); v = 0.2 h0 + 0.5 h1 + 0.3 h2 exactly.
  std::mt19937                           random(1);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Eigen::MatrixXd                        h(3, 50);
  for (Eigen::Index i = 0; i < h.size(); ++i)
    h.data()[i] = uniform(random);
  const Eigen::Vector3d        truth(0.2, 0.5, 0.3);
  const Eigen::RowVectorXd     v = truth.transpose() * h;
  stempdf::SimplexLeastSquares solver(h * h.transpose());
  Eigen::VectorXd              x = Eigen::VectorXd::Zero(3);
  solver.Solve(h * v.transpose(), x);
  EXPECT_LT((x - truth).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(SimplexLeastSquares, PointOutsideTheSimplexGoesToTheNearestVertexOrEdge)
{
  // G = 1: the problem is the Euclidean projection of b onto the simplex.
  stempdf::SimplexLeastSquares solver(Eigen::MatrixXd::Identity(3, 3));
  Eigen::VectorXd              x = Eigen::VectorXd::Constant(3, 1.0 / 3);
  solver.Solve(Eigen::Vector3d(5.0, 0.0, 0.0), x);
  EXPECT_LT((x - Eigen::Vector3d(1.0, 0.0, 0.0)).cwiseAbs().maxCoeff(), 1e-14);
  solver.Solve(Eigen::Vector3d(1.0, 1.0, -3.0), x); // projection (0.5, 0.5, 0)
  EXPECT_LT((x - Eigen::Vector3d(0.5, 0.5, 0.0)).cwiseAbs().maxCoeff(), 1e-14);
}

TEST(SimplexLeastSquares, AgreesWithBruteForceOnRandomProblems)
{
  std::mt19937                     random(5);
  std::normal_distribution<double> gauss;
  for (int trial = 0; trial < 300; ++trial)
  {
    const Eigen::Index k = 2 + trial % 5;
    Eigen::MatrixXd    a(k, k + 3);
    for (Eigen::Index i = 0; i < a.size(); ++i)
      a.data()[i] = gauss(random);
    const Eigen::MatrixXd g = a * a.transpose();
    Eigen::VectorXd       b(k);
    for (Eigen::Index i = 0; i < k; ++i)
      b[i] = 3.0 * gauss(random);
    stempdf::SimplexLeastSquares solver(g);
    Eigen::VectorXd              x = Eigen::VectorXd::Zero(k); // cold start
    solver.Solve(b, x);
    const Eigen::VectorXd expected = BruteForce(g, b);
    EXPECT_NEAR(x.sum(), 1.0, 1e-12);
    EXPECT_GE(x.minCoeff(), 0.0);
    EXPECT_NEAR(Objective(g, b, x), Objective(g, b, expected), 1e-10 * (1.0 + std::abs(Objective(g, b, expected))))
      << "trial " << trial;
    // a warm start from another point gives the same optimum
    Eigen::VectorXd warm = Eigen::VectorXd::LinSpaced(k, 1.0, 2.0);
    solver.Solve(b, warm);
    EXPECT_LT((warm - x).cwiseAbs().maxCoeff(), 1e-9) << "trial " << trial;
  }
}

TEST(SimplexLeastSquares, SingularGramGivesFiniteFractions)
{
  // Two identical curves: any split between them is optimal; no NaN.
  Eigen::MatrixXd h(3, 4);
  h << 1, 2, 3, 4, 1, 2, 3, 4, 0, 1, 0, 1;
  stempdf::SimplexLeastSquares solver(h * h.transpose());
  Eigen::VectorXd              x = Eigen::VectorXd::Zero(3);
  const Eigen::RowVectorXd     v = 0.6 * h.row(0) + 0.4 * h.row(2);
  solver.Solve(h * v.transpose(), x);
  EXPECT_TRUE(x.allFinite());
  EXPECT_NEAR(x[0] + x[1], 0.6, 1e-9);
  EXPECT_NEAR(x[2], 0.4, 1e-9);
}
