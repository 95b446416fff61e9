// Read throughput of stempdf::HDF5DatasetImageIO on a paper-scale scan:
// 128 x 128 positions x 256 x 256 uint16 detector pixels (2 GiB), stored
// contiguously, read from a warm page cache. bench/run_hdf5_read.sh runs it
// next to `cat file > /dev/null` and h5py and prints the three in GB/s
// (docs/format-hdf5.md has the numbers).
//
// The file is $STEMPDF_BENCH_HDF5_FILE, default
// /tmp/stempdf_bench_hdf5_128x128x256x256_u16.h5; it is made with
// HDF5DatasetImageIO's writer if missing (`bench_hdf5_read --make-file-only`
// only makes it). Needs only STEMPDFFilters (no HDF5 headers).
//
// Benchmarks (each reads the whole 2 GiB once per iteration):
//   BM_ImageFileReader             itk::ImageFileReader<PatternFieldImage<uint16_t>> +
//                                  HDF5DatasetImageIO, as the brief calls it. ITK 5.2's
//                                  reader reads a VectorImage into a temporary buffer and
//                                  copies it into the image: two new 2 GiB buffers.
//   BM_PatternFieldImageFileReader stempdf::PatternFieldImageFileReader (an ImageFileReader
//                                  whose IO reads straight into the image): one new buffer.
//   BM_ReaderStreamed8             the same delivering the scan as 8 pieces of 16 rows
//                                  (what ParaView pieces / MPI ranks ask for).
//   BM_ImageIORead                 HDF5DatasetImageIO::Read() of the whole scan into one
//                                  buffer reused across iterations: the HDF5 read alone.
//   BM_NewBufferFirstTouch         allocate 2 GiB and write every page once: the cost of
//                                  the fresh output buffer any reader must return (page
//                                  faults; expensive on virtual machines), i.e. the
//                                  ceiling for a reader that returns a new image.

#include "bench_main.h"
#include "bench_read.h"
#include "bench_scan.h"
#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfPatternFieldImageFileReader.h"
#include "stempdfImageTypes.h"

#include "itkImageFileReader.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace
{
using PatternImage = stempdf::PatternFieldImage<uint16_t>;
using stempdf_bench::DetectorSize;
using stempdf_bench::ScanSize;

constexpr uint64_t     FileBytes = uint64_t{ ScanSize } * ScanSize * DetectorSize * DetectorSize * sizeof(uint16_t);

std::string
BenchmarkFile()
{
  const char * fromEnvironment = std::getenv("STEMPDF_BENCH_HDF5_FILE");
  return (fromEnvironment != nullptr && *fromEnvironment != '\0') ? fromEnvironment
                                                                  : "/tmp/stempdf_bench_hdf5_128x128x256x256_u16.h5";
}

/** Writes the benchmark file with HDF5DatasetImageIO (contiguous, uint16,
 *  counts that vary over position and detector so nothing is trivially
 *  compressible) unless a file of the right size is there. */
void
MakeFileIfMissing(const std::string & fileName)
{
  std::error_code error;
  if (std::filesystem::exists(fileName, error) && std::filesystem::file_size(fileName, error) >= FileBytes)
  {
    return;
  }
  std::cerr << "bench_hdf5_read: writing " << fileName << " (" << FileBytes / (1024.0 * 1024.0 * 1024.0) << " GiB)..."
            << std::endl;
  auto image = stempdf_bench::NewScanField<PatternImage>(DetectorSize * DetectorSize);
  image->SetSpacing(1.2);
  uint16_t * counts = image->GetBufferPointer();
  uint64_t   state = 0x9E3779B97F4A7C15ull;
  for (uint64_t i = 0; i < FileBytes / sizeof(uint16_t); ++i)
  {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    counts[i] = static_cast<uint16_t>(state & 0x3FF);
  }
  stempdf_bench::WriteScan<stempdf::HDF5DatasetImageIO>(image.GetPointer(), fileName);
}

/** A new TReader (and HDF5DatasetImageIO) reading the whole file each time. */
template <typename TReader>
void
NewReaderEachTime(benchmark::State & state)
{
  const std::string fileName = BenchmarkFile();
  for (auto _ : state)
  {
    auto reader = stempdf_bench::NewReader<TReader, stempdf::HDF5DatasetImageIO>(fileName);
    reader->Update();
    benchmark::DoNotOptimize(reader->GetOutput()->GetBufferPointer());
    state.PauseTiming(); // freeing the image is not part of reading it (as for h5py)
    reader = nullptr;
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * FileBytes));
}
BENCHMARK_TEMPLATE(NewReaderEachTime, itk::ImageFileReader<PatternImage>)
  ->Name("BM_ImageFileReader")
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime();

