// Tests of stempdf::HDF5DatasetImageIO.
//
// Every file is made at run time in a temporary folder. Files in other
// software's layouts are built here with the HDF5 C API object by object as
// that software writes them; the source of truth for each is named next to
// the function that builds it (see also docs/format-hdf5.md):
//   - Berkeley EMD: ncempy's emd writer (EMD v0.2: root version_major 0 /
//     version_minor 2 as Python ints, data group emd_group_type = 1, "data",
//     dim1..dimN with "name"/"units" str attributes) and the EMD 0.1 spec at
//     emdatasets.com/emd-0-1 (units such as "[n_m]", dims may be shortened to
//     [offset, offset + step]);
//   - HyperSpy (rosettasciio rsciio/emd/_emd_ncem.py, EMD_NCEM.write_file):
//     the same, but the array transposed and version attributes as strings;
//   - py4DSTEM 0.12 (py4DSTEM/io/native/write/write.py, datastructure/
//     datacube.py save_datacube_group, native/metadata/h5rw.py);
//   - py4DSTEM 0.13 (py4DSTEM/io/native/write.py _write_new_file,
//     datastructure/emd/io.py Array_to_h5 / Metadata_to_h5);
//   - py4DSTEM >= 0.14 through emdfile 0.0.16 (emdfile/utils.py
//     _write_header, classes/node.py, array.py, metadata.py to_h5;
//     py4DSTEM/datacube/datacube.py, data/calibration.py).

