// AzimuthalIntegrate on the paper-scale simulated scan: 128 x 128 positions x
// 256 x 256 uint16 detector pixels (2 GiB), read into memory once.
// bench/run_azimuthal_integrate.py makes the scan with stempdf-simulate, runs
// this binary and pyFAI on the same frames, and prints frames per second
// side by side (docs/performance.md has the numbers).
//
//   bench_azimuthal_integrate --input SCAN.h5 [--profiles OUT.bin] [benchmark flags]
//
// The geometry is the simulator's truth, given by the driver through
// $STEMPDF_BENCH_GEOMETRY = "cx cy ratio angle pixelSize s0 s1" (bins one
// pixel wide) and, optionally, $STEMPDF_BENCH_MASK = a raw file of Kx * Ky
// bytes (non-zero = excluded pixel, detector x fastest). --profiles writes the profiles of the first 1024 frames
// (float64, frames x bins) and, after them, the bin centres, for the driver's
// comparison with pyFAI.
//
// Benchmarks (2 threads, whole scan per iteration; items = frames):
//   BM_AzimuthalIntegrate          the ITK filter as users run it (weights precomputed
//                                  per geometry; the geometry is computed once outside
//                                  the timing by a first Update)
//   BM_AzimuthalIntegrateVariance  the same with the Poisson variance output
//   BM_PerFrameSparseProduct       the plain loop the issue quotes as reference: one
//                                  Eigen sparse matrix-vector product per frame, frame
//                                  converted to double, 2 threads
//   BM_PixelSplittingWeights       the weights alone (one thread), included in the above
//   BM_ReadOnce                    sum of all counts (2 threads): one read pass over the
//                                  2 GiB, the memory-bandwidth floor
#include "bench_filter.h"
#include "bench_load_scan.h"
#include "bench_main.h"
#include "bench_scan.h"
#include "stempdfAzimuthalIntegrateImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace
{
using PatternImage = stempdf::PatternFieldImage<std::uint16_t>;
using Filter = stempdf::AzimuthalIntegrateImageFilter<PatternImage>;
using stempdf_bench::Threads;

PatternImage::Pointer         g_Scan;
Filter::MaskImageType::Pointer g_Mask;
struct
{
  double cx = 0, cy = 0, ratio = 1, angle = 0, pixelSize = 0, s0 = 0.25, s1 = 1.6;
} g_Geometry;

void
VectorAxisSize(stempdf::AzimuthalGeometry & geometry)
{
  stempdf::VectorAxis detector;
  stempdf::GetVectorAxis(g_Scan->GetMetaDataDictionary(), detector);
  geometry.DetectorWidth = detector.Size[0];
  geometry.DetectorHeight = detector.Size[1];
}

Filter::Pointer
MakeFilter(bool variance)
{
  auto filter = stempdf_bench::NewFilter<Filter>(g_Scan);
  filter->CenterOnDetectorMiddleOff();
  filter->SetCenter(Filter::PointType{ { g_Geometry.cx, g_Geometry.cy } });
  filter->SetEllipseRatio(g_Geometry.ratio);
  filter->SetEllipseAngle(g_Geometry.angle);
  filter->SetPixelSize(g_Geometry.pixelSize);
  filter->SetSRange(Filter::RangeType{ { g_Geometry.s0, g_Geometry.s1 } });
  filter->SetComputeVariance(variance);
  filter->SetMaskImage(g_Mask);
  return filter;
}

void
RunFilter(benchmark::State & state, bool variance)
{
  // Every update recomputes the profiles (and the weights: part of the cost).
  stempdf_bench::TimeUpdates(state, MakeFilter(variance), g_Scan->GetBufferedRegion().GetNumberOfPixels());
}

void
BM_AzimuthalIntegrate(benchmark::State & state)
{
  RunFilter(state, false);
}
void
BM_AzimuthalIntegrateVariance(benchmark::State & state)
{
  RunFilter(state, true);
}

void
BM_PerFrameSparseProduct(benchmark::State & state)
{
  auto filter = MakeFilter(false);
  filter->Update();
  Eigen::SparseMatrix<double, Eigen::RowMajor> weights = filter->GetWeights();
  for (int b = 0; b < weights.outerSize(); ++b)
  {
    for (decltype(weights)::InnerIterator it(weights, b); it; ++it)
    {
      it.valueRef() /= filter->GetBinAreas()[b];
    }
  }
  const size_t pixels = g_Scan->GetNumberOfComponentsPerPixel();
  const size_t frames = g_Scan->GetBufferedRegion().GetNumberOfPixels();
  std::vector<double> out(frames * weights.rows());
  for (auto _ : state)
  {
    auto work = [&](size_t begin, size_t end) {
      Eigen::VectorXd frame(pixels);
      for (size_t i = begin; i < end; ++i)
      {
        frame = Eigen::Map<const Eigen::Matrix<std::uint16_t, Eigen::Dynamic, 1>>(
                  g_Scan->GetBufferPointer() + i * pixels, pixels)
                  .cast<double>();
        Eigen::Map<Eigen::VectorXd>(out.data() + i * weights.rows(), weights.rows()) = weights * frame;
      }
    };
    std::thread other(work, frames / 2, frames);
    work(0, frames / 2);
    other.join();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * frames);
}

void
BM_PixelSplittingWeights(benchmark::State & state)
{
  stempdf::AzimuthalGeometry geometry;
  geometry.CenterX = g_Geometry.cx;
  geometry.CenterY = g_Geometry.cy;
  geometry.EllipseRatio = g_Geometry.ratio;
  geometry.EllipseAngle = g_Geometry.angle;
  geometry.PixelSize = g_Geometry.pixelSize;
  VectorAxisSize(geometry);
  const auto bins = static_cast<unsigned int>(std::round((g_Geometry.s1 - g_Geometry.s0) / g_Geometry.pixelSize));
  for (auto _ : state)
  {
    auto weights = stempdf::ComputePixelSplittingWeights(geometry, g_Geometry.s0, g_Geometry.s1, bins);
    benchmark::DoNotOptimize(weights.nonZeros());
  }
}

void
BM_ReadOnce(benchmark::State & state)
{
  const size_t values = g_Scan->GetBufferedRegion().GetNumberOfPixels() * g_Scan->GetNumberOfComponentsPerPixel();
  const std::uint16_t * data = g_Scan->GetBufferPointer();
  for (auto _ : state)
  {
    std::uint64_t sums[2] = { 0, 0 };
    auto          work = [&](int half) {
      std::uint64_t sum = 0;
      for (size_t i = half * values / 2; i < (half + 1) * values / 2; ++i)
      {
        sum += data[i];
      }
      sums[half] = sum;
    };
    std::thread other(work, 1);
    work(0);
    other.join();
    benchmark::DoNotOptimize(sums[0] + sums[1]);
  }
  state.SetItemsProcessed(state.iterations() * g_Scan->GetBufferedRegion().GetNumberOfPixels());
}

BENCHMARK(BM_AzimuthalIntegrate)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AzimuthalIntegrateVariance)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PerFrameSparseProduct)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PixelSplittingWeights)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadOnce)->Unit(benchmark::kMillisecond)->UseRealTime();

