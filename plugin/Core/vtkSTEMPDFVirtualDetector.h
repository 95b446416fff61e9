/**
 * @class   vtkSTEMPDFVirtualDetector
 * @brief   Virtual bright-field / annular dark-field image of a 4D-STEM scan.
 *
 * Thin ParaView wrapper around stempdf::VirtualDetectorImageFilter. The input
 * is a field of diffraction patterns over the scan grid (vtkImageData of
 * Nx x Ny x 1 points, one point-data array of Kx * Ky components, and the
 * "detector" vector axis as field data; see docs/data-model.md). The output is
 * the same scan grid with one scalar array: the sum of every pattern over the
 * annulus InnerRadius <= d < OuterRadius (detector pixels) around the centre.
 *
 * The array of patterns is chosen with SetInputArrayToProcess(0, ...); the
 * default is the input's active point scalars.
 */
#ifndef vtkSTEMPDFVirtualDetector_h
#define vtkSTEMPDFVirtualDetector_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

#include <string>

class STEMPDFCORE_EXPORT vtkSTEMPDFVirtualDetector : public vtkImageAlgorithm
{
public:
  static vtkSTEMPDFVirtualDetector* New();
  vtkTypeMacro(vtkSTEMPDFVirtualDetector, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /**
   * Centre of the annulus in detector pixels (x, y); used when
   * CenterOnDetectorMiddle is off. Default (0, 0).
   */
  vtkSetVector2Macro(Center, double);
  vtkGetVector2Macro(Center, double);
  ///@}

  ///@{
  /**
   * Centre the annulus on the middle of the detector, ((Kx-1)/2, (Ky-1)/2).
   * Default on.
   */
  vtkSetMacro(CenterOnDetectorMiddle, bool);
  vtkGetMacro(CenterOnDetectorMiddle, bool);
  vtkBooleanMacro(CenterOnDetectorMiddle, bool);
  ///@}

  ///@{
  /** Inner radius of the annulus in detector pixels, inclusive. Default 0. */
  vtkSetMacro(InnerRadius, double);
  vtkGetMacro(InnerRadius, double);
  ///@}

  ///@{
  /** Outer radius of the annulus in detector pixels, exclusive. Default 10. */
  vtkSetMacro(OuterRadius, double);
  vtkGetMacro(OuterRadius, double);
  ///@}

  ///@{
  /** Name of the output array. Default "VirtualDetector". */
  vtkSetStringMacro(OutputArrayName);
  vtkGetStringMacro(OutputArrayName);
  ///@}

protected:
  vtkSTEMPDFVirtualDetector();
  ~vtkSTEMPDFVirtualDetector() override;

  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFVirtualDetector(const vtkSTEMPDFVirtualDetector&) = delete;
  void operator=(const vtkSTEMPDFVirtualDetector&) = delete;

  template <typename TCount>
  bool Compute(vtkImageData* input, vtkDataArray* patterns, vtkImageData* output);

  double Center[2] = { 0.0, 0.0 };
  bool CenterOnDetectorMiddle = true;
  double InnerRadius = 0.0;
  double OuterRadius = 10.0;
  char* OutputArrayName = nullptr;
};

#endif
