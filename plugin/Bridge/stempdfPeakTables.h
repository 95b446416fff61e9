#ifndef stempdfPeakTables_h
#define stempdfPeakTables_h
// Peak Analysis's tables: the curves it reads (an r column and curve
// columns) and the two it writes (one row of peak results per curve; the
// markers that draw them on the curves in a line chart).

#include "stempdfPeakAnalysis.h"

#include <string>
#include <vector>

class vtkTable;

namespace stempdf
{
namespace bridge
{
/** The curves of a table: the r column (named `rColumn`, or for "r" any
 *  "r (A)" spelling) and the curve columns `columns` names (see
 *  SelectCurveColumns). */
struct PeakCurves
{
  std::string RName;
  std::vector<double> R;
  std::vector<std::string> Names;
  std::vector<std::vector<double>> Values;
};

/** Reads them; false with `error` naming RColumn or Columns and what was expected. */
bool ReadPeakCurves(vtkTable* input, const std::string& rColumn, const std::string& columns,
  PeakCurves& curves, std::string& error);

/** One row per curve: R1, FWHM, second peak, shoulder, connection distances, fit details. */
void WritePeakTable(
  const PeakCurves& curves, const std::vector<PeakAnalysisResult>& results, vtkTable* table);

/** The markers: two columns per curve (peaks, polyhedra), polylines ended by NaN rows. */
void WritePeakMarkers(
  const PeakCurves& curves, const std::vector<PeakAnalysisResult>& results, vtkTable* table);
} // namespace bridge
} // namespace stempdf

#endif
