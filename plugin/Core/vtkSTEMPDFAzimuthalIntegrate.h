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
 */
#ifndef vtkSTEMPDFAzimuthalIntegrate_h
#define vtkSTEMPDFAzimuthalIntegrate_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

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

  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFAzimuthalIntegrate(const vtkSTEMPDFAzimuthalIntegrate&) = delete;
  void operator=(const vtkSTEMPDFAzimuthalIntegrate&) = delete;

  template <typename TCount>
  bool Compute(vtkImageData* input, vtkDataArray* patterns, vtkImageData* output);

  /** Mean profile over the positions this rank owns, summed over all ranks. */
  void ComputeMeanProfile(vtkImageData* profiles, const int wholeExtent[6], vtkTable* table);

  double Center[2] = { 0.0, 0.0 };
  bool CenterOnDetectorMiddle = true;
  double EllipseRatio = 1.0;
  double EllipseAngle = 0.0;
  double PixelSize = 0.0;
  double SRange[2] = { 0.25, 1.6 };
  int NumberOfBins = 0;
  bool ComputeVariance = false;
};

#endif
