#include "stempdfPeakTables.h"

#include "stempdfBasisTable.h"
#include "stempdfTableColumns.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkSmartPointer.h"
#include "vtkStringArray.h"
#include "vtkTable.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace stempdf
{
namespace bridge
{
namespace
{
const double NaN = std::numeric_limits<double>::quiet_NaN();

/** G at r by linear interpolation on the samples (r inside their range). */
double Interpolate(const std::vector<double>& r, const std::vector<double>& g, double x)
{
  if (!(x >= r.front() && x <= r.back()))
  {
    return NaN;
  }
  const size_t i = static_cast<size_t>(std::upper_bound(r.begin(), r.end(), x) - r.begin());
  if (i >= r.size())
  {
    return g.back();
  }
  const double w = (x - r[i - 1]) / (r[i] - r[i - 1]);
  return (1.0 - w) * g[i - 1] + w * g[i];
}

/** The marker table under construction: rows appended with one value set. */
struct Markers
{
  vtkNew<vtkDoubleArray> R;
  vtkNew<vtkStringArray> Marker;
  std::vector<vtkSmartPointer<vtkDoubleArray>> Columns;

  void Row(double r, size_t column, double value, const std::string& marker)
  {
    R->InsertNextValue(r);
    Marker->InsertNextValue(marker);
    for (size_t c = 0; c < Columns.size(); ++c)
    {
      Columns[c]->InsertNextValue(c == column ? value : NaN);
    }
  }
  /** A polyline (r_i, y_i) in `column`, ended by a NaN row. */
  void Polyline(
    const std::vector<std::pair<double, double>>& points, size_t column, const std::string& marker)
  {
    for (const auto& point : points)
    {
      if (!std::isfinite(point.first) || !std::isfinite(point.second))
      {
        return;
      }
    }
    for (const auto& point : points)
    {
      this->Row(point.first, column, point.second, marker);
    }
    this->Row(points.back().first, column, NaN, marker);
  }
};
} // namespace

bool ReadPeakCurves(vtkTable* input, const std::string& rColumnName, const std::string& columnsText,
  PeakCurves& curves, std::string& error)
{
  // The r column: named RColumn, or, for the default "r", any "r (A)" spelling.
  const std::string rName = Trim(rColumnName);
  vtkDataArray* rColumn = nullptr;
  for (vtkIdType c = 0; c < input->GetNumberOfColumns() && rColumn == nullptr; ++c)
  {
    if (ColumnName(input, c) == rName)
    {
      rColumn = NumericColumn(input, c);
      curves.RName = rName;
    }
  }
  std::string unit;
  for (vtkIdType c = 0; c < input->GetNumberOfColumns() && rColumn == nullptr && rName == "r"; ++c)
  {
    if (NumericColumn(input, c) != nullptr && ParseRColumnName(ColumnName(input, c), unit) &&
      IsAngstromUnit(unit))
    {
      rColumn = NumericColumn(input, c);
      curves.RName = ColumnName(input, c);
    }
  }
  if (rColumn == nullptr)
  {
    error = "RColumn '" + rName +
      "' is not a numeric column of the input table; its columns: " + ColumnList(input);
    return false;
  }
  std::vector<vtkDataArray*> columns;
  if (!SelectCurveColumns(input, rColumn, curves.RName, columnsText, "Columns", "input table",
        columns, curves.Names, error))
  {
    return false;
  }
  curves.R = ColumnValues(rColumn);
  curves.Values.clear();
  for (vtkDataArray* column : columns)
  {
    curves.Values.push_back(ColumnValues(column));
  }
  return true;
}

void WritePeakTable(
  const PeakCurves& curves, const std::vector<PeakAnalysisResult>& results, vtkTable* peaks)
{
  // Port 0: one row per curve.
  vtkNew<vtkStringArray> curve, message;
  curve->SetName("Curve");
  message->SetName("Message");
  vtkNew<vtkIntArray> ok;
  ok->SetName("FitOK");
  const char* columnNames[] = { "R1 (A)", "FWHM (A)", "SecondPeak (A)", "Shoulder (A)", "2R1 (A)",
    "sqrt3R1 (A)", "sqrt8/3R1 (A)", "G(R1)", "FWHM Left (A)", "FWHM Right (A)",
    "SecondComponent (A)", "Shoulder FWHM (A)", "Fit RMS" };
  std::vector<vtkSmartPointer<vtkDoubleArray>> numbers;
  for (const char* name : columnNames)
  {
    numbers.push_back(vtkSmartPointer<vtkDoubleArray>::New());
    numbers.back()->SetName(name);
  }
  const std::vector<std::string>& names = curves.Names;
  for (size_t k = 0; k < results.size(); ++k)
  {
    const auto& x = results[k];
    const double row[] = { x.FirstPeak, x.FirstPeakFWHM, x.SecondPeak, x.Shoulder,
      x.VertexSharing(), x.EdgeSharing(), x.FaceSharing(), x.FirstPeakHeight, x.FirstPeakLeft,
      x.FirstPeakRight, x.SecondComponent, x.ShoulderFWHM, x.SecondPeakFitRMS };
    curve->InsertNextValue(names[k]);
    for (size_t j = 0; j < numbers.size(); ++j)
    {
      numbers[j]->InsertNextValue(row[j]);
    }
    ok->InsertNextValue(x.FitOK ? 1 : 0);
    message->InsertNextValue(x.Message);
  }
  peaks->AddColumn(curve);
  for (size_t j = 0; j < 7; ++j)
  {
    peaks->AddColumn(numbers[j]);
  }
  peaks->AddColumn(ok);
  for (size_t j = 7; j < numbers.size(); ++j)
  {
    peaks->AddColumn(numbers[j]);
  }
  peaks->AddColumn(message);
}

void WritePeakMarkers(
  const PeakCurves& curves, const std::vector<PeakAnalysisResult>& results, vtkTable* markers)
{
  // Port 1: the markers, two columns per curve.
  const std::vector<std::string>& names = curves.Names;
  const std::vector<double>& r = curves.R;
  Markers table;
  table.R->SetName("r");
  table.Marker->SetName("Marker");
  for (const auto& name : names)
  {
    for (const char* suffix : { " peaks", " polyhedra" })
    {
      table.Columns.push_back(vtkSmartPointer<vtkDoubleArray>::New());
      table.Columns.back()->SetName((name + suffix).c_str());
    }
  }
  for (size_t k = 0; k < results.size(); ++k)
  {
    const auto& x = results[k];
    const auto& g = curves.Values[k];
    const auto stick = [&](double position, size_t column, const std::string& marker)
    {
      table.Polyline({ { position, 0.0 }, { position, Interpolate(r, g, position) } }, column,
        names[k] + ": " + marker);
    };
    stick(x.FirstPeak, 2 * k, "R1");
    table.Polyline({ { x.FirstPeakLeft, 0.5 * x.FirstPeakHeight },
                     { x.FirstPeakRight, 0.5 * x.FirstPeakHeight } },
      2 * k, names[k] + ": FWHM");
    stick(x.SecondPeak, 2 * k, "second peak");
    stick(x.Shoulder, 2 * k, "shoulder");
    stick(x.FaceSharing(), 2 * k + 1, "sqrt(8/3) R1 (face)");
    stick(x.EdgeSharing(), 2 * k + 1, "sqrt(3) R1 (edge)");
    stick(x.VertexSharing(), 2 * k + 1, "2 R1 (vertex)");
  }
  markers->AddColumn(table.R);
  markers->AddColumn(table.Marker);
  for (const auto& column : table.Columns)
  {
    markers->AddColumn(column);
  }
}
} // namespace bridge
} // namespace stempdf
