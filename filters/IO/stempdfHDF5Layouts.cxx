#include "stempdfHDF5Layouts.h"

#include "stempdfMetaDataKeys.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

namespace stempdf
{
namespace hdf5
{
namespace
{
namespace fs = std::filesystem;
} // namespace

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

namespace
{
std::string
DatasetText(const DatasetInfo & info)
{
  return info.path + " " + ShapeText(info.shape) + " " + info.type;
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
} // namespace

std::string
ListText(const std::vector<DatasetInfo> & datasets, size_t maximum)
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
  std::copy_if(datasets.begin(), datasets.end(), std::back_inserter(fourD), [](const DatasetInfo & d) {
    return d.shape.size() == 4;
  });
  return fourD;
}

// ------------------------------------------------------------------ opening files

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

namespace
{
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

} // namespace

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

namespace
{
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

// ------------------------------------------------------------------ calibrations found in a file

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
CalibrationFromDims(const std::array<DimVector, 4> & dims, const FileContext & context, const std::string & datasetPath,
                    Calibration & calibration)
{
  const auto isReciprocal = [](const DimVector & d) {
    return d.unit.kind == UnitKind::ReciprocalLength || d.unit.kind == UnitKind::Angle;
  };
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
Py4DSTEMItem(hid_t group, const char * sizeName, const std::array<const char *, 2> & unitNames,
             std::vector<double> & sizes, Unit & unit)
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
    if (AttributeNumber(object, ScanStepKey, value) && value > 0.0)
    {
      calibration.scanStep = { { value, value } };
    }
    if (AttributeNumber(object, DetectorPixelSizeKey, value) && value > 0.0)
    {
      calibration.detectorPixelSize = value;
    }
    if (AttributeNumber(object, BeamEnergyKey, value) && value > 0.0)
    {
      calibration.beamEnergy = value;
    }
    if (AttributeNumber(object, CameraLengthKey, value) && value > 0.0)
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
} // namespace

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

Calibration
ReadCalibration(hid_t file, hid_t dataset, hid_t group, const std::string & groupPath, const std::string & datasetPath,
                const std::string & layout, const FileContext & context)
{
  // dim vectors < py4DSTEM metadata < STEMPDF attributes
  Calibration calibration;
  if (layout != "plain HDF5")
  {
    CalibrationFromDims(ReadDimVectors(group), context, datasetPath, calibration);
  }
  CalibrationFromPy4DSTEM(file, groupPath, calibration);
  CalibrationFromSTEMPDF(dataset, group, calibration);
  H5Eclear2(H5E_DEFAULT);
  return calibration;
}
} // namespace hdf5
} // namespace stempdf
