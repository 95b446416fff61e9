#include "stempdfSineTransform.h"

#include "itkMacro.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// No Eigen computation or allocation here: this file may be compiled with
// -march=native while its callers are not (see the class comment); Eigen is
// only used for the Ref views of the callers' buffers.

namespace stempdf
{
namespace
{
constexpr double Pi = 3.14159265358979323846;

// The widest vector the compiler may use here (GCC/Clang vector extension:
// one register, or split into the registers there are).
#if defined(__AVX512F__)
constexpr unsigned int VectorBytes = 64;
#elif defined(__AVX__)
constexpr unsigned int VectorBytes = 32;
#else
constexpr unsigned int VectorBytes = 16;
#endif
using Vector = double __attribute__((vector_size(VectorBytes)));
constexpr unsigned int Lanes = VectorBytes / sizeof(double);

// Tile of the product: CurvesPerGroup curves x PanelWidth r values held in
// 6 x 2 = 12 vector accumulators, plus 2 kernel vectors and a broadcast:
// fits the 16 registers of SSE2/AVX2 (AVX-512 has 32, but wider tiles were
// no faster here: 0.061 s for the paper-scale cube on one core either way).
constexpr unsigned int VectorsPerPanel = 2;
constexpr unsigned int PanelWidth = Lanes * VectorsPerPanel;
constexpr unsigned int CurvesPerGroup = 6;

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

SineTransform::SineTransform(const std::vector<double> & s,
                             const std::vector<double> & weights,
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
  // K^T by panels of PanelWidth consecutive r values, each panel s-major, so
  // that the product reads one panel front to back; r beyond the last is 0.
  const size_t panels = (nr + PanelWidth - 1) / PanelWidth;
  m_Panels.assign(panels * ns * PanelWidth, 0.0);
  for (size_t m = 0; m < nr; ++m)
  {
    for (size_t j = 0; j < ns; ++j)
    {
      m_Panels[(m / PanelWidth) * ns * PanelWidth + j * PanelWidth + m % PanelWidth] = m_Kernel[m * ns + j];
    }
  }
  m_Zeros.assign(ns, 0.0);
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
  const Eigen::Index curves = phi.rows();
  const auto         panels = static_cast<unsigned int>((nr + PanelWidth - 1) / PanelWidth);
  // Groups of CurvesPerGroup curves; a last group short of curves is filled
  // with rows of zeros whose results are dropped, so that every curve goes
  // through the same instructions (bit-identical whatever the grouping).
  for (Eigen::Index first = 0; first < curves; first += CurvesPerGroup)
  {
    const double * in[CurvesPerGroup];
    double *       out[CurvesPerGroup];
    for (unsigned int c = 0; c < CurvesPerGroup; ++c)
    {
      const bool present = first + c < curves;
      in[c] = present ? phi.data() + (first + c) * phi.outerStride() : m_Zeros.data();
      out[c] = present ? G.data() + (first + c) * G.outerStride() : nullptr;
    }
    for (unsigned int p = 0; p < panels; ++p)
    {
      const double * panel = m_Panels.data() + static_cast<size_t>(p) * ns * PanelWidth;
      Vector         sum[CurvesPerGroup][VectorsPerPanel];
      for (auto & row : sum)
      {
        for (auto & v : row)
        {
          v = Vector{};
        }
      }
      for (Eigen::Index j = 0; j < ns; ++j)
      {
        Vector k[VectorsPerPanel];
        std::memcpy(k, panel + j * PanelWidth, sizeof k);
        for (unsigned int c = 0; c < CurvesPerGroup; ++c)
        {
          const double value = in[c][j];
          for (unsigned int v = 0; v < VectorsPerPanel; ++v)
          {
            sum[c][v] += value * k[v];
          }
        }
      }
      const Eigen::Index firstR = static_cast<Eigen::Index>(p) * PanelWidth;
      const size_t       count = static_cast<size_t>(std::min<Eigen::Index>(PanelWidth, nr - firstR));
      for (unsigned int c = 0; c < CurvesPerGroup; ++c)
      {
        if (out[c] != nullptr)
        {
          std::memcpy(out[c] + firstR, sum[c], count * sizeof(double));
        }
      }
    }
  }
}

void
SineTransform::PairCorrelation(const Eigen::Ref<const RowMajorMatrix> & phi,
                               const Eigen::Ref<const RowMajorMatrix> & G,
                               double                                   numberDensity,
                               Eigen::Ref<RowMajorMatrix>               g) const
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
    itkGenericExceptionMacro(<< "SineTransform::PairCorrelation: phi is " << phi.rows() << " x " << phi.cols()
                             << ", G " << G.rows() << " x " << G.cols() << " and g " << g.rows() << " x "
                             << g.cols() << "; expected curves x " << ns << " s samples and the same curves x "
                             << nr << " r samples");
  }
  for (Eigen::Index i = 0; i < phi.rows(); ++i)
  {
    const double * p = phi.data() + i * phi.outerStride();
    const double * in = G.data() + i * G.outerStride();
    double *       out = g.data() + i * g.outerStride();
    for (Eigen::Index m = 0; m < nr; ++m)
    {
      const double r = m_R[m];
      if (r != 0.0)
      {
        out[m] = 1.0 + in[m] / (4.0 * Pi * r * numberDensity);
      }
      else
      {
        double moment = 0.0; // sum_j w_j s_j phi_j = G'(0) / (16 pi^2)
        for (Eigen::Index j = 0; j < ns; ++j)
        {
          moment += m_Weights[j] * m_S[j] * p[j];
        }
        out[m] = 1.0 + 4.0 * Pi / numberDensity * moment;
      }
    }
  }
}
} // namespace stempdf
