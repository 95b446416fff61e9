/**
 * @class   vtkSTEMPDFColorMix
 * @brief   Three scalar maps of a scan as the red, green and blue of one true-colour image.
 *
 * Input: a field over the scan grid (vtkImageData) with scalar point arrays,
 * e.g. NMF Decompose's "Weight 1", "Weight 2", "Weight 3" or MLLS Fit's
 * fraction maps. Red, Green and Blue name the array of each channel (empty:
 * that channel is black). Each value v becomes the byte
 * round(255 * (v - lo) / (hi - lo)) clamped to 0..255, with (lo, hi)
 *
 *  - RangeMode 0 (default): the channel's own minimum and maximum over the
 *    whole scan (reduced over MPI ranks);
 *  - RangeMode 1: the fixed range 0..1 (fractions).
 *
 * A value that is not finite, and every value of a constant map in mode 0,
 * gives 0 (stempdf::ScaleToByte). Output: the input grid with all its arrays
 * and an unsigned char, 3-component point array "RGB", the active scalars:
 * ParaView shows it as true colours when the display's Map Scalars is off.
 */
#ifndef vtkSTEMPDFColorMix_h
#define vtkSTEMPDFColorMix_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

#include <string>

class STEMPDFCORE_EXPORT vtkSTEMPDFColorMix : public vtkImageAlgorithm
{
public:
  static vtkSTEMPDFColorMix* New();
  vtkTypeMacro(vtkSTEMPDFColorMix, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** The point arrays of the red, green and blue channels. Default "" (black;
   *  "None", the XML's choice, is black too). */
  vtkSetStdStringFromCharMacro(Red);
  vtkGetCharFromStdStringMacro(Red);
  vtkSetStdStringFromCharMacro(Green);
  vtkGetCharFromStdStringMacro(Green);
  vtkSetStdStringFromCharMacro(Blue);
  vtkGetCharFromStdStringMacro(Blue);
  ///@}

  ///@{
  /** 0 (default): each channel from its own min to max over the scan; 1: from 0 to 1. */
  vtkSetClampMacro(RangeMode, int, 0, 1);
  vtkGetMacro(RangeMode, int);
  ///@}

protected:
  vtkSTEMPDFColorMix() = default;
  ~vtkSTEMPDFColorMix() override = default;

  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFColorMix(const vtkSTEMPDFColorMix&) = delete;
  void operator=(const vtkSTEMPDFColorMix&) = delete;

  std::string Red, Green, Blue;
  int RangeMode = 0;
};

#endif
