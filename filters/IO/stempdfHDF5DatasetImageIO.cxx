#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfElectronOptics.h"
#include "stempdfHDF5Layouts.h"
#include "stempdfStreamableRegion.h"

#include "stempdfVectorAxis.h"

#include "itkByteSwapper.h"
#include "itkMetaDataObject.h"

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace stempdf
{
using hdf5::AttributeHandle;
using hdf5::BaseName;
using hdf5::Calibration;
using hdf5::DatasetHandle;
using hdf5::DatasetInfo;
using hdf5::DataspaceHandle;
using hdf5::ErrorPrintingOff;
using hdf5::ExpectedFileText;
using hdf5::FileContext;
using hdf5::FileHandle;
using hdf5::FourDOnly;
using hdf5::GroupHandle;
using hdf5::ListDatasets;
using hdf5::ListText;
using hdf5::NormalizePath;
using hdf5::ObjectHandle;
using hdf5::OpenChildDataset;
using hdf5::OpenChildGroup;
using hdf5::OpenForReading;
using hdf5::ParentPath;
using hdf5::PathExists;
using hdf5::PropertyListHandle;
using hdf5::ShapeText;
using hdf5::TypeHandle;
using hdf5::TypeName;

namespace
{
namespace fs = std::filesystem;

// ------------------------------------------------------------------ component types

struct ComponentTypeInfo
{
  itk::IOComponentEnum itkType;
  hid_t                memoryType; // native
  hid_t                fileType;   // little-endian standard type written
};

bool
ComponentTypeOf(hid_t fileType, ComponentTypeInfo & info)
{
  const size_t size = H5Tget_size(fileType);
  switch (H5Tget_class(fileType))
  {
    case H5T_INTEGER:
    {
      const bool isSigned = H5Tget_sign(fileType) != H5T_SGN_NONE;
      if (!isSigned && size == 1)
      {
        info = { itk::IOComponentEnum::UCHAR, H5T_NATIVE_UINT8, H5T_STD_U8LE };
        return true;
      }
      if (!isSigned && size == 2)
      {
        info = { itk::IOComponentEnum::USHORT, H5T_NATIVE_UINT16, H5T_STD_U16LE };
        return true;
      }
      if (!isSigned && size == 4)
      {
        info = { itk::IOComponentEnum::UINT, H5T_NATIVE_UINT32, H5T_STD_U32LE };
        return true;
      }
      if (isSigned && size == 2)
      {
        info = { itk::IOComponentEnum::SHORT, H5T_NATIVE_INT16, H5T_STD_I16LE };
        return true;
      }
      if (isSigned && size == 4)
      {
        info = { itk::IOComponentEnum::INT, H5T_NATIVE_INT32, H5T_STD_I32LE };
        return true;
      }
      return false;
    }
    case H5T_FLOAT:
      if (size == 4)
      {
        info = { itk::IOComponentEnum::FLOAT, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE };
        return true;
      }
      if (size == 8)
      {
        info = { itk::IOComponentEnum::DOUBLE, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE };
        return true;
      }
      return false;
    default:
      return false;
  }
}

bool
ComponentTypeOf(itk::IOComponentEnum itkType, ComponentTypeInfo & info)
{
  const std::array<ComponentTypeInfo, 7> table{ {
    { itk::IOComponentEnum::UCHAR, H5T_NATIVE_UINT8, H5T_STD_U8LE },
    { itk::IOComponentEnum::USHORT, H5T_NATIVE_UINT16, H5T_STD_U16LE },
    { itk::IOComponentEnum::UINT, H5T_NATIVE_UINT32, H5T_STD_U32LE },
    { itk::IOComponentEnum::SHORT, H5T_NATIVE_INT16, H5T_STD_I16LE },
    { itk::IOComponentEnum::INT, H5T_NATIVE_INT32, H5T_STD_I32LE },
    { itk::IOComponentEnum::FLOAT, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE },
    { itk::IOComponentEnum::DOUBLE, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE },
  } };
  for (const auto & entry : table)
  {
    if (entry.itkType == itkType)
    {
      info = entry;
      return true;
    }
  }
  return false;
}

const char * const SupportedTypesText = "uint8, uint16, uint32, int16, int32, float32 or float64";

/** ITK's component type in the names used for HDF5 types here. */
std::string
ComponentName(itk::IOComponentEnum type)
{
  switch (type)
  {
    case itk::IOComponentEnum::UCHAR:
      return "uint8";
    case itk::IOComponentEnum::CHAR:
      return "int8";
    case itk::IOComponentEnum::USHORT:
      return "uint16";
    case itk::IOComponentEnum::SHORT:
      return "int16";
    case itk::IOComponentEnum::UINT:
      return "uint32";
    case itk::IOComponentEnum::INT:
      return "int32";
    case itk::IOComponentEnum::ULONG:
    case itk::IOComponentEnum::ULONGLONG:
      return "uint" + std::to_string(
                        8 * (type == itk::IOComponentEnum::ULONG ? sizeof(unsigned long) : sizeof(unsigned long long)));
    case itk::IOComponentEnum::LONG:
    case itk::IOComponentEnum::LONGLONG:
      return "int" + std::to_string(8 * (type == itk::IOComponentEnum::LONG ? sizeof(long) : sizeof(long long)));
    case itk::IOComponentEnum::FLOAT:
      return "float32";
    case itk::IOComponentEnum::DOUBLE:
      return "float64";
    default:
      return itk::ImageIOBase::GetComponentTypeAsString(type);
  }
}

// ------------------------------------------------------------------ writing helpers

void
WriteNumberAttribute(hid_t object, const char * name, hid_t fileType, hid_t memoryType, const void * value,
                     const FileContext & context)
{
  DataspaceHandle space(context.Check(H5Screate(H5S_SCALAR), "creating a dataspace"));
  AttributeHandle attribute(context.Check(H5Acreate2(object, name, fileType, space.Get(), H5P_DEFAULT, H5P_DEFAULT),
                                          std::string("creating attribute '") + name + "'"));
  context.Check(H5Awrite(attribute.Get(), memoryType, value), std::string("writing attribute '") + name + "'");
}

void
WriteDoubleAttribute(hid_t object, const char * name, double value, const FileContext & context)
{
  WriteNumberAttribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, context);
}

void
WriteIntegerAttribute(hid_t object, const char * name, long long value, const FileContext & context)
{
  WriteNumberAttribute(object, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &value, context);
}

/** A scalar variable-length UTF-8 string, as h5py writes a Python str. */
void
WriteStringAttribute(hid_t object, const char * name, const std::string & value, const FileContext & context)
{
  TypeHandle type(context.Check(H5Tcopy(H5T_C_S1), "creating a string type"));
  context.Check(H5Tset_size(type.Get(), H5T_VARIABLE), "creating a string type");
  context.Check(H5Tset_cset(type.Get(), H5T_CSET_UTF8), "creating a string type");
  DataspaceHandle space(context.Check(H5Screate(H5S_SCALAR), "creating a dataspace"));
  AttributeHandle attribute(context.Check(H5Acreate2(object, name, type.Get(), space.Get(), H5P_DEFAULT, H5P_DEFAULT),
                                          std::string("creating attribute '") + name + "'"));
  const char *    text = value.c_str();
  context.Check(H5Awrite(attribute.Get(), type.Get(), &text), std::string("writing attribute '") + name + "'");
}

/** An EMD dim vector [first, first + step] with its name and units. */
void
WriteDimVector(hid_t group, hid_t creation, const std::string & datasetName, double first, double step,
               const std::string & name, const std::string & units, const FileContext & context)
{
  const hsize_t               length = 2;
  const std::array<double, 2> values{ { first, first + step } };
  DataspaceHandle             space(context.Check(H5Screate_simple(1, &length, nullptr), "creating a dataspace"));
  DatasetHandle               dataset(context.Check(
    H5Dcreate2(group, datasetName.c_str(), H5T_IEEE_F64LE, space.Get(), H5P_DEFAULT, creation, H5P_DEFAULT),
    "creating dataset '" + datasetName + "'"));
  context.Check(H5Dwrite(dataset.Get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                "writing dataset '" + datasetName + "'");
  WriteStringAttribute(dataset.Get(), "name", name, context);
  WriteStringAttribute(dataset.Get(), "units", units, context);
}

double
DictionaryNumber(const itk::MetaDataDictionary & dictionary, const char * key)
{
  double value = 0.0;
  return (itk::ExposeMetaData<double>(dictionary, key, value) && std::isfinite(value) && value > 0.0) ? value : 0.0;
}

/** Removes the file it was armed for on destruction, unless Keep() was
 *  called: a failed write leaves nothing behind, and never removes what it
 *  did not create. */
class RemoveUnlessKept
{
public:
  explicit RemoveUnlessKept(std::string fileName)
    : m_FileName(std::move(fileName))
  {}
  ~RemoveUnlessKept()
  {
    if (m_Armed && !m_Kept)
    {
      std::error_code error;
      fs::remove(m_FileName, error);
    }
  }
  RemoveUnlessKept(const RemoveUnlessKept &) = delete;
  RemoveUnlessKept &
  operator=(const RemoveUnlessKept &) = delete;
  void
  Arm()
  {
    m_Armed = true;
  }
  void
  Keep()
  {
    m_Kept = true;
  }

private:
  std::string m_FileName;
  bool        m_Armed{ false };
  bool        m_Kept{ false };
};
} // namespace

/** What HDF5DatasetImageIO::Write() puts into the file, checked: the EMD
 *  group, the array, and the calibrations chosen. */
struct hdf5::ScanToWrite
{
  std::string       GroupPath;
  ComponentTypeInfo ComponentType{};
  hsize_t           Nx = 0, Ny = 0;
  unsigned int      Kx = 0, Ky = 0;
  const void *      Buffer = nullptr;
  double            StepX = 0.0, StepY = 0.0, OriginX = 0.0, OriginY = 0.0;        // nm
  double            DetectorPixelSize = 0.0, BeamEnergy = 0.0, CameraLength = 0.0; // 0: unknown
  bool              Chunked = false;                                               // one chunk per frame
  bool              Compressed = false;
  unsigned int      CompressionLevel = 0;
};

namespace
{
using hdf5::ScanToWrite;

/** The Berkeley EMD groups: the usual top-level ones, and the scan's group
 *  with every group above it. */
void
CreateEMDGroups(hid_t file, const std::string & groupPath, hid_t groupCreation, const FileContext & context)
{
  const auto createGroup = [&](const std::string & path) {
    if (!PathExists(file, path))
    {
      GroupHandle created(context.Check(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, groupCreation, H5P_DEFAULT),
                                        "creating group '" + path + "'"));
    }
  };
  for (const char * name : { "/microscope", "/sample", "/user", "/comments" })
  {
    createGroup(name);
  }
  for (size_t slash = groupPath.find('/', 1); slash != std::string::npos; slash = groupPath.find('/', slash + 1))
  {
    createGroup(groupPath.substr(0, slash));
  }
  createGroup(groupPath);
}

/** The group's EMD type and the known calibrations, as STEMPDF.* attributes. */
void
WriteGroupAttributes(hid_t group, const ScanToWrite & scan, const FileContext & context)
{
  WriteIntegerAttribute(group, "emd_group_type", 1, context);
  WriteDoubleAttribute(group, ScanStepKey, scan.StepX, context);
  if (scan.DetectorPixelSize > 0.0)
  {
    WriteDoubleAttribute(group, DetectorPixelSizeKey, scan.DetectorPixelSize, context);
  }
  if (scan.BeamEnergy > 0.0)
  {
    WriteDoubleAttribute(group, BeamEnergyKey, scan.BeamEnergy, context);
  }
  if (scan.CameraLength > 0.0)
  {
    WriteDoubleAttribute(group, CameraLengthKey, scan.CameraLength, context);
  }
}

/** The dataset "data" [Ny, Nx, Ky, Kx]: contiguous, or one chunk per frame
 *  (gzip with byte shuffling when compressed). */
void
WriteScanDataset(hid_t group, const ScanToWrite & scan, const FileContext & context)
{
  const std::array<hsize_t, 4> shape{ { scan.Ny, scan.Nx, scan.Ky, scan.Kx } };
  DataspaceHandle              space(context.Check(H5Screate_simple(4, shape.data(), nullptr), "creating a dataspace"));
  PropertyListHandle           creation(context.Check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list"));
  context.Check(H5Pset_fill_time(creation.Get(), H5D_FILL_TIME_NEVER), "setting the fill time");
  context.Check(H5Pset_obj_track_times(creation.Get(), 0), "creating a property list");
  if (scan.Chunked)
  {
    const std::array<hsize_t, 4> chunk{ { 1, 1, scan.Ky, scan.Kx } };
    context.Check(H5Pset_chunk(creation.Get(), 4, chunk.data()), "setting one chunk per frame");
    if (scan.Compressed)
    {
      context.Check(H5Pset_shuffle(creation.Get()), "setting the shuffle filter");
      context.Check(H5Pset_deflate(creation.Get(), scan.CompressionLevel), "setting gzip compression");
    }
  }
  const std::string dataPath = scan.GroupPath + "/data";
  DatasetHandle     data(context.Check(
    H5Dcreate2(group, "data", scan.ComponentType.fileType, space.Get(), H5P_DEFAULT, creation.Get(), H5P_DEFAULT),
    "creating dataset '" + dataPath + "'"));
  context.Check(H5Dwrite(data.Get(), scan.ComponentType.memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, scan.Buffer),
                "writing dataset '" + dataPath + "'");
  context.Check(data.Reset(), "closing dataset '" + dataPath + "'");
}

/** dim1..dim4 in the order of the array's axes: scan y, scan x, detector y,
 *  detector x (the detector in 1/A when its pixel size is known, else px). */
void
WriteDimVectors(hid_t group, hid_t dimCreation, const ScanToWrite & scan, const FileContext & context)
{
  WriteDimVector(group, dimCreation, "dim1", scan.OriginY, scan.StepY, "scan_y", "[n_m]", context);
  WriteDimVector(group, dimCreation, "dim2", scan.OriginX, scan.StepX, "scan_x", "[n_m]", context);
  const double      detectorStep = scan.DetectorPixelSize > 0.0 ? scan.DetectorPixelSize : 1.0;
  const std::string detectorUnits = scan.DetectorPixelSize > 0.0 ? "[1_/_\xC3\x85]" : "[p_x]"; // 1/Å or px
  WriteDimVector(group, dimCreation, "dim3", 0.0, detectorStep, "detector_y", detectorUnits, context);
  WriteDimVector(group, dimCreation, "dim4", 0.0, detectorStep, "detector_x", detectorUnits, context);
}

/** The whole Berkeley EMD file at `path` (armed for removal once created). */
void
WriteEMDFile(const std::string & path, const ScanToWrite & scan, const FileContext & context,
             RemoveUnlessKept & removePartial)
{
  FileHandle file(context.Check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                                "creating the file (as '" + path + "')"));
  removePartial.Arm();
  // Berkeley EMD: version attributes on the root, the usual top-level groups.
  WriteIntegerAttribute(file.Get(), "version_major", 0, context);
  WriteIntegerAttribute(file.Get(), "version_minor", 2, context);
  // No modification times in the object headers: the same image gives the same bytes.
  PropertyListHandle groupCreation(context.Check(H5Pcreate(H5P_GROUP_CREATE), "creating a property list"));
  context.Check(H5Pset_obj_track_times(groupCreation.Get(), 0), "creating a property list");
  PropertyListHandle dimCreation(context.Check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list"));
  context.Check(H5Pset_obj_track_times(dimCreation.Get(), 0), "creating a property list");
  CreateEMDGroups(file.Get(), scan.GroupPath, groupCreation.Get(), context);
  GroupHandle group(
    context.Check(H5Gopen2(file.Get(), scan.GroupPath.c_str(), H5P_DEFAULT), "opening group '" + scan.GroupPath + "'"));
  WriteGroupAttributes(group.Get(), scan, context);
  WriteScanDataset(group.Get(), scan, context);
  WriteDimVectors(group.Get(), dimCreation.Get(), scan, context);
  context.Check(group.Reset(), "closing group '" + scan.GroupPath + "'");
  context.Check(file.Reset(), "closing the file (as '" + path + "')");
}
} // namespace

// ====================================================================== the ImageIO

HDF5DatasetImageIO::HDF5DatasetImageIO()
{
  this->SetNumberOfDimensions(2);
  m_PixelType = itk::IOPixelEnum::VECTOR;
  m_ComponentType = itk::IOComponentEnum::USHORT;
  m_ByteOrder = itk::IOByteOrderEnum::LittleEndian;
  m_FileType = itk::IOFileEnum::Binary;
  this->Self::SetMaximumCompressionLevel(9);
  this->Self::SetCompressionLevel(4);
  m_Compressor = "gzip";
  for (const char * extension : { ".h5", ".hdf5", ".emd", ".py4dstem" })
  {
    this->AddSupportedReadExtension(extension);
  }
  for (const char * extension : { ".h5", ".hdf5", ".emd" })
  {
    this->AddSupportedWriteExtension(extension);
  }
}

std::vector<std::string>
HDF5DatasetImageIO::ListFourDDatasets(const std::string & fileName)
{
  const ErrorPrintingOff   silence;
  const FileContext        context(fileName);
  const FileHandle         file = OpenForReading(context);
  std::vector<std::string> paths;
  for (const auto & dataset : FourDOnly(ListDatasets(file.Get(), context)))
  {
    paths.push_back(dataset.path);
  }
  return paths;
}

bool
HDF5DatasetImageIO::CanReadFile(const char * fileName)
{
  try
  {
    const ErrorPrintingOff silence;
    const FileContext      context(fileName != nullptr ? fileName : "");
    const FileHandle       file = OpenForReading(context);
    if (!m_DatasetPath.empty())
    {
      const std::string path = NormalizePath(m_DatasetPath);
      if (!PathExists(file.Get(), path))
      {
        return false;
      }
      GroupHandle     group = OpenChildGroup(file.Get(), path);
      DatasetHandle   dataset = group ? OpenChildDataset(group.Get(), "data") : OpenChildDataset(file.Get(), path);
      DataspaceHandle space(dataset ? H5Dget_space(dataset.Get()) : H5I_INVALID_HID);
      const bool      ok = space && H5Sget_simple_extent_ndims(space.Get()) == 4;
      H5Eclear2(H5E_DEFAULT);
      return ok;
    }
    return !FourDOnly(ListDatasets(file.Get(), context)).empty();
  }
  catch (...)
  {
    return false;
  }
}

void
HDF5DatasetImageIO::ReadImageInformation()
{
  const ErrorPrintingOff silence;
  const FileContext      context(m_FileName);
  const FileHandle       file = OpenForReading(context);
  m_ResolvedDatasetPath.clear();
  m_Layout.clear();
  m_DatasetShape.clear();

  // ---- which dataset
  std::string path;
  const auto  fourDText = [&]() { return ListText(FourDOnly(ListDatasets(file.Get(), context))); };
  if (!m_DatasetPath.empty())
  {
    path = NormalizePath(m_DatasetPath);
    if (!PathExists(file.Get(), path))
    {
      itkExceptionMacro("file '" << m_FileName << "' has no object '" << path
                                 << "' (DatasetPath); expected the path of a 4D dataset. 4D datasets in the file: "
                                 << fourDText());
    }
    ObjectHandle     object(context.Check(H5Oopen(file.Get(), path.c_str(), H5P_DEFAULT), "opening '" + path + "'"));
    const H5I_type_t objectType = H5Iget_type(object.Get());
    if (objectType == H5I_GROUP)
    {
      GroupHandle group(context.Check(H5Gopen2(file.Get(), path.c_str(), H5P_DEFAULT), "opening group '" + path + "'"));
      DatasetHandle data = OpenChildDataset(group.Get(), "data");
      if (!data)
      {
        itkExceptionMacro("'" << path << "' in file '" << m_FileName
                              << "' is a group without a dataset 'data'; expected a 4D dataset or an EMD group "
                                 "holding one. 4D datasets in the file: "
                              << fourDText());
      }
      path = (path == "/" ? "" : path) + "/data";
    }
    else if (objectType != H5I_DATASET)
    {
      itkExceptionMacro("'" << path << "' in file '" << m_FileName
                            << "' is not a dataset; expected a 4D dataset. 4D datasets in the file: " << fourDText());
    }
  }
  else
  {
    const std::vector<DatasetInfo> all = ListDatasets(file.Get(), context);
    const std::vector<DatasetInfo> fourD = FourDOnly(all);
    if (fourD.empty())
    {
      itkExceptionMacro("file '" << m_FileName << "' has no 4D dataset; expected " << ExpectedFileText
                                 << ". Datasets in the file: " << ListText(all));
    }
    if (fourD.size() == 1)
    {
      path = fourD.front().path;
    }
    else
    {
      std::vector<DatasetInfo> datacubes;
      std::copy_if(
        fourD.begin(), fourD.end(), std::back_inserter(datacubes), [](const DatasetInfo & d) { return d.emdDatacube; });
      if (datacubes.size() != 1)
      {
        itkExceptionMacro("file '" << m_FileName << "' has " << fourD.size()
                                   << " datasets of rank 4 and not exactly one of them is an EMD/py4DSTEM datacube; "
                                      "choose one with SetDatasetPath(): "
                                   << ListText(fourD, 1000));
      }
      path = datacubes.front().path;
    }
  }

  // ---- the dataset itself
  DatasetHandle dataset(
    context.Check(H5Dopen2(file.Get(), path.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'"));
  DataspaceHandle      space(context.Check(H5Dget_space(dataset.Get()), "reading the shape of dataset '" + path + "'"));
  TypeHandle           type(context.Check(H5Dget_type(dataset.Get()), "reading the type of dataset '" + path + "'"));
  const int            rank = H5Sget_simple_extent_ndims(space.Get());
  std::vector<hsize_t> shape(rank > 0 ? rank : 0);
  if (rank > 0)
  {
    H5Sget_simple_extent_dims(space.Get(), shape.data(), nullptr);
  }
  if (rank != 4)
  {
    itkExceptionMacro("dataset '" << path << "' in file '" << m_FileName << "' has rank " << (rank < 0 ? 0 : rank)
                                  << " (shape " << ShapeText(shape) << ", " << TypeName(type.Get())
                                  << "); expected a 4D dataset [scan y, scan x, detector y, detector x]. "
                                  << "4D datasets in the file: " << fourDText());
  }
  ComponentTypeInfo componentType{};
  if (!ComponentTypeOf(type.Get(), componentType))
  {
    itkExceptionMacro("dataset '" << path << "' in file '" << m_FileName << "' has type " << TypeName(type.Get())
                                  << "; expected " << SupportedTypesText);
  }
  for (int i = 0; i < 4; ++i)
  {
    if (shape[i] == 0)
    {
      itkExceptionMacro("dataset '" << path << "' in file '" << m_FileName << "' is empty (shape " << ShapeText(shape)
                                    << "); expected at least one scan position and one detector pixel");
    }
  }
  const hsize_t components = shape[2] * shape[3];
  if (components > std::numeric_limits<unsigned int>::max() || shape[0] > std::numeric_limits<unsigned int>::max() ||
      shape[1] > std::numeric_limits<unsigned int>::max())
  {
    itkExceptionMacro("dataset '" << path << "' in file '" << m_FileName << "' (shape " << ShapeText(shape)
                                  << ") is too large; expected fewer than 2^32 scan positions per axis and detector "
                                     "pixels per frame");
  }

  // ---- calibrations: dim vectors < py4DSTEM metadata < STEMPDF attributes < user settings
  const std::string groupPath = ParentPath(path);
  GroupHandle       group(
    context.Check(H5Gopen2(file.Get(), groupPath.c_str(), H5P_DEFAULT), "opening group '" + groupPath + "'"));
  m_Layout = hdf5::DetectLayout(file.Get(), group.Get(), groupPath);
  Calibration calibration =
    hdf5::ReadCalibration(file.Get(), dataset.Get(), group.Get(), groupPath, path, m_Layout, context);
  if (m_ScanStep > 0.0)
  {
    calibration.scanStep = { { m_ScanStep, m_ScanStep } };
  }
  if (m_BeamEnergy > 0.0)
  {
    calibration.beamEnergy = m_BeamEnergy;
  }
  if (m_CameraLength > 0.0)
  {
    calibration.cameraLength = m_CameraLength;
  }
  if (m_DetectorPixelSize > 0.0)
  {
    calibration.detectorPixelSize = m_DetectorPixelSize;
  }
  else if (calibration.detectorPixelSize <= 0.0 && calibration.detectorPixelAngle > 0.0 && calibration.beamEnergy > 0.0)
  {
    // Small-angle approximation: s = 2 sin(theta / 2) / lambda ~ theta / lambda.
    calibration.detectorPixelSize = 1e-3 * calibration.detectorPixelAngle / ElectronWavelength(calibration.beamEnergy);
  }

  // ---- the image
  m_ResolvedDatasetPath = path;
  m_DatasetShape.assign(shape.begin(), shape.end());
  this->SetNumberOfDimensions(2);
  this->SetDimensions(0, static_cast<unsigned int>(shape[1]));
  this->SetDimensions(1, static_cast<unsigned int>(shape[0]));
  const bool calibrated = calibration.scanStep[0] > 0.0 && calibration.scanStep[1] > 0.0;
  this->SetSpacing(0, calibrated ? calibration.scanStep[1] : 1.0);
  this->SetSpacing(1, calibrated ? calibration.scanStep[0] : 1.0);
  this->SetOrigin(0, calibrated ? calibration.scanOrigin[1] : 0.0);
  this->SetOrigin(1, calibrated ? calibration.scanOrigin[0] : 0.0);
  this->SetPixelType(itk::IOPixelEnum::VECTOR);
  this->SetComponentType(componentType.itkType);
  this->SetNumberOfComponents(static_cast<unsigned int>(components));
  m_ByteOrder =
    itk::ByteSwapper<int>::SystemIsBigEndian() ? itk::IOByteOrderEnum::BigEndian : itk::IOByteOrderEnum::LittleEndian;

  this->SetMetaDataDictionary(itk::MetaDataDictionary());
  itk::MetaDataDictionary & dictionary = this->GetMetaDataDictionary();
  SetVectorAxis(dictionary, MakeDetectorAxis(static_cast<unsigned int>(shape[3]), static_cast<unsigned int>(shape[2])));
  if (calibrated)
  {
    itk::EncapsulateMetaData<double>(dictionary, ScanStepKey, calibration.scanStep[1]);
  }
  if (calibration.detectorPixelSize > 0.0)
  {
    itk::EncapsulateMetaData<double>(dictionary, DetectorPixelSizeKey, calibration.detectorPixelSize);
  }
  if (calibration.beamEnergy > 0.0)
  {
    itk::EncapsulateMetaData<double>(dictionary, BeamEnergyKey, calibration.beamEnergy);
  }
  if (calibration.cameraLength > 0.0)
  {
    itk::EncapsulateMetaData<double>(dictionary, CameraLengthKey, calibration.cameraLength);
  }
  itk::EncapsulateMetaData<std::string>(dictionary, DatasetPathKey, path);
  itk::EncapsulateMetaData<std::string>(dictionary, LayoutKey, m_Layout);
}

itk::ImageIORegion
HDF5DatasetImageIO::GenerateStreamableReadRegionFromRequestedRegion(const itk::ImageIORegion & requested) const
{
  return StreamableReadRegion(*this, requested, m_UseStreamedReading);
}

void
HDF5DatasetImageIO::Read(void * buffer)
{
  const ErrorPrintingOff silence;
  if (m_ResolvedDatasetPath.empty() || m_DatasetShape.size() != 4)
  {
    itkExceptionMacro("Read() of file '" << m_FileName << "' before ReadImageInformation()");
  }
  const itk::ImageIORegion & region = m_IORegion;
  if (region.GetImageDimension() != 2)
  {
    itkExceptionMacro("the region to read from file '" << m_FileName << "' has " << region.GetImageDimension()
                                                       << " dimensions; expected 2 (scan x, scan y)");
  }
  for (unsigned int i = 0; i < 2; ++i)
  {
    if (region.GetIndex(i) < 0 || region.GetIndex(i) + static_cast<itk::IndexValueType>(region.GetSize(i)) >
                                    static_cast<itk::IndexValueType>(m_Dimensions[i]))
    {
      itkExceptionMacro("the region to read from file '" << m_FileName << "' (" << region << ") is outside the scan of "
                                                         << m_Dimensions[0] << " x " << m_Dimensions[1]
                                                         << " positions");
    }
  }
  if (region.GetNumberOfPixels() == 0)
  {
    return;
  }
  ComponentTypeInfo componentType{};
  if (!ComponentTypeOf(m_ComponentType, componentType))
  {
    itkExceptionMacro("unsupported component type " << ComponentName(m_ComponentType) << " for file '" << m_FileName
                                                    << "'; expected " << SupportedTypesText);
  }

  const FileContext   context(m_FileName);
  const FileHandle    file = OpenForReading(context);
  const std::string & path = m_ResolvedDatasetPath;
  DatasetHandle       dataset(
    context.Check(H5Dopen2(file.Get(), path.c_str(), H5P_DEFAULT), "opening dataset '" + path + "'"));
  DataspaceHandle fileSpace(context.Check(H5Dget_space(dataset.Get()), "reading the shape of dataset '" + path + "'"));
  std::array<hsize_t, 4> shape{};
  if (H5Sget_simple_extent_ndims(fileSpace.Get()) != 4 ||
      H5Sget_simple_extent_dims(fileSpace.Get(), shape.data(), nullptr) < 0 ||
      !std::equal(shape.begin(), shape.end(), m_DatasetShape.begin()))
  {
    itkExceptionMacro("dataset '" << path << "' in file '" << m_FileName
                                  << "' changed shape since its information was read");
  }
  const std::array<hsize_t, 4> start{
    { static_cast<hsize_t>(region.GetIndex(1)), static_cast<hsize_t>(region.GetIndex(0)), 0, 0 }
  };
  const std::array<hsize_t, 4> count{ { region.GetSize(1), region.GetSize(0), shape[2], shape[3] } };
  context.Check(H5Sselect_hyperslab(fileSpace.Get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
                "selecting scan rows " + std::to_string(start[0]) + ".." + std::to_string(start[0] + count[0] - 1) +
                  " of dataset '" + path + "'");
  DataspaceHandle memorySpace(context.Check(H5Screate_simple(4, count.data(), nullptr), "creating a dataspace"));
  context.Check(
    H5Dread(dataset.Get(), componentType.memoryType, memorySpace.Get(), fileSpace.Get(), H5P_DEFAULT, buffer),
    "reading dataset '" + path + "'");
}

bool
HDF5DatasetImageIO::CanWriteFile(const char * fileName)
{
  return fileName != nullptr && this->HasSupportedWriteExtension(fileName, true);
}

void
HDF5DatasetImageIO::Write(const void * buffer)
{
  const ErrorPrintingOff silence;
  // ---- check everything before touching the disk
  hdf5::ScanToWrite scan;
  this->CheckImageToWrite(buffer, scan);
  scan.GroupPath = this->GroupPathToWrite();
  this->CheckDestination();
  this->ChooseCalibrationsAndStorage(scan);

  // ---- write next to the target, then move it into place
  const std::string partial = m_FileName + ".stempdf-partial";
  RemoveUnlessKept  removePartial(partial);
  WriteEMDFile(partial, scan, FileContext(m_FileName), removePartial);
  std::error_code error;
  fs::rename(partial, m_FileName, error);
  if (error)
  {
    itkExceptionMacro("cannot move the written file '" << partial << "' to '" << m_FileName
                                                       << "': " << error.message());
  }
  removePartial.Keep();
}

void
HDF5DatasetImageIO::CheckImageToWrite(const void * buffer, hdf5::ScanToWrite & scan) const
{
  if (m_FileName.empty())
  {
    itkExceptionMacro("no file name was set for writing");
  }
  if (m_NumberOfDimensions != 2)
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': the image has " << m_NumberOfDimensions
                                            << " dimensions; expected 2 (the scan grid)");
  }
  if (m_PixelType != itk::IOPixelEnum::VECTOR && m_PixelType != itk::IOPixelEnum::SCALAR &&
      m_PixelType != itk::IOPixelEnum::VARIABLELENGTHVECTOR)
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': pixel type "
                                            << itk::ImageIOBase::GetPixelTypeAsString(m_PixelType)
                                            << "; expected a vector of detector counts per scan position");
  }
  if (!ComponentTypeOf(m_ComponentType, scan.ComponentType))
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': component type " << ComponentName(m_ComponentType)
                                            << "; expected " << SupportedTypesText);
  }
  this->DetectorSizeToWrite(scan.Kx, scan.Ky);
  scan.Nx = m_Dimensions[0];
  scan.Ny = m_Dimensions[1];
  if (scan.Nx == 0 || scan.Ny == 0 || scan.Kx == 0 || scan.Ky == 0)
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': the image is empty");
  }
  for (unsigned int i = 0; i < 2; ++i)
  {
    if (m_IORegion.GetImageDimension() != 2 || m_IORegion.GetIndex(i) != 0 || m_IORegion.GetSize(i) != m_Dimensions[i])
    {
      itkExceptionMacro("cannot write file '" << m_FileName << "' piece by piece (region " << m_IORegion
                                              << "); expected the whole image in one Write()");
    }
  }
  if (buffer == nullptr)
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': no pixel buffer");
  }
  scan.Buffer = buffer;
}

