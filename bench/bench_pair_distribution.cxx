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
#include "stempdfPairDistributionImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::PairDistributionImageFilter<Image>;
constexpr unsigned int Threads = 2;
constexpr unsigned int ScanSize = 128;
constexpr unsigned int SSamples = 94;
constexpr double       SMin = 0.25, SMax = 1.6;

Image::Pointer g_Phi;

Image::Pointer
MakePhi()
{
  auto image = Image::New();
  image->SetRegions(Image::SizeType{ { ScanSize, ScanSize } });
  image->SetVectorLength(SSamples);
  image->Allocate();
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
  auto filter = Filter::New();
  filter->SetInput(g_Phi);
  filter->SetNumberDensity(numberDensity);
  filter->SetNumberOfWorkUnits(Threads);
  return filter;
}

void
RunFilter(benchmark::State & state, double numberDensity)
{
  auto filter = MakeFilter(numberDensity);
  filter->Update(); // kernel and output buffer, as after a first run
  for (auto _ : state)
  {
    filter->Modified();
    filter->Update();
    benchmark::DoNotOptimize(filter->GetOutput()->GetBufferPointer());
  }
  state.SetItemsProcessed(state.iterations() * ScanSize * ScanSize);
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
  for (auto _ : state)
  {
    auto filter = MakeFilter(0.0);
    filter->Update();
    benchmark::DoNotOptimize(filter->GetOutput()->GetBufferPointer());
  }
  state.SetItemsProcessed(state.iterations() * ScanSize * ScanSize);
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
  const size_t   positions = 64;
  const size_t   rSamples = filter->GetOutput()->GetNumberOfComponentsPerPixel();
  std::ofstream  out(path, std::ios::binary);
  const auto     write = [&](const double * values, size_t count) {
    out.write(reinterpret_cast<const char *>(values), static_cast<std::streamsize>(count * sizeof(double)));
  };
  write(g_Phi->GetBufferPointer(), positions * SSamples);
  write(filter->GetOutput()->GetBufferPointer(), positions * rSamples);
  write(filter->GetSineTransform().GetS().data(), SSamples);
  write(filter->GetSineTransform().GetR().data(), rSamples);
  if (!out)
  {
    throw std::runtime_error("cannot write " + path);
  }
}
} // namespace

int
main(int argc, char ** argv)
{
  std::string         sample;
  std::vector<char *> rest{ argv[0] };
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    if (arg == "--sample" && i + 1 < argc)
    {
      sample = argv[++i];
    }
    else
    {
      rest.push_back(argv[i]);
    }
  }
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(Threads);
  try
  {
    g_Phi = MakePhi();
    if (!sample.empty())
    {
      WriteSample(sample);
    }
  }
  catch (const std::exception & e)
  {
    std::cerr << "bench_pair_distribution: " << e.what() << "\n";
    return 1;
  }
  int benchArgc = static_cast<int>(rest.size());
  benchmark::Initialize(&benchArgc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
