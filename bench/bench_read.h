#ifndef bench_read_h
#define bench_read_h

// What the reader benchmarks (bench_mib_read, bench_hdf5_read) share. Only
// for translation units that may include ITK's IO headers (they cannot share
// one with Eigen 3.4: see bench_load_scan.h).
#include "bench_scan.h"
#include "stempdfVectorAxis.h"

#include "itkImageFileWriter.h"
#include "itkImageIORegion.h"

#include <string>

namespace stempdf_bench
{
/** Writes the benchmark file `fileName` with TImageIO's writer: `scan`, its
 *  vector axis set to a DetectorSize x DetectorSize detector first. */
template <typename TImageIO, typename TImage>
void
WriteScan(TImage * scan, const std::string & fileName)
{
  stempdf::SetVectorAxis(scan->GetMetaDataDictionary(), stempdf::MakeDetectorAxis(DetectorSize, DetectorSize));
  auto writer = itk::ImageFileWriter<TImage>::New();
  writer->SetImageIO(TImageIO::New());
  writer->SetInput(scan);
  writer->SetFileName(fileName);
  writer->Update();
}

/** A new TReader on `fileName` with a new TImageIO. */
template <typename TReader, typename TImageIO>
typename TReader::Pointer
NewReader(const std::string & fileName)
{
  auto reader = TReader::New();
  reader->SetImageIO(TImageIO::New());
  reader->SetFileName(fileName);
  return reader;
}

/** A new TImageIO on `fileName`, its image information read and its IO
 *  region the first sizeX x sizeY scan positions (0: all the file has), for
 *  TImageIO::Read of the scan into one buffer. */
template <typename TImageIO>
typename TImageIO::Pointer
OpenScanIO(const std::string & fileName, itk::SizeValueType sizeX = 0, itk::SizeValueType sizeY = 0)
{
  auto io = TImageIO::New();
  io->SetFileName(fileName);
  io->ReadImageInformation();
  itk::ImageIORegion region(2);
  region.SetSize(0, sizeX != 0 ? sizeX : io->GetDimensions(0));
  region.SetSize(1, sizeY != 0 ? sizeY : io->GetDimensions(1));
  io->SetIORegion(region);
  return io;
}
} // namespace stempdf_bench

#endif
