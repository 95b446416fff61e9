// The active-set NNLS solver against known answers: an interior optimum is
// the unconstrained LDLT solution; on the boundary the KKT conditions hold;
// random problems match a brute-force search over all 2^k active sets (with
// and without free variables); singular Gram matrices give no NaN.
#include "stempdfNonnegativeLeastSquares.h"

#include "itkMacro.h"

#include <Eigen/Cholesky>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace
{
using stempdf::NonnegativeLeastSquares;

/** A random least-squares problem: basis B (k x n), curve v; G = B B^T, b = B v. */
struct Problem
{
  Eigen::MatrixXd B;
  Eigen::VectorXd v;
  Eigen::MatrixXd
  G() const
  {
    return B * B.transpose();
  }
  Eigen::VectorXd
  b() const
  {
    return B * v;
  }
};

Problem
RandomProblem(std::mt19937 & random, int k, int n)
{
  std::normal_distribution<double> normal;
  Problem                          p;
  p.B.resize(k, n);
  p.v.resize(n);
  for (int i = 0; i < k; ++i)
  {
    for (int j = 0; j < n; ++j)
    {
      p.B(i, j) = normal(random);
    }
  }
  for (int j = 0; j < n; ++j)
  {
    p.v(j) = normal(random);
  }
  return p;
}

double
Objective(const Eigen::MatrixXd & G, const Eigen::VectorXd & b, const Eigen::VectorXd & x)
{
  return 0.5 * x.dot(G * x) - b.dot(x);
}

/** The best feasible x over every passive set that contains the free variables. */
Eigen::VectorXd
BruteForce(const Eigen::MatrixXd & G, const Eigen::VectorXd & b, const std::vector<bool> & constrained)
{
  const int       k = static_cast<int>(b.size());
  Eigen::VectorXd best = Eigen::VectorXd::Zero(k);
  double          bestValue = std::numeric_limits<double>::infinity();
  for (unsigned mask = 0; mask < (1u << k); ++mask)
  {
    std::vector<int> P;
    bool             valid = true;
    for (int i = 0; i < k; ++i)
    {
      if (mask & (1u << i))
      {
        P.push_back(i);
      }
      else if (!constrained[i])
      {
        valid = false; // a free variable is always passive
      }
    }
    if (!valid)
    {
      continue;
    }
    Eigen::VectorXd x = Eigen::VectorXd::Zero(k);
    if (!P.empty())
    {
      Eigen::MatrixXd sub(P.size(), P.size());
      Eigen::VectorXd rhs(P.size());
      for (size_t r = 0; r < P.size(); ++r)
      {
        rhs(r) = b(P[r]);
        for (size_t c = 0; c < P.size(); ++c)
        {
          sub(r, c) = G(P[r], P[c]);
        }
      }
      const Eigen::VectorXd z = sub.ldlt().solve(rhs);
      for (size_t r = 0; r < P.size(); ++r)
      {
        if (constrained[P[r]] && z(r) < 0.0)
        {
          valid = false;
        }
        x(P[r]) = z(r);
      }
    }
    const double value = valid ? Objective(G, b, x) : std::numeric_limits<double>::infinity();
    if (value < bestValue)
    {
      bestValue = value;
      best = x;
    }
  }
  return best;
}

/** KKT of min 0.5 x'Gx - b'x, x_i >= 0 (constrained i): feasibility, zero
 *  gradient on the positive and free variables, non-positive b - Gx at zeros. */
void
ExpectKKT(const Eigen::MatrixXd & G, const Eigen::VectorXd & b, const Eigen::VectorXd & x,
          const std::vector<bool> & constrained, double tolerance)
{
  const Eigen::VectorXd gradient = b - G * x;
  for (Eigen::Index i = 0; i < x.size(); ++i)
  {
    ASSERT_TRUE(std::isfinite(x(i)));
    if (!constrained[i] || x(i) > 0.0)
    {
      EXPECT_NEAR(gradient(i), 0.0, tolerance) << "variable " << i;
    }
    else
    {
      EXPECT_EQ(x(i), 0.0) << "variable " << i;
      EXPECT_LE(gradient(i), tolerance) << "variable " << i;
    }
  }
}
} // namespace

