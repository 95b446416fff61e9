#ifndef stempdfHDF5DatasetImageIO_h
#define stempdfHDF5DatasetImageIO_h

#include "stempdfMetaDataKeys.h"

#include "itkImageFileReader.h"
#include "itkImageIOBase.h"
#include "itkImageIORegion.h"

#include <string>
#include <vector>

namespace stempdf
{
namespace hdf5
{
struct ScanToWrite; // what HDF5DatasetImageIO::Write() puts into the file (in the .cxx)
}

/** \class HDF5DatasetImageIO
 * \brief Reads a 4D-STEM scan from any 4D dataset of an HDF5 file, and writes
 * scans as Berkeley EMD files.
 *
 * The dataset holds one diffraction pattern per scan position, in C order
 * [scan y, scan x, detector y, detector x], so every frame is contiguous.
 * Reading produces the STEMPDF field over the scan grid
 * (docs/data-model.md): a 2D image (index 0 = scan x, index 1 = scan y) of
 * vectors of Kx * Ky components (detector x fastest) of the dataset's own
 * type (uint8, uint16, uint32, int16, int32, float32, float64), which
 * itk::ImageFileReader< stempdf::PatternFieldImage<T> > fills with
 * SetImageIO(HDF5DatasetImageIO::New()) (PatternFieldImageFileReader, in
 * stempdfPatternFieldImageFileReader.h,
 * does the same without ITK's extra copy of the whole scan).
 *
 * Which dataset: SetDatasetPath() names it (or an EMD group holding a
 * "data" dataset). By default the file's only 4D dataset is used; if there
 * are several, the only one that is an EMD / py4DSTEM datacube ("data" in a
 * group carrying an emd_group_type attribute); otherwise ReadImageInformation()
 * throws an exception that lists them. ListFourDDatasets() gives that list.
 *
 * Layouts recognised, with their calibrations (docs/format-hdf5.md):
 * - a plain HDF5 file with a 4D dataset anywhere;
 * - Berkeley EMD (emd_group_type = 1, dim1..dim4 with "name"/"units", as
 *   ncempy writes it; root version 0.2). HyperSpy's EMD files store the
 *   array transposed ([kx, ky, x, y]) and are refused with a clear message;
 * - EMD 1.0 as written by emdfile (emd_group_type = "array", dim0..dim3);
 * - py4DSTEM 0.12 (4DSTEM_experiment/data/datacubes/<name>), 0.13 and
 *   >= 0.14 (emdfile based), with R_pixel_size / Q_pixel_size calibrations.
 *
 * The calibrations found fill the MetaDataDictionary (which ImageFileReader
 * copies onto the image): the detector VectorAxis, "STEMPDF.ScanStep" (nm),
 * "STEMPDF.DetectorPixelSize" (1/A per pixel, s = 1/d), "STEMPDF.BeamEnergy"
 * (kV), "STEMPDF.CameraLength" (mm), all doubles and only when known, and
 * "HDF5.DatasetPath" and "HDF5.Layout" (strings). Spacing and origin are the
 * scan step and the position of the first probe position in nm when the file
 * gives them in a length unit (A, nm, um, m), else 1 and 0. Every calibration
 * can be overridden: a value > 0 set with SetScanStep() etc. replaces the
 * file's.
 *
 * Streaming: Read() reads only the IORegion (any rectangle of scan
 * positions) with one HDF5 hyperslab straight into the buffer; contiguous,
 * chunked and gzip-compressed datasets all work.
 *
 * Writing (Write()) produces a Berkeley EMD file: root attributes
 * version_major = 0, version_minor = 2; a group (default /data/stempdf_scan,
 * or SetDatasetPath()) with emd_group_type = 1, the dataset "data"
 * [Ny, Nx, Ky, Kx] (contiguous by default; one chunk per frame with
 * ChunkFrames on or with compression) and dim1..dim4 (scan in nm, detector
 * in 1/A when the pixel size is known, else pixels), and the calibrations as
 * STEMPDF.* attributes of the group. Like every ITK writer it replaces an
 * existing file of the same name; the new file is written next to it first
 * and moved over it only when complete, so a failed write leaves nothing
 * behind and the old file untouched.
 *
 * Errors (not an HDF5 file, a missing dataset, a dataset that is not 4D,
 * several candidates, an unsupported type, a truncated or damaged file) are
 * itk::ExceptionObjects naming the file, the object and what was expected.
 * HDF5's own error printing is off while this class calls HDF5; its messages
 * end up in the exception.
 *
 * \ingroup STEMPDF
 */
class HDF5DatasetImageIO : public itk::ImageIOBase
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(HDF5DatasetImageIO);

  using Self = HDF5DatasetImageIO;
  using Superclass = itk::ImageIOBase;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(HDF5DatasetImageIO, ImageIOBase);

  /** Dictionary keys of the calibrations (values are doubles). */
  static constexpr const char * ScanStepKey = stempdf::ScanStepKey;                   // nm
  static constexpr const char * DetectorPixelSizeKey = stempdf::DetectorPixelSizeKey; // 1/A per pixel
  static constexpr const char * BeamEnergyKey = stempdf::BeamEnergyKey;               // kV
  static constexpr const char * CameraLengthKey = stempdf::CameraLengthKey;           // mm
  /** Dictionary keys of strings describing where the data came from. */
  static constexpr const char * DatasetPathKey = "HDF5.DatasetPath";
  static constexpr const char * LayoutKey = "HDF5.Layout";

