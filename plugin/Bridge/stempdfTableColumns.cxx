#include "stempdfTableColumns.h"

#include "vtkDataArray.h"
#include "vtkTable.h"

#include <algorithm>
#include <cctype>

namespace stempdf
{
namespace bridge
{
namespace
{
bool EndsWithShifted(const std::string& name)
{
  const std::string suffix = "(shifted)";
  std::string lower;
  for (const char ch : Trim(name))
  {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return lower.size() >= suffix.size() &&
    lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

std::string Trim(const std::string& text)
{
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos)
  {
    return "";
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string ColumnName(vtkTable* table, vtkIdType c)
{
  const char* name = table->GetColumnName(c);
  return name ? name : "";
}

std::string ColumnList(vtkTable* table)
{
  std::string list;
  for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
  {
    list += std::string(c ? ", " : "") + "'" + ColumnName(table, c) + "'";
  }
  return list.empty() ? "none" : list;
}

vtkDataArray* NumericColumn(vtkTable* table, vtkIdType c)
{
  auto* column = vtkDataArray::SafeDownCast(table->GetColumn(c));
  return column != nullptr && column->GetNumberOfComponents() == 1 ? column : nullptr;
}

std::vector<double> ColumnValues(vtkDataArray* column)
{
  std::vector<double> values(static_cast<size_t>(column->GetNumberOfTuples()));
  for (vtkIdType i = 0; i < column->GetNumberOfTuples(); ++i)
  {
    values[static_cast<size_t>(i)] = column->GetComponent(i, 0);
  }
  return values;
}

bool SelectCurveColumns(vtkTable* table, vtkDataArray* axis, const std::string& axisName,
  const std::string& selection, const std::string& property, const std::string& tableName,
  std::vector<vtkDataArray*>& columns, std::vector<std::string>& names, std::string& error)
{
  columns.clear();
  names.clear();
  if (Trim(selection).empty())
  {
    for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
    {
      vtkDataArray* column = NumericColumn(table, c);
      if (column != nullptr && column != axis && !EndsWithShifted(ColumnName(table, c)))
      {
        columns.push_back(column);
        names.push_back(ColumnName(table, c));
      }
    }
    if (columns.empty())
    {
      error = "the " + tableName + " has no numeric curve column besides '" + axisName +
        "'; its columns: " + ColumnList(table);
      return false;
    }
    return true;
  }
  size_t start = 0;
  while (start <= selection.size())
  {
    const size_t comma = std::min(selection.find(',', start), selection.size());
    const std::string name = Trim(selection.substr(start, comma - start));
    start = comma + 1;
    if (name.empty())
    {
      continue;
    }
    vtkDataArray* column = nullptr;
    for (vtkIdType c = 0; c < table->GetNumberOfColumns() && column == nullptr; ++c)
    {
      column = ColumnName(table, c) == name ? NumericColumn(table, c) : nullptr;
    }
    if (column == nullptr || column == axis)
    {
      error = property + ": '" + name + "' is not a numeric curve column of the " + tableName +
        "; its columns: " + ColumnList(table);
      return false;
    }
    columns.push_back(column);
    names.push_back(name);
  }
  if (columns.empty())
  {
    error = property + ": \"" + selection +
      "\" names no column; give comma-separated column names, or leave it empty for every numeric "
      "column";
    return false;
  }
  return true;
}
} // namespace bridge
} // namespace stempdf
