// Tests of stempdf::ReadDetectorMask.
//
// Every file is made at run time in a temporary folder: images with ITK's
// writers (PNGImageIO / TIFFImageIO set explicitly, as the project registers
// no IO factories) and, to check the row order independently of ITK, TIFFs
// assembled byte by byte; HDF5 files with the HDF5 C API as h5py writes a
// NumPy array m[ky, kx] (C order, bool as an enum over int8).
//
// The detector is 7 x 5 (Kx x Ky) with an asymmetric pattern: a flip of
// either axis or a transpose cannot read back as the same mask.
//
// No Eigen header here (nor a project header including one): ITK's IO
// headers bring ITK's own Eigen 3.3.

#include "stempdfDetectorMaskIO.h"
#include "stempdfImageTypes.h"

#include "itkImageFileWriter.h"
#include "itkPNGImageIO.h"
#include "itkRGBAPixel.h"
#include "itkRGBPixel.h"
#include "itkTIFFImageIO.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFolder.h"
#include "stempdfTestingHDF5.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace
{
namespace fs = std::filesystem;
using stempdf::DetectorMaskImage;
using stempdf::ReadDetectorMask;

// ---------------------------------------------------------------- the pattern

constexpr unsigned int Kx = 7;
constexpr unsigned int Ky = 5;
constexpr unsigned int Pixels = Kx * Ky;

/** Row ky of the detector, kx left to right: 'X' = excluded. */
constexpr std::array<const char *, Ky> Pattern{ {
  "X......", // ky = 0
  "XX...X.", // ky = 1
  "..X....", // ky = 2
  "...X..X", // ky = 3
  "....XXX", // ky = 4
} };

bool
Excluded(unsigned int kx, unsigned int ky)
{
  return Pattern[ky][kx] == 'X';
}

/** Expects `mask` to be Kx x Ky with pixel (kx, ky) = Excluded(kx, ky) (or
 *  its inverse), as 1/0, with unit spacing and zero origin. */
void
ExpectPattern(const DetectorMaskImage * mask, bool inverted = false)
{
  ASSERT_NE(mask, nullptr);
  const auto region = mask->GetBufferedRegion();
  ASSERT_EQ(region.GetSize(0), Kx);
  ASSERT_EQ(region.GetSize(1), Ky);
  EXPECT_EQ(region.GetIndex(0), 0);
  EXPECT_EQ(region.GetIndex(1), 0);
  EXPECT_EQ(mask->GetSpacing()[0], 1.0);
  EXPECT_EQ(mask->GetSpacing()[1], 1.0);
  EXPECT_EQ(mask->GetOrigin()[0], 0.0);
  EXPECT_EQ(mask->GetOrigin()[1], 0.0);
  unsigned int mismatches = 0;
  for (unsigned int ky = 0; ky < Ky; ++ky)
  {
    for (unsigned int kx = 0; kx < Kx; ++kx)
    {
      const unsigned int expected = Excluded(kx, ky) != inverted ? 1 : 0;
      const unsigned int got = mask->GetPixel({ { kx, ky } });
      if (got != expected && mismatches++ < 5)
      {
        ADD_FAILURE() << "pixel (kx, ky) = (" << kx << ", " << ky << "): got " << got << ", expected " << expected;
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

/** The pattern as a C-order array [ky][kx] of `excludedValue` / `goodValue`. */
template <typename T>
std::vector<T>
PatternValues(T excludedValue, T goodValue)
{
  std::vector<T> values(Pixels);
  for (unsigned int ky = 0; ky < Ky; ++ky)
  {
    for (unsigned int kx = 0; kx < Kx; ++kx)
    {
      values[ky * Kx + kx] = Excluded(kx, ky) ? excludedValue : goodValue;
    }
  }
  return values;
}

// ---------------------------------------------------------------- writing images with ITK

template <typename TPixel, unsigned int VDimension = 2>
void
WriteImage(const std::string & fileName, itk::ImageIOBase * io, const std::vector<TPixel> & values,
           unsigned int width = Kx, unsigned int height = Ky, unsigned int pages = 1)
{
  using ImageType = itk::Image<TPixel, VDimension>;
  auto                           image = ImageType::New();
  typename ImageType::RegionType region;
  typename ImageType::SizeType   size;
  size.Fill(1);
  size[0] = width;
  size[1] = height;
  if constexpr (VDimension > 2)
  {
    size[2] = pages;
  }
  region.SetSize(size);
  image->SetRegions(region);
  image->Allocate();
  if (values.size() != region.GetNumberOfPixels())
  {
    throw std::logic_error("WriteImage: wrong number of values");
  }
  std::copy(values.begin(), values.end(), image->GetBufferPointer());
  auto writer = itk::ImageFileWriter<ImageType>::New();
  writer->SetFileName(fileName);
  writer->SetImageIO(io);
  writer->SetInput(image);
  writer->Update();
}

template <typename TPixel>
void
WritePatternImage(const std::string & fileName, itk::ImageIOBase * io, TPixel excludedValue, TPixel goodValue)
{
  WriteImage<TPixel>(fileName, io, PatternValues<TPixel>(excludedValue, goodValue));
}

// ---------------------------------------------------------------- TIFFs byte by byte

void
Put16(std::vector<uint8_t> & bytes, uint16_t value)
{
  bytes.push_back(static_cast<uint8_t>(value & 0xff));
  bytes.push_back(static_cast<uint8_t>(value >> 8));
}

void
Put32(std::vector<uint8_t> & bytes, uint32_t value)
{
  for (int shift = 0; shift < 32; shift += 8)
  {
    bytes.push_back(static_cast<uint8_t>((value >> shift) & 0xff));
  }
}

/** A minimal baseline TIFF (little-endian, uncompressed, one strip, grey
 *  BlackIsZero) of the pattern, rows in file order ky = 0, 1, ...: 8 bits per
 *  pixel (255 = excluded) or 1 bit per pixel (1 = excluded, rows padded to a
 *  byte, most significant bit first), as libtiff-based writers store them. */
void
WriteHandMadeTIFF(const std::string & fileName, unsigned int bitsPerSample)
{
  std::vector<uint8_t> pixels;
  for (unsigned int ky = 0; ky < Ky; ++ky)
  {
    if (bitsPerSample == 8)
    {
      for (unsigned int kx = 0; kx < Kx; ++kx)
      {
        pixels.push_back(Excluded(kx, ky) ? 255 : 0);
      }
    }
    else
    {
      uint8_t packed = 0;
      for (unsigned int kx = 0; kx < Kx; ++kx)
      {
        packed |= static_cast<uint8_t>(Excluded(kx, ky) ? 0x80u >> kx : 0u);
      }
      pixels.push_back(packed); // Kx = 7 < 8: one byte per row
    }
  }
  struct Entry
  {
    uint16_t tag, type;
    uint32_t count, value;
  };
  constexpr uint16_t       Short = 3, Long = 4;
  const std::vector<Entry> entries{
    { 256, Long, 1, Kx },                                   // ImageWidth
    { 257, Long, 1, Ky },                                   // ImageLength
    { 258, Short, 1, bitsPerSample },                       // BitsPerSample
    { 259, Short, 1, 1 },                                   // Compression: none
    { 262, Short, 1, 1 },                                   // Photometric: BlackIsZero
    { 273, Long, 1, 0 },                                    // StripOffsets (set below)
    { 277, Short, 1, 1 },                                   // SamplesPerPixel
    { 278, Long, 1, Ky },                                   // RowsPerStrip
    { 279, Long, 1, static_cast<uint32_t>(pixels.size()) }, // StripByteCounts
    { 284, Short, 1, 1 },                                   // PlanarConfiguration: contiguous
  };
  const uint32_t       dataOffset = 8 + 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
  std::vector<uint8_t> bytes{ 'I', 'I', 42, 0 };
  Put32(bytes, 8); // first IFD
  Put16(bytes, static_cast<uint16_t>(entries.size()));
  for (const auto & entry : entries)
  {
    Put16(bytes, entry.tag);
    Put16(bytes, entry.type);
    Put32(bytes, entry.count);
    const uint32_t value = entry.tag == 273 ? dataOffset : entry.value;
    if (entry.type == Short)
    {
      Put16(bytes, static_cast<uint16_t>(value)); // left-justified in the 4-byte field
      Put16(bytes, 0);
    }
    else
    {
      Put32(bytes, value);
    }
  }
  Put32(bytes, 0); // no next IFD
  bytes.insert(bytes.end(), pixels.begin(), pixels.end());
  std::ofstream file(fileName, std::ios::binary);
  file.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// ---------------------------------------------------------------- HDF5 with the C API

using stempdf::testing::CreateFile;
using stempdf::testing::CreateGroup;
using stempdf::testing::Id;
using stempdf::testing::NativeType;
using stempdf::testing::Ok;

/** A dataset of `shape` holding `values` (C order), stored as `fileType`
 *  (default: T's native type) and written from memory type `memoryType`
 *  (default: T's native type). */
template <typename T>
void
WriteDataset(hid_t location, const std::string & name, const std::vector<hsize_t> & shape,
             const std::vector<T> & values, hid_t fileType = -1, hid_t memoryType = -1)
{
  Id space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose);
  Id dataset(
    H5Dcreate2(
      location, name.c_str(), fileType >= 0 ? fileType : NativeType<T>(), space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
    H5Dclose);
  if (!values.empty())
  {
    Ok(H5Dwrite(dataset, memoryType >= 0 ? memoryType : NativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
  }
}

/** h5py's bool: an HDF5 enum over int8 with FALSE = 0 and TRUE = 1. */
Id
H5pyBoolType()
{
  Id           type(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
  const int8_t no = 0, yes = 1;
  Ok(H5Tenum_insert(type, "FALSE", &no));
  Ok(H5Tenum_insert(type, "TRUE", &yes));
  return Id(H5Tcopy(type), H5Tclose);
}

void
WriteBoolDataset(hid_t location, const std::string & name, const std::vector<int8_t> & values)
{
  Id boolType = H5pyBoolType();
  WriteDataset<int8_t>(location, name, { Ky, Kx }, values, boolType, boolType);
}

/** A (Ky, Kx) = (5, 7) dataset of the pattern, as h5py writes m[ky, kx]. */
template <typename T>
void
WritePatternDataset(hid_t location, const std::string & name, T excludedValue, T goodValue, hid_t fileType = -1)
{
  WriteDataset<T>(location, name, { Ky, Kx }, PatternValues<T>(excludedValue, goodValue), fileType);
}

// ---------------------------------------------------------------- fixture and errors

using DetectorMaskIOTest = stempdf::testing::TemporaryFolderTest;

using stempdf::testing::ExpectError;

std::string
ReadError(const std::string & fileName, const std::vector<std::string> & parts)
{
  return ExpectError([&]() { ReadDetectorMask(fileName); }, parts);
}

void
WriteText(const std::string & fileName, const std::string & text)
{
  std::ofstream(fileName, std::ios::binary) << text;
}

// ================================================================ images

TEST_F(DetectorMaskIOTest, ReadsAnEightBitPNGWithoutFlipOrTranspose)
{
  const std::string name = Path("mask.png");
  WritePatternImage<uint8_t>(name, itk::PNGImageIO::New(), 255, 0);
  ExpectPattern(ReadDetectorMask(name));
  ExpectPattern(ReadDetectorMask(name, Kx, Ky)); // the expected shape passes
}

TEST_F(DetectorMaskIOTest, ReadsASixteenBitPNGWithoutCuttingTo8Bits)
{
  // 256 has a zero low byte: a cast to 8 bits would lose those pixels.
  const std::string name = Path("mask16.png");
  WritePatternImage<uint16_t>(name, itk::PNGImageIO::New(), 256, 0);
  ExpectPattern(ReadDetectorMask(name));
}

TEST_F(DetectorMaskIOTest, ReadsTIFFsOfEightSixteenBitsAndFloat)
{
  const std::string name8 = Path("mask8.tif");
  const std::string name16 = Path("mask16.tiff");
  const std::string nameFloat = Path("maskf.tif");
  WritePatternImage<uint8_t>(name8, itk::TIFFImageIO::New(), 1, 0);
  WritePatternImage<uint16_t>(name16, itk::TIFFImageIO::New(), 512, 0);
  WritePatternImage<float>(nameFloat, itk::TIFFImageIO::New(), 0.25f, 0.0f);
  ExpectPattern(ReadDetectorMask(name8));
  ExpectPattern(ReadDetectorMask(name16));
  ExpectPattern(ReadDetectorMask(nameFloat));
  // Negative values are non-zero too.
  WritePatternImage<float>(nameFloat, itk::TIFFImageIO::New(), -1.0f, 0.0f);
  ExpectPattern(ReadDetectorMask(nameFloat));
}

TEST_F(DetectorMaskIOTest, FileRowZeroIsDetectorRowZeroInAHandMadeTIFF)
{
  // Not written by ITK: the row order is the file's own, so ITK's reader
  // cannot hide a flip that its writer would undo.
  const std::string name = Path("handmade.tif");
  WriteHandMadeTIFF(name, 8);
  ExpectPattern(ReadDetectorMask(name));
}

TEST_F(DetectorMaskIOTest, ReadsAOneBitTIFF)
{
  const std::string name = Path("bilevel.tif");
  WriteHandMadeTIFF(name, 1);
  ExpectPattern(ReadDetectorMask(name));
}

TEST_F(DetectorMaskIOTest, ExtensionsAreCaseInsensitive)
{
  const std::string png = Path("MASK.PNG");
  const std::string tiff = Path("Mask.TiFf");
  WritePatternImage<uint8_t>(png, itk::PNGImageIO::New(), 255, 0);
  WritePatternImage<uint8_t>(tiff, itk::TIFFImageIO::New(), 255, 0);
  ExpectPattern(ReadDetectorMask(png));
  ExpectPattern(ReadDetectorMask(tiff));
}

TEST_F(DetectorMaskIOTest, AcceptsGreyStoredAsColourWithConstantAlpha)
{
  // As matplotlib's imsave(cmap="gray") writes: RGBA, R = G = B, opaque.
  using RGBA = itk::RGBAPixel<uint8_t>;
  std::vector<RGBA> rgba(Pixels);
  const auto        grey = PatternValues<uint8_t>(255, 0);
  for (unsigned int p = 0; p < Pixels; ++p)
  {
    rgba[p].Set(grey[p], grey[p], grey[p], 255);
  }
  const std::string rgbaName = Path("grey-rgba.png");
  WriteImage<RGBA>(rgbaName, itk::PNGImageIO::New(), rgba);
  ExpectPattern(ReadDetectorMask(rgbaName));

  using RGB = itk::RGBPixel<uint8_t>;
  std::vector<RGB> rgb(Pixels);
  for (unsigned int p = 0; p < Pixels; ++p)
  {
    rgb[p].Set(grey[p], grey[p], grey[p]);
  }
  const std::string rgbName = Path("grey-rgb.tif");
  WriteImage<RGB>(rgbName, itk::TIFFImageIO::New(), rgb);
  ExpectPattern(ReadDetectorMask(rgbName));
}

TEST_F(DetectorMaskIOTest, RefusesColourAndVaryingAlpha)
{
  using RGB = itk::RGBPixel<uint8_t>;
  std::vector<RGB> rgb(Pixels);
  for (auto & pixel : rgb)
  {
    pixel.Set(68, 1, 84); // viridis(0): a zero drawn as a colour
  }
  rgb[3].Set(253, 231, 37);
  const std::string colour = Path("viridis.png");
  WriteImage<RGB>(colour, itk::PNGImageIO::New(), rgb);
  ReadError(colour, { "viridis.png", "colour image (RGB)", "(68, 1, 84)", "expected a greyscale mask" });

  using RGBA = itk::RGBAPixel<uint8_t>;
  std::vector<RGBA> rgba(Pixels);
  for (auto & pixel : rgba)
  {
    pixel.Set(0, 0, 0, 0);
  }
  rgba[8].Set(0, 0, 0, 255); // a black stroke on a transparent layer
  const std::string transparent = Path("stroke.png");
  WriteImage<RGBA>(transparent, itk::PNGImageIO::New(), rgba);
  ReadError(transparent, { "stroke.png", "alpha channel (RGBA) that varies", "(kx, ky) = (1, 1)" });
}

TEST_F(DetectorMaskIOTest, RefusesAMultiPageTIFF)
{
  const std::string    name = Path("stack.tif");
  std::vector<uint8_t> values(Pixels * 3, 0);
  values[0] = 1;
  WriteImage<uint8_t, 3>(name, itk::TIFFImageIO::New(), values, Kx, Ky, 3);
  ReadError(name, { "stack.tif", "3 images (pages) of 7 x 5 pixels", "expected a single 2-D mask image" });
}

TEST_F(DetectorMaskIOTest, RefusesNaNInAFloatTIFF)
{
  const std::string name = Path("nan.tif");
  auto              values = PatternValues<float>(1.0f, 0.0f);
  values[2 * Kx + 4] = std::numeric_limits<float>::quiet_NaN();
  WriteImage<float>(name, itk::TIFFImageIO::New(), values);
  ReadError(name, { "nan.tif", "1 NaN value,", "(kx, ky) = (4, 2)" });
}

// ================================================================ HDF5

TEST_F(DetectorMaskIOTest, ReadsTheOnlyTwoDDatasetOfUint8Float32AndBool)
{
  {
    const std::string name = Path("uint8.h5");
    Id                file = CreateFile(name);
    Id                group = CreateGroup(file, "/processing/masks");
    WritePatternDataset<uint8_t>(group, "bad_pixels", 1, 0);
    // Datasets of other ranks do not count.
    WriteDataset<double>(file, "energy", { 2 }, { 300.0, 1.0 });
    WriteDataset<uint16_t>(file, "frames", { 2, Ky, Kx }, std::vector<uint16_t>(2 * Pixels, 7));
  }
  {
    Id file = CreateFile(Path("float32.h5"));
    WritePatternDataset<float>(file, "mask", 0.5f, 0.0f);
  }
  {
    Id file = CreateFile(Path("bool.hdf5"));
    WriteBoolDataset(file, "mask", PatternValues<int8_t>(1, 0));
  }
  ExpectPattern(ReadDetectorMask(Path("uint8.h5")));
  ExpectPattern(ReadDetectorMask(Path("float32.h5"), Kx, Ky));
  ExpectPattern(ReadDetectorMask(Path("bool.hdf5")));
}

TEST_F(DetectorMaskIOTest, ReadsOtherIntegerAndFloatTypesInEitherByteOrder)
{
  const std::string name = Path("types.emd");
  {
    Id file = CreateFile(name);
    WritePatternDataset<uint16_t>(file, "u16be", 256, 0, H5T_STD_U16BE); // zero low byte
    WritePatternDataset<int32_t>(file, "i32", -1, 0, H5T_STD_I32BE);
    WritePatternDataset<double>(file, "f64", 1e-300, 0.0, H5T_IEEE_F64BE);
    WritePatternDataset<double>(file, "negative_zero", 2.0, -0.0); // -0.0 is zero
  }
  ExpectPattern(ReadDetectorMask(name + ":/u16be"));
  ExpectPattern(ReadDetectorMask(name + ":/i32"));
  ExpectPattern(ReadDetectorMask(name + ":/f64"));
  ExpectPattern(ReadDetectorMask(name + ":/negative_zero"));
}

TEST_F(DetectorMaskIOTest, DatasetPathChoosesAmongSeveralAndTheirListIsTheError)
{
  const std::string name = Path("two.h5");
  {
    Id file = CreateFile(name);
    Id group = CreateGroup(file, "/calibration");
    WritePatternDataset<uint8_t>(group, "mask", 1, 0);
    WritePatternDataset<uint8_t>(file, "keep", 0, 1); // the inverse
  }
  ExpectPattern(ReadDetectorMask(name + ":/calibration/mask"));
  ExpectPattern(ReadDetectorMask(name + ":calibration//mask/")); // normalized
  ExpectPattern(ReadDetectorMask(name + ":/keep"), true);
  ReadError(name,
            { "two.h5", "2 2-D datasets", "/calibration/mask [5, 7] uint8", "/keep [5, 7] uint8", "two.h5:/path" });
}

TEST_F(DetectorMaskIOTest, AColonInAnExistingFileNameIsNotADatasetPath)
{
  const std::string name = Path("run:3.h5");
  {
    Id file = CreateFile(name);
    WritePatternDataset<uint8_t>(file, "mask", 1, 0);
  }
  ExpectPattern(ReadDetectorMask(name));
  ExpectPattern(ReadDetectorMask(name + ":/mask"));
}

// ================================================================ the convention

TEST_F(DetectorMaskIOTest, NonZeroMeansGoodInvertsTheMask)
{
  const std::string png = Path("good.png");
  WritePatternImage<uint8_t>(png, itk::PNGImageIO::New(), 0, 255); // 255 = good pixel
  ExpectPattern(ReadDetectorMask(png, 0, 0, false));
  ExpectPattern(ReadDetectorMask(png, 0, 0, true), true);

  const std::string h5 = Path("good.h5");
  {
    Id file = CreateFile(h5);
    WriteBoolDataset(file, "mask", PatternValues<int8_t>(0, 1)); // py4DSTEM-style: True = use
  }
  ExpectPattern(ReadDetectorMask(h5, Kx, Ky, false));
  ExpectPattern(ReadDetectorMask(h5, Kx, Ky, true), true);
}

// ================================================================ errors

TEST_F(DetectorMaskIOTest, RefusesAnEmptyNameAndUnknownExtensions)
{
  ReadError("", { "no file name given", ".png", ".h5" });
  const std::string bmp = Path("mask.bmp");
  WriteText(bmp, "BM");
  ReadError(bmp, { "mask.bmp", "unsupported extension '.bmp'", ".png, .tif, .tiff", ".h5, .hdf5, .emd" });
  const std::string bare = Path("mask");
  WriteText(bare, "x");
  ReadError(bare, { bare, "no extension", ".png, .tif, .tiff" });
  // A dataset path only goes with an HDF5 file.
  ReadError(Path("mask.png") + ":/data", { "mask.png:/data", "no extension" });
}

TEST_F(DetectorMaskIOTest, RefusesMissingFilesAndDirectories)
{
  ReadError(Path("missing.png"), { "missing.png", "does not exist" });
  ReadError(Path("missing.tif"), { "missing.tif", "does not exist" });
  ReadError(Path("missing.h5"), { "missing.h5", "does not exist" });
  ReadError(Path("missing.h5") + ":/mask", { "missing.h5'", "does not exist" });
  fs::create_directories(Path("folder.h5"));
  ReadError(Path("folder.h5"), { "folder.h5", "is a directory" });
}

TEST_F(DetectorMaskIOTest, RefusesFilesThatAreNotOfTheirFormat)
{
  WriteText(Path("text.png"), "this is not a PNG file at all");
  ReadError(Path("text.png"), { "text.png", "cannot be read as a PNG image" });

  // A real PNG cut short: the signature passes, the data do not.
  const std::string whole = Path("whole.png");
  WritePatternImage<uint8_t>(whole, itk::PNGImageIO::New(), 255, 0);
  const auto size = fs::file_size(whole);
  fs::copy_file(whole, Path("cut.png"));
  fs::resize_file(Path("cut.png"), size / 2);
  ReadError(Path("cut.png"), { "cut.png", "cannot be read as a PNG image" });

  WriteText(Path("text.tif"), "this is not a TIFF file at all");
  ReadError(Path("text.tif"), { "text.tif", "cannot be read as a TIFF image" });

  WriteText(Path("text.h5"), "this is not an HDF5 file at all");
  ReadError(Path("text.h5"), { "text.h5", "not an HDF5 file" });

  // An HDF5 file cut short: the signature passes, the file does not open.
  const std::string h5 = Path("whole.h5");
  {
    Id file = CreateFile(h5);
    WritePatternDataset<uint8_t>(file, "mask", 1, 0);
  }
  fs::copy_file(h5, Path("cut.h5"));
  fs::resize_file(Path("cut.h5"), 600);
  const std::string error = ReadError(Path("cut.h5"), { "cut.h5" });
  EXPECT_TRUE(error.find("cannot be opened") != std::string::npos || error.find("HDF5 error") != std::string::npos)
    << error;
}

/** Reads `fileName` expecting a clean outcome: the pattern or an exception
 *  naming the file. Returns true if it threw. (A libpng/libtiff abort would
 *  end the test binary, which is the failure this guards against.) */
bool
ReadsOrThrowsCleanly(const std::string & fileName)
{
  try
  {
    ReadDetectorMask(fileName);
    return false;
  }
  catch (const itk::ExceptionObject & error)
  {
    const std::string description = error.GetDescription();
    EXPECT_NE(description.find(fs::path(fileName).filename().string()), std::string::npos) << description;
    return true;
  }
}

std::vector<char>
FileBytes(const std::string & fileName)
{
  std::ifstream stream(fileName, std::ios::binary);
  return { std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>() };
}

void
WriteBytes(const std::string & fileName, const std::vector<char> & bytes, size_t count)
{
  std::ofstream(fileName, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(count));
}

TEST_F(DetectorMaskIOTest, NeverAbortsOnADamagedPNG)
{
  // ITK 5.2 reads a PNG's header chunks without a setjmp: libpng would
  // abort() the process (ParaView included) on a damaged one.
  const std::string whole = Path("whole.png");
  WritePatternImage<uint8_t>(whole, itk::PNGImageIO::New(), 255, 0);
  const std::vector<char> bytes = FileBytes(whole);
  const std::string       damaged = Path("damaged.png");
  for (size_t length = 0; length < bytes.size(); ++length)
  {
    WriteBytes(damaged, bytes, length);
    EXPECT_TRUE(ReadsOrThrowsCleanly(damaged)) << "cut to " << length << " of " << bytes.size() << " bytes";
  }
  unsigned int refused = 0;
  for (size_t at = 0; at < bytes.size(); ++at)
  {
    for (const unsigned char flip : { 0x01, 0x80 })
    {
      auto changed = bytes;
      changed[at] = static_cast<char>(changed[at] ^ flip);
      WriteBytes(damaged, changed, changed.size());
      refused += ReadsOrThrowsCleanly(damaged) ? 1 : 0;
    }
  }
  EXPECT_GT(refused, bytes.size()); // CRCs catch nearly every flip
  ExpectPattern(ReadDetectorMask(whole));
}

TEST_F(DetectorMaskIOTest, NeverAbortsOnATruncatedTIFF)
{
  const std::string whole = Path("whole.tif");
  WritePatternImage<uint8_t>(whole, itk::TIFFImageIO::New(), 255, 0);
  const std::vector<char> bytes = FileBytes(whole);
  const std::string       damaged = Path("damaged.tif");
  unsigned int            refused = 0;
  for (size_t length = 0; length < bytes.size(); ++length)
  {
    WriteBytes(damaged, bytes, length);
    refused += ReadsOrThrowsCleanly(damaged) ? 1 : 0;
  }
  EXPECT_GT(refused, 0u);
}

TEST_F(DetectorMaskIOTest, RefusesMissingPathsGroupsAndDatasetsThatAreNotTwoD)
{
  const std::string name = Path("layout.h5");
  {
    Id file = CreateFile(name);
    Id group = CreateGroup(file, "/entry/data");
    WriteDataset<uint16_t>(group, "frames", { 2, Ky, Kx }, std::vector<uint16_t>(2 * Pixels, 7));
    WriteDataset<uint8_t>(group, "row", { Kx }, std::vector<uint8_t>(Kx, 1));
    WritePatternDataset<uint8_t>(file, "mask", 1, 0);
  }
  ReadError(name + ":/entry/nothing",
            { "layout.h5", "no object '/entry/nothing'", "2-D datasets in the file: /mask [5, 7] uint8" });
  ReadError(name + ":/entry", { "'/entry' in '", "layout.h5", "is a group", "/mask [5, 7]" });
  ReadError(name + ":/entry/data/frames", { "layout.h5", "'/entry/data/frames'", "[2, 5, 7] (3-D)", "2-D" });
  ReadError(name + ":/entry/data/row", { "layout.h5", "[7] (1-D)" });
}

TEST_F(DetectorMaskIOTest, RefusesAFileWithoutATwoDDataset)
{
  const std::string name = Path("scan.h5");
  {
    Id file = CreateFile(name);
    WriteDataset<uint16_t>(file, "frames", { 2, Ky, Kx }, std::vector<uint16_t>(2 * Pixels, 7));
  }
  ReadError(name, { "scan.h5", "no 2-D dataset", "/frames [2, 5, 7] uint16" });
}

TEST_F(DetectorMaskIOTest, RefusesNonNumericAndEmptyDatasets)
{
  const std::string name = Path("odd.h5");
  {
    Id file = CreateFile(name);
    Id type(H5Tcopy(H5T_C_S1), H5Tclose);
    Ok(H5Tset_size(type, 4));
    WriteDataset<char>(file, "text", { Ky, Kx }, std::vector<char>(4 * Pixels, 'a'), type, type);
    WriteDataset<uint8_t>(file, "empty", { 0, Kx }, {});
  }
  ReadError(name + ":/text", { "odd.h5", "'/text'", "string values", "integer, float or enum" });
  ReadError(name + ":/empty", { "odd.h5:/empty", "is empty (7 x 0 pixels" });
}

TEST_F(DetectorMaskIOTest, RefusesNaNInAFloatDataset)
{
  const std::string name = Path("nan.h5");
  {
    Id   file = CreateFile(name);
    auto values = PatternValues<float>(1.0f, 0.0f);
    values[1 * Kx + 3] = std::numeric_limits<float>::quiet_NaN();
    values[4 * Kx + 0] = std::numeric_limits<float>::quiet_NaN();
    WriteDataset<float>(file, "mask", { Ky, Kx }, values);
  }
  ReadError(name, { "nan.h5", "2 NaN values", "(kx, ky) = (3, 1)" });
}

TEST_F(DetectorMaskIOTest, RefusesAMaskExcludingEveryPixel)
{
  const std::string png = Path("all.png");
  WriteImage<uint8_t>(png, itk::PNGImageIO::New(), std::vector<uint8_t>(Pixels, 255));
  ReadError(png, { "all.png", "excludes all 35 pixels", "nonZeroMeansExcluded = false" });
  // The same file read as "non-zero = good" keeps every pixel.
  const auto keepAll = ReadDetectorMask(png, 0, 0, false);
  EXPECT_EQ(std::count(keepAll->GetBufferPointer(), keepAll->GetBufferPointer() + Pixels, 0), Pixels);

  const std::string h5 = Path("none.h5");
  {
    Id file = CreateFile(h5);
    WriteBoolDataset(file, "mask", std::vector<int8_t>(Pixels, 0));
  }
  // All False read as "True = good" (py4DSTEM style) excludes everything.
  ExpectError([&]() { ReadDetectorMask(h5 + ":/mask", 0, 0, false); },
              { "none.h5", "excludes all 35 pixels", "every value is zero", "nonZeroMeansExcluded = true" });
  // A mask excluding nothing is fine.
  const auto none = ReadDetectorMask(h5);
  EXPECT_EQ(std::count(none->GetBufferPointer(), none->GetBufferPointer() + Pixels, 0), Pixels);
}

TEST_F(DetectorMaskIOTest, RefusesAnotherShapeNamingBoth)
{
  const std::string png = Path("mask.png");
  WritePatternImage<uint8_t>(png, itk::PNGImageIO::New(), 255, 0);
  ExpectError([&]() { ReadDetectorMask(png, 8, 5); }, { "mask.png", "is 7 x 5 pixels", "the 8 x 5 detector" });
  ExpectError([&]() { ReadDetectorMask(png, 5, 7); },
              { "mask.png", "is 7 x 5 pixels", "the 5 x 7 detector", "transposed" });
  const std::string notTransposed = ExpectError([&]() { ReadDetectorMask(png, 8, 5); }, { "8 x 5" });
  EXPECT_EQ(notTransposed.find("transposed"), std::string::npos);
  ExpectError([&]() { ReadDetectorMask(png, 9, 0); }, { "mask.png", "7 x 5", "9 pixels wide" });
  ExpectError([&]() { ReadDetectorMask(png, 0, 6); }, { "mask.png", "7 x 5", "6 pixels high" });
  ExpectPattern(ReadDetectorMask(png, Kx, 0));
  ExpectPattern(ReadDetectorMask(png, 0, Ky));

  const std::string h5 = Path("mask.h5");
  {
    Id file = CreateFile(h5);
    WritePatternDataset<uint8_t>(file, "mask", 1, 0);
  }
  ExpectError([&]() { ReadDetectorMask(h5, 256, 256); },
              { "mask.h5:/mask", "is 7 x 5 pixels", "dataset shape [5, 7]", "the 256 x 256 detector" });
}
} // namespace
