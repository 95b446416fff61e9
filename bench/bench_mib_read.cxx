// Google Benchmark: read throughput of stempdf::MIBImageIO on a paper-scale
// Merlin file, 128 x 128 scan positions of 256 x 256 U16 frames (2 GiB plus
// 384-byte frame headers), from a warm page cache.
//
//   bench_mib_read [--mib_file=PATH] [benchmark flags]
//
// The file is PATH, else $STEMPDF_MIB_BENCH_FILE, else
// /tmp/stempdf_bench_128x128_256x256_u16.mib; it is made with MIBImageIO's
// writer when missing. bench/run_mib_read.sh warms the cache, times `cat`
// on the same file and prints both rates side by side.
//
// Benchmarks (bytes/s = file bytes, headers included, per second of wall
// time; names say who allocates the output):
// - NewImage/ImageFileReader: itk::ImageFileReader<PatternFieldImage<uint16_t>>
//   with MIBImageIO, a new reader (so a new 2 GiB output image) each time, as
//   a one-shot script reads. ITK reads an itk::VectorImage into a temporary
//   buffer and copies it into the output (its default pixel traits report 0
//   components for a VariableLengthVector, so it never reads in place):
//   4 GiB of freshly allocated memory per read.
// - Reread/ImageFileReader: the same reader updated again (Modified()): the
//   output buffer is reused, only ITK's temporary buffer is new.
// - NewImage/DirectReader, Reread/DirectReader: stempdf::PatternFieldImageFileReader
//   subclass (below, not part of the library) that lets the ImageIO read
//   straight into the output buffer when the component types match.
// - Pieces16Rows/ImageFileReader: the whole scan in 8 pieces of 16 rows, a new
//   reader per piece (streaming, as ParaView pieces or MPI ranks read).
// - ImageIORead: MIBImageIO::Read into one preallocated, already touched
//   buffer: the IO itself (system calls, header checks, byte swap).
#include "bench_main.h"
#include "bench_read.h"
#include "bench_scan.h"
#include "stempdfImageTypes.h"
#include "stempdfMIBImageIO.h"
#include "stempdfPatternFieldImageFileReader.h"

#include "itkImageFileReader.h"
#include "itksys/SystemTools.hxx"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace
{
using PatternImage = stempdf::PatternFieldImage<std::uint16_t>;
using stempdf_bench::DetectorSize;
using stempdf_bench::ScanSize;

std::string &
FilePath()
{
  static std::string path;
  return path;
}

std::uint64_t
FileBytes()
{
  return itksys::SystemTools::FileLength(FilePath());
}

/** Makes the benchmark file with the writer: counts of a ring pattern with a
 *  little variation per position (the values do not matter for reading). */
void
MakeFileIfMissing()
{
  const std::string & path = FilePath();
  if (itksys::SystemTools::FileExists(path, true))
  {
    return;
  }
  std::cerr << "bench_mib_read: making " << path << " (128 x 128 x 256 x 256 U16, 2 GiB) with MIBImageIO\n";
  auto scan = stempdf_bench::NewScanField<PatternImage>(DetectorSize * DetectorSize);
  std::uint16_t *            buffer = scan->GetBufferPointer();
  std::vector<std::uint16_t> ring(DetectorSize * DetectorSize);
  for (unsigned int y = 0; y < DetectorSize; ++y)
  {
    for (unsigned int x = 0; x < DetectorSize; ++x)
    {
      const int dx = static_cast<int>(x) - 128;
      const int dy = static_cast<int>(y) - 128;
      const int r2 = dx * dx + dy * dy;
      ring[y * DetectorSize + x] = static_cast<std::uint16_t>(r2 < 144 ? 3000 : 20 + (r2 / 37) % 17);
    }
  }
  for (std::size_t p = 0; p < std::size_t{ ScanSize } * ScanSize; ++p)
  {
    std::uint16_t * pattern = buffer + p * ring.size();
    for (std::size_t i = 0; i < ring.size(); ++i)
    {
      pattern[i] = static_cast<std::uint16_t>(ring[i] + ((p * 7 + i * 13) & 7));
    }
  }
  stempdf_bench::WriteScan<stempdf::MIBImageIO>(scan.GetPointer(), path);
}

/** The library's reader that lets the ImageIO read straight into the image. */
template <typename TImage>
using DirectReader = stempdf::PatternFieldImageFileReader<TImage>;

template<template<typename> class TReader>
void
NewImage(benchmark::State & state)
{
  for (auto _ : state)
  {
    auto reader = stempdf_bench::NewReader<TReader<PatternImage>, stempdf::MIBImageIO>(FilePath());
    reader->Update();
    benchmark::DoNotOptimize(reader->GetOutput()->GetBufferPointer());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * FileBytes()));
}

