#ifndef stempdfTables_h
#define stempdfTables_h
// Tables of curves in and out of the plugin's filters: the mean profile of a
// field over the whole scan (reduced over MPI ranks), and curves given as a
// table (ParaView's CSV reader: one column of s or r, one column per curve).

#include "stempdfMLLSPopulations.h"

#include "vtkSmartPointer.h"

#include <Eigen/Core>

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
bool
AddMeanCurves(vtkImageData *                     field,
              const std::vector<std::string> &   arrays,
              const std::string &                axisColumn,
              const std::vector<std::string> &   meanColumns,
              const int                          wholeExtent[6],
              vtkTable *                         table);

/** The populations of a fit as a table: Component, MeanFraction,
 *  AreaFraction, Selected (one row per component). */
void
WritePopulationTable(const std::vector<Population> & populations, vtkTable * table);

/** Curves given as a table: `axisColumn` holds the abscissa (finite, strictly
 *  ascending), every other numeric column is one curve. Fills `axis`,
 *  `names` and `curves` (one row per curve). Returns false with `error`
 *  naming the column and what was expected. */
bool
ReadCurveTable(vtkTable *                 table,
               const std::string &        axisColumn,
               std::vector<double> &      axis,
               std::vector<std::string> & names,
               CurveMatrix &              curves,
               std::string &              error);

/** The inverse: a table with `axisColumn` and one column per curve. */
void
WriteCurveTable(const std::string &              axisColumn,
                const std::vector<double> &      axis,
                const std::vector<std::string> & names,
                const CurveMatrix &              curves,
                vtkTable *                       table);
} // namespace bridge
} // namespace stempdf

#endif