  /** Path of the 4D dataset inside the file, e.g. "/data/scan/data", or of an
   *  EMD group that holds a dataset "data". When writing, the dataset's path
   *  (a path that does not end in "/data" names the group, and "data" is
   *  added). Default "" (reading: automatic choice, see the class
   *  documentation; writing: "/data/stempdf_scan/data"). */
  itkSetStringMacro(DatasetPath);
  itkGetStringMacro(DatasetPath);

  /** Scan step in nm. A value > 0 replaces the file's scan calibration
   *  (spacing of both scan axes) when reading, and the image's spacing when
   *  writing. Default 0 (use the file's, or the image's). */
  itkSetMacro(ScanStep, double);
  itkGetConstMacro(ScanStep, double);

  /** Detector pixel size in reciprocal space, 1/A per pixel (s = 1/d). A
   *  value > 0 replaces the file's (reading) or the image's dictionary entry
   *  (writing). Default 0 (use the file's / the image's, if any). */
  itkSetMacro(DetectorPixelSize, double);
  itkGetConstMacro(DetectorPixelSize, double);

  /** Beam energy in kV. A value > 0 replaces the file's / the image's. Also
   *  used to convert a detector calibration given in mrad into 1/A.
   *  Default 0 (use the file's / the image's, if any). */
  itkSetMacro(BeamEnergy, double);
  itkGetConstMacro(BeamEnergy, double);

  /** Camera length in mm. A value > 0 replaces the file's / the image's.
   *  Default 0 (use the file's / the image's, if any). */
  itkSetMacro(CameraLength, double);
  itkGetConstMacro(CameraLength, double);

  /** Writing: store the dataset in chunks of one frame (1 x 1 x Ky x Kx)
   *  instead of contiguously. Compression (the writer's UseCompression, gzip
   *  at CompressionLevel 0..9, default 4, with byte shuffling) always uses
   *  such chunks. Default off (contiguous: the fastest to read). */
  itkSetMacro(ChunkFrames, bool);
  itkGetConstMacro(ChunkFrames, bool);
  itkBooleanMacro(ChunkFrames);

  /** After ReadImageInformation(): the absolute path of the dataset read and
   *  the layout recognised ("plain HDF5", "Berkeley EMD", "EMD 1.0 (emdfile)",
   *  "py4DSTEM 0.12", "py4DSTEM 0.13", "py4DSTEM >= 0.14"). */
  itkGetStringMacro(ResolvedDatasetPath);
  itkGetStringMacro(Layout);

  /** Absolute paths of all datasets of rank 4 in the file, in name order
   *  (for a user interface that lets the user pick one). Throws an
   *  itk::ExceptionObject naming the file if it is not a readable HDF5 file. */
  static std::vector<std::string>
  ListFourDDatasets(const std::string & fileName);

  /** True for an HDF5 file that has a 4D dataset (at DatasetPath, if set).
   *  Never throws. */
  bool
  CanReadFile(const char * fileName) override;

  bool
  CanStreamRead() override
  {
    return true;
  }

  /** Only 2D images (the scan grid) are read and written. */
  bool
  SupportsDimension(unsigned long dimension) override
  {
    return dimension == 2;
  }

  void
  ReadImageInformation() override;

  /** Reads the IORegion (scan x, scan y rectangle) into buffer, which holds
   *  IORegion.GetNumberOfPixels() * Kx * Ky components of the dataset's type. */
  void
  Read(void * buffer) override;

  /** The requested region itself (any rectangle can be read), or the whole
   *  scan when streamed reading is off. */
  itk::ImageIORegion
  GenerateStreamableReadRegionFromRequestedRegion(const itk::ImageIORegion & requested) const override;

  /** True for names ending in .h5, .hdf5 or .emd (any case). */
  bool
  CanWriteFile(const char * fileName) override;

  /** Nothing to do: Write() writes the header and the data together. */
  void
  WriteImageInformation() override
  {}

  /** Writes the whole image (streamed writing is not supported). */
  void
  Write(const void * buffer) override;

protected:
  HDF5DatasetImageIO();
  ~HDF5DatasetImageIO() override = default;

  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  // The steps of Write() before it touches the disk, in its order (the first
  // error found wins).
  /** A file name and a whole, non-empty 2D image of vector (or scalar)
   *  pixels of a supported component type in `buffer`: the array of `scan`. */
  void
  CheckImageToWrite(const void * buffer, hdf5::ScanToWrite & scan) const;
  /** Kx, Ky: from the detector VectorAxis, else a square of the components. */
  void
  DetectorSizeToWrite(unsigned int & kx, unsigned int & ky) const;
  /** The EMD group: DatasetPath (without a final "data") or
   *  /data/stempdf_scan; never the file's root. */
  std::string
  GroupPathToWrite() const;
  /** A gzip filter when compressing, and an existing folder for the file. */
  void
  CheckDestination() const;
  /** The calibrations (this IO's settings win over the image's dictionary),
   *  the scan's origin and the dataset's chunking and compression. */
  void
  ChooseCalibrationsAndStorage(hdf5::ScanToWrite & scan) const;

  std::string m_DatasetPath;
  double      m_ScanStep{ 0.0 };
  double      m_DetectorPixelSize{ 0.0 };
  double      m_BeamEnergy{ 0.0 };
  double      m_CameraLength{ 0.0 };
  bool        m_ChunkFrames{ false };

  // State of the last ReadImageInformation().
  std::string                     m_ResolvedDatasetPath;
  std::string                     m_Layout;
  std::vector<unsigned long long> m_DatasetShape; // [Ny, Nx, Ky, Kx]
};

} // namespace stempdf

#endif
