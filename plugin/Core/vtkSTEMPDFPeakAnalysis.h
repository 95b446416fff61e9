/**
 * @class   vtkSTEMPDFPeakAnalysis
 * @brief   First peak, its FWHM, second peak and shoulder of every G(r) curve of a table.
 *
 * Thin ParaView wrapper around stempdf::AnalyzePeaks (docs/method.md,
 * section 9). Input: a table of curves, e.g. NMF Decompose's basis table
 * ("r", "Basis 1", ..., "Basis k (shifted)"), Pair Distribution's mean table
 * ("r", "MeanG") or a CSV: the column RColumn holds r in A (ascending), and
 * every other numeric column is a curve (Columns chooses some; by default
 * columns whose name ends in "(shifted)" are skipped).
 *
 * Output port 0: one row per curve, with the columns "Curve", "R1 (A)",
 * "FWHM (A)", "SecondPeak (A)", "Shoulder (A)", "2R1 (A)", "sqrt3R1 (A)",
 * "sqrt8/3R1 (A)", "FitOK" and, for the details, "G(R1)", "FWHM Left (A)",
 * "FWHM Right (A)", "SecondComponent (A)", "Shoulder FWHM (A)", "Fit RMS" and
 * "Message" (empty, or why a value is NaN).
 *
 * Output port 1: markers for a line chart shown over the input curves: a
 * column "r", a column "Marker" (what each row marks) and per curve two
 * columns, "<curve> peaks" and "<curve> polyhedra". Each marker is a short
 * polyline ended by a NaN row (line charts break lines at NaN): a vertical
 * stick from G = 0 up to the curve at R1, the second peak and the shoulder,
 * a horizontal bar at half height from the left to the right half-maximum
 * crossing (the FWHM), and sticks at 2R1, sqrt(3)R1 and sqrt(8/3)R1 in the
 * "polyhedra" column. Rows of other curves' markers are NaN.
 *
 * Under MPI the table lives on one rank (NMF Decompose and the CSV reader
 * give rank 0 the rows); ranks with an empty table output empty tables.
 */
#ifndef vtkSTEMPDFPeakAnalysis_h
#define vtkSTEMPDFPeakAnalysis_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkTableAlgorithm.h"

#include <string>

class STEMPDFCORE_EXPORT vtkSTEMPDFPeakAnalysis : public vtkTableAlgorithm
{
public:
  static vtkSTEMPDFPeakAnalysis* New();
  vtkTypeMacro(vtkSTEMPDFPeakAnalysis, vtkTableAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** The column of r (A), strictly ascending. Default "r" (a column named
   *  "r (A)", "r (Å)" or "r [A]" is taken too when no column is named "r"). */
  vtkSetStdStringFromCharMacro(RColumn);
  vtkGetCharFromStdStringMacro(RColumn);
  ///@}

  ///@{
  /** The curves: comma-separated column names. Default "" (empty): every
   *  numeric column except the r column and those whose name ends in "(shifted)". */
  vtkSetStdStringFromCharMacro(Columns);
  vtkGetCharFromStdStringMacro(Columns);
  ///@}

  ///@{
  /** r range of the first peak, A. Default (2.0, 3.2). */
  vtkSetVector2Macro(FirstPeakWindow, double);
  vtkGetVector2Macro(FirstPeakWindow, double);
  ///@}

  ///@{
  /** r range of the second peak and its shoulder, A. Default (3.6, 5.4). */
  vtkSetVector2Macro(SecondPeakWindow, double);
  vtkGetVector2Macro(SecondPeakWindow, double);
  ///@}

protected:
  vtkSTEMPDFPeakAnalysis();
  ~vtkSTEMPDFPeakAnalysis() override = default;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFPeakAnalysis(const vtkSTEMPDFPeakAnalysis&) = delete;
  void operator=(const vtkSTEMPDFPeakAnalysis&) = delete;

  std::string RColumn = "r";
  std::string Columns;
  double FirstPeakWindow[2] = { 2.0, 3.2 };
  double SecondPeakWindow[2] = { 3.6, 5.4 };
};

#endif
