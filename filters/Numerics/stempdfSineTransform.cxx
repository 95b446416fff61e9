#include "stempdfSineTransform.h"

#include "itkMacro.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.14159265358979323846;

void
CheckSamples(const std::vector<double> & s, const std::vector<double> & r)
{
  if (s.empty())
  {
    itkGenericExceptionMacro(<< "SineTransform: no s samples; expected at least one");
  }
  for (size_t j = 0; j < s.size(); ++j)
  {
    if (!std::isfinite(s[j]) || (j > 0 && !(s[j] > s[j - 1])))
    {
      itkGenericExceptionMacro(<< "SineTransform: s sample " << j << " is " << s[j]
                               << (j > 0 ? " after " + std::to_string(s[j - 1]) : std::string())
                               << "; expected finite s (1/A) in strictly ascending order");
    }
  }
  for (size_t m = 0; m < r.size(); ++m)
  {
    if (!std::isfinite(r[m]))
    {
      itkGenericExceptionMacro(<< "SineTransform: r sample " << m << " is " << r[m] << "; expected finite r (A)");
    }
  }
}
} // namespace

std::vector<double>
SineTransform::QuadratureWeights(const std::vector<double> & s)
{
  CheckSamples(s, {});
  const size_t n = s.size();
  if (n < 2)
  {
    itkGenericExceptionMacro(<< "SineTransform: one s sample has no spacing to take a weight from; give the "
                                "quadrature weight (its bin width) explicitly");
  }
  std::vector<double> w(n);
  w[0] = s[1] - s[0];
  for (size_t j = 1; j + 1 < n; ++j)
  {
    w[j] = 0.5 * (s[j + 1] - s[j - 1]);
  }
  w[n - 1] = s[n - 1] - s[n - 2];
  return w;
}

SineTransform::SineTransform(const std::vector<double> & s, const std::vector<double> & r)
  : SineTransform(s, QuadratureWeights(s), r)
{}

SineTransform::SineTransform(const std::vector<double> & s, const std::vector<double> & weights,
                             const std::vector<double> & r)
  : m_S(s)
  , m_Weights(weights)
  , m_R(r)
{
  CheckSamples(s, r);
  if (weights.size() != s.size())
  {
    itkGenericExceptionMacro(<< "SineTransform: " << weights.size() << " quadrature weights for " << s.size()
                             << " s samples; expected one per sample");
  }
  for (size_t j = 0; j < weights.size(); ++j)
  {
    if (!std::isfinite(weights[j]))
    {
      itkGenericExceptionMacro(<< "SineTransform: quadrature weight " << j << " is " << weights[j]
                               << "; expected a finite width (1/A)");
    }
  }
  const size_t ns = s.size(), nr = r.size();
  m_Kernel.resize(nr * ns);
  for (size_t m = 0; m < nr; ++m)
  {
    for (size_t j = 0; j < ns; ++j)
    {
      m_Kernel[m * ns + j] = 8.0 * Pi * weights[j] * std::sin(2.0 * Pi * s[j] * r[m]);
    }
  }
}

std::vector<double>
SineTransform::RSamples(double r0, double r1, double step)
{
  if (!(step > 0.0) || !std::isfinite(step))
  {
    itkGenericExceptionMacro(<< "RStep is " << step << "; expected the r step in A (> 0)");
  }
  if (!(r0 >= 0.0 && r1 > r0) || !std::isfinite(r1))
  {
    itkGenericExceptionMacro(<< "RRange is (" << r0 << ", " << r1 << "); expected 0 <= r0 < r1 in A");
  }
  // r1 is on the grid up to rounding (10 / 0.01 is 1000 only approximately).
  constexpr double maxSamples = 16777216.0; // 2^24: a kernel of 128 MB per 1 s sample
  const double     steps = std::floor((r1 - r0) / step + 1e-6);
  if (!(steps + 1.0 <= maxSamples))
  {
    itkGenericExceptionMacro(<< "RStep is " << step << " A for RRange (" << r0 << ", " << r1 << "): " << steps + 1.0
                             << " r samples; expected at most " << maxSamples);
  }
  std::vector<double> r(static_cast<size_t>(steps) + 1);
  for (size_t m = 0; m < r.size(); ++m)
  {
    r[m] = r0 + static_cast<double>(m) * step;
  }
  return r;
}

