/**
 * @class   vtkSTEMPDFMLLSFit
 * @brief   Multiple linear least-squares fit of reference basis PDFs onto every G(r) of a scan.
 *
 * Thin ParaView wrapper around stempdf::MLLSFitImageFilter (docs/method.md,
 * section 7): at every scan position, non-negative weights of the basis
 * curves (and a free offset) that fit G(r) best in the least-squares sense.
 *
 * Input port 0: the G(r) field (Pair Distribution's "G"; the array is chosen
 * with SetInputArrayToProcess(0, ...), default the active point scalars).
 * Input port 1: the basis as a table, e.g. a CSV read by ParaView or NMF
 * Decompose's basis table: an r column named "r", "r (A)", "r (Å)" or
 * "r [A]" (in A; other units are refused) and one column per curve. Every
 * rank uses the whole table (the first rank that has one broadcasts it).
 *
 * Output port 0: the scan grid with scalar maps "Weight <name>" and
 * "Fraction <name>" per basis curve (name = its column), "Residual" (RMS of
 * G - fit) and "Offset". Output port 1: the populations, a table with
 * columns Component, MeanFraction, AreaFraction and Selected, reduced over
 * MPI ranks (each position counted once, whichever way the scan is split)
 * and held by rank 0.
 */
#ifndef vtkSTEMPDFMLLSFit_h
#define vtkSTEMPDFMLLSFit_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkSTEMPDFFieldAlgorithm.h"

#include <string>
#include <vector>

class vtkImageData;
class vtkTable;
namespace stempdf
{
struct BasisCurves;
}

class STEMPDFCORE_EXPORT vtkSTEMPDFMLLSFit : public vtkSTEMPDFFieldAlgorithm
{
public:
  static vtkSTEMPDFMLLSFit* New();
  vtkTypeMacro(vtkSTEMPDFMLLSFit, vtkSTEMPDFFieldAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /** Connect the basis table (input port 1). */
  void SetBasisConnection(vtkAlgorithmOutput* output) { this->SetInputConnection(1, output); }

  ///@{
  /**
   * Basis columns of the table, comma-separated names. Default "" (empty):
   * every numeric column except the r column and those whose name ends in
   * "(shifted)" (NMF Decompose's shifted copies of its basis).
   */
  vtkSetStdStringFromCharMacro(BasisColumns);
  vtkGetCharFromStdStringMacro(BasisColumns);
  ///@}

  ///@{
  /** Fit a free constant offset (either sign) besides the weights. Default on. */
  vtkSetMacro(FitOffset, bool);
  vtkGetMacro(FitOffset, bool);
  vtkBooleanMacro(FitOffset, bool);
  ///@}

  ///@{
  /**
   * The components whose weights make up the fractions and populations:
   * 1-based numbers of the basis columns, e.g. "1,2" (ranges "1-3" too).
   * Default "" (empty): every component.
   */
  vtkSetStdStringFromCharMacro(Components);
  vtkGetCharFromStdStringMacro(Components);
  ///@}

protected:
  vtkSTEMPDFMLLSFit();
  ~vtkSTEMPDFMLLSFit() override = default;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFMLLSFit(const vtkSTEMPDFMLLSFit&) = delete;
  void operator=(const vtkSTEMPDFMLLSFit&) = delete;

  /** The basis table and the Components selection; false with `error` naming the property. */
  bool ReadBasis(vtkTable* table, stempdf::BasisCurves& basis, std::vector<bool>& selected,
    std::string& error);
  /** The fit of this rank's piece and its population sums (packed); false with `error` set. */
  bool Fit(vtkImageData* input, const stempdf::BasisCurves& basis, const std::vector<bool>& selected,
    const int wholeExtent[6], vtkImageData* output, std::vector<double>& sums, std::string& error);

  std::string BasisColumns;
  bool FitOffset = true;
  std::string Components;
};

#endif
