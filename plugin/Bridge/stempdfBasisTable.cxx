#include "stempdfBasisTable.h"
#include "stempdfTableColumns.h"

#include "vtkDataArray.h"
#include "vtkTable.h"

namespace stempdf
{
namespace bridge
{
bool ParseRColumnName(const std::string& name, std::string& unit)
{
  const std::string text = Trim(name);
  if (text.empty() || (text[0] != 'r' && text[0] != 'R'))
  {
    return false;
  }
  const std::string rest = Trim(text.substr(1));
  if (rest.empty())
  {
    unit = "A";
    return true;
  }
  const char close = rest[0] == '(' ? ')' : (rest[0] == '[' ? ']' : '\0');
  if (close == '\0' || rest.back() != close || rest.size() < 3)
  {
    return false;
  }
  unit = Trim(rest.substr(1, rest.size() - 2));
  return !unit.empty();
}

bool ReadBasisTable(
  vtkTable* table, const std::string& columns, BasisCurves& basis, std::string& error)
{
  if (table == nullptr || table->GetNumberOfColumns() == 0)
  {
    error =
      "the basis table is empty: connect a table with an r column and one column per basis curve";
    return false;
  }
  vtkDataArray* r = nullptr;
  std::string rName, unit;
  for (vtkIdType c = 0; c < table->GetNumberOfColumns() && r == nullptr; ++c)
  {
    if (NumericColumn(table, c) != nullptr && ParseRColumnName(ColumnName(table, c), unit))
    {
      r = NumericColumn(table, c);
      rName = ColumnName(table, c);
    }
  }
  if (r == nullptr)
  {
    error = "the basis table has no r column (looked for a numeric column named 'r', 'r (A)', 'r "
            "(\xc3\x85)' or "
            "'r [A]'); its columns: " +
      ColumnList(table);
    return false;
  }
  if (!IsAngstromUnit(unit))
  {
    error = "the basis table's r column '" + rName + "' is in " + unit +
      "; expected r in A (\xc3\x85): convert it and name the column 'r (A)'";
    return false;
  }

  std::vector<vtkDataArray*> curves;
  basis = BasisCurves();
  if (!SelectCurveColumns(
        table, r, rName, columns, "BasisColumns", "basis table", curves, basis.Names, error))
  {
    return false;
  }

  basis.RUnit = "A";
  basis.R = ColumnValues(r);
  for (vtkDataArray* column : curves)
  {
    basis.Values.push_back(ColumnValues(column));
  }
  return true;
}
} // namespace bridge
} // namespace stempdf
