#include "stempdfDetectorMaskIO.h"
#include "stempdfHDF5Handles.h"
#include "stempdfHDF5Layouts.h"

// No Eigen here, nor any header that includes it: ITK's IO headers bring
// ITK's own Eigen 3.3, which cannot share a translation unit with Eigen 3.4.
#include "itkImageFileReader.h"
#include "itkMacro.h"
#include "itkPNGImageIO.h"
#include "itkTIFFImageIO.h"
#include "itkVectorImage.h"

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace stempdf
{
namespace
{
namespace fs = std::filesystem;
using hdf5::DatasetHandle;
using hdf5::DatasetInfo;
using hdf5::DataspaceHandle;
using hdf5::ErrorPrintingOff;
using hdf5::FileContext;
using hdf5::FileHandle;
using hdf5::ObjectHandle;
using hdf5::TakeHDF5Errors;
using hdf5::TypeHandle;

constexpr const char * Where = "ReadDetectorMask: ";
constexpr const char * SupportedText =
  ".png, .tif, .tiff (images) or .h5, .hdf5, .emd (HDF5, optionally as file.h5:/path/to/dataset)";

/** Far above any pixelated detector (16384 x 16384): a larger 2-D dataset is
 *  not a mask, and reading it would only exhaust memory. */
constexpr itk::SizeValueType MaximumPixels = itk::SizeValueType{ 1 } << 28;

enum class MaskFormat
{
  PNG,
  TIFF,
  HDF5,
  Unknown
};

/** ".png" from "/a.b/Mask.PNG"; "" when the last path component has no dot. */
std::string
LowerCaseExtension(const std::string & name)
{
  const auto dot = name.find_last_of('.');
  const auto separator = name.find_last_of("/\\");
  if (dot == std::string::npos || (separator != std::string::npos && dot < separator))
  {
    return "";
  }
  std::string extension = name.substr(dot);
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return extension;
}

MaskFormat
FormatOf(const std::string & extension)
{
  if (extension == ".png")
  {
    return MaskFormat::PNG;
  }
  if (extension == ".tif" || extension == ".tiff")
  {
    return MaskFormat::TIFF;
  }
  if (extension == ".h5" || extension == ".hdf5" || extension == ".emd")
  {
    return MaskFormat::HDF5;
  }
  return MaskFormat::Unknown;
}

struct MaskSource
{
  std::string file;
  std::string datasetPath; // HDF5 only; empty = the only 2-D dataset
};

/** Splits "file.h5:/path" at the first ':' that ends an HDF5 file name. A
 *  name that exists as a file is never split, so a ':' in a file name is safe. */
MaskSource
SplitName(const std::string & name)
{
  std::error_code error;
  if (fs::exists(name, error))
  {
    return { name, "" };
  }
  for (auto colon = name.find(':'); colon != std::string::npos; colon = name.find(':', colon + 1))
  {
    const std::string file = name.substr(0, colon);
    if (FormatOf(LowerCaseExtension(file)) == MaskFormat::HDF5)
    {
      return { file, name.substr(colon + 1) };
    }
  }
  return { name, "" };
}

std::string
ConventionText(bool nonZeroMeansExcluded)
{
  return nonZeroMeansExcluded ? "non-zero = excluded" : "non-zero = good pixel (nonZeroMeansExcluded = false)";
}

/** Rejects empty and absurdly large masks, and a shape other than the
 *  expected one (0 = not checked). `shapeNote` adds the file's own notation. */
void
CheckShape(const std::string & name, itk::SizeValueType width, itk::SizeValueType height, unsigned int expectedWidth,
           unsigned int expectedHeight, const std::string & shapeNote)
{
  if (width == 0 || height == 0)
  {
    itkGenericExceptionMacro(<< Where << "'" << name << "' is empty (" << width << " x " << height << " pixels"
                             << shapeNote << "); expected a mask with one value per detector pixel");
  }
  if (width > MaximumPixels / height)
  {
    itkGenericExceptionMacro(<< Where << "'" << name << "' is " << width << " x " << height << " pixels" << shapeNote
                             << ", more than " << MaximumPixels
                             << " pixels; expected a detector mask (is it the right dataset?)");
  }
  const bool widthOk = expectedWidth == 0 || width == expectedWidth;
  const bool heightOk = expectedHeight == 0 || height == expectedHeight;
  if (widthOk && heightOk)
  {
    return;
  }
  std::ostringstream expected;
  if (expectedWidth != 0 && expectedHeight != 0)
  {
    expected << "the " << expectedWidth << " x " << expectedHeight << " detector";
  }
  else if (expectedWidth != 0)
  {
    expected << "a detector " << expectedWidth << " pixels wide (Kx)";
  }
  else
  {
    expected << "a detector " << expectedHeight << " pixels high (Ky)";
  }
  const bool transposed =
    expectedWidth != 0 && expectedHeight != 0 && width == expectedHeight && height == expectedWidth;
  itkGenericExceptionMacro(<< Where << "'" << name << "' is " << width << " x " << height << " pixels (Kx x Ky"
                           << shapeNote << "); expected " << expected.str()
                           << (transposed ? ". It is the detector transposed: store the mask as m[ky, kx], one "
                                            "detector row per row of the file"
                                          : ""));
}

/** The mask's image with its geometry: index (kx, ky), spacing 1, origin 0. */
DetectorMaskImage::Pointer
AllocateMask(itk::SizeValueType width, itk::SizeValueType height)
{
  auto                          mask = DetectorMaskImage::New();
  DetectorMaskImage::RegionType region;
  region.SetSize({ { width, height } });
  mask->SetRegions(region);
  mask->Allocate();
  return mask;
}

/** Sets `flags` to 1 where `values` is non-zero (row by row, kx fastest);
 *  throws for NaN, which is neither zero nor a decision. */
void
FlagsFromNumbers(const std::string & name, const double * values, itk::SizeValueType width, itk::SizeValueType pixels,
                 unsigned char * flags, bool nonZeroMeansExcluded)
{
  itk::SizeValueType nanCount = 0;
  itk::SizeValueType firstNaN = 0;
  for (itk::SizeValueType p = 0; p < pixels; ++p)
  {
    if (std::isnan(values[p]))
    {
      firstNaN = nanCount++ == 0 ? p : firstNaN;
      continue;
    }
    flags[p] = values[p] != 0.0 ? 1 : 0;
  }
  if (nanCount > 0)
  {
    itkGenericExceptionMacro(<< Where << "'" << name << "' holds " << nanCount << " NaN value"
                             << (nanCount > 1 ? "s" : "") << ", the first at pixel (kx, ky) = (" << firstNaN % width
                             << ", " << firstNaN / width << "); expected numbers, "
                             << ConventionText(nonZeroMeansExcluded));
  }
}

/** NaN equals NaN here: the channel tests compare what is stored. */
bool
Same(double a, double b)
{
  return a == b || (std::isnan(a) && std::isnan(b));
}

// ====================================================================== images (ITK)

// ITK 5.2's PNGImageIO::ReadImageInformation calls png_read_info without a
// setjmp: any libpng error before the first IDAT (a file cut short, a CRC
// error, a bad IHDR) ends in abort(), taking ParaView down with it. So the
// chunks libpng parses there are checked first, against libpng 1.6's rules.
// (PNGImageIO::Read has its setjmp: damaged image data is an exception.)

uint32_t
BigEndian32(const unsigned char * bytes)
{
  return (uint32_t{ bytes[0] } << 24) | (uint32_t{ bytes[1] } << 16) | (uint32_t{ bytes[2] } << 8) | bytes[3];
}

/** PNG's CRC-32 (ISO 3309, as in zlib). */
uint32_t
PNGChunkCRC(const unsigned char * bytes, size_t length)
{
  static const std::array<uint32_t, 256> table = []() {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n)
    {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k)
      {
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      }
      t[n] = c;
    }
    return t;
  }();
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < length; ++i)
  {
    crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
  }
  return crc ^ 0xffffffffu;
}