#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfPatternFieldImageFileReader.h"
#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkMetaDataObject.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingFolder.h"
#include "stempdfTestingHDF5.h"
#include "stempdfTestingObjects.h"
#include "stempdfTestingSamples.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace
{
namespace fs = std::filesystem;
using stempdf::HDF5DatasetImageIO;

// ---------------------------------------------------------------- known contents

/** The test pattern: a value per (scan y, scan x, detector y, detector x)
 *  that differs between neighbours along every axis and, for the wider
 *  types, uses the high bits. */
template <typename T>
T
Value(size_t y, size_t x, size_t j, size_t i)
{
  const uint64_t v = y * 1009 + x * 131 + j * 17 + i * 3 + 1;
  if constexpr (std::is_floating_point_v<T>)
  {
    return static_cast<T>(v) * static_cast<T>(0.5) + static_cast<T>(0.125) * static_cast<T>(i % 3);
  }
  else if constexpr (sizeof(T) == 1)
  {
    return static_cast<T>(v % 251);
  }
  else if constexpr (std::is_signed_v<T>)
  {
    return static_cast<T>(static_cast<int64_t>(v % 30011) - 15000);
  }
  else if constexpr (sizeof(T) == 2)
  {
    return static_cast<T>((v * 37) % 65521);
  }
  else
  {
    return static_cast<T>(v * 2654435761u);
  }
}

/** The test pattern as a C-order array [ny, nx, ky, kx]. */
template <typename T>
std::vector<T>
Pattern(size_t ny, size_t nx, size_t ky, size_t kx)
{
  std::vector<T> values(ny * nx * ky * kx);
  size_t         n = 0;
  for (size_t y = 0; y < ny; ++y)
    for (size_t x = 0; x < nx; ++x)
      for (size_t j = 0; j < ky; ++j)
        for (size_t i = 0; i < kx; ++i)
          values[n++] = Value<T>(y, x, j, i);
  return values;
}

template <typename T>
typename stempdf::PatternFieldImage<T>::Pointer
MakeScan(unsigned int nx, unsigned int ny, unsigned int kx, unsigned int ky)
{
  auto image = stempdf::testing::MakeField<stempdf::PatternFieldImage<T>>(nx, ny, stempdf::MakeDetectorAxis(kx, ky));
  const auto values = Pattern<T>(ny, nx, ky, kx);
  std::copy(values.begin(), values.end(), image->GetBufferPointer());
  return image;
}

/** A writer of `scan` to `fileName` through `io` (a new HDF5DatasetImageIO
 *  when none is given), not updated yet. */
template <typename T>
typename itk::ImageFileWriter<stempdf::PatternFieldImage<T>>::Pointer
Writer(const stempdf::PatternFieldImage<T> * scan, const std::string & fileName, HDF5DatasetImageIO * io = nullptr)
{
  auto writer = itk::ImageFileWriter<stempdf::PatternFieldImage<T>>::New();
  writer->SetImageIO(io ? io : HDF5DatasetImageIO::New().GetPointer());
  writer->SetFileName(fileName);
  writer->SetInput(scan);
  return writer;
}

template <typename T>
typename stempdf::PatternFieldImage<T>::Pointer
ReadScan(const std::string & fileName, HDF5DatasetImageIO * io)
{
  auto reader = itk::ImageFileReader<stempdf::PatternFieldImage<T>>::New();
  reader->SetFileName(fileName);
  reader->SetImageIO(io);
  reader->Update();
  return reader->GetOutput();
}

/** Compares the buffered region of `image` with the test pattern. */
template <typename T>
void
ExpectPattern(const stempdf::PatternFieldImage<T> * image, size_t kx, size_t ky)
{
  const auto   region = image->GetBufferedRegion();
  const T *    buffer = image->GetBufferPointer();
  const size_t x0 = region.GetIndex(0);
  const size_t y0 = region.GetIndex(1);
  size_t       n = 0;
  size_t       mismatches = 0;
  for (size_t y = y0; y < y0 + region.GetSize(1); ++y)
    for (size_t x = x0; x < x0 + region.GetSize(0); ++x)
      for (size_t j = 0; j < ky; ++j)
        for (size_t i = 0; i < kx; ++i)
        {
          const T expected = Value<T>(y, x, j, i);
          if (std::memcmp(&buffer[n], &expected, sizeof(T)) != 0 && mismatches++ < 5)
          {
            ADD_FAILURE() << "pixel (x " << x << ", y " << y << ") component (" << i << ", " << j << "): got "
                          << +buffer[n] << ", expected " << +expected;
          }
          ++n;
        }
  EXPECT_EQ(mismatches, 0u);
}

double
DictionaryNumber(const itk::MetaDataDictionary & dictionary, const char * key)
{
  double value = -1.0;
  if (!itk::ExposeMetaData<double>(dictionary, key, value))
  {
    return -1.0; // absent
  }
  return value;
}

std::string
DictionaryString(const itk::MetaDataDictionary & dictionary, const char * key)
{
  std::string value;
  itk::ExposeMetaData<std::string>(dictionary, key, value);
  return value;
}

// ---------------------------------------------------------------- writing files with the C API

using stempdf::testing::CreateFile;
using stempdf::testing::CreateGroup;
using stempdf::testing::Id;
using stempdf::testing::NativeType;
using stempdf::testing::Ok;
using stempdf::testing::UniformSamples;

/** A Python int attribute as h5py writes it (int64). */
void
IntAttribute(hid_t object, const char * name, long long value)
{
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(H5Acreate2(object, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Ok(H5Awrite(attribute, H5T_NATIVE_LLONG, &value));
}

/** A Python str attribute as h5py writes it (variable-length UTF-8). */
void
StrAttribute(hid_t object, const char * name, const std::string & value)
{
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  Ok(H5Tset_size(type, H5T_VARIABLE));
  Ok(H5Tset_cset(type, H5T_CSET_UTF8));
  Id           space(H5Screate(H5S_SCALAR), H5Sclose);
  Id           attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  const char * text = value.c_str();
  Ok(H5Awrite(attribute, type, &text));
}

/** A numpy bytes (np.string_) value as h5py writes it: fixed length, NULLPAD, ASCII. */
Id
FixedStringType(const std::string & value)
{
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  Ok(H5Tset_size(type, std::max<size_t>(1, value.size())));
  Ok(H5Tset_strpad(type, H5T_STR_NULLPAD));
  return Id(H5Tcopy(type), H5Tclose);
}

void
BytesAttribute(hid_t object, const char * name, const std::string & value)
{
  Id type = FixedStringType(value);
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Ok(H5Awrite(attribute, type, value.c_str()));
}

/** A scalar float64 dataset (a Python float stored by h5py). */
Id
DoubleScalar(hid_t group, const char * name, double value)
{
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id dataset(H5Dcreate2(group, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  Ok(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value));
  return Id(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
}

/** A scalar variable-length string dataset (h5py dtype=special_dtype(vlen=str)). */
Id
VlenStringScalar(hid_t group, const char * name, const std::string & value)
{
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  Ok(H5Tset_size(type, H5T_VARIABLE));
  Ok(H5Tset_cset(type, H5T_CSET_UTF8));
  Id           space(H5Screate(H5S_SCALAR), H5Sclose);
  Id           dataset(H5Dcreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  const char * text = value.c_str();
  Ok(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text));
  return Id(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
}

/** A scalar fixed-length bytes dataset (h5py create_dataset(data=b"...")). */
Id
BytesScalar(hid_t group, const char * name, const std::string & value)
{
  Id type = FixedStringType(value);
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id dataset(H5Dcreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  Ok(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.c_str()));
  return Id(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
}

/** A 1D dataset of doubles stored as `fileType`. */
Id
Vector(hid_t group, const char * name, const std::vector<double> & values, hid_t fileType = H5T_IEEE_F64LE)
{
  const hsize_t length = values.size();
  Id            space(H5Screate_simple(1, &length, nullptr), H5Sclose);
  Id            dataset(H5Dcreate2(group, name, fileType, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  Ok(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
  return Id(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
}

/** The dim0 .. dim3 vectors that EMD 1.0 and py4DSTEM >= 0.13 write next to a
 *  4D "data": a linear dimension shortened to [0, step], with string
 *  attributes "name" and "units". */
void
LinearDims(hid_t cube, const std::array<const char *, 4> & names, const std::array<const char *, 4> & units,
           const std::array<double, 4> & steps)
{
  for (int i = 0; i < 4; ++i)
  {
    Id dim = Vector(cube, ("dim" + std::to_string(i)).c_str(), { 0.0, steps[i] });
    StrAttribute(dim, "name", names[i]);
    StrAttribute(dim, "units", units[i]);
  }
}

/** The attributes emdfile (EMD 1.0) writes on the file: emd_group_type
 *  "file" and version 1.0 as Python ints. */
void
EmdFileAttributes(hid_t file)
{
  StrAttribute(file, "emd_group_type", "file");
  IntAttribute(file, "version_major", 1);
  IntAttribute(file, "version_minor", 0);
}

/** The attributes emdfile (EMD 1.0) writes on a node: its emd_group_type and,
 *  unless nullptr, its python_class. */
void
EmdNodeAttributes(hid_t group, const char * type, const char * pythonClass = nullptr)
{
  StrAttribute(group, "emd_group_type", type);
  if (pythonClass)
  {
    StrAttribute(group, "python_class", pythonClass);
  }
}

/** A scalar calibration of emdfile (py4DSTEM >= 0.13): a dataset tagged with
 *  the bytes attribute type = b"number" or b"string". */
void
TaggedNumber(hid_t group, const char * name, double value)
{
  BytesAttribute(DoubleScalar(group, name, value), "type", "number");
}
void
TaggedString(hid_t group, const char * name, const std::string & value)
{
  BytesAttribute(BytesScalar(group, name, value), "type", "string");
}

/** The test pattern as a 4D dataset [ny, nx, ky, kx] of type T (optionally
 *  with dataset-creation properties, e.g. chunks and filters). */
template <typename T>
Id
Dataset4D(hid_t location, const std::string & name, const std::array<hsize_t, 4> & shape, hid_t creation = H5P_DEFAULT,
          hid_t fileType = -1)
{
  const auto values = Pattern<T>(shape[0], shape[1], shape[2], shape[3]);
  Id         space(H5Screate_simple(4, shape.data(), nullptr), H5Sclose);
  Id         dataset(
    H5Dcreate2(
      location, name.c_str(), fileType >= 0 ? fileType : NativeType<T>(), space, H5P_DEFAULT, creation, H5P_DEFAULT),
    H5Dclose);
  Ok(H5Dwrite(dataset, NativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
  return Id(H5Oopen(location, name.c_str(), H5P_DEFAULT), H5Oclose);
}

// ---------------------------------------------------------------- fixture

using HDF5DatasetImageIOTest = stempdf::testing::TemporaryFolderTest;

using stempdf::testing::ExpectError;

std::string
ReadInformationError(const std::string & fileName, const std::string & datasetPath = "")
{
  auto io = HDF5DatasetImageIO::New();
  io->SetFileName(fileName);
  io->SetDatasetPath(datasetPath);
  return stempdf::testing::ThrownDescription([&]() { io->ReadImageInformation(); });
}

// ================================================================ plain files, types, geometry

TEST_F(HDF5DatasetImageIOTest, ReadsTheOnlyFourDDatasetOfAPlainFile)
{
  const std::string name = Path("plain.h5");
  {
    Id file = CreateFile(name);
    Id group = CreateGroup(file, "/entry/instrument/detector");
    Dataset4D<uint16_t>(group, "frames", { { 5, 4, 3, 6 } });
    Vector(group, "exposure", { 1.0, 2.0 }); // something else that is not 4D
  }
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<uint16_t>(name, io);

  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(0), 4u); // scan x
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(1), 5u); // scan y
  EXPECT_EQ(image->GetNumberOfComponentsPerPixel(), 18u);
  EXPECT_EQ(io->GetComponentType(), itk::IOComponentEnum::USHORT);
  EXPECT_EQ(io->GetPixelType(), itk::IOPixelEnum::VECTOR);
  ExpectPattern(image.GetPointer(), 6, 3);

  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(image->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(6, 3));
  EXPECT_EQ(DictionaryString(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DatasetPathKey),
            "/entry/instrument/detector/frames");
  EXPECT_EQ(DictionaryString(image->GetMetaDataDictionary(), HDF5DatasetImageIO::LayoutKey), "plain HDF5");
  EXPECT_EQ(std::string(io->GetLayout()), "plain HDF5");
  // No calibration in the file: unit spacing, zero origin, no calibration keys.
  EXPECT_EQ(image->GetSpacing()[0], 1.0);
  EXPECT_EQ(image->GetSpacing()[1], 1.0);
  EXPECT_EQ(image->GetOrigin()[0], 0.0);
  EXPECT_EQ(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::ScanStepKey), -1.0);
  EXPECT_EQ(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey), -1.0);
}

template <typename T>
class HDF5DatasetImageIOTypedTest : public HDF5DatasetImageIOTest
{};
using ReadableTypes = ::testing::Types<uint8_t, uint16_t, uint32_t, int16_t, int32_t, float, double>;
TYPED_TEST_SUITE(HDF5DatasetImageIOTypedTest, ReadableTypes);

TYPED_TEST(HDF5DatasetImageIOTypedTest, ReadsEverySupportedComponentType)
{
  const std::string name = this->Path("typed.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<TypeParam>(file, "scan", { { 3, 4, 5, 2 } });
  }
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<TypeParam>(name, io);
  EXPECT_EQ(io->GetComponentType(), itk::ImageIOBase::MapPixelType<TypeParam>::CType);
  ExpectPattern(image.GetPointer(), 2, 5);
}

TYPED_TEST(HDF5DatasetImageIOTypedTest, ReadsBigEndianDatasetsInNativeOrder)
{
  const std::string name = this->Path("big-endian.h5");
  {
    Id file = CreateFile(name);
    Id type(H5Tcopy(NativeType<TypeParam>()), H5Tclose);
    if (sizeof(TypeParam) > 1)
    {
      Ok(H5Tset_order(type, H5T_ORDER_BE));
    }
    Dataset4D<TypeParam>(file, "scan", { { 2, 3, 4, 5 } }, H5P_DEFAULT, type);
  }
  auto image = ReadScan<TypeParam>(name, HDF5DatasetImageIO::New());
  ExpectPattern(image.GetPointer(), 5, 4);
}

template <typename T>
class HDF5DatasetImageIORoundTripTest : public HDF5DatasetImageIOTest
{};
using RoundTripTypes = ::testing::Types<uint8_t, uint16_t, uint32_t, float>;
TYPED_TEST_SUITE(HDF5DatasetImageIORoundTripTest, RoundTripTypes);

TYPED_TEST(HDF5DatasetImageIORoundTripTest, WriteThenReadIsBitIdentical)
{
  auto scan = MakeScan<TypeParam>(7, 5, 8, 6);
  scan->SetSpacing(1.2);
  const double origin[2] = { 3.6, -2.4 };
  scan->SetOrigin(origin);
  auto & dictionary = scan->GetMetaDataDictionary();
  itk::EncapsulateMetaData<double>(dictionary, HDF5DatasetImageIO::DetectorPixelSizeKey, 0.01433);
  itk::EncapsulateMetaData<double>(dictionary, HDF5DatasetImageIO::BeamEnergyKey, 300.0);
  itk::EncapsulateMetaData<double>(dictionary, HDF5DatasetImageIO::CameraLengthKey, 195.0);

  for (const bool chunked : { false, true })
  {
    const std::string name = this->Path(chunked ? "chunked.emd" : "contiguous.h5");
    auto              writerIO = HDF5DatasetImageIO::New();
    writerIO->SetChunkFrames(chunked);
    auto writer = Writer<TypeParam>(scan, name, writerIO);
    writer->Update();
    EXPECT_FALSE(fs::exists(name + ".stempdf-partial"));

    auto io = HDF5DatasetImageIO::New();
    auto image = ReadScan<TypeParam>(name, io);
    ASSERT_EQ(image->GetLargestPossibleRegion(), scan->GetLargestPossibleRegion());
    ASSERT_EQ(image->GetNumberOfComponentsPerPixel(), scan->GetNumberOfComponentsPerPixel());
    const size_t count = scan->GetLargestPossibleRegion().GetNumberOfPixels() * scan->GetNumberOfComponentsPerPixel();
    EXPECT_EQ(std::memcmp(image->GetBufferPointer(), scan->GetBufferPointer(), count * sizeof(TypeParam)), 0)
      << "frames differ after a round trip (chunked: " << chunked << ")";
    EXPECT_NEAR(image->GetSpacing()[0], 1.2, 1e-12);
    EXPECT_NEAR(image->GetSpacing()[1], 1.2, 1e-12);
    EXPECT_NEAR(image->GetOrigin()[0], 3.6, 1e-12);
    EXPECT_NEAR(image->GetOrigin()[1], -2.4, 1e-12);
    const auto & read = image->GetMetaDataDictionary();
    EXPECT_NEAR(DictionaryNumber(read, HDF5DatasetImageIO::ScanStepKey), 1.2, 1e-12);
    EXPECT_NEAR(DictionaryNumber(read, HDF5DatasetImageIO::DetectorPixelSizeKey), 0.01433, 1e-15);
    EXPECT_NEAR(DictionaryNumber(read, HDF5DatasetImageIO::BeamEnergyKey), 300.0, 1e-12);
    EXPECT_NEAR(DictionaryNumber(read, HDF5DatasetImageIO::CameraLengthKey), 195.0, 1e-12);
    EXPECT_EQ(DictionaryString(read, HDF5DatasetImageIO::DatasetPathKey), "/data/stempdf_scan/data");
    EXPECT_EQ(DictionaryString(read, HDF5DatasetImageIO::LayoutKey), "Berkeley EMD");
    stempdf::VectorAxis axis;
    ASSERT_TRUE(stempdf::GetVectorAxis(read, axis));
    EXPECT_EQ(axis, stempdf::MakeDetectorAxis(8, 6));
  }
}

// ---------------------------------------------------------------- the file the writer makes

/** Reads a string attribute with the C API (fixed or variable length). */
std::string
StringAttribute(hid_t object, const char * name)
{
  Id          attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Id          type(H5Aget_type(attribute), H5Tclose);
  std::string value;
  if (H5Tis_variable_str(type) > 0)
  {
    char * text = nullptr;
    Ok(H5Aread(attribute, type, &text));
    value = text;
    H5free_memory(text);
  }
  else
  {
    std::vector<char> bytes(H5Tget_size(type) + 1, '\0');
    Ok(H5Aread(attribute, type, bytes.data()));
    value = bytes.data();
  }
  return value;
}

TEST_F(HDF5DatasetImageIOTest, WriterMakesABerkeleyEMDFile)
{
  auto scan = MakeScan<uint16_t>(4, 3, 5, 2);
  scan->SetSpacing(1.5);
  itk::EncapsulateMetaData<double>(scan->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey, 0.02);
  const std::string name = Path("layout.emd");
  auto              writer = Writer<uint16_t>(scan, name);
  writer->Update();

  Id        file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  long long major = -1;
  long long minor = -1;
  {
    Id a(H5Aopen(file, "version_major", H5P_DEFAULT), H5Aclose);
    Ok(H5Aread(a, H5T_NATIVE_LLONG, &major));
    Id b(H5Aopen(file, "version_minor", H5P_DEFAULT), H5Aclose);
    Ok(H5Aread(b, H5T_NATIVE_LLONG, &minor));
  }
  EXPECT_EQ(major, 0);
  EXPECT_EQ(minor, 2);
  for (const char * group : { "/microscope", "/sample", "/user", "/comments" })
  {
    EXPECT_GT(H5Lexists(file, group, H5P_DEFAULT), 0) << group;
  }
  Id        group(H5Gopen2(file, "/data/stempdf_scan", H5P_DEFAULT), H5Gclose);
  long long groupType = -1;
  {
    Id a(H5Aopen(group, "emd_group_type", H5P_DEFAULT), H5Aclose);
    Ok(H5Aread(a, H5T_NATIVE_LLONG, &groupType));
  }
  EXPECT_EQ(groupType, 1);

  Id                     data(H5Dopen2(group, "data", H5P_DEFAULT), H5Dclose);
  Id                     space(H5Dget_space(data), H5Sclose);
  std::array<hsize_t, 4> shape{};
  ASSERT_EQ(H5Sget_simple_extent_ndims(space), 4);
  H5Sget_simple_extent_dims(space, shape.data(), nullptr);
  EXPECT_EQ(shape, (std::array<hsize_t, 4>{ { 3, 4, 2, 5 } })); // [ny, nx, ky, kx]
  Id creation(H5Dget_create_plist(data), H5Pclose);
  EXPECT_EQ(H5Pget_layout(creation), H5D_CONTIGUOUS);
  Id type(H5Dget_type(data), H5Tclose);
  EXPECT_GT(H5Tequal(type, H5T_STD_U16LE), 0);

  const std::array<const char *, 4> names{ { "scan_y", "scan_x", "detector_y", "detector_x" } };
  const std::array<const char *, 4> units{ { "[n_m]", "[n_m]", "[1_/_\xC3\x85]", "[1_/_\xC3\x85]" } };
  const std::array<double, 4>       steps{ { 1.5, 1.5, 0.02, 0.02 } };
  for (int i = 0; i < 4; ++i)
  {
    const std::string dimName = "dim" + std::to_string(i + 1);
    Id                dim(H5Dopen2(group, dimName.c_str(), H5P_DEFAULT), H5Dclose);
    EXPECT_EQ(StringAttribute(dim, "name"), names[i]) << dimName;
    EXPECT_EQ(StringAttribute(dim, "units"), units[i]) << dimName;
    std::array<double, 2> values{};
    Ok(H5Dread(dim, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
    EXPECT_NEAR(values[1] - values[0], steps[i], 1e-12) << dimName;
  }
}

TEST_F(HDF5DatasetImageIOTest, WriterHonoursDatasetPathCompressionAndOverrides)
{
  auto scan = MakeScan<uint16_t>(6, 5, 4, 4);
  scan->SetSpacing(2.0);
  const std::string name = Path("compressed.h5");
  auto              writerIO = HDF5DatasetImageIO::New();
  writerIO->SetDatasetPath("/experiments/run7"); // a group path: "data" is added
  writerIO->SetScanStep(0.8);
  writerIO->SetBeamEnergy(200.0);
  auto writer = Writer<uint16_t>(scan, name, writerIO);
  writer->UseCompressionOn();
  writer->Update();

  {
    Id file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    Id data(H5Dopen2(file, "/experiments/run7/data", H5P_DEFAULT), H5Dclose);
    Id creation(H5Dget_create_plist(data), H5Pclose);
    ASSERT_EQ(H5Pget_layout(creation), H5D_CHUNKED);
    std::array<hsize_t, 4> chunk{};
    H5Pget_chunk(creation, 4, chunk.data());
    EXPECT_EQ(chunk, (std::array<hsize_t, 4>{ { 1, 1, 4, 4 } }));
    bool hasDeflate = false;
    for (int i = 0; i < H5Pget_nfilters(creation); ++i)
    {
      unsigned int flags = 0;
      size_t       count = 0;
      hasDeflate |= H5Pget_filter2(creation, i, &flags, &count, nullptr, 0, nullptr, nullptr) == H5Z_FILTER_DEFLATE;
    }
    EXPECT_TRUE(hasDeflate);
  }
  auto io = HDF5DatasetImageIO::New();
  io->SetDatasetPath("/experiments/run7");
  auto image = ReadScan<uint16_t>(name, io);
  ExpectPattern(image.GetPointer(), 4, 4);
  EXPECT_NEAR(image->GetSpacing()[0], 0.8, 1e-12);
  EXPECT_NEAR(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::BeamEnergyKey), 200.0, 1e-12);
  EXPECT_EQ(std::string(io->GetResolvedDatasetPath()), "/experiments/run7/data");
}

TEST_F(HDF5DatasetImageIOTest, WriterIsDeterministic)
{
  // No time stamps in the file: writing the same image twice gives the same bytes.
  auto                     scan = MakeScan<uint16_t>(3, 2, 4, 4);
  std::vector<std::string> contents;
  for (const char * name : { "first.h5", "second.h5" })
  {
    auto io = HDF5DatasetImageIO::New();
    io->SetDatasetPath("/deep/er/scan");
    auto writer = Writer<uint16_t>(scan, Path(name), io);
    writer->Update();
    std::ifstream      in(Path(name), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    contents.push_back(bytes.str());
    if (std::string(name) == "first.h5")
    {
      sleep(1); // a time stamp, if there were one, would now differ
    }
  }
  EXPECT_EQ(contents[0], contents[1]);
}

TEST_F(HDF5DatasetImageIOTest, WriterReplacesAnExistingFileLikeEveryITKWriter)
{
  const std::string name = Path("replace.h5");
  {
    std::ofstream old(name);
    old << "an older file";
  }
  auto writer = Writer<uint8_t>(MakeScan<uint8_t>(2, 2, 3, 3), name);
  writer->Update();
  ExpectPattern(ReadScan<uint8_t>(name, HDF5DatasetImageIO::New()).GetPointer(), 3, 3);
}

// ================================================================ streaming

template <typename T>
typename stempdf::PatternFieldImage<T>::Pointer
ReadRegion(const std::string & fileName, const itk::ImageRegion<2> & region)
{
  auto reader = itk::ImageFileReader<stempdf::PatternFieldImage<T>>::New();
  reader->SetFileName(fileName);
  reader->SetImageIO(HDF5DatasetImageIO::New());
  reader->UpdateOutputInformation();
  reader->GetOutput()->SetRequestedRegion(region);
  reader->Update();
  return reader->GetOutput();
}

itk::ImageRegion<2>
Region(long x0, long y0, unsigned long nx, unsigned long ny)
{
  itk::ImageRegion<2> region;
  region.SetIndex({ { x0, y0 } });
  region.SetSize({ { nx, ny } });
  return region;
}

void
ExpectStreamedReadsWork(const std::string & name, size_t kx, size_t ky)
{
  for (const auto & region : { Region(0, 2, 6, 3), Region(0, 6, 6, 1), Region(1, 1, 3, 4), Region(5, 0, 1, 7) })
  {
    SCOPED_TRACE(::testing::Message() << "region " << region);
    auto image = ReadRegion<uint16_t>(name, region);
    EXPECT_EQ(image->GetBufferedRegion(), region); // only the requested block is in memory
    EXPECT_EQ(image->GetLargestPossibleRegion(), Region(0, 0, 6, 7));
    ExpectPattern(image.GetPointer(), kx, ky);
  }
}

TEST_F(HDF5DatasetImageIOTest, StreamingReadsOnlyTheRequestedRowsOrRectangle)
{
  const std::string name = Path("stream.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<uint16_t>(file, "scan", { { 7, 6, 3, 4 } });
  }
  ExpectStreamedReadsWork(name, 4, 3);

  // The IO itself writes exactly the region's bytes (AddressSanitizer would
  // catch a write past this buffer).
  auto io = HDF5DatasetImageIO::New();
  io->SetFileName(name);
  io->ReadImageInformation();
  itk::ImageIORegion ioRegion(2);
  ioRegion.SetIndex(0, 2);
  ioRegion.SetIndex(1, 4);
  ioRegion.SetSize(0, 3);
  ioRegion.SetSize(1, 2);
  io->SetIORegion(ioRegion);
  std::vector<uint16_t> buffer(3 * 2 * 12);
  io->Read(buffer.data());
  size_t n = 0;
  for (size_t y = 4; y < 6; ++y)
    for (size_t x = 2; x < 5; ++x)
      for (size_t j = 0; j < 3; ++j)
        for (size_t i = 0; i < 4; ++i)
          ASSERT_EQ(buffer[n++], Value<uint16_t>(y, x, j, i));
}

TEST_F(HDF5DatasetImageIOTest, StreamingWorksOnChunkedAndGzipCompressedDatasets)
{
  const std::string name = Path("chunked-gzip.h5");
  {
    Id file = CreateFile(name);
    // Chunks that straddle rows, columns and the detector, compressed.
    Id                           creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const std::array<hsize_t, 4> chunk{ { 2, 4, 3, 3 } };
    Ok(H5Pset_chunk(creation, 4, chunk.data()));
    Ok(H5Pset_shuffle(creation));
    Ok(H5Pset_deflate(creation, 6));
    Dataset4D<uint16_t>(file, "compressed", { { 7, 6, 3, 5 } }, creation);
  }
  ExpectStreamedReadsWork(name, 5, 3);

  // And a chunked file made by the writer (one chunk per frame).
  const std::string written = Path("chunk-per-frame.h5");
  auto              writerIO = HDF5DatasetImageIO::New();
  writerIO->ChunkFramesOn();
  auto writer = Writer<uint16_t>(MakeScan<uint16_t>(6, 7, 2, 3), written, writerIO);
  writer->Update();
  ExpectStreamedReadsWork(written, 2, 3);
}

TEST_F(HDF5DatasetImageIOTest, ReaderConvertsToAnotherPixelTypeWhenAsked)
{
  const std::string name = Path("convert.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<uint16_t>(file, "scan", { { 2, 3, 2, 2 } });
  }
  auto image = ReadScan<float>(name, HDF5DatasetImageIO::New());
  for (size_t k = 0; k < 2 * 3 * 4; ++k)
  {
    const size_t frame = k / 4;
    const size_t y = frame / 3;
    const size_t x = frame % 3;
    EXPECT_EQ(image->GetBufferPointer()[k], static_cast<float>(Value<uint16_t>(y, x, (k % 4) / 2, k % 2)));
  }
}

TEST_F(HDF5DatasetImageIOTest, PatternFieldImageFileReaderReadsStraightIntoTheImage)
{
  const std::string name = Path("zero-copy.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<uint16_t>(file, "scan", { { 7, 6, 3, 4 } });
  }
  using Reader = stempdf::PatternFieldImageFileReader<stempdf::PatternFieldImage<uint16_t>>;
  auto reader = Reader::New();
  reader->SetFileName(name);
  reader->SetImageIO(HDF5DatasetImageIO::New());
  reader->Update();
  ExpectPattern(reader->GetOutput(), 4, 3);
  stempdf::VectorAxis axis;
  EXPECT_TRUE(stempdf::GetVectorAxis(reader->GetOutput()->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(4, 3));

  // Streaming: only the requested block.
  auto streamed = Reader::New();
  streamed->SetFileName(name);
  streamed->SetImageIO(HDF5DatasetImageIO::New());
  streamed->UpdateOutputInformation();
  streamed->GetOutput()->SetRequestedRegion(Region(1, 2, 4, 3));
  streamed->Update();
  EXPECT_EQ(streamed->GetOutput()->GetBufferedRegion(), Region(1, 2, 4, 3));
  ExpectPattern(streamed->GetOutput(), 4, 3);

  // Another pixel type: ImageFileReader's own conversion.
  auto converting = stempdf::PatternFieldImageFileReader<stempdf::PatternFieldImage<float>>::New();
  converting->SetFileName(name);
  converting->SetImageIO(HDF5DatasetImageIO::New());
  converting->Update();
  EXPECT_EQ(converting->GetOutput()->GetBufferPointer()[5], static_cast<float>(Value<uint16_t>(0, 0, 1, 1)));
}

// ================================================================ other software's layouts

/** Berkeley EMD as ncempy writes it (ncempy/io/emd.py, fileEMD.put_emdgroup):
 *  root version 0.2 (Python ints), /data, /microscope, /user, /sample,
 *  /comments; the EMD group holds "data" and full-length dim vectors. Units
 *  here: scan in Angstrom, detector in 1/nm. */
TEST_F(HDF5DatasetImageIOTest, ReadsBerkeleyEMDAsNcempyWritesIt)
{
  const std::string name = Path("ncempy.emd");
  {
    Id file = CreateFile(name);
    IntAttribute(file, "version_major", 0);
    IntAttribute(file, "version_minor", 2);
    for (const char * g : { "/microscope", "/user", "/sample", "/comments" })
    {
      CreateGroup(file, g);
    }
    Id group = CreateGroup(file, "/data/scan_0001");
    IntAttribute(group, "emd_group_type", 1);
    Dataset4D<uint16_t>(group, "data", { { 4, 5, 3, 3 } });
    const std::array<std::vector<double>, 4> dims{ { UniformSamples(5.0, 12.0, 4),
                                                     UniformSamples(-7.0, 12.0, 5),
                                                     UniformSamples(-0.1433, 0.1433, 3),
                                                     UniformSamples(-0.1433, 0.1433, 3) } };
    const std::array<const char *, 4>        names{ { "y", "x", "ky", "kx" } };
    const std::array<const char *, 4>        units{ { "\xC3\x85", "\xC3\x85", "1/nm", "1/nm" } };
    for (int i = 0; i < 4; ++i)
    {
      Id dim = Vector(group, ("dim" + std::to_string(i + 1)).c_str(), dims[i]);
      StrAttribute(dim, "name", names[i]);
      StrAttribute(dim, "units", units[i]);
    }
  }
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<uint16_t>(name, io);
  ExpectPattern(image.GetPointer(), 3, 3);
  EXPECT_EQ(std::string(io->GetLayout()), "Berkeley EMD");
  EXPECT_NEAR(image->GetSpacing()[0], 1.2, 1e-12);
  EXPECT_NEAR(image->GetSpacing()[1], 1.2, 1e-12);
  EXPECT_NEAR(image->GetOrigin()[0], -0.7, 1e-12); // x: dim2
  EXPECT_NEAR(image->GetOrigin()[1], 0.5, 1e-12);  // y: dim1
  EXPECT_NEAR(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::ScanStepKey), 1.2, 1e-12);
  EXPECT_NEAR(
    DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey), 0.01433, 1e-12);
}

/** HyperSpy (rosettasciio EMD_NCEM.write_file) stores signal.data.T: a 4D-STEM
 *  scan becomes [kx, ky, x, y] with dim1 = kx. Frames are then not
 *  contiguous; the reader must say so instead of returning scrambled data. */
TEST_F(HDF5DatasetImageIOTest, RefusesTransposedEMDAsHyperSpyWritesIt)
{
  const std::string name = Path("hyperspy.emd");
  {
    Id file = CreateFile(name);
    StrAttribute(file, "version_major", "0");
    StrAttribute(file, "version_minor", "2");
    for (const char * g : { "/microscope", "/sample", "/user", "/comments" })
    {
      CreateGroup(file, g);
    }
    Id signals = CreateGroup(file, "/signals");
    IntAttribute(signals, "emd_group_type", 1);
    Id group = CreateGroup(file, "/signals/scan");
    Dataset4D<uint16_t>(group, "data", { { 6, 5, 4, 3 } }); // (kx, ky, x, y)
    const std::array<const char *, 4> names{ { "kx", "ky", "x", "y" } };
    const std::array<const char *, 4> units{ { "[1_/_\xC3\x85]", "[1_/_\xC3\x85]", "[n_m]", "[n_m]" } };
    const std::array<double, 4>       scales{ { 0.01, 0.01, 1.2, 1.2 } };
    for (int i = 0; i < 4; ++i)
    {
      Id dim = Vector(group, ("dim" + std::to_string(i + 1)).c_str(), { 0.0, scales[i] });
      StrAttribute(dim, "name", names[i]);
      StrAttribute(dim, "units", units[i]);
    }
    IntAttribute(group, "emd_group_type", 1);
    StrAttribute(group, "signal_type", "electron_diffraction");
  }
  ExpectError(
    [&] {
      auto io = HDF5DatasetImageIO::New();
      io->SetFileName(name);
      io->ReadImageInformation();
    },
    { name, "/signals/scan/data", "detector axes first", "HyperSpy", "[scan y, scan x, detector y, detector x]" });
}

/** py4DSTEM 0.12: write.py save() + save_datacube_group() + metadata_to_h5()
 *  (h5rw). The topgroup's version attributes are strings
 *  (__version__.split('.')), the datacube's dim vectors are float32 pixel
 *  indices with np.string_ names/units "[pix]", and the calibrations are
 *  scalar datasets in metadata/calibration (preferred) and
 *  metadata/microscope, with the units in *_size_units string datasets. */
void
MakePy4DSTEM012(const std::string & name)
{
  Id file = CreateFile(name);
  {
    Id top = CreateGroup(file, "/4DSTEM_experiment");
    IntAttribute(top, "emd_group_type", 2);
    StrAttribute(top, "version_major", "0");
    StrAttribute(top, "version_minor", "12");
    StrAttribute(top, "version_release", "24");
    for (const char * g : { "datacubes",
                            "counted_datacubes",
                            "diffractionslices",
                            "realslices",
                            "pointlists",
                            "pointlistarrays",
                            "coordinates" })
    {
      CreateGroup(top, std::string("data/") + g);
    }
    Id cube = CreateGroup(top, "data/datacubes/datacube_0");
    IntAttribute(cube, "emd_group_type", 1);
    Dataset4D<uint16_t>(cube, "data", { { 4, 3, 5, 5 } }); // (R_Nx, R_Ny, Q_Nx, Q_Ny)
    const std::array<const char *, 4> names{ { "R_x", "R_y", "Q_x", "Q_y" } };
    const std::array<size_t, 4>       lengths{ { 4, 3, 5, 5 } };
    for (int i = 0; i < 4; ++i)
    {
      Id dim =
        Vector(cube, ("dim" + std::to_string(i + 1)).c_str(), UniformSamples(0.0, 1.0, lengths[i]), H5T_IEEE_F32LE);
      BytesAttribute(dim, "name", names[i]);
      BytesAttribute(dim, "units", "[pix]");
    }
    // A diffraction slice (2D) next to it, as py4DSTEM analyses add.
    Id slice = CreateGroup(top, "data/diffractionslices/max_dp");
    IntAttribute(slice, "emd_group_type", 1);
    {
      const hsize_t shape[2] = { 5, 5 };
      Id            space(H5Screate_simple(2, shape, nullptr), H5Sclose);
      Id dataset(H5Dcreate2(slice, "data", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    }
    Id metadata = CreateGroup(top, "metadata");
    for (const char * g : { "microscope", "sample", "user", "calibration", "comments" })
    {
      Id dictionary = CreateGroup(metadata, g);
      StrAttribute(dictionary, "h5rw_version", "0.1");
      StrAttribute(dictionary, "ctime", "Mon Jan  1 00:00:00 2024");
      StrAttribute(dictionary, "mtime", "Mon Jan  1 00:00:00 2024");
    }
    Id microscope(H5Gopen2(metadata, "microscope", H5P_DEFAULT), H5Gclose);
    StrAttribute(DoubleScalar(microscope, "R_pixel_size", 9.9), "type", "scalar"); // superseded by calibration
    StrAttribute(VlenStringScalar(microscope, "R_pixel_size_units", "nm"), "type", "string");
    StrAttribute(DoubleScalar(microscope, "Q_pixel_size", 0.5), "type", "scalar");
    StrAttribute(VlenStringScalar(microscope, "Q_pixel_size_units", "mrad"), "type", "string");
    Id calibration(H5Gopen2(metadata, "calibration", H5P_DEFAULT), H5Gclose);
    StrAttribute(DoubleScalar(calibration, "R_pixel_size", 1.2), "type", "scalar");
    StrAttribute(VlenStringScalar(calibration, "R_pixel_size_units", "nm"), "type", "string");
  }
}

TEST_F(HDF5DatasetImageIOTest, ReadsPy4DSTEM012Datacube)
{
  const std::string name = Path("py4dstem012.h5");
  MakePy4DSTEM012(name);
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<uint16_t>(name, io);
  ExpectPattern(image.GetPointer(), 5, 5);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(0), 3u); // R_Ny: fast scan axis = our x
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(1), 4u);
  EXPECT_EQ(std::string(io->GetLayout()), "py4DSTEM 0.12");
  EXPECT_EQ(std::string(io->GetResolvedDatasetPath()), "/4DSTEM_experiment/data/datacubes/datacube_0/data");
  EXPECT_NEAR(image->GetSpacing()[0], 1.2, 1e-12); // metadata/calibration wins over metadata/microscope
  EXPECT_NEAR(image->GetSpacing()[1], 1.2, 1e-12);
  // Q is in mrad: no pixel size in 1/A without a beam energy...
  EXPECT_EQ(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey), -1.0);
  // ... and with one, 0.5 mrad / lambda(300 kV) = 0.5e-3 / 0.0196875 A.
  auto io300 = HDF5DatasetImageIO::New();
  io300->SetBeamEnergy(300.0);
  auto image300 = ReadScan<uint16_t>(name, io300);
  EXPECT_NEAR(DictionaryNumber(image300->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey),
              0.5e-3 / 0.0196875,
              2e-5);
}

/** py4DSTEM 0.13: io/native/write.py _write_new_file (top group "4DSTEM",
 *  emd_group_type "root", version strings), DataCube via Array_to_h5
 *  (emd_group_type 1, py4dstem_class, dim0..dim3 shortened to two values),
 *  its Calibration via Metadata_to_h5 as a child group (emd_group_type 0)
 *  of the datacube. */
TEST_F(HDF5DatasetImageIOTest, ReadsPy4DSTEM013Datacube)
{
  const std::string name = Path("py4dstem013.h5");
  {
    Id file = CreateFile(name);
    Id top = CreateGroup(file, "/4DSTEM");
    StrAttribute(top, "emd_group_type", "root");
    StrAttribute(top, "version_major", "0");
    StrAttribute(top, "version_minor", "13");
    StrAttribute(top, "version_release", "6");
    Id cube = CreateGroup(top, "datacube");
    IntAttribute(cube, "emd_group_type", 1);
    StrAttribute(cube, "py4dstem_class", "DataCube");
    {
      Id data = Dataset4D<uint16_t>(cube, "data", { { 3, 4, 2, 3 } });
      StrAttribute(data, "units", "intensity");
    }
    LinearDims(
      cube, { { "Rx", "Ry", "Qx", "Qy" } }, { { "A", "A", "A^-1", "A^-1" } }, { { 15.0, 15.0, 0.012, 0.012 } });
    Id calibration = CreateGroup(cube, "calibration");
    IntAttribute(calibration, "emd_group_type", 0);
    StrAttribute(calibration, "py4dstem_class", "Calibration");
    TaggedNumber(calibration, "R_pixel_size", 15.0);
    TaggedString(calibration, "R_pixel_units", "A");
    TaggedNumber(calibration, "Q_pixel_size", 0.012);
    TaggedString(calibration, "Q_pixel_units", "A^-1");
  }
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<uint16_t>(name, io);
  ExpectPattern(image.GetPointer(), 3, 2);
  EXPECT_EQ(std::string(io->GetLayout()), "py4DSTEM 0.13");
  EXPECT_NEAR(image->GetSpacing()[0], 1.5, 1e-12);
  EXPECT_NEAR(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey), 0.012, 1e-15);
}

/** py4DSTEM >= 0.14 saves through emdfile 0.0.16 (EMD 1.0): the file header
 *  (emd_group_type "file", version 1.0 as ints, UUID, authoring_*), a root
 *  group "<name>_root" (emd_group_type "root") whose metadatabundle holds
 *  the Calibration (scalar datasets tagged type=b"number"/b"string", the
 *  strings fixed-length bytes), and the DataCube as an "array" node with
 *  dim0..dim3 ([0, step] when linear; units from the calibration). */
void
MakePy4DSTEM014(const std::string & name, bool withRawCopy)
{
  Id file = CreateFile(name);
  EmdFileAttributes(file);
  StrAttribute(file, "UUID", "0b7f6f2e-0000-4000-8000-000000000000");
  StrAttribute(file, "authoring_program", "python");
  StrAttribute(file, "authoring_user", "someone");
  Id root = CreateGroup(file, "/datacube_root");
  EmdNodeAttributes(root, "root", "Root");
  Id bundle = CreateGroup(root, "metadatabundle");
  EmdNodeAttributes(bundle, "metadatabundle");
  Id calibration = CreateGroup(bundle, "calibration");
  EmdNodeAttributes(calibration, "metadata", "Calibration");
  TaggedNumber(calibration, "Q_pixel_size", 0.01433);
  TaggedNumber(calibration, "R_pixel_size", 1.2);
  TaggedString(calibration, "Q_pixel_units", "A^-1");
  TaggedString(calibration, "R_pixel_units", "nm");
  TaggedString(calibration, "_root_treepath", "");
  Id cube = CreateGroup(root, "datacube");
  EmdNodeAttributes(cube, "array", "DataCube");
  {
    Id data = Dataset4D<uint16_t>(cube, "data", { { 5, 4, 3, 4 } });
    StrAttribute(data, "units", "pixel intensity");
  }
  LinearDims(
    cube, { { "Rx", "Ry", "Qx", "Qy" } }, { { "nm", "nm", "A^-1", "A^-1" } }, { { 1.2, 1.2, 0.01433, 0.01433 } });
  if (withRawCopy)
  {
    Id raw = CreateGroup(file, "/raw");
    Dataset4D<uint16_t>(raw, "frames", { { 5, 4, 3, 4 } });
  }
}

TEST_F(HDF5DatasetImageIOTest, ReadsPy4DSTEM014DatacubeAndPrefersItOverOtherFourDDatasets)
{
  const std::string name = Path("py4dstem014.h5");
  MakePy4DSTEM014(name, true);
  const auto listed = HDF5DatasetImageIO::ListFourDDatasets(name);
  EXPECT_EQ(listed, (std::vector<std::string>{ "/datacube_root/datacube/data", "/raw/frames" }));

  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<uint16_t>(name, io); // two 4D datasets, one datacube: the datacube
  ExpectPattern(image.GetPointer(), 4, 3);
  EXPECT_EQ(std::string(io->GetLayout()), "py4DSTEM >= 0.14");
  EXPECT_EQ(std::string(io->GetResolvedDatasetPath()), "/datacube_root/datacube/data");
  EXPECT_NEAR(image->GetSpacing()[0], 1.2, 1e-12);
  EXPECT_NEAR(image->GetSpacing()[1], 1.2, 1e-12);
  EXPECT_NEAR(
    DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::DetectorPixelSizeKey), 0.01433, 1e-15);

  // The other one by name; it has no calibration of its own.
  auto raw = HDF5DatasetImageIO::New();
  raw->SetDatasetPath("raw/frames");
  auto rawImage = ReadScan<uint16_t>(name, raw);
  ExpectPattern(rawImage.GetPointer(), 4, 3);
  EXPECT_EQ(std::string(raw->GetLayout()), "plain HDF5");

  // An EMD group path is enough to name its dataset.
  auto group = HDF5DatasetImageIO::New();
  group->SetDatasetPath("/datacube_root/datacube");
  ReadScan<uint16_t>(name, group);
  EXPECT_EQ(std::string(group->GetResolvedDatasetPath()), "/datacube_root/datacube/data");
}

TEST_F(HDF5DatasetImageIOTest, ReadsEMD10ArraysWrittenByEmdfile)
{
  // emdfile.save(path, Array(data=...)) without py4DSTEM: python_class "Array".
  const std::string name = Path("emdfile.h5");
  {
    Id file = CreateFile(name);
    EmdFileAttributes(file);
    Id root = CreateGroup(file, "/np.array_root");
    EmdNodeAttributes(root, "root", "Root");
    Id array = CreateGroup(root, "np.array");
    EmdNodeAttributes(array, "array", "Array");
    Dataset4D<float>(array, "data", { { 2, 3, 4, 4 } });
    for (int i = 0; i < 4; ++i)
    {
      Id dim = Vector(array, ("dim" + std::to_string(i)).c_str(), { 0.0, 1.0 }, H5T_STD_I64LE);
      StrAttribute(dim, "name", "dim" + std::to_string(i));
      StrAttribute(dim, "units", "pixels");
    }
  }
  auto io = HDF5DatasetImageIO::New();
  auto image = ReadScan<float>(name, io);
  ExpectPattern(image.GetPointer(), 4, 4);
  EXPECT_EQ(std::string(io->GetLayout()), "EMD 1.0 (emdfile)");
  EXPECT_EQ(image->GetSpacing()[0], 1.0); // "pixels": not a scan calibration
  EXPECT_EQ(DictionaryNumber(image->GetMetaDataDictionary(), HDF5DatasetImageIO::ScanStepKey), -1.0);
}

TEST_F(HDF5DatasetImageIOTest, UserSettingsOverrideEveryCalibrationOfTheFile)
{
  const std::string name = Path("override.h5");
  MakePy4DSTEM014(name, false);
  auto io = HDF5DatasetImageIO::New();
  io->SetScanStep(0.75);
  io->SetDetectorPixelSize(0.02);
  io->SetBeamEnergy(200.0);
  io->SetCameraLength(160.0);
  auto         image = ReadScan<uint16_t>(name, io);
  const auto & dictionary = image->GetMetaDataDictionary();
  EXPECT_EQ(image->GetSpacing()[0], 0.75);
  EXPECT_EQ(image->GetSpacing()[1], 0.75);
  EXPECT_EQ(DictionaryNumber(dictionary, HDF5DatasetImageIO::ScanStepKey), 0.75);
  EXPECT_EQ(DictionaryNumber(dictionary, HDF5DatasetImageIO::DetectorPixelSizeKey), 0.02);
  EXPECT_EQ(DictionaryNumber(dictionary, HDF5DatasetImageIO::BeamEnergyKey), 200.0);
  EXPECT_EQ(DictionaryNumber(dictionary, HDF5DatasetImageIO::CameraLengthKey), 160.0);
}

TEST_F(HDF5DatasetImageIOTest, DatasetPathChoosesAmongSeveralFourDDatasets)
{
  const std::string name = Path("several.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<uint16_t>(file, "b_second", { { 2, 2, 3, 3 } });
    Dataset4D<uint8_t>(file, "a_first", { { 3, 2, 2, 2 } });
  }
  EXPECT_EQ(HDF5DatasetImageIO::ListFourDDatasets(name), (std::vector<std::string>{ "/a_first", "/b_second" }));
  auto io = HDF5DatasetImageIO::New();
  io->SetDatasetPath("/a_first");
  EXPECT_TRUE(io->CanReadFile(name.c_str()));
  ExpectPattern(ReadScan<uint8_t>(name, io).GetPointer(), 2, 2);
  io->SetDatasetPath("/not_there");
  EXPECT_FALSE(io->CanReadFile(name.c_str()));
}

// ================================================================ bad input

TEST_F(HDF5DatasetImageIOTest, EmptyFileIsAClearError)
{
  const std::string name = Path("empty.h5");
  std::ofstream(name).close();
  EXPECT_FALSE(HDF5DatasetImageIO::New()->CanReadFile(name.c_str()));
  ExpectError([&] { ReadScan<uint16_t>(name, HDF5DatasetImageIO::New()); }, { name, "is empty", "HDF5 file" });
  ExpectError([&] { HDF5DatasetImageIO::ListFourDDatasets(name); }, { name, "is empty" });
}

TEST_F(HDF5DatasetImageIOTest, FileThatIsNotHDF5IsAClearError)
{
  const std::string name = Path("text.h5");
  {
    std::ofstream text(name);
    text << "this is a text file, not HDF5\n";
  }
  EXPECT_FALSE(HDF5DatasetImageIO::New()->CanReadFile(name.c_str()));
  ExpectError([&] { ReadScan<uint16_t>(name, HDF5DatasetImageIO::New()); },
              { name, "not an HDF5 file", "4D dataset [scan y, scan x, detector y, detector x]" });
  const std::string missing = Path("missing.h5");
  ExpectError([&] { HDF5DatasetImageIO::ListFourDDatasets(missing); }, { missing, "does not exist" });
}

TEST_F(HDF5DatasetImageIOTest, MissingDatasetPathListsTheFourDDatasets)
{
  const std::string name = Path("missing-path.h5");
  {
    Id file = CreateFile(name);
    Id group = CreateGroup(file, "/scans");
    Dataset4D<uint16_t>(group, "one", { { 2, 2, 2, 2 } });
    Dataset4D<uint16_t>(group, "two", { { 2, 3, 2, 2 } });
  }
  const std::string message = ReadInformationError(name, "/scans/three");
  for (const char * part : { "/scans/three", "no object", "/scans/one [2, 2, 2, 2] uint16", "/scans/two [2, 3, 2, 2]" })
  {
    EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
  }
  EXPECT_NE(message.find(name), std::string::npos) << message;
  // A path through a dataset, and a group without "data".
  EXPECT_NE(ReadInformationError(name, "/scans/one/deeper").find("no object"), std::string::npos);
  EXPECT_NE(ReadInformationError(name, "/scans").find("group without a dataset 'data'"), std::string::npos);
}

TEST_F(HDF5DatasetImageIOTest, DatasetThatIsNotFourDSaysItsRankAndShape)
{
  const std::string name = Path("three-d.h5");
  {
    Id            file = CreateFile(name);
    const hsize_t shape[3] = { 10, 64, 64 };
    Id            space(H5Screate_simple(3, shape, nullptr), H5Sclose);
    Id dataset(H5Dcreate2(file, "stack", H5T_STD_U16LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  }
  const std::string byPath = ReadInformationError(name, "/stack");
  for (const char * part : { "/stack", "rank 3", "[10, 64, 64]", "uint16", "expected a 4D dataset" })
  {
    EXPECT_NE(byPath.find(part), std::string::npos) << part << " not in: " << byPath;
  }
  const std::string automatic = ReadInformationError(name);
  for (const char * part : { "no 4D dataset", "/stack [10, 64, 64] uint16" })
  {
    EXPECT_NE(automatic.find(part), std::string::npos) << part << " not in: " << automatic;
  }
  EXPECT_NE(automatic.find(name), std::string::npos);
  EXPECT_FALSE(HDF5DatasetImageIO::New()->CanReadFile(name.c_str()));
}

TEST_F(HDF5DatasetImageIOTest, SeveralFourDDatasetsWithoutAChoiceListsThem)
{
  const std::string name = Path("ambiguous.h5");
  {
    Id file = CreateFile(name);
    Dataset4D<uint16_t>(file, "scan_a", { { 2, 2, 2, 2 } });
    Id group = CreateGroup(file, "/more");
    Dataset4D<float>(group, "scan_b", { { 3, 2, 4, 4 } });
  }
  ExpectError([&] { ReadScan<uint16_t>(name, HDF5DatasetImageIO::New()); },
              { name,
                "2 datasets of rank 4",
                "SetDatasetPath",
                "/scan_a [2, 2, 2, 2] uint16",
                "/more/scan_b [3, 2, 4, 4] float32" });
}

TEST_F(HDF5DatasetImageIOTest, UnsupportedTypesAreClearErrors)
{
  const std::string name = Path("types.h5");
  {
    Id            file = CreateFile(name);
    const hsize_t shape[4] = { 2, 2, 2, 2 };
    Id            space(H5Screate_simple(4, shape, nullptr), H5Sclose);
    Id            string(H5Tcopy(H5T_C_S1), H5Tclose);
    Ok(H5Tset_size(string, 8));
    Id compound(H5Tcreate(H5T_COMPOUND, 8), H5Tclose);
    Ok(H5Tinsert(compound, "re", 0, H5T_NATIVE_FLOAT));
    Ok(H5Tinsert(compound, "im", 4, H5T_NATIVE_FLOAT));
    const std::array<std::pair<const char *, hid_t>, 4> datasets{
      { { "strings", string }, { "complex", compound }, { "int64", H5T_STD_I64LE }, { "int8", H5T_STD_I8LE } }
    };
    for (const auto & [datasetName, type] : datasets)
    {
      Id dataset(H5Dcreate2(file, datasetName, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    }
  }
  const std::array<std::pair<const char *, const char *>, 4> expected{
    { { "/strings", "string" }, { "/complex", "compound" }, { "/int64", "int64" }, { "/int8", "int8" } }
  };
  for (const auto & [path, typeName] : expected)
  {
    const std::string message = ReadInformationError(name, path);
    for (const std::string & part : { std::string(path),
                                      std::string("has type ") + typeName,
                                      std::string("uint8, uint16, uint32, int16, int32, float32 or float64"),
                                      name })
    {
      EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
    }
  }
}

TEST_F(HDF5DatasetImageIOTest, TruncatedFileIsAClearError)
{
  const std::string complete = Path("complete.h5");
  auto              writer = Writer<uint16_t>(MakeScan<uint16_t>(16, 16, 16, 16), complete);
  writer->Update();

  const std::string truncated = Path("truncated.h5");
  const auto        size = fs::file_size(complete);
  {
    std::ifstream     in(complete, std::ios::binary);
    std::vector<char> bytes(size / 2);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::ofstream(truncated, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_FALSE(HDF5DatasetImageIO::New()->CanReadFile(truncated.c_str()));
  const std::string message =
    ExpectError([&] { ReadScan<uint16_t>(truncated, HDF5DatasetImageIO::New()); }, { truncated, "cannot be opened" });
  EXPECT_NE(message.find("truncated"), std::string::npos) << "HDF5's reason is passed on: " << message;
}

TEST_F(HDF5DatasetImageIOTest, HDF5ErrorPrintingIsRestoredAfterAnError)
{
  H5E_auto2_t before = nullptr;
  void *      beforeData = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &before, &beforeData);
  ReadInformationError(Path("missing.h5"));
  const std::string name = Path("not-4d.h5");
  {
    Id file = CreateFile(name);
    Vector(file, "v", { 1.0 });
  }
  ReadInformationError(name, "/nothing");
  H5E_auto2_t after = nullptr;
  void *      afterData = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &after, &afterData);
  EXPECT_EQ(before, after);
  EXPECT_EQ(beforeData, afterData);
}

TEST_F(HDF5DatasetImageIOTest, BadWritesLeaveNothingBehindAndKeepExistingFiles)
{
  // A component type that is not supported: int8.
  const std::string name = Path("int8.h5");
  {
    auto writer = Writer<int8_t>(MakeScan<int8_t>(2, 2, 2, 2), name);
    ExpectError([&] { writer->Update(); }, { name, "component type int8", "uint8, uint16" });
  }
  EXPECT_FALSE(fs::exists(name));
  EXPECT_FALSE(fs::exists(name + ".stempdf-partial"));

  // No detector axis and a vector length that is no square detector; an existing file stays as it was.
  const std::string kept = Path("kept.h5");
  {
    std::ofstream old(kept);
    old << "precious";
  }
  {
    auto scan = MakeScan<uint16_t>(2, 2, 3, 2);
    scan->SetMetaDataDictionary(itk::MetaDataDictionary());
    auto writer = Writer<uint16_t>(scan, kept);
    ExpectError([&] { writer->Update(); }, { kept, "no detector VectorAxis", "6 components" });
  }
  {
    std::ifstream in(kept);
    std::string   content;
    std::getline(in, content);
    EXPECT_EQ(content, "precious");
  }
  EXPECT_FALSE(fs::exists(kept + ".stempdf-partial"));

  // The root as the EMD group.
  {
    auto io = HDF5DatasetImageIO::New();
    io->SetDatasetPath("/data");
    auto writer = Writer<uint16_t>(MakeScan<uint16_t>(2, 2, 2, 2), Path("root.h5"), io);
    ExpectError([&] { writer->Update(); }, { "root", "/data/scan" });
    EXPECT_FALSE(fs::exists(Path("root.h5")));
  }
  // A folder that does not exist.
  {
    const std::string nowhere = Path("no/such/folder/x.h5");
    auto              writer = Writer<uint16_t>(MakeScan<uint16_t>(2, 2, 2, 2), nowhere);
    ExpectError([&] { writer->Update(); }, { nowhere, "folder", "does not exist" });
  }
  // HDF5 itself fails (here: the temporary name is taken by a folder): HDF5's reason, with the file name.
  {
    const std::string blocked = Path("blocked.h5");
    fs::create_directories(blocked + ".stempdf-partial");
    auto writer = Writer<uint16_t>(MakeScan<uint16_t>(2, 2, 2, 2), blocked);
    ExpectError([&] { writer->Update(); }, { blocked, "HDF5 error while creating the file", "unable to" });
    EXPECT_FALSE(fs::exists(blocked));
    EXPECT_TRUE(fs::is_directory(blocked + ".stempdf-partial")); // not ours: left alone
  }
}

TEST_F(HDF5DatasetImageIOTest, CanWriteFileChecksTheExtension)
{
  auto io = HDF5DatasetImageIO::New();
  EXPECT_TRUE(io->CanWriteFile("a.h5"));
  EXPECT_TRUE(io->CanWriteFile("a.HDF5"));
  EXPECT_TRUE(io->CanWriteFile("/some/where/a.emd"));
  EXPECT_FALSE(io->CanWriteFile("a.mib"));
  EXPECT_FALSE(io->CanWriteFile("a.h5.txt"));
}

TEST_F(HDF5DatasetImageIOTest, PrintSelfShowsTheSettings)
{
  auto io = HDF5DatasetImageIO::New();
  io->SetDatasetPath("/x/data");
  io->SetScanStep(1.25);
  stempdf::testing::ExpectPrinted(io, { "DatasetPath: \"/x/data\"", "ScanStep: 1.25 nm", "ChunkFrames: Off" });
}

TEST_F(HDF5DatasetImageIOTest, ExercisesBasicObjectMethods)
{
  auto io = stempdf::testing::NewAndExercise<HDF5DatasetImageIO>(
    "HDF5DatasetImageIO", "ImageIOBase", { "DatasetPath:", "ChunkFrames: Off", "Layout:" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(io, ChunkFrames, false);
}
} // namespace