void
HDF5DatasetImageIO::DetectorSizeToWrite(unsigned int & kx, unsigned int & ky) const
{
  const unsigned int components = m_NumberOfComponents;
  VectorAxis         axis;
  if (GetVectorAxis(this->GetMetaDataDictionary(), axis))
  {
    if (axis.Quantity != DetectorQuantity || axis.GetNumberOfComponents() != components)
    {
      itkExceptionMacro("cannot write file '" << m_FileName << "': the image's vector axis is \"" << axis
                                              << "\"; expected a detector axis of " << components << " pixels");
    }
    kx = axis.Size[0];
    ky = axis.Size[1];
    return;
  }
  const auto side = static_cast<unsigned int>(std::lround(std::sqrt(static_cast<double>(components))));
  if (side == 0 || side * side != components)
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': the image has no detector VectorAxis (key "
                                            << VectorAxisKey << ") and its " << components
                                            << " components are not a square detector; expected the axis");
  }
  kx = side;
  ky = side;
}

std::string
HDF5DatasetImageIO::GroupPathToWrite() const
{
  std::string groupPath = "/data/stempdf_scan";
  if (!m_DatasetPath.empty())
  {
    const std::string path = NormalizePath(m_DatasetPath);
    groupPath = BaseName(path) == "data" ? ParentPath(path) : path;
  }
  if (groupPath == "/")
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "' at DatasetPath '" << m_DatasetPath
                                            << "': the EMD group would be the file's root; expected a path such as "
                                               "/data/scan or /data/scan/data");
  }
  return groupPath;
}

