#ifndef stempdfTables_h
#define stempdfTables_h
// Tables of curves in and out of the plugin's filters: the mean profile of a
// field over the whole scan (reduced over MPI ranks), and curves given as a
// table (ParaView's CSV reader: one column of s or r, one column per curve).

#include "stempdfAutocorrelation.h"
#include "stempdfMLLSPopulations.h"
#include "stempdfNMFResult.h"
#include "stempdfVectorAxis.h"

#include "vtkSmartPointer.h"

#include <Eigen/Core>

#include <array>
#include <string>
#include <vector>

class vtkImageData;
class vtkTable;

namespace stempdf
{
namespace bridge
{
using CurveMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/** Adds to `table` the column `axisColumn` (the coordinates of the field's
 *  VectorAxis) and, for each array name, the mean of that point-data array of
 *  `field` over the whole scan (`wholeExtent`), as column `meanColumns[i]`:
 *  each piece adds the positions it owns (stempdfPieces.h) and only the rank
 *  that holds the tables fills it. Collective under MPI. Returns false when
 *  the field has no such array or axis. */
bool AddMeanCurves(vtkImageData* field, const std::vector<std::string>& arrays,
  const std::string& axisColumn, const std::vector<std::string>& meanColumns,
  const int wholeExtent[6], vtkTable* table);

/** The population sums (PopulationSums::Pack) of the positions this piece
 *  owns (stempdfPieces.h), from its fractions (k per position, k =
 *  selected.size(), over the piece `extent` of the scan `wholeExtent`). */
std::vector<double> OwnedPopulationSums(const double* fractions, const int extent[6],
  const int wholeExtent[6], const std::vector<bool>& selected);

/** The populations of a fit as a table: Component, MeanFraction,
 *  AreaFraction, Selected (one row per component). */
void WritePopulationTable(const std::vector<Population>& populations, vtkTable* table);

/** The radial autocorrelation profiles of maps (a "Distance (nm)" column and
 *  one per map) and their correlation lengths (one row per map: FWHM,
 *  OneOverE, ExponentialFit and the one `lengthDefinition` chooses, 0..2). */
void WriteAutocorrelationTables(const std::vector<std::string>& names,
  const std::vector<RadialAutocorrelation>& profiles,
  const std::vector<std::array<double, 3>>& lengths, int lengthDefinition, vtkTable* profileTable,
  vtkTable* lengthTable);

/** NMF's tables: the basis (an "r" column, "Basis j" = the G(r) of type j,
 *  the shift removed, and "Basis j (shifted)" = the factor H itself) and the
 *  objective per iteration (Iteration, Objective, Compressed). */
void WriteNMFTables(const VectorAxis& rAxis, const Eigen::MatrixXd& basis, double shift,
  const NMFResult& result, vtkTable* basisTable, vtkTable* objectiveTable);

/** Fitted parameters of curves: a "Curve" column (`curves`) and one column
 *  per parameter (`parameterNames`), one row per curve (`values`: curves x
 *  parameters). */
void WriteParameterTable(const std::vector<std::string>& curves,
  const std::vector<std::string>& parameterNames, const CurveMatrix& values, vtkTable* table);

/** Curves given as a table: `axisColumn` holds the abscissa (finite, strictly
 *  ascending), every other numeric column is one curve. Fills `axis`,
 *  `names` and `curves` (one row per curve). Returns false with `error`
 *  naming the column and what was expected. */
bool ReadCurveTable(vtkTable* table, const std::string& axisColumn, std::vector<double>& axis,
  std::vector<std::string>& names, CurveMatrix& curves, std::string& error);

/** The inverse: a table with `axisColumn` and one column per curve. */
void WriteCurveTable(const std::string& axisColumn, const std::vector<double>& axis,
  const std::vector<std::string>& names, const CurveMatrix& curves, vtkTable* table);
} // namespace bridge
} // namespace stempdf

#endif
