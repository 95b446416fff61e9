// Google Benchmark of VirtualDetectorImageFilter at paper scale:
// 128 x 128 scan positions x 256 x 256 px uint16 patterns (2 GiB), for a
// bright-field disk, an annular dark field and the whole detector.
// Run through bench/run_virtual_detector.py, which times NumPy side by side.
#include "bench_scan.h"
#include "stempdfVirtualDetectorImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>

namespace
{
using PatternImage = stempdf::PatternFieldImage<std::uint16_t>;
using Filter = stempdf::VirtualDetectorImageFilter<PatternImage>;
using stempdf_bench::DetectorSize;
using stempdf_bench::ScanSize;

PatternImage::Pointer
PaperScaleScan()
{
  static PatternImage::Pointer scan;
  if (scan)
  {
    return scan;
  }
  scan = stempdf_bench::NewScanField<PatternImage>(DetectorSize * DetectorSize);
  std::mt19937                                 random(42);
  std::uniform_int_distribution<std::uint16_t> counts(0, 1000);
  std::uint16_t *                              buffer = scan->GetBufferPointer();
  const size_t n = size_t{ ScanSize } * ScanSize * DetectorSize * DetectorSize;
  for (size_t i = 0; i < n; ++i)
  {
    buffer[i] = counts(random);
  }
  stempdf::SetVectorAxis(scan->GetMetaDataDictionary(), stempdf::MakeDetectorAxis(DetectorSize, DetectorSize));
  return scan;
}

void
VirtualDetector(benchmark::State & state)
{
  auto scan = PaperScaleScan();
  auto filter = Filter::New();
  filter->SetInput(scan);
  filter->SetInnerRadius(static_cast<double>(state.range(0)));
  filter->SetOuterRadius(static_cast<double>(state.range(1)));
  for (auto _ : state)
  {
    filter->Modified();
    filter->Update();
    benchmark::DoNotOptimize(filter->GetOutput()->GetBufferPointer());
  }
  state.counters["detector_pixels"] = static_cast<double>(filter->GetNumberOfDetectorPixels());
  state.counters["threads"] = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads();
}
} // namespace

// (inner, outer) radius in px: bright field, annular dark field, whole detector.
BENCHMARK(VirtualDetector)
  ->Args({ 0, 12 })
  ->Args({ 30, 90 })
  ->Args({ 0, 400 })
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime();

BENCHMARK_MAIN();
