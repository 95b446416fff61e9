/**
 * @class   vtkSTEMPDFMIBReader
 * @brief   Reads Merlin (Quantum Detectors Medipix3) .mib 4D-STEM files.
 *
 * Thin wrapper around stempdf::MIBImageIO (docs/format-mib.md): counting
 * (U01/U08/U16/U32) and raw (R64) modes, 1x1 and 2x2 chip layouts, the
 * companion .hdr file, flyback frames and files of several acquisitions.
 */
#ifndef vtkSTEMPDFMIBReader_h
#define vtkSTEMPDFMIBReader_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkSTEMPDFScanReader.h"

class STEMPDFCORE_EXPORT vtkSTEMPDFMIBReader : public vtkSTEMPDFScanReader
{
public:
  static vtkSTEMPDFMIBReader* New();
  vtkTypeMacro(vtkSTEMPDFMIBReader, vtkSTEMPDFScanReader);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /** True for a file that starts with a Merlin frame header ("MQ1"). */
  static int CanReadFile(const char* fileName);

  ///@{
  /** Scan shape (nx, ny); (0, 0) (default) = from the .hdr file or a square frame count. */
  vtkSetVector2Macro(ScanShape, int);
  vtkGetVector2Macro(ScanShape, int);
  ///@}

  ///@{
  /** Frames at the end of every scan line to skip (beam flyback). Default 0. */
  vtkSetMacro(FlybackFrames, int);
  vtkGetMacro(FlybackFrames, int);
  ///@}

  ///@{
  /** Frames to skip at the start of the file. Default 0. */
  vtkSetMacro(FirstFrame, int);
  vtkGetMacro(FirstFrame, int);
  ///@}

  ///@{
  /** Which acquisition of a file holding several scans back to back. Default 0. */
  vtkSetMacro(AcquisitionIndex, int);
  vtkGetMacro(AcquisitionIndex, int);
  ///@}

protected:
  vtkSTEMPDFMIBReader() = default;
  ~vtkSTEMPDFMIBReader() override = default;
  itk::SmartPointer<itk::ImageIOBase> CreateImageIO() override;

private:
  vtkSTEMPDFMIBReader(const vtkSTEMPDFMIBReader&) = delete;
  void operator=(const vtkSTEMPDFMIBReader&) = delete;

  int ScanShape[2] = { 0, 0 };
  int FlybackFrames = 0;
  int FirstFrame = 0;
  int AcquisitionIndex = 0;
};

#endif
