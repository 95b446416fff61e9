#ifndef stempdfTestingSamples_h
#define stempdfTestingSamples_h
// Shared by the tests of profiles: the sample grids of s and r axes (plain
// vectors; no ITK, so that the tests of Numerics and Physics use them too).

#include <vector>

namespace stempdf
{
namespace testing
{
/** n samples first, first + step, ..., first + (n - 1) step. */
inline std::vector<double>
UniformSamples(double first, double step, unsigned int n)
{
  std::vector<double> samples(n);
  for (unsigned int i = 0; i < n; ++i)
  {
    samples[i] = first + i * step;
  }
  return samples;
}

/** The centres of n equal bins over [first, last]. */
inline std::vector<double>
BinCentres(double first, double last, unsigned int n)
{
  std::vector<double> centres(n);
  for (unsigned int i = 0; i < n; ++i)
  {
    centres[i] = first + (i + 0.5) * (last - first) / n;
  }
  return centres;
}
} // namespace testing
} // namespace stempdf

#endif
