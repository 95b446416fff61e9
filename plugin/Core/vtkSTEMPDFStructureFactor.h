/**
 * @class   vtkSTEMPDFStructureFactor
 * @brief   Reduced intensity phi(s) of every profile I(s): of a field or of a table of SAED curves.
 *
 * Thin ParaView wrapper around stempdf::StructureFactorImageFilter (a field
 * over the scan grid) and stempdf::ReducedIntensityCalculator (a table);
 * docs/method.md section 4 has the formula and the meaning of every property.
 *
 * Field input (vtkImageData, e.g. AzimuthalIntegrate's "Intensity"): output
 * port 0 is the field of phi(s) ("Phi", its s axis as field data) with the
 * fitted N, C and polynomial coefficients P1..PK as scalar maps; port 1 is the
 * mean phi(s) of the whole scan (columns "s", "MeanPhi"), reduced over MPI ranks.
 * Table input (e.g. ParaView's CSV reader: a column SColumn and one column per
 * curve): port 0 is a table of phi (column "s" and one column per curve, same
 * names); port 1 a table of the fitted parameters, one row per curve.
 */
#ifndef vtkSTEMPDFStructureFactor_h
#define vtkSTEMPDFStructureFactor_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkSTEMPDFCurveAlgorithm.h"

#include <string>

class vtkImageData;
class vtkTable;

class STEMPDFCORE_EXPORT vtkSTEMPDFStructureFactor : public vtkSTEMPDFCurveAlgorithm
{
public:
  static vtkSTEMPDFStructureFactor* New();
  vtkTypeMacro(vtkSTEMPDFStructureFactor, vtkSTEMPDFCurveAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** Chemical formula, e.g. "Fe85.2Si0.5B9.5P4Cu0.8" (default), "Cu64.5Zr35.5", "SiO2". */
  vtkSetStdStringFromCharMacro(Composition);
  vtkGetCharFromStdStringMacro(Composition);
  ///@}

  ///@{
  /** Scattering factors: 0 Kirkland (default), 1 Lobato. */
  vtkSetClampMacro(ScatteringFactors, int, 0, 1);
  vtkGetMacro(ScatteringFactors, int);
  ///@}

  ///@{
  /** s range used, 1/A. Default (0.25, 1.6). */
  vtkSetVector2Macro(SRange, double);
  vtkGetVector2Macro(SRange, double);
  ///@}

  ///@{
  /** Name of the s column of a table input. Default "s". */
  vtkSetStdStringFromCharMacro(SColumn);
  vtkGetCharFromStdStringMacro(SColumn);
  ///@}

  ///@{
  /** s where N<f^2> is matched to I (0, default: the end of SRange). */
  vtkSetMacro(NormalizationS, double);
  vtkGetMacro(NormalizationS, double);
  ///@}

  ///@{
  /** N: 0 (default) = automatic; > 0 fixes N (then C absorbs the rest). */
  vtkSetMacro(AtomCount, double);
  vtkGetMacro(AtomCount, double);
  ///@}

  ///@{
  /** s window of the least-squares fit of N and C; (0, 0) (default) = unused. */
  vtkSetVector2Macro(FitWindow, double);
  vtkGetVector2Macro(FitWindow, double);
  ///@}

  ///@{
  /** With FitWindow, also fit the offset C (default on); off fits N alone (C = 0). */
  vtkSetMacro(FitOffset, bool);
  vtkGetMacro(FitOffset, bool);
  ///@}

  ///@{
  /** Denominator: 0 N<f>^2 (default), 1 N<f^2>. */
  vtkSetClampMacro(Denominator, int, 0, 1);
  vtkGetMacro(Denominator, int);
  ///@}

  ///@{
  /** Order of the background polynomial (no constant term). Default 4; 0 = none. */
  vtkSetClampMacro(PolynomialOrder, int, 0, 10);
  vtkGetMacro(PolynomialOrder, int);
  ///@}

  ///@{
  /** Damping: 0 none (default), 1 exp(-b s^2) with DampingFactor b (A^2), 2 Lorch. */
  vtkSetClampMacro(Damping, int, 0, 2);
  vtkGetMacro(Damping, int);
  vtkSetMacro(DampingFactor, double);
  vtkGetMacro(DampingFactor, double);
  ///@}

protected:
  vtkSTEMPDFStructureFactor();
  ~vtkSTEMPDFStructureFactor() override = default;

  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFStructureFactor(const vtkSTEMPDFStructureFactor&) = delete;
  void operator=(const vtkSTEMPDFStructureFactor&) = delete;

  bool ComputeField(vtkImageData* input, vtkImageData* output, vtkTable* mean, const int wholeExtent[6]);
  bool ComputeTable(vtkTable* input, vtkTable* output, vtkTable* parameters);

  std::string Composition = "Fe85.2Si0.5B9.5P4Cu0.8";
  int ScatteringFactors = 0;
  double SRange[2] = { 0.25, 1.6 };
  std::string SColumn = "s";
  double NormalizationS = 0.0;
  double AtomCount = 0.0;
  double FitWindow[2] = { 0.0, 0.0 };
  bool FitOffset = true;
  int Denominator = 0;
  int PolynomialOrder = 4;
  int Damping = 0;
  double DampingFactor = 0.0;
};

#endif
