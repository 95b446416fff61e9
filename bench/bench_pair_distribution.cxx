// PairDistribution on the paper-scale cube: 128 x 128 positions x 94 phi(s)
// samples (one-pixel bins over 0.25-1.6 1/A) -> 1001 G(r) samples (0-10 A by
// 0.01 A), random phi. bench/run_pair_distribution.py runs this binary and
// NumPy on the same sizes side by side (docs/performance.md has the numbers).
//
//   bench_pair_distribution [--sample OUT.bin] [benchmark flags]
//
// --sample writes, as float64: phi of the first 64 positions (64 x 94), their
// G (64 x 1001), the s samples (94) and the r samples (1001), for the
// driver's check of the values against NumPy's.
//
// Benchmarks (2 threads unless said; items = positions):
//   BM_PairDistribution           the ITK filter updated again: kernel kept, output
//                                 buffer reused (a scan re-run with new phi)
//   BM_PairDistributionNewFilter  a new filter each time: kernel built and a new
//                                 131 MB output written for the first time
//   BM_PairDistributionWithG      the filter with g(r) as well (NumberDensity 0.085)
//   BM_SineTransformApply         SineTransform::Apply on the whole cube, one call (threads: the BLAS's)
#include "bench_filter.h"
#include "bench_main.h"
#include "bench_scan.h"
#include "stempdfPairDistributionImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::PairDistributionImageFilter<Image>;
using stempdf_bench::ScanSize;
using stempdf_bench::Threads;
constexpr unsigned int SSamples = 94;
constexpr double       SMin = 0.25, SMax = 1.6;

Image::Pointer g_Phi;

Image::Pointer
MakePhi()
{
  auto image = stempdf_bench::NewScanField<Image>(SSamples);
  std::mt19937                           random(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const size_t                           values = size_t{ ScanSize } * ScanSize * SSamples;
  for (size_t i = 0; i < values; ++i)
  {
    image->GetBufferPointer()[i] = uniform(random);
  }
  stempdf::VectorAxis axis;
  axis.Quantity = stempdf::SQuantity;
  axis.Unit = stempdf::InverseAngstromUnit;
  axis.Size = { { SSamples, 1 } };
  axis.Spacing = { { (SMax - SMin) / SSamples, 1.0 } };
  axis.Origin = { { SMin + 0.5 * axis.Spacing[0], 0.0 } };
  stempdf::SetVectorAxis(image->GetMetaDataDictionary(), axis);
  return image;
}

Filter::Pointer
MakeFilter(double numberDensity)
{
  auto filter = stempdf_bench::NewFilter<Filter>(g_Phi);
  filter->SetNumberDensity(numberDensity);
  return filter;
}

void
RunFilter(benchmark::State & state, double numberDensity)
{
  auto filter = MakeFilter(numberDensity);
  filter->Update(); // kernel and output buffer, as after a first run
  stempdf_bench::TimeUpdates(state, filter, ScanSize * ScanSize);
}

void
BM_PairDistribution(benchmark::State & state)
{
  RunFilter(state, 0.0);
}
void
BM_PairDistributionWithG(benchmark::State & state)
{
  RunFilter(state, 0.085);
}

void
BM_PairDistributionNewFilter(benchmark::State & state)
{
  stempdf_bench::TimeNewFilters(state, [] { return MakeFilter(0.0); }, ScanSize * ScanSize);
}

void
BM_SineTransformApply(benchmark::State & state)
{
  auto filter = MakeFilter(0.0);
  filter->Update();
  const stempdf::SineTransform &         transform = filter->GetSineTransform();
  const Eigen::Index                     positions = ScanSize * ScanSize;
  stempdf::SineTransform::RowMajorMatrix G(positions, static_cast<Eigen::Index>(transform.GetR().size()));
  const Eigen::Map<const stempdf::SineTransform::RowMajorMatrix> phi(g_Phi->GetBufferPointer(), positions, SSamples);
  for (auto _ : state)
  {
    transform.Apply(phi, G);
    benchmark::DoNotOptimize(G.data());
  }
  state.SetItemsProcessed(state.iterations() * positions);
}

BENCHMARK(BM_PairDistribution)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PairDistributionNewFilter)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PairDistributionWithG)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SineTransformApply)->Unit(benchmark::kMillisecond)->UseRealTime();

void
WriteSample(const std::string & path)
{
  auto filter = MakeFilter(0.0);
  filter->Update();
  const size_t               positions = 64;
  const size_t               rSamples = filter->GetOutput()->GetNumberOfComponentsPerPixel();
  stempdf_bench::Float64File out(path);
  out.Write(g_Phi->GetBufferPointer(), positions * SSamples);
  out.Write(filter->GetOutput()->GetBufferPointer(), positions * rSamples);
  out.Write(filter->GetSineTransform().GetS().data(), SSamples);
  out.Write(filter->GetSineTransform().GetR().data(), rSamples);
  out.Check();
}
} // namespace

int
main(int argc, char ** argv)
{
  std::string         sample;
  std::vector<char *> rest = stempdf_bench::TakeOptions(
    argc, argv, { { "--sample", [&](const std::string & value) { sample = value; } } });
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(Threads);
  return stempdf_bench::PrepareAndRun("bench_pair_distribution", rest, [&] {
    g_Phi = MakePhi();
    if (!sample.empty())
    {
      WriteSample(sample);
    }
  });
}