TEST(NonnegativeLeastSquares, InteriorOptimumIsTheUnconstrainedSolution)
{
  std::mt19937 random(1);
  for (int k = 1; k <= 8; ++k)
  {
    Problem         p = RandomProblem(random, k, 50);
    Eigen::VectorXd truth = Eigen::VectorXd::LinSpaced(k, 0.5, 2.0);
    p.v = p.B.transpose() * truth; // exact, all weights positive
    const Eigen::MatrixXd         G = p.G();
    const Eigen::VectorXd         expected = G.ldlt().solve(p.b());
    const NonnegativeLeastSquares solver(G);
    for (const double start : { 0.0, 1.0, -3.0, std::numeric_limits<double>::quiet_NaN() })
    {
      Eigen::VectorXd x = Eigen::VectorXd::Constant(k, start);
      solver.Solve(p.b(), x);
      EXPECT_LT((x - expected).cwiseAbs().maxCoeff(), 1e-10) << "k = " << k << ", start " << start;
      EXPECT_LT((x - truth).cwiseAbs().maxCoeff(), 1e-10) << "k = " << k << ", start " << start;
    }
  }
}

TEST(NonnegativeLeastSquares, BoundaryOptimumMeetsTheKKTConditions)
{
  std::mt19937 random(2);
  for (int trial = 0; trial < 200; ++trial)
  {
    const int       k = 2 + trial % 7;
    Problem         p = RandomProblem(random, k, 30);
    Eigen::VectorXd truth(k);
    for (int i = 0; i < k; ++i)
    {
      truth(i) = (i % 2 == 0) ? 1.0 + i : -1.0 - i; // half the weights want to be negative
    }
    p.v = p.B.transpose() * truth + 0.1 * p.v;
    const Eigen::MatrixXd         G = p.G();
    const Eigen::VectorXd         b = p.b();
    const std::vector<bool>       all(k, true);
    const NonnegativeLeastSquares solver(G);
    Eigen::VectorXd               x = Eigen::VectorXd::Ones(k);
    solver.Solve(b, x);
    const double scale = b.cwiseAbs().maxCoeff() + G.cwiseAbs().maxCoeff() * x.cwiseAbs().maxCoeff();
    ExpectKKT(G, b, x, all, 1e-10 * scale);
    EXPECT_GT((x.array() == 0.0).count(), 0) << "trial " << trial << ": some weight is on the boundary";
  }
}

TEST(NonnegativeLeastSquares, MatchesBruteForceOverAllActiveSets)
{
  std::mt19937 random(3);
  for (int trial = 0; trial < 300; ++trial)
  {
    const int               k = 1 + trial % 8;
    const Problem           p = RandomProblem(random, k, 3 * k + 5);
    const Eigen::MatrixXd   G = p.G();
    const Eigen::VectorXd   b = p.b();
    const std::vector<bool> all(k, true);
    const Eigen::VectorXd   expected = BruteForce(G, b, all);
    Eigen::VectorXd         x = Eigen::VectorXd::Zero(k);
    NonnegativeLeastSquares(G).Solve(b, x);
    EXPECT_LT((x - expected).cwiseAbs().maxCoeff(), 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff()))
      << "trial " << trial << "\nx " << x.transpose() << "\nexpected " << expected.transpose();
  }
}

TEST(NonnegativeLeastSquares, FreeVariablesTakeEitherSign)
{
  std::mt19937 random(4);
  for (int trial = 0; trial < 200; ++trial)
  {
    const int         k = 2 + trial % 6;
    Problem           p = RandomProblem(random, k, 40);
    std::vector<bool> constrained(k, true);
    constrained[k - 1] = false;
    if (k > 3)
    {
      constrained[0] = false;
    }
    // A large negative offset: the free variable must go negative.
    p.B.row(k - 1).setOnes();
    p.v.array() -= 5.0;
    const Eigen::MatrixXd G = p.G();
    const Eigen::VectorXd b = p.b();
    const Eigen::VectorXd expected = BruteForce(G, b, constrained);
    Eigen::VectorXd       x = Eigen::VectorXd::Ones(k);
    NonnegativeLeastSquares(G, constrained).Solve(b, x);
    EXPECT_LT((x - expected).cwiseAbs().maxCoeff(), 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff())) << "trial " << trial;
    EXPECT_LT(x(k - 1), -1.0) << "the free offset is negative";
    ExpectKKT(
      G, b, x, constrained, 1e-10 * (b.cwiseAbs().maxCoeff() + G.cwiseAbs().maxCoeff() * x.cwiseAbs().maxCoeff()));
  }
}

