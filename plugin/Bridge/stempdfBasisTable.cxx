#include "stempdfBasisTable.h"

#include "vtkDataArray.h"
#include "vtkTable.h"

#include <cctype>

namespace stempdf
{
namespace bridge
{
namespace
{
std::string
Trim(const std::string & text)
{
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
  {
    return "";
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string
ColumnName(vtkTable * table, vtkIdType c)
{
  const char * name = table->GetColumnName(c);
  return name ? name : "";
}

std::string
ColumnList(vtkTable * table)
{
  std::string list;
  for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
  {
    list += std::string(c ? ", " : "") + "'" + ColumnName(table, c) + "'";
  }
  return list.empty() ? "none" : list;
}

/** A numeric column of one component, or nullptr. */
vtkDataArray *
NumericColumn(vtkTable * table, vtkIdType c)
{
  auto * column = vtkDataArray::SafeDownCast(table->GetColumn(c));
  return column != nullptr && column->GetNumberOfComponents() == 1 ? column : nullptr;
}

bool
EndsWithShifted(const std::string & name)
{
  const std::string suffix = "(shifted)";
  std::string       lower;
  for (const char ch : Trim(name))
  {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return lower.size() >= suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

bool
ParseRColumnName(const std::string & name, std::string & unit)
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

bool
ReadBasisTable(vtkTable * table, const std::string & columns, BasisCurves & basis, std::string & error)
{
  if (table == nullptr || table->GetNumberOfColumns() == 0)
  {
    error = "the basis table is empty: connect a table with an r column and one column per basis curve";
    return false;
  }
  vtkDataArray * r = nullptr;
  std::string    rName, unit;
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
    error = "the basis table has no r column (looked for a numeric column named 'r', 'r (A)', 'r (\xc3\x85)' or "
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

  std::vector<vtkDataArray *> curves;
  basis = BasisCurves();
  if (Trim(columns).empty())
  {
    for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
    {
      vtkDataArray * column = NumericColumn(table, c);
      if (column != nullptr && column != r && !EndsWithShifted(ColumnName(table, c)))
      {
        curves.push_back(column);
        basis.Names.push_back(ColumnName(table, c));
      }
    }
    if (curves.empty())
    {
      error = "the basis table has no numeric column besides '" + rName + "'; its columns: " + ColumnList(table);
      return false;
    }
  }
  else
  {
    size_t start = 0;
    while (start <= columns.size())
    {
      const size_t      comma = std::min(columns.find(',', start), columns.size());
      const std::string name = Trim(columns.substr(start, comma - start));
      start = comma + 1;
      if (name.empty())
      {
        continue;
      }
      vtkDataArray * column = nullptr;
      for (vtkIdType c = 0; c < table->GetNumberOfColumns() && column == nullptr; ++c)
      {
        if (ColumnName(table, c) == name)
        {
          column = NumericColumn(table, c);
        }
      }
      if (column == nullptr || column == r)
      {
        error = "BasisColumns: '" + name + "' is not a numeric curve column of the basis table; its columns: " +
                ColumnList(table);
        return false;
      }
      curves.push_back(column);
      basis.Names.push_back(name);
    }
    if (curves.empty())
    {
      error = "BasisColumns: \"" + columns + "\" names no column; give comma-separated column names, or leave it "
              "empty for every numeric column";
      return false;
    }
  }

  basis.RUnit = "A";
  const vtkIdType rows = table->GetNumberOfRows();
  basis.R.resize(static_cast<size_t>(rows));
  for (vtkIdType i = 0; i < rows; ++i)
  {
    basis.R[static_cast<size_t>(i)] = r->GetComponent(i, 0);
  }
  for (vtkDataArray * column : curves)
  {
    basis.Values.emplace_back(static_cast<size_t>(rows));
    for (vtkIdType i = 0; i < rows; ++i)
    {
      basis.Values.back()[static_cast<size_t>(i)] = column->GetComponent(i, 0);
    }
  }
  return true;
}
} // namespace bridge
} // namespace stempdf
