#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfStreamableRegion.h"

#include "stempdfVectorAxis.h"

#include "itkByteSwapper.h"
#include "itkMetaDataObject.h"

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

namespace stempdf
{
namespace
{
namespace fs = std::filesystem;

// ------------------------------------------------------------------ errors

/** Throws from free functions, with the same class prefix as itkExceptionMacro. */
#define STEMPDF_HDF5_THROW(streamExpression)                                                                           \
  do                                                                                                                   \
  {                                                                                                                    \
    std::ostringstream stempdfHdf5Message;                                                                             \
    stempdfHdf5Message << "HDF5DatasetImageIO: " << streamExpression;                                                  \
    throw itk::ExceptionObject(__FILE__, __LINE__, stempdfHdf5Message.str(), ITK_LOCATION);                            \
  } while (false)

/** Turns HDF5's automatic printing of its error stack off for the lifetime
 *  of the guard, and restores whatever handler was installed before (the
 *  same process may use HDF5 elsewhere, e.g. ParaView's own readers). */
class ErrorPrintingOff
{
public:
  ErrorPrintingOff()
  {
    H5Eget_auto2(H5E_DEFAULT, &m_Function, &m_ClientData);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~ErrorPrintingOff() { H5Eset_auto2(H5E_DEFAULT, m_Function, m_ClientData); }
  ErrorPrintingOff(const ErrorPrintingOff &) = delete;
  ErrorPrintingOff &
  operator=(const ErrorPrintingOff &) = delete;

private:
  H5E_auto2_t m_Function{ nullptr };
  void *      m_ClientData{ nullptr };
};

herr_t
CollectErrorDescription(unsigned int, const H5E_error2_t * error, void * clientData)
{
  auto * descriptions = static_cast<std::vector<std::string> *>(clientData);
  if (error != nullptr && error->desc != nullptr && error->desc[0] != '\0')
  {
    descriptions->emplace_back(error->desc);
  }
  return 0;
}

/** What HDF5's error stack says, and clears the stack: the outermost and the
 *  innermost description (the API call that failed and the root cause),
 *  on one line. */
std::string
TakeHDF5Errors()
{
  std::vector<std::string> descriptions;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, CollectErrorDescription, &descriptions);
  H5Eclear2(H5E_DEFAULT);
  for (auto & d : descriptions)
  {
    std::replace(d.begin(), d.end(), '\n', ' ');
    while (!d.empty() && d.back() == ' ')
    {
      d.pop_back();
    }
  }
  if (descriptions.empty())
  {
    return "HDF5 gave no details";
  }
  if (descriptions.size() == 1 || descriptions.front() == descriptions.back())
  {
    return descriptions.front();
  }
  return descriptions.front() + "; " + descriptions.back();
}

// ------------------------------------------------------------------ handles

/** Owns one HDF5 identifier and closes it with CloseFunction. */
template <herr_t (*CloseFunction)(hid_t)>
class Handle
{
public:
  Handle() = default;
  explicit Handle(hid_t id) : m_Id(id) {}
  Handle(Handle && other) noexcept : m_Id(std::exchange(other.m_Id, H5I_INVALID_HID)) {}
  Handle &
  operator=(Handle && other) noexcept
  {
    if (this != &other)
    {
      this->Reset();
      m_Id = std::exchange(other.m_Id, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle &) = delete;
  Handle &
  operator=(const Handle &) = delete;
  ~Handle() { this->Reset(); }

  /** Closes the identifier now; returns HDF5's status (>= 0 on success). */
  herr_t
  Reset()
  {
    herr_t status = 0;
    if (m_Id >= 0)
    {
      status = CloseFunction(m_Id);
      m_Id = H5I_INVALID_HID;
    }
    return status;
  }
  hid_t
  Get() const
  {
    return m_Id;
  }
  explicit operator bool() const { return m_Id >= 0; }

private:
  hid_t m_Id{ H5I_INVALID_HID };
};

using FileHandle = Handle<H5Fclose>;
using GroupHandle = Handle<H5Gclose>;
using DatasetHandle = Handle<H5Dclose>;
using DataspaceHandle = Handle<H5Sclose>;
using TypeHandle = Handle<H5Tclose>;
using AttributeHandle = Handle<H5Aclose>;
using PropertyListHandle = Handle<H5Pclose>;
using ObjectHandle = Handle<H5Oclose>;

/** Turns failed HDF5 calls on one file into exceptions naming the file, the
 *  object and what was being done, plus HDF5's own messages. */
class FileContext
{
public:
  explicit FileContext(std::string fileName) : m_FileName(std::move(fileName)) {}

  const std::string &
  GetFileName() const
  {
    return m_FileName;
  }

  hid_t
  Check(hid_t id, const std::string & what) const
  {
    if (id < 0)
    {
      this->Fail(what);
    }
    return id;
  }

  herr_t
  Check(herr_t status, const std::string & what) const
  {
    if (status < 0)
    {
      this->Fail(what);
    }
    return status;
  }

  [[noreturn]] void
  Fail(const std::string & what) const
  {
    STEMPDF_HDF5_THROW("HDF5 error while " << what << " in file '" << m_FileName << "': " << TakeHDF5Errors());
  }

private:
  std::string m_FileName;
};

// ------------------------------------------------------------------ paths and names

/** "/a/b" from "a//b/", "/a/./b" etc.; "/" for the root. */
std::string
NormalizePath(const std::string & path)
{
  std::string       normalized;
  std::stringstream stream(path);
  std::string       part;
  while (std::getline(stream, part, '/'))
  {
    if (!part.empty() && part != ".")
    {
      normalized += "/" + part;
    }
  }
  return normalized.empty() ? "/" : normalized;
}

std::string
ParentPath(const std::string & absolutePath)
{
  const auto slash = absolutePath.find_last_of('/');
  return (slash == 0 || slash == std::string::npos) ? "/" : absolutePath.substr(0, slash);
}

std::string
BaseName(const std::string & absolutePath)
{
  const auto slash = absolutePath.find_last_of('/');
  return slash == std::string::npos ? absolutePath : absolutePath.substr(slash + 1);
}

/** True when every link along the path exists and the last one resolves to
 *  an object. Never leaves an error on the stack. */
bool
PathExists(hid_t file, const std::string & absolutePath)
{
  if (absolutePath == "/")
  {
    return true;
  }
  std::string       prefix;
  std::stringstream stream(absolutePath.substr(1));
  std::string       part;
  while (std::getline(stream, part, '/'))
  {
    prefix += "/" + part;
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0)
    {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  const bool exists = H5Oexists_by_name(file, absolutePath.c_str(), H5P_DEFAULT) > 0;
  H5Eclear2(H5E_DEFAULT);
  return exists;
}

std::string
ShapeText(const std::vector<hsize_t> & shape)
{
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
  {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

/** A short name of an HDF5 datatype: uint16, float32, string, compound, ... */
std::string
TypeName(hid_t type)
{
  const size_t bits = 8 * H5Tget_size(type);
  switch (H5Tget_class(type))
  {
    case H5T_INTEGER:
      return std::string(H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_FLOAT:
      return "float" + std::to_string(bits);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "variable-length sequence";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_REFERENCE:
      return "reference";
    case H5T_TIME:
      return "time";
    default:
      return "unknown type";
  }
}

// ------------------------------------------------------------------ listing datasets

struct DatasetInfo
{
  std::string          path; // absolute
  std::vector<hsize_t> shape;
  std::string          type;
  bool                 emdDatacube{ false }; // "data" inside a group with emd_group_type
};

std::string
DatasetText(const DatasetInfo & info)
{
  return info.path + " " + ShapeText(info.shape) + " " + info.type;
}

std::string
ListText(const std::vector<DatasetInfo> & datasets, size_t maximum = 20)
{
  if (datasets.empty())
  {
    return "(none)";
  }
  std::string text;
  for (size_t i = 0; i < datasets.size() && i < maximum; ++i)
  {
    text += (i ? ", " : "") + DatasetText(datasets[i]);
  }
  if (datasets.size() > maximum)
  {
    text += ", ... (" + std::to_string(datasets.size() - maximum) + " more)";
  }
  return text;
}

bool
HasAttribute(hid_t object, const char * name)
{
  const htri_t exists = H5Aexists(object, name);
  if (exists < 0)
  {
    H5Eclear2(H5E_DEFAULT);
  }
  return exists > 0;
}

#if H5_VERSION_GE(1, 12, 0)
using ObjectInfo = H5O_info2_t;
#else
using ObjectInfo = H5O_info_t;
#endif

herr_t
VisitDataset(hid_t root, const char * name, const ObjectInfo * info, void * clientData)
{
  if (info->type != H5O_TYPE_DATASET)
  {
    return 0;
  }
  auto *        datasets = static_cast<std::vector<DatasetInfo> *>(clientData);
  DatasetHandle dataset(H5Dopen2(root, name, H5P_DEFAULT));
  if (!dataset)
  {
    H5Eclear2(H5E_DEFAULT); // unreadable objects are left out of the list
    return 0;
  }
  DatasetInfo     entry;
  DataspaceHandle space(H5Dget_space(dataset.Get()));
  const int       rank = space ? H5Sget_simple_extent_ndims(space.Get()) : -1;
  if (rank > 0)
  {
    entry.shape.resize(rank);
    H5Sget_simple_extent_dims(space.Get(), entry.shape.data(), nullptr);
  }
  TypeHandle type(H5Dget_type(dataset.Get()));
  entry.type = type ? TypeName(type.Get()) : "unknown type";
  entry.path = NormalizePath(name);
  if (BaseName(entry.path) == "data")
  {
    GroupHandle parent(H5Gopen2(root, ParentPath(entry.path).c_str(), H5P_DEFAULT));
    entry.emdDatacube = parent && HasAttribute(parent.Get(), "emd_group_type");
  }
  H5Eclear2(H5E_DEFAULT);
  datasets->push_back(std::move(entry));
  return 0;
}

/** Every dataset of the file (any rank), in name order. */
std::vector<DatasetInfo>
ListDatasets(hid_t file, const FileContext & context)
{
  std::vector<DatasetInfo> datasets;
#if H5_VERSION_GE(1, 12, 0)
  const herr_t status = H5Ovisit3(file, H5_INDEX_NAME, H5_ITER_INC, VisitDataset, &datasets, H5O_INFO_BASIC);
#else
  const herr_t status = H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, VisitDataset, &datasets, H5O_INFO_BASIC);
#endif
  context.Check(status, "listing the objects");
  return datasets;
}

std::vector<DatasetInfo>
FourDOnly(const std::vector<DatasetInfo> & datasets)
{
  std::vector<DatasetInfo> fourD;
  std::copy_if(datasets.begin(),
               datasets.end(),
               std::back_inserter(fourD),
               [](const DatasetInfo & d) { return d.shape.size() == 4; });
  return fourD;
}

// ------------------------------------------------------------------ opening files

const char * const ExpectedFileText = "an HDF5 file with a 4D dataset [scan y, scan x, detector y, detector x]";

FileHandle
OpenForReading(const FileContext & context)
{
  const std::string & fileName = context.GetFileName();
  std::error_code     error;
  if (fileName.empty())
  {
    STEMPDF_HDF5_THROW("no file name was set; expected " << ExpectedFileText);
  }
  if (!fs::exists(fileName, error))
  {
    STEMPDF_HDF5_THROW("file '" << fileName << "' does not exist; expected " << ExpectedFileText);
  }
  if (fs::is_directory(fileName, error))
  {
    STEMPDF_HDF5_THROW("'" << fileName << "' is a directory; expected " << ExpectedFileText);
  }
  const auto size = fs::file_size(fileName, error);
  if (!error && size == 0)
  {
    STEMPDF_HDF5_THROW("file '" << fileName << "' is empty (0 bytes); expected " << ExpectedFileText);
  }
  const htri_t isHDF5 = H5Fis_hdf5(fileName.c_str());
  if (isHDF5 == 0)
  {
    H5Eclear2(H5E_DEFAULT);
    STEMPDF_HDF5_THROW("file '" << fileName << "' is not an HDF5 file (no HDF5 signature found); expected "
                                << ExpectedFileText);
  }
  if (isHDF5 < 0)
  {
    context.Fail("checking whether it is an HDF5 file");
  }
  FileHandle file(H5Fopen(fileName.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!file)
  {
    STEMPDF_HDF5_THROW("file '" << fileName << "' has an HDF5 signature but cannot be opened (damaged or truncated?): "
                                << TakeHDF5Errors());
  }
  return file;
}

// ------------------------------------------------------------------ reading values

/** A string held by an attribute or a dataset: scalar or the first element,
 *  fixed or variable length; false if it is not a string. */
bool
ReadStringValue(hid_t object, bool isAttribute, std::string & value)
{
  TypeHandle type(isAttribute ? H5Aget_type(object) : H5Dget_type(object));
  if (!type || H5Tget_class(type.Get()) != H5T_STRING)
  {
    return false;
  }
  DataspaceHandle space(isAttribute ? H5Aget_space(object) : H5Dget_space(object));
  const hssize_t  count = space ? H5Sget_simple_extent_npoints(space.Get()) : -1;
  if (count < 1)
  {
    return false;
  }
  if (H5Tis_variable_str(type.Get()) > 0)
  {
    TypeHandle memoryType(H5Tcopy(H5T_C_S1));
    H5Tset_size(memoryType.Get(), H5T_VARIABLE);
    H5Tset_cset(memoryType.Get(), H5Tget_cset(type.Get()));
    std::vector<char *> strings(static_cast<size_t>(count), nullptr);
    const herr_t        status = isAttribute
                                   ? H5Aread(object, memoryType.Get(), strings.data())
                                   : H5Dread(object, memoryType.Get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data());
    if (status < 0)
    {
      return false;
    }
    value = strings[0] != nullptr ? strings[0] : "";
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memoryType.Get(), space.Get(), H5P_DEFAULT, strings.data());
#else
    H5Dvlen_reclaim(memoryType.Get(), space.Get(), H5P_DEFAULT, strings.data());
#endif
    return true;
  }
  const size_t size = H5Tget_size(type.Get());
  if (size == 0)
  {
    return false;
  }
  std::vector<char> bytes(size * static_cast<size_t>(count) + 1, '\0');
  TypeHandle        memoryType(H5Tcopy(type.Get())); // the same type: the bytes as stored
  const herr_t      status = isAttribute ? H5Aread(object, memoryType.Get(), bytes.data())
                                         : H5Dread(object, memoryType.Get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
  if (status < 0)
  {
    return false;
  }
  value.assign(bytes.data(), strnlen(bytes.data(), size));
  while (!value.empty() && value.back() == ' ')
  {
    value.pop_back();
  }
  return true;
}

/** All values of a numeric attribute or dataset as doubles (a string holding
 *  a number gives that number); empty if not numeric. */
std::vector<double>
ReadNumbers(hid_t object, bool isAttribute)
{
  TypeHandle type(isAttribute ? H5Aget_type(object) : H5Dget_type(object));
  if (!type)
  {
    return {};
  }
  const H5T_class_t typeClass = H5Tget_class(type.Get());
  if (typeClass == H5T_STRING)
  {
    std::string text;
    if (!ReadStringValue(object, isAttribute, text))
    {
      return {};
    }
    char *       end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    return (end != text.c_str()) ? std::vector<double>{ number } : std::vector<double>{};
  }
  if (typeClass != H5T_INTEGER && typeClass != H5T_FLOAT)
  {
    return {};
  }
  DataspaceHandle space(isAttribute ? H5Aget_space(object) : H5Dget_space(object));
  const hssize_t  count = space ? H5Sget_simple_extent_npoints(space.Get()) : -1;
  if (count < 1 || count > (1 << 24))
  {
    return {};
  }
  std::vector<double> values(static_cast<size_t>(count));
  const herr_t        status = isAttribute ? H5Aread(object, H5T_NATIVE_DOUBLE, values.data())
                                           : H5Dread(object, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  return status < 0 ? std::vector<double>{} : values;
}

bool
AttributeString(hid_t object, const char * name, std::string & value)
{
  if (!HasAttribute(object, name))
  {
    return false;
  }
  AttributeHandle attribute(H5Aopen(object, name, H5P_DEFAULT));
  const bool      ok = attribute && ReadStringValue(attribute.Get(), true, value);
  H5Eclear2(H5E_DEFAULT);
  return ok;
}

bool
AttributeNumber(hid_t object, const char * name, double & value)
{
  if (!HasAttribute(object, name))
  {
    return false;
  }
  AttributeHandle attribute(H5Aopen(object, name, H5P_DEFAULT));
  const auto      values = attribute ? ReadNumbers(attribute.Get(), true) : std::vector<double>{};
  H5Eclear2(H5E_DEFAULT);
  if (values.empty())
  {
    return false;
  }
  value = values.front();
  return true;
}

/** Opens the dataset `name` in `group` if there is one (no error otherwise). */
DatasetHandle
OpenChildDataset(hid_t group, const std::string & name)
{
  if (H5Lexists(group, name.c_str(), H5P_DEFAULT) <= 0)
  {
    H5Eclear2(H5E_DEFAULT);
    return DatasetHandle();
  }
  ObjectHandle object(H5Oopen(group, name.c_str(), H5P_DEFAULT));
  if (!object || H5Iget_type(object.Get()) != H5I_DATASET)
  {
    H5Eclear2(H5E_DEFAULT);
    return DatasetHandle();
  }
  DatasetHandle dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT));
  H5Eclear2(H5E_DEFAULT);
  return dataset;
}

GroupHandle
OpenChildGroup(hid_t location, const std::string & path)
{
  if (!PathExists(location, path))
  {
    return GroupHandle();
  }
  ObjectHandle object(H5Oopen(location, path.c_str(), H5P_DEFAULT));
  if (!object || H5Iget_type(object.Get()) != H5I_GROUP)
  {
    H5Eclear2(H5E_DEFAULT);
    return GroupHandle();
  }
  GroupHandle group(H5Gopen2(location, path.c_str(), H5P_DEFAULT));
  H5Eclear2(H5E_DEFAULT);
  return group;
}

// ------------------------------------------------------------------ units

enum class UnitKind
{
  Unknown,
  Pixel,
  Length,           // factor converts to nm
  ReciprocalLength, // factor converts to 1/A
  Angle             // factor converts to mrad
};

struct Unit
{
  UnitKind kind{ UnitKind::Unknown };
  double   factor{ 1.0 };
};

/** Lower case, without brackets, underscores and blanks (the EMD spec writes
 *  nm as "[n_m]"); Angstrom and micro signs become 'a' and 'u'. */
std::string
NormalizeUnitText(const std::string & raw)
{
  std::string text;
  for (size_t i = 0; i < raw.size();)
  {
    const auto c = static_cast<unsigned char>(raw[i]);
    const auto next = i + 1 < raw.size() ? static_cast<unsigned char>(raw[i + 1]) : 0;
    const auto third = i + 2 < raw.size() ? static_cast<unsigned char>(raw[i + 2]) : 0;
    if (c == 0xC3 && (next == 0x85 || next == 0xA5)) // Å å
    {
      text += 'a';
      i += 2;
    }
    else if (c == 0xC3 && (next == 0x96 || next == 0xB6)) // Ö ö
    {
      text += 'o';
      i += 2;
    }
    else if (c == 0xE2 && next == 0x84 && third == 0xAB) // Angstrom sign
    {
      text += 'a';
      i += 3;
    }
    else if ((c == 0xC2 && next == 0xB5) || (c == 0xCE && next == 0xBC)) // micro sign, Greek mu
    {
      text += 'u';
      i += 2;
    }
    else
    {
      if (c != '[' && c != ']' && c != '_' && !std::isspace(c))
      {
        text += static_cast<char>(std::tolower(c));
      }
      ++i;
    }
  }
  return text;
}

/** nm per unit of length, 0 if `text` (normalised) is not a length unit. */
double
NanometresPer(const std::string & text)
{
  static const std::array<std::pair<const char *, double>, 20> lengths{ {
    { "nm", 1.0 },         { "nanometer", 1.0 }, { "nanometers", 1.0 }, { "nanometre", 1.0 },  { "nanometres", 1.0 },
    { "a", 0.1 },          { "ang", 0.1 },       { "angstrom", 0.1 },   { "angstroms", 0.1 },  { "pm", 1e-3 },
    { "um", 1e3 },         { "micron", 1e3 },    { "microns", 1e3 },    { "micrometer", 1e3 }, { "micrometers", 1e3 },
    { "micrometre", 1e3 }, { "mm", 1e6 },        { "m", 1e9 },          { "meter", 1e9 },      { "metre", 1e9 },
  } };
  for (const auto & entry : lengths)
  {
    if (text == entry.first)
    {
      return entry.second;
    }
  }
  return 0.0;
}

Unit
ParseUnit(const std::string & raw)
{
  const std::string text = NormalizeUnitText(raw);
  if (text == "px" || text == "pix" || text == "pixel" || text == "pixels")
  {
    return { UnitKind::Pixel, 1.0 };
  }
  if (const double nm = NanometresPer(text); nm > 0.0)
  {
    return { UnitKind::Length, nm };
  }
  if (text == "mrad")
  {
    return { UnitKind::Angle, 1.0 };
  }
  if (text == "rad")
  {
    return { UnitKind::Angle, 1e3 };
  }
  if (text == "urad")
  {
    return { UnitKind::Angle, 1e-3 };
  }
  std::string lengthText;
  if (text.rfind("1/", 0) == 0)
  {
    lengthText = text.substr(2);
  }
  else if (text.size() > 3 && text.compare(text.size() - 3, 3, "^-1") == 0)
  {
    lengthText = text.substr(0, text.size() - 3);
  }
  else if (text.size() > 2 && text.compare(text.size() - 2, 2, "-1") == 0)
  {
    lengthText = text.substr(0, text.size() - 2);
  }
  if (const double nm = NanometresPer(lengthText); nm > 0.0)
  {
    return { UnitKind::ReciprocalLength, 1.0 / (10.0 * nm) }; // per X -> per Angstrom
  }
  return {};
}

/** Relativistic electron wavelength in Angstrom for an accelerating voltage in kV. */
double
ElectronWavelength(double kilovolts)
{
  constexpr double h = 6.62607015e-34;
  constexpr double m0 = 9.1093837015e-31;
  constexpr double e = 1.602176634e-19;
  constexpr double c = 299792458.0;
  const double     volts = kilovolts * 1e3;
  return 1e10 * h / std::sqrt(2.0 * m0 * e * volts * (1.0 + e * volts / (2.0 * m0 * c * c)));
}

// ------------------------------------------------------------------ calibrations found in a file

struct Calibration
{
  // Scan, array axis order (y, x); steps and origins in nm, 0 step = unknown.
  std::array<double, 2> scanStep{ { 0.0, 0.0 } };
  std::array<double, 2> scanOrigin{ { 0.0, 0.0 } };
  double                detectorPixelSize{ 0.0 };  // 1/A per pixel
  double                detectorPixelAngle{ 0.0 }; // mrad per pixel (converted with the beam energy)
  double                beamEnergy{ 0.0 };         // kV
  double                cameraLength{ 0.0 };       // mm
};

struct DimVector
{
  bool                present{ false };
  std::vector<double> values;
  std::string         name;
  Unit                unit;
};

DimVector
ReadDimVector(hid_t group, const std::string & name)
{
  DimVector     dim;
  DatasetHandle dataset = OpenChildDataset(group, name);
  if (!dataset)
  {
    return dim;
  }
  dim.present = true;
  dim.values = ReadNumbers(dataset.Get(), false);
  AttributeString(dataset.Get(), "name", dim.name);
  std::string units;
  if (AttributeString(dataset.Get(), "units", units))
  {
    dim.unit = ParseUnit(units);
  }
  H5Eclear2(H5E_DEFAULT);
  return dim;
}

double
StepOf(const DimVector & dim)
{
  if (dim.values.size() < 2)
  {
    return 0.0;
  }
  const double step = dim.values[1] - dim.values[0];
  return (std::isfinite(step) && step > 0.0) ? step : 0.0;
}

/** The four dim vectors of an EMD group: dim1..dim4 (Berkeley EMD, py4DSTEM
 *  0.12) or dim0..dim3 (emdfile / EMD 1.0, py4DSTEM >= 0.13), in the order of
 *  the array's axes. */
std::array<DimVector, 4>
ReadDimVectors(hid_t group)
{
  std::array<DimVector, 4> dims;
  const int                first = (H5Lexists(group, "dim0", H5P_DEFAULT) > 0) ? 0 : 1;
  H5Eclear2(H5E_DEFAULT);
  for (int i = 0; i < 4; ++i)
  {
    dims[i] = ReadDimVector(group, "dim" + std::to_string(first + i));
  }
  return dims;
}

void
CalibrationFromDims(const std::array<DimVector, 4> & dims,
                    const FileContext &              context,
                    const std::string &              datasetPath,
                    Calibration &                    calibration)
{
  const auto isReciprocal = [](const DimVector & d)
  { return d.unit.kind == UnitKind::ReciprocalLength || d.unit.kind == UnitKind::Angle; };
  // HyperSpy writes EMD arrays transposed ([kx, ky, x, y] for a 4D-STEM scan):
  // frames are then not contiguous and the axes are not ours.
  if (isReciprocal(dims[0]) && isReciprocal(dims[1]) && !isReciprocal(dims[2]) && !isReciprocal(dims[3]))
  {
    STEMPDF_HDF5_THROW("dataset '" << datasetPath << "' in file '" << context.GetFileName()
                                   << "' stores the detector axes first (its dim vectors say [" << dims[0].name << ", "
                                   << dims[1].name << ", " << dims[2].name << ", " << dims[3].name
                                   << "], reciprocal units first, as HyperSpy writes EMD files); expected "
                                      "[scan y, scan x, detector y, detector x] so that each frame is contiguous");
  }
  if (dims[0].unit.kind == UnitKind::Length && dims[1].unit.kind == UnitKind::Length)
  {
    for (int axis = 0; axis < 2; ++axis)
    {
      const double step = StepOf(dims[axis]);
      if (step > 0.0)
      {
        calibration.scanStep[axis] = step * dims[axis].unit.factor;
        calibration.scanOrigin[axis] = dims[axis].values[0] * dims[axis].unit.factor;
      }
    }
    if (calibration.scanStep[0] <= 0.0 || calibration.scanStep[1] <= 0.0)
    {
      calibration.scanStep = { { 0.0, 0.0 } };
      calibration.scanOrigin = { { 0.0, 0.0 } };
    }
  }
  for (int axis : { 3, 2 }) // detector x first
  {
    const DimVector & dim = dims[axis];
    const double      step = StepOf(dim);
    if (step <= 0.0)
    {
      continue;
    }
    if (dim.unit.kind == UnitKind::ReciprocalLength && calibration.detectorPixelSize <= 0.0)
    {
      calibration.detectorPixelSize = step * dim.unit.factor;
    }
    else if (dim.unit.kind == UnitKind::Angle && calibration.detectorPixelAngle <= 0.0)
    {
      calibration.detectorPixelAngle = step * dim.unit.factor;
    }
  }
}

/** Value and units of a py4DSTEM calibration item (a scalar dataset). */
bool
Py4DSTEMItem(hid_t                               group,
             const char *                        sizeName,
             const std::array<const char *, 2> & unitNames,
             std::vector<double> &               sizes,
             Unit &                              unit)
{
  DatasetHandle size = OpenChildDataset(group, sizeName);
  if (!size)
  {
    return false;
  }
  sizes = ReadNumbers(size.Get(), false);
  if (sizes.empty())
  {
    return false;
  }
  unit = Unit{ UnitKind::Pixel, 1.0 }; // py4DSTEM's default units are "pixels"
  for (const char * unitName : unitNames)
  {
    DatasetHandle units = OpenChildDataset(group, unitName);
    std::string   text;
    if (units && ReadStringValue(units.Get(), false, text))
    {
      unit = ParseUnit(text);
      break;
    }
  }
  H5Eclear2(H5E_DEFAULT);
  return true;
}

/** py4DSTEM keeps R_pixel_size / Q_pixel_size (and their units) in a metadata
 *  group: 0.12 in <top>/metadata/calibration (or .../microscope), 0.13 in a
 *  "calibration" group next to or under the datacube, >= 0.14 in
 *  <root>/metadatabundle/calibration. The nearest such group, walking up
 *  from the dataset's group, wins. */
void
CalibrationFromPy4DSTEM(hid_t file, const std::string & groupPath, Calibration & calibration)
{
  static const std::array<const char *, 5> candidates{ { "calibration",
                                                         "metadatabundle/calibration",
                                                         "_metadata/calibration",
                                                         "metadata/calibration",
                                                         "metadata/microscope" } };
  bool                                     haveR = false;
  bool                                     haveQ = false;
  std::string                              ancestor = groupPath;
  while (!(haveR && haveQ))
  {
    for (const char * candidate : candidates)
    {
      const std::string path = (ancestor == "/" ? "" : ancestor) + "/" + candidate;
      GroupHandle       group = OpenChildGroup(file, path);
      if (!group)
      {
        continue;
      }
      std::vector<double> sizes;
      Unit                unit;
      if (!haveR &&
          Py4DSTEMItem(group.Get(), "R_pixel_size", { { "R_pixel_units", "R_pixel_size_units" } }, sizes, unit))
      {
        haveR = true;
        // py4DSTEM's R_x is the slow (row) axis: our y.
        const double stepY = sizes[0];
        const double stepX = sizes.size() > 1 ? sizes[1] : sizes[0];
        if (unit.kind == UnitKind::Length && stepX > 0.0 && stepY > 0.0)
        {
          calibration.scanStep = { { stepY * unit.factor, stepX * unit.factor } };
          calibration.scanOrigin = { { 0.0, 0.0 } };
        }
      }
      if (!haveQ &&
          Py4DSTEMItem(group.Get(), "Q_pixel_size", { { "Q_pixel_units", "Q_pixel_size_units" } }, sizes, unit))
      {
        haveQ = true;
        const double size = sizes.size() > 1 ? sizes[1] : sizes[0];
        if (unit.kind == UnitKind::ReciprocalLength && size > 0.0)
        {
          calibration.detectorPixelSize = size * unit.factor;
        }
        else if (unit.kind == UnitKind::Angle && size > 0.0)
        {
          calibration.detectorPixelAngle = size * unit.factor;
        }
      }
    }
    if (ancestor == "/")
    {
      break;
    }
    ancestor = ParentPath(ancestor);
  }
}

/** STEMPDF's own attributes (as written by this class), on the dataset or
 *  on its group. */
void
CalibrationFromSTEMPDF(hid_t dataset, hid_t group, Calibration & calibration)
{
  for (hid_t object : { group, dataset }) // the dataset's own attributes win
  {
    double value = 0.0;
    if (AttributeNumber(object, HDF5DatasetImageIO::ScanStepKey, value) && value > 0.0)
    {
      calibration.scanStep = { { value, value } };
    }
    if (AttributeNumber(object, HDF5DatasetImageIO::DetectorPixelSizeKey, value) && value > 0.0)
    {
      calibration.detectorPixelSize = value;
    }
    if (AttributeNumber(object, HDF5DatasetImageIO::BeamEnergyKey, value) && value > 0.0)
    {
      calibration.beamEnergy = value;
    }
    if (AttributeNumber(object, HDF5DatasetImageIO::CameraLengthKey, value) && value > 0.0)
    {
      calibration.cameraLength = value;
    }
  }
}

std::string
VersionText(hid_t object)
{
  double major = 0.0;
  double minor = 0.0;
  if (AttributeNumber(object, "version_major", major) && AttributeNumber(object, "version_minor", minor))
  {
    return std::to_string(static_cast<int>(major)) + "." + std::to_string(static_cast<int>(minor));
  }
  return "";
}

/** Which software's layout the dataset is in (see the class documentation). */
std::string
DetectLayout(hid_t file, hid_t group, const std::string & groupPath)
{
  if (!HasAttribute(group, "emd_group_type"))
  {
    return "plain HDF5";
  }
  std::string typeText;
  if (AttributeString(group, "emd_group_type", typeText))
  {
    if (typeText == "file")
    {
      return "plain HDF5"; // a dataset at the root of an EMD 1.0 file
    }
    // emdfile (EMD 1.0): string group types; py4DSTEM >= 0.14 tags its classes.
    std::string pythonClass;
    AttributeString(group, "python_class", pythonClass);
    return pythonClass == "DataCube" ? "py4DSTEM >= 0.14" : "EMD 1.0 (emdfile)";
  }
  // Integer group type 1: Berkeley EMD, or a py4DSTEM 0.12 / 0.13 tree whose
  // top-level group says so.
  const auto        second = groupPath.find('/', 1);
  const std::string topPath = groupPath.substr(0, second);
  GroupHandle       top = OpenChildGroup(file, topPath);
  if (top && topPath != "/")
  {
    double            topType = 0.0;
    std::string       topTypeText;
    const std::string version = VersionText(top.Get());
    if (AttributeString(top.Get(), "emd_group_type", topTypeText) && topTypeText == "root" && !version.empty())
    {
      return "py4DSTEM " + version;
    }
    if (AttributeNumber(top.Get(), "emd_group_type", topType) && topType == 2.0 && !version.empty())
    {
      return "py4DSTEM " + version;
    }
  }
  return "Berkeley EMD";
}

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
WriteNumberAttribute(hid_t               object,
                     const char *        name,
                     hid_t               fileType,
                     hid_t               memoryType,
                     const void *        value,
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
WriteDimVector(hid_t               group,
               hid_t               creation,
               const std::string & datasetName,
               double              first,
               double              step,
               const std::string & name,
               const std::string & units,
               const FileContext & context)
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
  explicit RemoveUnlessKept(std::string fileName) : m_FileName(std::move(fileName)) {}
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
  m_Layout = DetectLayout(file.Get(), group.Get(), groupPath);
  Calibration calibration;
  if (m_Layout != "plain HDF5")
  {
    CalibrationFromDims(ReadDimVectors(group.Get()), context, path, calibration);
  }
  CalibrationFromPy4DSTEM(file.Get(), groupPath, calibration);
  CalibrationFromSTEMPDF(dataset.Get(), group.Get(), calibration);
  H5Eclear2(H5E_DEFAULT);
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
  ComponentTypeInfo componentType{};
  if (!ComponentTypeOf(m_ComponentType, componentType))
  {
    itkExceptionMacro("cannot write file '" << m_FileName << "': component type " << ComponentName(m_ComponentType)
                                            << "; expected " << SupportedTypesText);
  }
  const unsigned int components = m_NumberOfComponents;
  unsigned int       kx = 0;
  unsigned int       ky = 0;
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
  }
  else
  {
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
  const hsize_t nx = m_Dimensions[0];
  const hsize_t ny = m_Dimensions[1];
  if (nx == 0 || ny == 0 || kx == 0 || ky == 0)
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
  if (m_UseCompression && H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
  {
    itkExceptionMacro("cannot write file '" << m_FileName
                                            << "' compressed: this HDF5 library has no gzip (deflate) filter");
  }

  {
    std::error_code error;
    const fs::path  folder = fs::absolute(fs::path(m_FileName), error).parent_path();
    if (!fs::is_directory(folder, error))
    {
      itkExceptionMacro("cannot write file '" << m_FileName << "': folder '" << folder.string() << "' does not exist");
    }
  }

  // ---- calibrations: settings of this IO win over the image's dictionary
  const itk::MetaDataDictionary & dictionary = this->GetMetaDataDictionary();
  const auto                      choose = [&](double setting, const char * key)
  { return setting > 0.0 ? setting : DictionaryNumber(dictionary, key); };
  const double detectorPixelSize = choose(m_DetectorPixelSize, DetectorPixelSizeKey);
  const double beamEnergy = choose(m_BeamEnergy, BeamEnergyKey);
  const double cameraLength = choose(m_CameraLength, CameraLengthKey);
  const double stepX = m_ScanStep > 0.0 ? m_ScanStep : m_Spacing[0];
  const double stepY = m_ScanStep > 0.0 ? m_ScanStep : m_Spacing[1];

  // ---- write next to the target, then move it into place
  const std::string partial = m_FileName + ".stempdf-partial";
  RemoveUnlessKept  removePartial(partial);
  const FileContext context(m_FileName);
  {
    FileHandle file(context.Check(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                                  "creating the file (as '" + partial + "')"));
    removePartial.Arm();
    // Berkeley EMD: version attributes on the root, the usual top-level groups.
    WriteIntegerAttribute(file.Get(), "version_major", 0, context);
    WriteIntegerAttribute(file.Get(), "version_minor", 2, context);
    // No modification times in the object headers: the same image gives the same bytes.
    PropertyListHandle groupCreation(context.Check(H5Pcreate(H5P_GROUP_CREATE), "creating a property list"));
    context.Check(H5Pset_obj_track_times(groupCreation.Get(), 0), "creating a property list");
    PropertyListHandle dimCreation(context.Check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list"));
    context.Check(H5Pset_obj_track_times(dimCreation.Get(), 0), "creating a property list");
    const auto createGroup = [&](const std::string & path)
    {
      if (!PathExists(file.Get(), path))
      {
        GroupHandle created(
          context.Check(H5Gcreate2(file.Get(), path.c_str(), H5P_DEFAULT, groupCreation.Get(), H5P_DEFAULT),
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
    GroupHandle group(
      context.Check(H5Gopen2(file.Get(), groupPath.c_str(), H5P_DEFAULT), "opening group '" + groupPath + "'"));
    WriteIntegerAttribute(group.Get(), "emd_group_type", 1, context);
    WriteDoubleAttribute(group.Get(), ScanStepKey, stepX, context);
    if (detectorPixelSize > 0.0)
    {
      WriteDoubleAttribute(group.Get(), DetectorPixelSizeKey, detectorPixelSize, context);
    }
    if (beamEnergy > 0.0)
    {
      WriteDoubleAttribute(group.Get(), BeamEnergyKey, beamEnergy, context);
    }
    if (cameraLength > 0.0)
    {
      WriteDoubleAttribute(group.Get(), CameraLengthKey, cameraLength, context);
    }

    const std::array<hsize_t, 4> shape{ { ny, nx, ky, kx } };
    DataspaceHandle    space(context.Check(H5Screate_simple(4, shape.data(), nullptr), "creating a dataspace"));
    PropertyListHandle creation(context.Check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list"));
    context.Check(H5Pset_fill_time(creation.Get(), H5D_FILL_TIME_NEVER), "setting the fill time");
    context.Check(H5Pset_obj_track_times(creation.Get(), 0), "creating a property list");
    if (m_ChunkFrames || m_UseCompression)
    {
      const std::array<hsize_t, 4> chunk{ { 1, 1, ky, kx } };
      context.Check(H5Pset_chunk(creation.Get(), 4, chunk.data()), "setting one chunk per frame");
      if (m_UseCompression)
      {
        context.Check(H5Pset_shuffle(creation.Get()), "setting the shuffle filter");
        context.Check(H5Pset_deflate(creation.Get(), static_cast<unsigned int>(std::clamp(m_CompressionLevel, 0, 9))),
                      "setting gzip compression");
      }
    }
    const std::string dataPath = groupPath + "/data";
    DatasetHandle     data(context.Check(
      H5Dcreate2(group.Get(), "data", componentType.fileType, space.Get(), H5P_DEFAULT, creation.Get(), H5P_DEFAULT),
      "creating dataset '" + dataPath + "'"));
    context.Check(H5Dwrite(data.Get(), componentType.memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer),
                  "writing dataset '" + dataPath + "'");
    context.Check(data.Reset(), "closing dataset '" + dataPath + "'");

    // dim1..dim4 in the order of the array's axes: scan y, scan x, detector y, detector x.
    WriteDimVector(group.Get(), dimCreation.Get(), "dim1", m_Origin[1], stepY, "scan_y", "[n_m]", context);
    WriteDimVector(group.Get(), dimCreation.Get(), "dim2", m_Origin[0], stepX, "scan_x", "[n_m]", context);
    const double      detectorStep = detectorPixelSize > 0.0 ? detectorPixelSize : 1.0;
    const std::string detectorUnits = detectorPixelSize > 0.0 ? "[1_/_\xC3\x85]" : "[p_x]"; // 1/Å or px
    WriteDimVector(group.Get(), dimCreation.Get(), "dim3", 0.0, detectorStep, "detector_y", detectorUnits, context);
    WriteDimVector(group.Get(), dimCreation.Get(), "dim4", 0.0, detectorStep, "detector_x", detectorUnits, context);
    context.Check(group.Reset(), "closing group '" + groupPath + "'");
    context.Check(file.Reset(), "closing the file (as '" + partial + "')");
  }
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