TEST(NonnegativeLeastSquares, SingularGramGivesAnOptimumWithoutNaN)
{
  std::mt19937 random(5);
  for (int trial = 0; trial < 50; ++trial)
  {
    Problem p = RandomProblem(random, 4, 30);
    p.B.row(3) = p.B.row(1);                    // a duplicate curve
    p.B.row(2) = 2.0 * p.B.row(0) - p.B.row(1); // a dependent one
    const Eigen::VectorXd truth = (Eigen::VectorXd(4) << 1.0, 0.7, 0.0, 0.0).finished();
    p.v = p.B.transpose() * truth + (trial % 2 ? 0.05 : 0.0) * p.v;
    const Eigen::MatrixXd G = p.G();
    const Eigen::VectorXd b = p.b();
    for (const double start : { 0.0, 1.0 })
    {
      Eigen::VectorXd x = Eigen::VectorXd::Constant(4, start);
      NonnegativeLeastSquares(G).Solve(b, x);
      ASSERT_TRUE(x.allFinite());
      EXPECT_TRUE((x.array() >= 0.0).all());
      // The optimum value is unique even where x is not.
      const Eigen::VectorXd best = BruteForce(G, b, std::vector<bool>(4, true));
      EXPECT_NEAR(Objective(G, b, x), Objective(G, b, best), 1e-9 * std::abs(Objective(G, b, best)) + 1e-12)
        << "trial " << trial << ", start " << start << ": x " << x.transpose();
      if (trial % 2 == 0)
      {
        EXPECT_LT((p.B.transpose() * x - p.v).norm(), 1e-9 * p.v.norm()) << "an exact fit stays exact";
      }
    }
  }
  // All-zero Gram: nothing to fit, x = 0.
  Eigen::VectorXd x = Eigen::VectorXd::Ones(3);
  NonnegativeLeastSquares(Eigen::MatrixXd::Zero(3, 3)).Solve(Eigen::VectorXd::Zero(3), x);
  EXPECT_TRUE(x.isZero(0.0));
}

TEST(NonnegativeLeastSquares, LargeProblemsUseTheHeap)
{
  std::mt19937    random(6);
  const int       k = NonnegativeLeastSquares::MaxStackSize + 6;
  const Problem   p = RandomProblem(random, k, 3 * k);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(k);
  NonnegativeLeastSquares(p.G()).Solve(p.b(), x);
  ExpectKKT(p.G(),
            p.b(),
            x,
            std::vector<bool>(k, true),
            1e-10 * (p.b().cwiseAbs().maxCoeff() + p.G().cwiseAbs().maxCoeff() * x.cwiseAbs().maxCoeff()));
}

TEST(NonnegativeLeastSquares, BadInputIsRefused)
{
  const Eigen::MatrixXd G = Eigen::MatrixXd::Identity(2, 2);
  Eigen::VectorXd       x = Eigen::VectorXd::Zero(2);
  EXPECT_THROW(NonnegativeLeastSquares(Eigen::MatrixXd(2, 3)), itk::ExceptionObject);
  EXPECT_THROW(NonnegativeLeastSquares(Eigen::MatrixXd(0, 0)), itk::ExceptionObject);
  EXPECT_THROW(NonnegativeLeastSquares(G, std::vector<bool>(3, true)), itk::ExceptionObject);
  Eigen::MatrixXd nan = G;
  nan(1, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(NonnegativeLeastSquares{ nan }, itk::ExceptionObject);
  const NonnegativeLeastSquares solver(G);
  EXPECT_THROW(solver.Solve(Eigen::Vector2d(1.0, std::numeric_limits<double>::quiet_NaN()), x), itk::ExceptionObject);
  EXPECT_THROW(solver.Solve(Eigen::Vector3d(1.0, 2.0, 3.0), x), itk::ExceptionObject);
  solver.Solve(Eigen::Vector2d(1.0, -2.0), x);
  EXPECT_EQ(x(0), 1.0);
  EXPECT_EQ(x(1), 0.0);
}
