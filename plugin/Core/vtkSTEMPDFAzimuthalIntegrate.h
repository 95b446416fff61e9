/**
 * @class   vtkSTEMPDFAzimuthalIntegrate
 * @brief   Radial profile I(s) of every diffraction pattern, and the mean profile.
 *
 * Thin ParaView wrapper around stempdf::AzimuthalIntegrateImageFilter (exact
 * pixel splitting, elliptical rings; docs/method.md). Input: a field of
 * patterns over the scan grid. Output port 0: the profiles over the same grid
 * (point array "Intensity", NumberOfBins components, the s axis in field data;
 * "Variance" too with ComputeVariance). Output port 1: a table of the mean
 * profile of the whole scan (columns "s" and "MeanIntensity"), reduced across
 * MPI ranks with each scan position counted once.
 *
 * Detector mask: the optional second input (an image of Kx x Ky points whose
 * first point array is non-zero where pixels are excluded) and/or MaskFile
 * (stempdf::ReadDetectorMask: PNG, TIFF, HDF5), plus, with
 * RejectDefectivePixels, the dead and hot pixels found on the scan's mean
 * pattern (stempdf::FindDefectivePixels). With FindCenter the centre and the
 * ellipse are fitted on the mean pattern (stempdf::RingCenterCalculator) and
 * replace Center, EllipseRatio and EllipseAngle. The values used are reported
 * (GetUsedCenter, ...) and written to the profiles' field data
 * (STEMPDF_Center, STEMPDF_EllipseRatio, STEMPDF_EllipseAngle,
 * STEMPDF_DetectorPixelSize, STEMPDF_ExcludedPixels).
 */
#ifndef vtkSTEMPDFAzimuthalIntegrate_h
#define vtkSTEMPDFAzimuthalIntegrate_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

#include <string>

class vtkTable;