/** What would make libpng fail while reading the header chunks of a PNG
 *  (signature already checked), or "" if nothing. */
std::string
PNGHeaderProblem(const std::string & fileName)
{
  std::ifstream              stream(fileName, std::ios::binary);
  std::vector<unsigned char> bytes(8);
  if (!stream.read(reinterpret_cast<char *>(bytes.data()), 8))
  {
    return "shorter than a PNG signature";
  }
  constexpr uint32_t Max31 = 0x7fffffffu;
  constexpr uint32_t MaxAncillary = 8000000; // PNG_USER_CHUNK_MALLOC_MAX: any chunk but IDAT
  constexpr uint32_t MaxSide = 1000000;      // PNG_USER_WIDTH_MAX, PNG_USER_HEIGHT_MAX
  uint32_t           width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
  bool               haveHeader = false, havePalette = false;
  for (;;)
  {
    unsigned char header[8];
    if (!stream.read(reinterpret_cast<char *>(header), 8))
    {
      return "cut short before its image data";
    }
    const uint32_t    length = BigEndian32(header);
    const std::string type(reinterpret_cast<const char *>(header) + 4, 4);
    if (length > Max31)
    {
      return "chunk length out of range";
    }
    if (!std::all_of(type.begin(), type.end(), [](unsigned char c) { return std::isalpha(c) != 0; }))
    {
      return "damaged chunk structure";
    }
    if (!haveHeader && type != "IHDR")
    {
      return "no IHDR chunk first";
    }
    if (type == "IDAT")
    {
      if (colour == 3 && !havePalette)
      {
        return "palette image without a PLTE chunk";
      }
      // libpng's limit on the length of an IDAT chunk (png_check_chunk_length).
      const uint64_t channels = colour == 2 ? 3 : (colour == 4 ? 2 : (colour == 6 ? 4 : 1));
      uint64_t       rowFactor = uint64_t{ width } * channels * (depth > 8 ? 2 : 1) + 1 + (interlace ? 6 : 0);
      uint64_t       limit = uint64_t{ height } * rowFactor;
      rowFactor = std::min<uint64_t>(rowFactor, 32566);
      limit += 6 + 5 * (limit / rowFactor + 1);
      if (length > std::min<uint64_t>(std::max<uint64_t>(limit, MaxAncillary), Max31))
      {
        return "IDAT chunk longer than the image allows";
      }
      return ""; // png_read_info stops here
    }
    if (length > MaxAncillary)
    {
      return "chunk '" + type + "' of " + std::to_string(length) + " bytes";
    }
    std::vector<unsigned char> chunk(4 + size_t{ length } + 4);
    std::copy(header + 4, header + 8, chunk.begin());
    if (!stream.read(reinterpret_cast<char *>(chunk.data()) + 4, static_cast<std::streamsize>(length) + 4))
    {
      return "cut short in chunk '" + type + "'";
    }
    if (PNGChunkCRC(chunk.data(), 4 + size_t{ length }) != BigEndian32(chunk.data() + 4 + length))
    {
      return "CRC error in chunk '" + type + "'";
    }
    const unsigned char * data = chunk.data() + 4;
    if (type == "IHDR")
    {
      if (haveHeader)
      {
        return "two IHDR chunks";
      }
      if (length != 13)
      {
        return "IHDR chunk of the wrong length";
      }
      width = BigEndian32(data);
      height = BigEndian32(data + 4);
      depth = data[8];
      colour = data[9];
      interlace = data[12];
      const bool depthOk = (colour == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                           (colour == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                           ((colour == 2 || colour == 4 || colour == 6) && (depth == 8 || depth == 16));
      if (width == 0 || height == 0 || width > MaxSide || height > MaxSide || !depthOk || data[10] != 0 ||
          data[11] != 0 || interlace > 1)
      {
        return "invalid IHDR chunk (" + std::to_string(width) + " x " + std::to_string(height) + ", bit depth " +
               std::to_string(depth) + ", colour type " + std::to_string(colour) + ")";
      }
      haveHeader = true;
    }
    else if (type == "PLTE")
    {
      if (havePalette)
      {
        return "two PLTE chunks";
      }
      if (colour == 3 && (length == 0 || length % 3 != 0 || length > 3 * 256))
      {
        return "invalid PLTE chunk";
      }
      havePalette = true;
    }
    else if (type == "IEND")
    {
      return "no image data (IEND before IDAT)";
    }
    else if (std::isupper(static_cast<unsigned char>(type[0])))
    {
      return "unknown critical chunk '" + type + "'";
    }
  }
}

DetectorMaskImage::Pointer
ReadImageMask(const std::string & fileName, MaskFormat format, unsigned int expectedWidth, unsigned int expectedHeight,
              bool nonZeroMeansExcluded)
{
  const char *              formatName = format == MaskFormat::PNG ? "PNG" : "TIFF";
  itk::ImageIOBase::Pointer io;
  if (format == MaskFormat::PNG)
  {
    io = itk::PNGImageIO::New();
  }
  else
  {
    io = itk::TIFFImageIO::New();
  }
  // PNGImageIO::ReadImageInformation returns quietly on a non-PNG file: the
  // signature must be checked first. (TIFFImageIO::CanReadFile can throw.)
  bool canRead = false;
  try
  {
    canRead = io->CanReadFile(fileName.c_str());
  }
  catch (const itk::ExceptionObject & error)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' cannot be read as a " << formatName
                             << " image: " << error.GetDescription());
  }
  if (!canRead)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' cannot be read as a " << formatName << " image (not a "
                             << formatName << " file, damaged, or not readable)");
  }
  if (format == MaskFormat::PNG)
  {
    const std::string problem = PNGHeaderProblem(fileName);
    if (!problem.empty())
    {
      itkGenericExceptionMacro(<< Where << "'" << fileName << "' cannot be read as a PNG image: " << problem
                               << " (damaged or truncated?)");
    }
  }
  using ReadImage = itk::VectorImage<double, 2>;
  auto reader = itk::ImageFileReader<ReadImage>::New();
  reader->SetFileName(fileName);
  reader->SetImageIO(io);
  try
  {
    reader->UpdateOutputInformation();
  }
  catch (const itk::ExceptionObject & error)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' cannot be read as a " << formatName
                             << " image: " << error.GetDescription());
  }

  // ITK would silently read the first page of a stack into a 2-D image.
  itk::SizeValueType pages = 1;
  for (unsigned int d = 2; d < io->GetNumberOfDimensions(); ++d)
  {
    pages *= io->GetDimensions(d);
  }
  const itk::SizeValueType width = io->GetDimensions(0);
  const itk::SizeValueType height = io->GetNumberOfDimensions() > 1 ? io->GetDimensions(1) : 1;
  if (pages != 1)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' holds " << pages << " images (pages) of " << width
                             << " x " << height << " pixels; expected a single 2-D mask image");
  }
  const unsigned int components = io->GetNumberOfComponents();
  if (components < 1 || components > 4)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' has " << components
                             << " components per pixel; expected a greyscale mask (one value per pixel)");
  }
  CheckShape(fileName, width, height, expectedWidth, expectedHeight, "");

  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & error)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' cannot be read as a " << formatName
                             << " image: " << error.GetDescription());
  }
  const ReadImage *        image = reader->GetOutput();
  const double *           buffer = image->GetBufferPointer();
  const itk::SizeValueType pixels = width * height;

  // Grey in disguise (R = G = B, constant alpha) is accepted; anything else
  // has no safe reading as a mask.
  const bool          hasColour = components >= 3;
  const bool          hasAlpha = components == 2 || components == 4;
  const char *        layout = components == 2 ? "grey + alpha" : (components == 3 ? "RGB" : "RGBA");
  std::vector<double> grey;
  if (components > 1)
  {
    grey.resize(pixels);
    for (itk::SizeValueType p = 0; p < pixels; ++p)
    {
      const double * pixel = buffer + p * components;
      if (hasColour && !(Same(pixel[0], pixel[1]) && Same(pixel[0], pixel[2])))
      {
        itkGenericExceptionMacro(<< Where << "'" << fileName << "' is a colour image (" << layout
                                 << "): pixel (kx, ky) = (" << p % width << ", " << p / width << ") is (" << pixel[0]
                                 << ", " << pixel[1] << ", " << pixel[2]
                                 << "); expected a greyscale mask. Save the mask array itself (e.g. a uint8 "
                                    "array with imageio, tifffile or PIL), not a colour-mapped picture of it");
      }
      if (hasAlpha && !Same(pixel[components - 1], buffer[components - 1]))
      {
        itkGenericExceptionMacro(<< Where << "'" << fileName << "' has an alpha channel (" << layout
                                 << ") that varies: " << buffer[components - 1] << " at pixel (0, 0), "
                                 << pixel[components - 1] << " at pixel (kx, ky) = (" << p % width << ", " << p / width
                                 << "); transparency has no meaning in a mask: expected a greyscale mask "
                                    "without alpha");
      }
      grey[p] = pixel[0];
    }
    buffer = grey.data();
  }

  auto mask = AllocateMask(width, height);
  FlagsFromNumbers(fileName, buffer, width, pixels, mask->GetBufferPointer(), nonZeroMeansExcluded);
  return mask;
}

