/**
 * @class   vtkSTEMPDFScanReader
 * @brief   Base of the STEMPDF 4D-STEM readers: an ITK ImageIO read into a field over the scan
 * grid.
 *
 * Subclasses create and configure the itk::ImageIOBase of their format
 * (CreateImageIO). This class reads its information into the output's whole
 * extent (Nx x Ny x 1 scan positions, spacing = scan step in nm) and reads
 * exactly the requested extent — a ParaView piece or an MPI rank's share,
 * split in slabs of scan rows — with ImageIO::Read straight into the output
 * array (Kx * Ky components, the detector's own type): no copy, no other
 * frames touched. The detector axis and the calibration go to field data
 * (docs/data-model.md). Calibration values from the file can be overridden:
 * ScanStep, DetectorPixelSize and BeamEnergy > 0 replace them.
 */
#ifndef vtkSTEMPDFScanReader_h
#define vtkSTEMPDFScanReader_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

#include <string>

namespace itk
{
class ImageIOBase;
template <typename T>
class SmartPointer;
} // namespace itk

class STEMPDFCORE_EXPORT vtkSTEMPDFScanReader : public vtkImageAlgorithm
{
public:
  vtkTypeMacro(vtkSTEMPDFScanReader, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** The file to read. */
  vtkSetStringMacro(FileName);
  vtkGetStringMacro(FileName);
  ///@}

  ///@{
  /** Scan step in nm; 0 (default) = the file's, or 1 when the file has none. */
  vtkSetMacro(ScanStep, double);
  vtkGetMacro(ScanStep, double);
  ///@}

  ///@{
  /** Detector pixel size in 1/A per pixel (s = 1/d); 0 (default) = the file's. */
  vtkSetMacro(DetectorPixelSize, double);
  vtkGetMacro(DetectorPixelSize, double);
  ///@}

  ///@{
  /** Beam energy in kV; 0 (default) = the file's. */
  vtkSetMacro(BeamEnergy, double);
  vtkGetMacro(BeamEnergy, double);
  ///@}

  ///@{
  /** Name of the output array of patterns. Default "Counts". */
  vtkSetStringMacro(PatternArrayName);
  vtkGetStringMacro(PatternArrayName);
  ///@}

  /** Calibration found in the file (0 = none), after RequestInformation. */
  vtkGetMacro(FileScanStep, double);
  vtkGetMacro(FileDetectorPixelSize, double);
  vtkGetMacro(FileBeamEnergy, double);

protected:
  vtkSTEMPDFScanReader();
  ~vtkSTEMPDFScanReader() override;

  /** A new ImageIO of the format, configured with the reader's options. */
  virtual itk::SmartPointer<itk::ImageIOBase> CreateImageIO() = 0;

  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

  char* FileName = nullptr;
  double ScanStep = 0.0;
  double DetectorPixelSize = 0.0;
  double BeamEnergy = 0.0;
  char* PatternArrayName = nullptr;
  double FileScanStep = 0.0;
  double FileDetectorPixelSize = 0.0;
  double FileBeamEnergy = 0.0;

private:
  vtkSTEMPDFScanReader(const vtkSTEMPDFScanReader&) = delete;
  void operator=(const vtkSTEMPDFScanReader&) = delete;

  /** Opens the file's information; false (after vtkErrorMacro) on failure. */
  bool OpenImageIO(itk::SmartPointer<itk::ImageIOBase>& io);
};

#endif
