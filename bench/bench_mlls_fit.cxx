// MLLSFit on the paper-scale cube: 128 x 128 positions x 1001 G(r) samples
// (0-10 A by 0.01 A, 131 MB of doubles), three basis curves (the Gaussian-shell
// solid-like, liquid-like and noise-like G(r) of stempdf::ShellPDFModel) plus
// the offset; every position a random non-negative mixture with noise.
//
//   bench_mlls_fit [benchmark flags]     e.g. --benchmark_repetitions=5
//
// Benchmarks (2 threads; items = positions):
//   BM_MLLSFit           the filter updated again (outputs reused): the fit alone
//   BM_MLLSFitNewFilter  a new filter each time: basis resampled, outputs allocated
//   BM_ReadCube          one pass summing the cube on 2 threads: the memory-bandwidth floor
#include "bench_filter.h"
#include "bench_main.h"
#include "bench_scan.h"
#include "stempdfMLLSFitImageFilter.h"
#include "stempdfShellPDFModel.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>

#include <random>
#include <thread>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::MLLSFitImageFilter<Image>;
using stempdf_bench::ScanSize;
using stempdf_bench::Threads;
constexpr unsigned int RSamples = 1001;

Image::Pointer       g_G;
stempdf::BasisCurves g_Basis;

void
MakeData()
{
  g_Basis.R.resize(RSamples);
  for (unsigned int m = 0; m < RSamples; ++m)
  {
    g_Basis.R[m] = 0.01 * m;
  }
  for (const auto & model : { stempdf::ShellPDFModel::SolidLike(), stempdf::ShellPDFModel::LiquidLike(),
                              stempdf::ShellPDFModel::Noise() })
  {
    g_Basis.Values.push_back(model.G(g_Basis.R));
  }
  g_G = stempdf_bench::NewScanField<Image>(RSamples);
  std::mt19937                           random(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double>       noise(0.0, 0.05);
  double *                               g = g_G->GetBufferPointer();
  for (unsigned int p = 0; p < ScanSize * ScanSize; ++p, g += RSamples)
  {
    const double w[3] = { uniform(random), uniform(random), 0.2 * uniform(random) };
    const double c = uniform(random) - 0.5;
    for (unsigned int m = 0; m < RSamples; ++m)
    {
      g[m] = c + noise(random) + w[0] * g_Basis.Values[0][m] + w[1] * g_Basis.Values[1][m] +
             w[2] * g_Basis.Values[2][m];
    }
  }
  stempdf::VectorAxis axis;
  axis.Quantity = stempdf::RQuantity;
  axis.Unit = stempdf::AngstromUnit;
  axis.Size = { { RSamples, 1 } };
  axis.Spacing = { { 0.01, 1.0 } };
  stempdf::SetVectorAxis(g_G->GetMetaDataDictionary(), axis);
}

Filter::Pointer
MakeFilter()
{
  auto filter = stempdf_bench::NewFilter<Filter>(g_G);
  filter->SetBasis(g_Basis);
  filter->SetComponents({ 0, 1 });
  return filter;
}

/** The buffer of the fit's weights output. */
const auto WeightsBuffer = [](const Filter::Pointer & filter) { return filter->GetWeightsOutput()->GetBufferPointer(); };

void
BM_MLLSFit(benchmark::State & state)
{
  auto filter = MakeFilter();
  filter->Update();
  stempdf_bench::TimeUpdates(state, filter, ScanSize * ScanSize, WeightsBuffer);
  state.counters["solid_mean_fraction"] = filter->GetPopulations()[0].MeanFraction;
}

void
BM_MLLSFitNewFilter(benchmark::State & state)
{
  stempdf_bench::TimeNewFilters(state, MakeFilter, ScanSize * ScanSize, WeightsBuffer);
}

void
BM_ReadCube(benchmark::State & state)
{
  const size_t   values = size_t{ ScanSize } * ScanSize * RSamples;
  const double * data = g_G->GetBufferPointer();
  for (auto _ : state)
  {
    double     sums[Threads] = {};
    std::thread workers[Threads];
    for (unsigned int t = 0; t < Threads; ++t)
    {
      workers[t] = std::thread([&, t]() {
        double s = 0.0;
        for (size_t i = t * values / Threads; i < (t + 1) * values / Threads; ++i)
        {
          s += data[i];
        }
        sums[t] = s;
      });
    }
    for (auto & worker : workers)
    {
      worker.join();
    }
    benchmark::DoNotOptimize(sums[0] + sums[1]);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(values * sizeof(double)));
}

BENCHMARK(BM_MLLSFit)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MLLSFitNewFilter)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadCube)->Unit(benchmark::kMillisecond)->UseRealTime();
} // namespace

int
main(int argc, char ** argv)
{
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(Threads);
  MakeData();
  benchmark::Initialize(&argc, argv);
  return stempdf_bench::RunBenchmarks();
}