void
SineTransform::Apply(const Eigen::Ref<const RowMajorMatrix> & phi, Eigen::Ref<RowMajorMatrix> G) const
{
  const auto ns = static_cast<Eigen::Index>(m_S.size());
  const auto nr = static_cast<Eigen::Index>(m_R.size());
  if (phi.cols() != ns || G.cols() != nr || G.rows() != phi.rows())
  {
    itkGenericExceptionMacro(<< "SineTransform::Apply: phi is " << phi.rows() << " x " << phi.cols() << " and G "
                             << G.rows() << " x " << G.cols() << "; expected curves x " << ns << " s samples and "
                             << "the same curves x " << nr << " r samples");
  }
  // One dense product for all curves, G = phi K^T, by the system's BLAS
  // (dgemm; OpenBLAS when installed: threaded and tuned for the CPU).
  if (phi.rows() == 0)
  {
    return;
  }
  cblas_dgemm(CblasRowMajor,
              CblasNoTrans,
              CblasTrans,
              static_cast<CBLAS_INT>(phi.rows()),
              static_cast<CBLAS_INT>(nr),
              static_cast<CBLAS_INT>(ns),
              1.0,
              phi.data(),
              static_cast<CBLAS_INT>(phi.outerStride()),
              m_Kernel.data(),
              static_cast<CBLAS_INT>(ns),
              0.0,
              G.data(),
              static_cast<CBLAS_INT>(G.outerStride()));
}

void
SineTransform::PairCorrelation(const Eigen::Ref<const RowMajorMatrix> & phi, const Eigen::Ref<const RowMajorMatrix> & G,
                               double numberDensity, Eigen::Ref<RowMajorMatrix> g) const
{
  const auto ns = static_cast<Eigen::Index>(m_S.size());
  const auto nr = static_cast<Eigen::Index>(m_R.size());
  if (!(numberDensity > 0.0) || !std::isfinite(numberDensity))
  {
    itkGenericExceptionMacro(<< "SineTransform::PairCorrelation: the number density is " << numberDensity
                             << "; expected atoms / A^3 (> 0)");
  }
  if (phi.cols() != ns || G.cols() != nr || g.cols() != nr || G.rows() != phi.rows() || g.rows() != phi.rows())
  {
    itkGenericExceptionMacro(<< "SineTransform::PairCorrelation: phi is " << phi.rows() << " x " << phi.cols() << ", G "
                             << G.rows() << " x " << G.cols() << " and g " << g.rows() << " x " << g.cols()
                             << "; expected curves x " << ns << " s samples and the same curves x " << nr
                             << " r samples");
  }
  // The denominators once (same bits as in the formula); the loop over r
  // then has no branch and vectorises. r = 0 is overwritten after it.
  std::vector<double> denominator(m_R.size());
  std::vector<size_t> zeros;
  for (size_t m = 0; m < m_R.size(); ++m)
  {
    denominator[m] = 4.0 * Pi * m_R[m] * numberDensity;
    if (m_R[m] == 0.0)
    {
      denominator[m] = 1.0;
      zeros.push_back(m);
    }
  }
  for (Eigen::Index i = 0; i < phi.rows(); ++i)
  {
    const double * p = phi.data() + i * phi.outerStride();
    const double * in = G.data() + i * G.outerStride();
    double *       out = g.data() + i * g.outerStride();
    for (Eigen::Index m = 0; m < nr; ++m)
    {
      out[m] = 1.0 + in[m] / denominator[m];
    }
    if (!zeros.empty())
    {
      double moment = 0.0; // sum_j w_j s_j phi_j = G'(0) / (16 pi^2)
      for (Eigen::Index j = 0; j < ns; ++j)
      {
        moment += m_Weights[j] * m_S[j] * p[j];
      }
      for (const size_t m : zeros)
      {
        out[m] = 1.0 + 4.0 * Pi / numberDensity * moment;
      }
    }
  }
}
} // namespace stempdf
