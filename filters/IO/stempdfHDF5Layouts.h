#ifndef stempdfHDF5Layouts_h
#define stempdfHDF5Layouts_h

// Internal to STEMPDFFilters (needs the HDF5 headers): finding the 4D datasets
// of an HDF5 file, recognising the layouts stempdf::HDF5DatasetImageIO reads
// (plain HDF5, Berkeley EMD, EMD 1.0 / emdfile, py4DSTEM 0.12, 0.13 and
// >= 0.14) and reading their calibrations (docs/format-hdf5.md).

#include "stempdfHDF5Handles.h"

#include <hdf5.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace stempdf
{
namespace hdf5
{
// ------------------------------------------------------------------ paths and names

/** "/a/b" from "a//b/", "/a/./b" etc.; "/" for the root. */
std::string
NormalizePath(const std::string & path);

std::string
ParentPath(const std::string & absolutePath);

std::string
BaseName(const std::string & absolutePath);

/** True when every link along the path exists and the last one resolves to
 *  an object. Never leaves an error on the stack. */
bool
PathExists(hid_t file, const std::string & absolutePath);

std::string
ShapeText(const std::vector<hsize_t> & shape);

/** A short name of an HDF5 datatype: uint16, float32, string, compound, ... */
std::string
TypeName(hid_t type);

// ------------------------------------------------------------------ listing datasets

struct DatasetInfo
{
  std::string          path; // absolute
  std::vector<hsize_t> shape;
  std::string          type;
  bool                 emdDatacube{ false }; // "data" inside a group with emd_group_type
};

/** "path [shape] type" of the first `maximum` datasets, comma separated. */
std::string
ListText(const std::vector<DatasetInfo> & datasets, size_t maximum = 20);

/** Every dataset of the file (any rank), in name order. */
std::vector<DatasetInfo>
ListDatasets(hid_t file, const FileContext & context);

std::vector<DatasetInfo>
FourDOnly(const std::vector<DatasetInfo> & datasets);

// ------------------------------------------------------------------ opening files and objects

inline constexpr const char * ExpectedFileText =
  "an HDF5 file with a 4D dataset [scan y, scan x, detector y, detector x]";

/** Opens context's file read-only, with an exception saying what is wrong
 *  with it (missing, empty, not HDF5, damaged) otherwise. */
FileHandle
OpenForReading(const FileContext & context);

/** Opens the dataset `name` in `group` if there is one (no error otherwise). */
DatasetHandle
OpenChildDataset(hid_t group, const std::string & name);

/** Opens the group at `path` if there is one (no error otherwise). */
GroupHandle
OpenChildGroup(hid_t location, const std::string & path);

// ------------------------------------------------------------------ layouts and calibrations

/** Calibrations found in a file. */
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

/** Which software's layout the dataset in `group` (at `groupPath`) is in:
 *  "plain HDF5", "Berkeley EMD", "EMD 1.0 (emdfile)", "py4DSTEM 0.12",
 *  "py4DSTEM 0.13" or "py4DSTEM >= 0.14". */
std::string
DetectLayout(hid_t file, hid_t group, const std::string & groupPath);

/** The calibrations of the dataset at `datasetPath` (in `group`, at
 *  `groupPath`) in a file of the given layout: the EMD dim vectors (not for
 *  plain HDF5), overridden by py4DSTEM calibration metadata, overridden by
 *  STEMPDF's own attributes. Throws for HyperSpy's transposed EMD arrays.
 *  Leaves HDF5's error stack empty. */
Calibration
ReadCalibration(hid_t file, hid_t dataset, hid_t group, const std::string & groupPath, const std::string & datasetPath,
                const std::string & layout, const FileContext & context);
} // namespace hdf5
} // namespace stempdf

#endif
