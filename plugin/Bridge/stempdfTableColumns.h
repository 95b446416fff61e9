#ifndef stempdfTableColumns_h
#define stempdfTableColumns_h
// The columns of a table of curves as users give them (ParaView's CSV reader,
// NMF Decompose's basis table): names, numeric columns, and the curve columns
// a selection property names. Shared by MLLS Fit's basis and Peak Analysis.

#include "vtkType.h"

#include <string>
#include <vector>

class vtkDataArray;
class vtkTable;

namespace stempdf
{
namespace bridge
{
/** `text` without leading and trailing white space. */
std::string Trim(const std::string& text);

/** The name of column c ("" for none). */
std::string ColumnName(vtkTable* table, vtkIdType c);

/** "'a', 'b', ..." (or "none"): the columns, for an error message. */
std::string ColumnList(vtkTable* table);

/** Column c when it is numeric with one component, else nullptr. */
vtkDataArray* NumericColumn(vtkTable* table, vtkIdType c);

/** The values of a one-component column. */
std::vector<double> ColumnValues(vtkDataArray* column);

/** The curve columns of `table` besides its abscissa `axis` (named
 *  `axisName`) that `selection` names: comma-separated column names, or
 *  empty for every numeric column but the abscissa and NMF's "(shifted)"
 *  copies of its basis. Returns false with `error` naming the property
 *  (`property`, e.g. "BasisColumns") or the table (`table` described as
 *  `tableName`, e.g. "basis table") and what was expected. */
bool SelectCurveColumns(vtkTable* table, vtkDataArray* axis, const std::string& axisName,
  const std::string& selection, const std::string& property, const std::string& tableName,
  std::vector<vtkDataArray*>& columns, std::vector<std::string>& names, std::string& error);
} // namespace bridge
} // namespace stempdf

#endif
