#include "bench_load_scan.h"

#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfPatternFieldImageFileReader.h"

stempdf::PatternFieldImage<std::uint16_t>::Pointer
LoadScanUInt16(const std::string & path)
{
  using Image = stempdf::PatternFieldImage<std::uint16_t>;
  auto reader = stempdf::PatternFieldImageFileReader<Image>::New();
  reader->SetImageIO(stempdf::HDF5DatasetImageIO::New());
  reader->SetFileName(path);
  reader->Update();
  Image::Pointer scan = reader->GetOutput();
  scan->DisconnectPipeline();
  return scan;
}