// ====================================================================== HDF5

[[noreturn]] void
FailHDF5(const std::string & fileName, const std::string & what)
{
  itkGenericExceptionMacro(<< Where << "HDF5 error while " << what << " in '" << fileName << "': " << TakeHDF5Errors());
}

std::vector<DatasetInfo>
ListAllDatasets(hid_t file, const std::string & fileName)
{
  try
  {
    return hdf5::ListDatasets(file, FileContext(fileName));
  }
  catch (const itk::ExceptionObject & error)
  {
    // Same failure, told as this function's (the helper names its own class).
    std::string       description = error.GetDescription();
    const std::string prefix = "HDF5DatasetImageIO: ";
    const auto        at = description.find(prefix);
    if (at != std::string::npos)
    {
      description.erase(0, at + prefix.size());
    }
    itkGenericExceptionMacro(<< Where << description);
  }
}

std::vector<DatasetInfo>
TwoDOnly(const std::vector<DatasetInfo> & datasets)
{
  std::vector<DatasetInfo> twoD;
  std::copy_if(datasets.begin(), datasets.end(), std::back_inserter(twoD), [](const DatasetInfo & d) {
    return d.shape.size() == 2;
  });
  return twoD;
}

DetectorMaskImage::Pointer
ReadHDF5Mask(const MaskSource & source, unsigned int expectedWidth, unsigned int expectedHeight,
             bool nonZeroMeansExcluded)
{
  const ErrorPrintingOff silence;
  const std::string &    fileName = source.file;

  const htri_t isHDF5 = H5Fis_hdf5(fileName.c_str());
  if (isHDF5 == 0)
  {
    H5Eclear2(H5E_DEFAULT);
    itkGenericExceptionMacro(<< Where << "'" << fileName
                             << "' is not an HDF5 file (no HDF5 signature); expected an HDF5 file with a 2-D mask "
                                "dataset [Ky, Kx]");
  }
  if (isHDF5 < 0)
  {
    FailHDF5(fileName, "checking for the HDF5 signature");
  }
  const FileHandle file(H5Fopen(fileName.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName
                             << "' has an HDF5 signature but cannot be opened (damaged or truncated?): "
                             << TakeHDF5Errors());
  }

  // ---- which dataset
  const std::vector<DatasetInfo> all = ListAllDatasets(file.Get(), fileName);
  const std::vector<DatasetInfo> twoD = TwoDOnly(all);
  std::string                    path;
  if (source.datasetPath.empty())
  {
    if (twoD.empty())
    {
      itkGenericExceptionMacro(<< Where << "'" << fileName
                               << "' has no 2-D dataset; expected a mask dataset [Ky, Kx]. Datasets in the file: "
                               << hdf5::ListText(all));
    }
    if (twoD.size() > 1)
    {
      itkGenericExceptionMacro(<< Where << "'" << fileName << "' has " << twoD.size() << " 2-D datasets: "
                               << hdf5::ListText(twoD) << "; name the mask as '" << fileName << ":/path/to/dataset'");
    }
    path = twoD.front().path;
  }
  else
  {
    path = hdf5::NormalizePath(source.datasetPath);
    if (!hdf5::PathExists(file.Get(), path))
    {
      itkGenericExceptionMacro(<< Where << "'" << fileName << "' has no object '" << path
                               << "'; expected the path of a 2-D mask dataset [Ky, Kx]. 2-D datasets in the file: "
                               << hdf5::ListText(twoD));
    }
    const ObjectHandle object(H5Oopen(file.Get(), path.c_str(), H5P_DEFAULT));
    if (!object)
    {
      FailHDF5(fileName, "opening '" + path + "'");
    }
    const H5I_type_t type = H5Iget_type(object.Get());
    if (type != H5I_DATASET)
    {
      itkGenericExceptionMacro(<< Where << "'" << path << "' in '" << fileName << "' is "
                               << (type == H5I_GROUP ? "a group" : "not a dataset")
                               << "; expected a 2-D mask dataset [Ky, Kx]. 2-D datasets in the file: "
                               << hdf5::ListText(twoD));
    }
  }
  const std::string name = fileName + ":" + path;

  // ---- its shape and type
  const DatasetHandle dataset(H5Dopen2(file.Get(), path.c_str(), H5P_DEFAULT));
  if (!dataset)
  {
    FailHDF5(fileName, "opening dataset '" + path + "'");
  }
  const DataspaceHandle space(H5Dget_space(dataset.Get()));
  const int             rank = space ? H5Sget_simple_extent_ndims(space.Get()) : -1;
  if (rank < 0)
  {
    FailHDF5(fileName, "reading the shape of dataset '" + path + "'");
  }
  std::vector<hsize_t> shape(static_cast<size_t>(rank));
  if (rank > 0)
  {
    H5Sget_simple_extent_dims(space.Get(), shape.data(), nullptr);
  }
  if (rank != 2)
  {
    itkGenericExceptionMacro(<< Where << "dataset '" << path << "' in '" << fileName << "' has shape "
                             << hdf5::ShapeText(shape) << " (" << (rank == 0 ? "a scalar" : std::to_string(rank) + "-D")
                             << "); expected a 2-D mask dataset [Ky, Kx]");
  }
  const auto height = static_cast<itk::SizeValueType>(shape[0]);
  const auto width = static_cast<itk::SizeValueType>(shape[1]);
  CheckShape(name, width, height, expectedWidth, expectedHeight, "; dataset shape " + hdf5::ShapeText(shape));

  const TypeHandle fileType(H5Dget_type(dataset.Get()));
  if (!fileType)
  {
    FailHDF5(fileName, "reading the type of dataset '" + path + "'");
  }
  const H5T_class_t        typeClass = H5Tget_class(fileType.Get());
  const itk::SizeValueType pixels = width * height;
  auto                     mask = AllocateMask(width, height);
  unsigned char *          flags = mask->GetBufferPointer();
  if (typeClass == H5T_FLOAT)
  {
    // Every float (16, 32, 64 bit, either byte order) converts to double exactly.
    std::vector<double> values(pixels);
    if (H5Dread(dataset.Get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    {
      FailHDF5(fileName, "reading dataset '" + path + "'");
    }
    FlagsFromNumbers(name, values.data(), width, pixels, flags, nonZeroMeansExcluded);
  }
  else if (typeClass == H5T_INTEGER || typeClass == H5T_ENUM)
  {
    // Read in the native version of the stored type (for an enum, the same
    // enum over a native integer: HDF5 converts enums only to enums) and test
    // the bytes: an integer is zero exactly when all its bytes are.
    const TypeHandle memoryType(H5Tget_native_type(fileType.Get(), H5T_DIR_ASCEND));
    if (!memoryType)
    {
      FailHDF5(fileName, "finding the native type of dataset '" + path + "'");
    }
    const size_t               size = H5Tget_size(memoryType.Get());
    std::vector<unsigned char> bytes(pixels * size);
    if (H5Dread(dataset.Get(), memoryType.Get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
    {
      FailHDF5(fileName, "reading dataset '" + path + "'");
    }
    for (itk::SizeValueType p = 0; p < pixels; ++p)
    {
      const unsigned char * value = bytes.data() + p * size;
      flags[p] = std::any_of(value, value + size, [](unsigned char b) { return b != 0; }) ? 1 : 0;
    }
  }
  else
  {
    itkGenericExceptionMacro(<< Where << "dataset '" << path << "' in '" << fileName << "' holds "
                             << hdf5::TypeName(fileType.Get())
                             << " values; expected integer, float or enum (e.g. h5py's bool) values");
  }
  return mask;
}
} // namespace

DetectorMaskImage::Pointer
ReadDetectorMask(const std::string & fileName, unsigned int expectedWidth, unsigned int expectedHeight,
                 bool nonZeroMeansExcluded)
{
  if (fileName.empty())
  {
    itkGenericExceptionMacro(<< Where << "no file name given; expected a mask file: " << SupportedText);
  }
  const MaskSource  source = SplitName(fileName);
  const std::string extension = LowerCaseExtension(source.file);
  const MaskFormat  format = FormatOf(extension);
  if (format == MaskFormat::Unknown)
  {
    itkGenericExceptionMacro(<< Where << "'" << fileName << "' has "
                             << (extension.empty() ? std::string("no extension")
                                                   : "the unsupported extension '" + extension + "'")
                             << "; expected " << SupportedText);
  }
  std::error_code error;
  if (!fs::exists(source.file, error))
  {
    itkGenericExceptionMacro(<< Where << "mask file '" << source.file << "' does not exist");
  }
  if (fs::is_directory(source.file, error))
  {
    itkGenericExceptionMacro(<< Where << "'" << source.file << "' is a directory; expected a mask file");
  }

  DetectorMaskImage::Pointer mask;
  std::string                name = fileName;
  if (format == MaskFormat::HDF5)
  {
    mask = ReadHDF5Mask(source, expectedWidth, expectedHeight, nonZeroMeansExcluded);
  }
  else
  {
    mask = ReadImageMask(source.file, format, expectedWidth, expectedHeight, nonZeroMeansExcluded);
  }

  // Here the mask holds "non-zero" flags: turn them into "excluded" flags.
  unsigned char *          flags = mask->GetBufferPointer();
  const itk::SizeValueType pixels = mask->GetBufferedRegion().GetNumberOfPixels();
  itk::SizeValueType       excluded = 0;
  for (itk::SizeValueType p = 0; p < pixels; ++p)
  {
    flags[p] = (flags[p] != 0) == nonZeroMeansExcluded ? 1 : 0;
    excluded += flags[p];
  }
  if (excluded == pixels)
  {
    itkGenericExceptionMacro(<< Where << "'" << name << "' excludes all " << pixels << " pixels (every value is "
                             << (nonZeroMeansExcluded ? "non-zero" : "zero") << ", read as "
                             << ConventionText(nonZeroMeansExcluded)
                             << "): nothing would be left to integrate. Is the mask in the other convention? Then "
                                "pass nonZeroMeansExcluded = "
                             << (nonZeroMeansExcluded ? "false" : "true"));
  }
  return mask;
}
} // namespace stempdf