void
WriteProfiles(const std::string & path)
{
  auto filter = MakeFilter(false);
  filter->Update();
  const auto *  profiles = filter->GetOutput();
  const size_t  bins = profiles->GetNumberOfComponentsPerPixel();
  const size_t  frames = std::min<size_t>(1024, profiles->GetBufferedRegion().GetNumberOfPixels());
  stempdf_bench::Float64File out(path);
  out.Write(profiles->GetBufferPointer(), frames * bins);
  stempdf::VectorAxis axis;
  stempdf::GetVectorAxis(profiles->GetMetaDataDictionary(), axis);
  for (size_t b = 0; b < bins; ++b)
  {
    const double s = axis.Origin[0] + b * axis.Spacing[0];
    out.Write(&s, 1);
  }
  out.Check();
}
} // namespace

int
main(int argc, char ** argv)
{
  std::string         input, profiles;
  std::vector<char *> rest =
    stempdf_bench::TakeOptions(argc,
                               argv,
                               { { "--input", [&](const std::string & value) { input = value; } },
                                 { "--profiles", [&](const std::string & value) { profiles = value; } } });
  const char * geometry = std::getenv("STEMPDF_BENCH_GEOMETRY");
  if (input.empty() || geometry == nullptr)
  {
    std::cerr << "usage: STEMPDF_BENCH_GEOMETRY=\"cx cy ratio angle pixelSize s0 s1\" " << argv[0]
              << " --input SCAN.h5 [--profiles OUT.bin] [benchmark flags]\n";
    return 2;
  }
  std::istringstream(geometry) >> g_Geometry.cx >> g_Geometry.cy >> g_Geometry.ratio >> g_Geometry.angle >>
    g_Geometry.pixelSize >> g_Geometry.s0 >> g_Geometry.s1;
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(Threads);
  return stempdf_bench::PrepareAndRun("bench_azimuthal_integrate", rest, [&] {
    g_Scan = LoadScanUInt16(input);
    if (const char * maskFile = std::getenv("STEMPDF_BENCH_MASK"))
    {
      stempdf::VectorAxis detector;
      stempdf::GetVectorAxis(g_Scan->GetMetaDataDictionary(), detector);
      g_Mask = Filter::MaskImageType::New();
      g_Mask->SetRegions(Filter::MaskImageType::SizeType{ { detector.Size[0], detector.Size[1] } });
      g_Mask->Allocate();
      std::ifstream in(maskFile, std::ios::binary);
      in.read(reinterpret_cast<char *>(g_Mask->GetBufferPointer()),
              static_cast<std::streamsize>(detector.GetNumberOfComponents()));
      if (!in)
      {
        throw std::runtime_error(std::string("cannot read ") + maskFile + ": expected Kx * Ky bytes");
      }
    }
    if (!profiles.empty())
    {
      WriteProfiles(profiles);
    }
  });
}