void
HDF5DatasetImageIO::CheckDestination() const
{
  if (m_UseCompression && H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
  {
    itkExceptionMacro("cannot write file '" << m_FileName
                                            << "' compressed: this HDF5 library has no gzip (deflate) filter");
  }
  std::error_code error;
  const fs::path  folder = fs::absolute(fs::path(m_FileName), error).parent_path();
  if (!fs::is_directory(folder, error))
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': folder '" << folder.string() << "' does not exist");
  }
}

void
HDF5DatasetImageIO::ChooseCalibrationsAndStorage(hdf5::ScanToWrite & scan) const
{
  const itk::MetaDataDictionary & dictionary = this->GetMetaDataDictionary();
  const auto                      choose = [&](double setting, const char * key) {
    return setting > 0.0 ? setting : DictionaryNumber(dictionary, key);
  };
  scan.DetectorPixelSize = choose(m_DetectorPixelSize, DetectorPixelSizeKey);
  scan.BeamEnergy = choose(m_BeamEnergy, BeamEnergyKey);
  scan.CameraLength = choose(m_CameraLength, CameraLengthKey);
  scan.StepX = m_ScanStep > 0.0 ? m_ScanStep : m_Spacing[0];
  scan.StepY = m_ScanStep > 0.0 ? m_ScanStep : m_Spacing[1];
  scan.OriginX = m_Origin[0];
  scan.OriginY = m_Origin[1];
  scan.Chunked = m_ChunkFrames || m_UseCompression;
  scan.Compressed = m_UseCompression;
  scan.CompressionLevel = static_cast<unsigned int>(std::clamp(m_CompressionLevel, 0, 9));
}

void
HDF5DatasetImageIO::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "DatasetPath: \"" << m_DatasetPath << "\"" << std::endl;
  os << indent << "ScanStep: " << m_ScanStep << " nm" << std::endl;
  os << indent << "DetectorPixelSize: " << m_DetectorPixelSize << " 1/A" << std::endl;
  os << indent << "BeamEnergy: " << m_BeamEnergy << " kV" << std::endl;
  os << indent << "CameraLength: " << m_CameraLength << " mm" << std::endl;
  os << indent << "ChunkFrames: " << (m_ChunkFrames ? "On" : "Off") << std::endl;
  os << indent << "ResolvedDatasetPath: \"" << m_ResolvedDatasetPath << "\"" << std::endl;
  os << indent << "Layout: \"" << m_Layout << "\"" << std::endl;
}
} // namespace stempdf