void
BM_ImageIORead(benchmark::State & state)
{
  auto io = stempdf_bench::OpenScanIO<stempdf::HDF5DatasetImageIO>(BenchmarkFile(), ScanSize, ScanSize);
  std::vector<uint16_t> buffer(FileBytes / sizeof(uint16_t), 0); // touched once here, reused
  for (auto _ : state)
  {
    io->Read(buffer.data());
    benchmark::DoNotOptimize(buffer.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * FileBytes));
}
BENCHMARK(BM_ImageIORead)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_TEMPLATE(NewReaderEachTime, stempdf::PatternFieldImageFileReader<PatternImage>)
  ->Name("BM_PatternFieldImageFileReader")
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime();

void
BM_ReaderStreamed8(benchmark::State & state)
{
  const std::string      fileName = BenchmarkFile();
  constexpr unsigned int Pieces = 8;
  using Reader = stempdf::PatternFieldImageFileReader<PatternImage>;
  for (auto _ : state)
  {
    std::vector<Reader::Pointer> pieces; // each piece stays in memory, as on an MPI rank
    for (unsigned int piece = 0; piece < Pieces; ++piece)
    {
      auto reader = stempdf_bench::NewReader<Reader, stempdf::HDF5DatasetImageIO>(fileName);
      reader->UpdateOutputInformation();
      PatternImage::RegionType rows;
      rows.SetIndex({ { 0, static_cast<itk::IndexValueType>(piece * ScanSize / Pieces) } });
      rows.SetSize({ { ScanSize, ScanSize / Pieces } });
      reader->GetOutput()->SetRequestedRegion(rows);
      reader->Update();
      benchmark::DoNotOptimize(reader->GetOutput()->GetBufferPointer());
      pieces.push_back(reader);
    }
    state.PauseTiming();
    pieces.clear();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * FileBytes));
}
BENCHMARK(BM_ReaderStreamed8)->Unit(benchmark::kMillisecond)->UseRealTime();

void
BM_NewBufferFirstTouch(benchmark::State & state)
{
  for (auto _ : state)
  {
    std::unique_ptr<char[]> buffer(new char[FileBytes]);
    std::memset(buffer.get(), 1, FileBytes);
    benchmark::DoNotOptimize(buffer.get());
    benchmark::ClobberMemory();
    state.PauseTiming();
    buffer.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * FileBytes));
}
BENCHMARK(BM_NewBufferFirstTouch)->Unit(benchmark::kMillisecond)->UseRealTime();
} // namespace

int
main(int argc, char ** argv)
{
  bool                makeOnly = false;
  std::vector<char *> arguments = stempdf_bench::TakeOptions(
    argc, argv, { { "--make-file-only", [&](const std::string &) { makeOnly = true; }, false } });
  try
  {
    MakeFileIfMissing(BenchmarkFile());
  }
  catch (const itk::ExceptionObject & error)
  {
    std::cerr << "bench_hdf5_read: cannot make the benchmark file: " << error.GetDescription() << std::endl;
    return 1;
  }
  if (makeOnly)
  {
    return 0;
  }
  if (!stempdf_bench::InitializeBenchmarks(arguments, true))
  {
    return 1;
  }
  return stempdf_bench::RunBenchmarks();
}
