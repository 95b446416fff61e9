#ifndef stempdfBasisTable_h
#define stempdfBasisTable_h
// Reference curves (basis PDFs) given as a table: a CSV read by ParaView, or
// NMF Decompose's basis table. One r column, one column per curve.

#include "stempdfBasisCurves.h"

#include <string>

class vtkTable;

namespace stempdf
{
namespace bridge
{
/** The r column's unit when `name` names an r column: "r" (unit A),
 *  "r (unit)", "r [unit]" or "r(unit)" (any case, spaces around); false otherwise. */
bool
ParseRColumnName(const std::string & name, std::string & unit);

/** Reads the basis: the first r column (ParseRColumnName; its unit must be
 *  A, see IsAngstromUnit) and the curve columns `columns` (comma-separated
 *  names; empty = every numeric column except the r column and those whose
 *  name ends in "(shifted)"). Returns false with `error` naming the column
 *  or property (BasisColumns) and what was expected. */
bool
ReadBasisTable(vtkTable * table, const std::string & columns, BasisCurves & basis, std::string & error);
} // namespace bridge
} // namespace stempdf

#endif
