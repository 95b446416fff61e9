/**
 * @class   vtkSTEMPDFHDF5Reader
 * @brief   Reads 4D-STEM scans from HDF5 files (any 4D dataset, EMD, py4DSTEM).
 *
 * Thin wrapper around stempdf::HDF5DatasetImageIO (docs/format-hdf5.md). The
 * dataset [scan y, scan x, detector y, detector x] is chosen with
 * DatasetPath; GetDatasetPaths() lists the file's 4D datasets (the GUI's
 * drop-down). Calibration attributes found in the file are used unless
 * overridden.
 */
#ifndef vtkSTEMPDFHDF5Reader_h
#define vtkSTEMPDFHDF5Reader_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkNew.h"            // for vtkNew
#include "vtkSTEMPDFScanReader.h"

class vtkStringArray;

class STEMPDFCORE_EXPORT vtkSTEMPDFHDF5Reader : public vtkSTEMPDFScanReader
{
public:
  static vtkSTEMPDFHDF5Reader* New();
  vtkTypeMacro(vtkSTEMPDFHDF5Reader, vtkSTEMPDFScanReader);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /** True for an HDF5 file holding a 4D dataset. */
  static int CanReadFile(const char* fileName);

  ///@{
  /** Path of the 4D dataset (or of an EMD group holding "data"); empty
   *  (default) = the file's only 4D dataset or datacube. */
  vtkSetStringMacro(DatasetPath);
  vtkGetStringMacro(DatasetPath);
  ///@}

  /** The 4D datasets of the file (empty when it cannot be read). */
  vtkStringArray* GetDatasetPaths();

protected:
  vtkSTEMPDFHDF5Reader();
  ~vtkSTEMPDFHDF5Reader() override;
  itk::SmartPointer<itk::ImageIOBase> CreateImageIO() override;

private:
  vtkSTEMPDFHDF5Reader(const vtkSTEMPDFHDF5Reader&) = delete;
  void operator=(const vtkSTEMPDFHDF5Reader&) = delete;

  char* DatasetPath = nullptr;
  vtkNew<vtkStringArray> DatasetPaths;
};

#endif