class STEMPDFCORE_EXPORT vtkSTEMPDFAzimuthalIntegrate : public vtkImageAlgorithm
{
public:
  static vtkSTEMPDFAzimuthalIntegrate* New();
  vtkTypeMacro(vtkSTEMPDFAzimuthalIntegrate, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** Pattern centre in detector pixels; used when CenterOnDetectorMiddle is off. Default (0, 0). */
  vtkSetVector2Macro(Center, double);
  vtkGetVector2Macro(Center, double);
  ///@}

  ///@{
  /** Centre on the middle of the detector. Default on. */
  vtkSetMacro(CenterOnDetectorMiddle, bool);
  vtkGetMacro(CenterOnDetectorMiddle, bool);
  vtkBooleanMacro(CenterOnDetectorMiddle, bool);
  ///@}

  ///@{
  /** Ring axis ratio (1 = circular) and angle from detector x (degrees). Defaults 1, 0. */
  vtkSetMacro(EllipseRatio, double);
  vtkGetMacro(EllipseRatio, double);
  vtkSetMacro(EllipseAngle, double);
  vtkGetMacro(EllipseAngle, double);
  ///@}

  ///@{
  /** Detector pixel size in 1/A per px (s = 1/d); 0 (default) = the input's calibration. */
  vtkSetMacro(PixelSize, double);
  vtkGetMacro(PixelSize, double);
  ///@}

  ///@{
  /** Camera length in mm; with DetectorPixelPitch (um) and BeamEnergy (kV)
   *  gives the pixel size when PixelSize is 0. Defaults 0 (unused), 55, 0
   *  (BeamEnergy 0 = the input's calibration). */
  vtkSetMacro(CameraLength, double);
  vtkGetMacro(CameraLength, double);
  vtkSetMacro(DetectorPixelPitch, double);
  vtkGetMacro(DetectorPixelPitch, double);
  vtkSetMacro(BeamEnergy, double);
  vtkGetMacro(BeamEnergy, double);
  ///@}

  ///@{
  /** Detector mask file (PNG, TIFF or HDF5 "file.h5[:/dataset]"; non-zero =
   *  excluded unless MaskNonZeroIsGood). Default "" (none). */
  vtkSetStdStringFromCharMacro(MaskFile);
  vtkGetCharFromStdStringMacro(MaskFile);
  vtkSetMacro(MaskNonZeroIsGood, bool);
  vtkGetMacro(MaskNonZeroIsGood, bool);
  ///@}

  ///@{
  /** Exclude dead and hot pixels found on the scan's mean pattern: darker
   *  than its neighbourhood / DefectThreshold or brighter than
   *  neighbourhood x DefectThreshold. Defaults on, 3. */
  vtkSetMacro(RejectDefectivePixels, bool);
  vtkGetMacro(RejectDefectivePixels, bool);
  vtkBooleanMacro(RejectDefectivePixels, bool);
  vtkSetMacro(DefectThreshold, double);
  vtkGetMacro(DefectThreshold, double);
  ///@}

  ///@{
  /** Fit the centre (and, with FitEllipse, the ellipse) on the scan's mean
   *  pattern instead of using Center / EllipseRatio / EllipseAngle. Defaults
   *  off, on. */
  vtkSetMacro(FindCenter, bool);
  vtkGetMacro(FindCenter, bool);
  vtkBooleanMacro(FindCenter, bool);
  vtkSetMacro(FitEllipse, bool);
  vtkGetMacro(FitEllipse, bool);
  ///@}

  ///@{
  /** The calibration the last update used: centre (px), ellipse, pixel size
   *  (1/A per px) and the number of detector pixels excluded (mask and
   *  defects). */
  vtkGetVector2Macro(UsedCenter, double);
  vtkGetMacro(UsedEllipseRatio, double);
  vtkGetMacro(UsedEllipseAngle, double);
  vtkGetMacro(UsedPixelSize, double);
  vtkGetMacro(ExcludedPixels, int);
  vtkGetMacro(DefectivePixels, int);
  ///@}

  ///@{
  /** s range in 1/A. Default (0.25, 1.6). */
  vtkSetVector2Macro(SRange, double);
  vtkGetVector2Macro(SRange, double);
  ///@}

  ///@{
  /** Number of bins; 0 (default) = one pixel wide. */
  vtkSetMacro(NumberOfBins, int);
  vtkGetMacro(NumberOfBins, int);
  ///@}

  ///@{
  /** Also output the Poisson variance of every bin ("Variance"). Default off. */
  vtkSetMacro(ComputeVariance, bool);
  vtkGetMacro(ComputeVariance, bool);
  vtkBooleanMacro(ComputeVariance, bool);
  ///@}

protected:
  vtkSTEMPDFAzimuthalIntegrate();
  ~vtkSTEMPDFAzimuthalIntegrate() override = default;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFAzimuthalIntegrate(const vtkSTEMPDFAzimuthalIntegrate&) = delete;
  void operator=(const vtkSTEMPDFAzimuthalIntegrate&) = delete;

  template <typename TCount>
  bool Compute(vtkImageData* input, vtkDataArray* patterns, vtkImageData* maskInput, const int wholeExtent[6],
    vtkImageData* output);

  /** Writes the Used* values as field data of the profiles. */
  void WriteUsedCalibration(vtkImageData* output);

  double Center[2] = { 0.0, 0.0 };
  bool CenterOnDetectorMiddle = true;
  double EllipseRatio = 1.0;
  double EllipseAngle = 0.0;
  double PixelSize = 0.0;
  double SRange[2] = { 0.25, 1.6 };
  int NumberOfBins = 0;
  bool ComputeVariance = false;
  double CameraLength = 0.0;
  double DetectorPixelPitch = 55.0;
  double BeamEnergy = 0.0;
  std::string MaskFile;
  bool MaskNonZeroIsGood = false;
  bool RejectDefectivePixels = true;
  double DefectThreshold = 3.0;
  bool FindCenter = false;
  bool FitEllipse = true;

  double UsedCenter[2] = { 0.0, 0.0 };
  double UsedEllipseRatio = 1.0;
  double UsedEllipseAngle = 0.0;
  double UsedPixelSize = 0.0;
  int ExcludedPixels = 0;
  int DefectivePixels = 0;
};

#endif