template<template<typename> class TReader>
void
Reread(benchmark::State & state)
{
  auto reader = stempdf_bench::NewReader<TReader<PatternImage>, stempdf::MIBImageIO>(FilePath());
  reader->Update(); // allocates the output once
  for (auto _ : state)
  {
    reader->Modified();
    reader->Update();
    benchmark::DoNotOptimize(reader->GetOutput()->GetBufferPointer());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * FileBytes()));
}

template<typename TImage>
using StockReader = itk::ImageFileReader<TImage>;

void
Pieces16Rows(benchmark::State & state)
{
  constexpr unsigned int rows = 16;
  for (auto _ : state)
  {
    for (unsigned int y = 0; y < ScanSize; y += rows)
    {
      auto reader = stempdf_bench::NewReader<itk::ImageFileReader<PatternImage>, stempdf::MIBImageIO>(FilePath());
      reader->UpdateOutputInformation();
      reader->GetOutput()->SetRequestedRegion(PatternImage::RegionType({ { 0, y } }, { { ScanSize, rows } }));
      reader->Update();
      benchmark::DoNotOptimize(reader->GetOutput()->GetBufferPointer());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * FileBytes()));
}

void
ImageIORead(benchmark::State & state)
{
  auto io = stempdf_bench::OpenScanIO<stempdf::MIBImageIO>(FilePath());
  const std::size_t               bytes = io->GetImageSizeInBytes();
  std::unique_ptr<std::uint8_t[]> buffer(new std::uint8_t[bytes]);
  std::memset(buffer.get(), 0, bytes); // fault the pages in once, outside the timing
  for (auto _ : state)
  {
    io->Read(buffer.get());
    benchmark::DoNotOptimize(buffer.get());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * io->GetBytesRead()));
}
} // namespace

BENCHMARK_TEMPLATE(NewImage, StockReader)
  ->Name("NewImage/ImageFileReader")
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime();
BENCHMARK_TEMPLATE(Reread, StockReader)->Name("Reread/ImageFileReader")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(NewImage, DirectReader)->Name("NewImage/DirectReader")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(Reread, DirectReader)->Name("Reread/DirectReader")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(Pieces16Rows)->Name("Pieces16Rows/ImageFileReader")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(ImageIORead)->Unit(benchmark::kMillisecond)->UseRealTime();

int
main(int argc, char ** argv)
{
  // Our own flag first; the rest goes to Google Benchmark.
  const char * fromEnvironment = std::getenv("STEMPDF_MIB_BENCH_FILE");
  FilePath() = fromEnvironment ? fromEnvironment : "/tmp/stempdf_bench_128x128_256x256_u16.mib";
  std::vector<char *> args = stempdf_bench::TakeOptions(
    argc, argv, { { "--mib_file=", [](const std::string & value) { FilePath() = value; } } });
  if (!stempdf_bench::InitializeBenchmarks(args, true))
  {
    return 1;
  }
  try
  {
    MakeFileIfMissing();
  }
  catch (const itk::ExceptionObject & e)
  {
    std::cerr << "bench_mib_read: cannot make " << FilePath() << ": " << e.GetDescription() << "\n";
    return 1;
  }
  benchmark::AddCustomContext("mib_file", FilePath());
  benchmark::AddCustomContext("mib_file_bytes", std::to_string(FileBytes()));
  return stempdf_bench::RunBenchmarks();
}
