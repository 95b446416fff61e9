#include "vtkSTEMPDFPeakAnalysis.h"

#include "stempdfBasisTable.h"
#include "stempdfPeakAnalysis.h"
#include "stempdfPieces.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkStringArray.h"
#include "vtkSmartPointer.h"
#include "vtkTable.h"

#include "itkMacro.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFPeakAnalysis);

namespace
{
const double NaN = std::numeric_limits<double>::quiet_NaN();

std::string Trim(const std::string& text)
{
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first == std::string::npos ? ""
                                    : text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
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

bool EndsWithShifted(const std::string& name)
{
  std::string lower;
  for (const char ch : Trim(name))
  {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  const std::string suffix = "(shifted)";
  return lower.size() >= suffix.size() &&
    lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<double> Values(vtkDataArray* column)
{
  std::vector<double> values(static_cast<size_t>(column->GetNumberOfTuples()));
  for (vtkIdType i = 0; i < column->GetNumberOfTuples(); ++i)
  {
    values[static_cast<size_t>(i)] = column->GetComponent(i, 0);
  }
  return values;
}

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
  void Polyline(const std::vector<std::pair<double, double>>& points, size_t column, const std::string& marker)
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

vtkSTEMPDFPeakAnalysis::vtkSTEMPDFPeakAnalysis()
{
  this->SetNumberOfOutputPorts(2);
}

int vtkSTEMPDFPeakAnalysis::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkTable");
  return 1;
}

int vtkSTEMPDFPeakAnalysis::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkTable* input = vtkTable::GetData(inputVector[0]);
  vtkTable* peaks = vtkTable::GetData(outputVector, 0);
  vtkTable* markers = vtkTable::GetData(outputVector, 1);
  if ((input == nullptr || input->GetNumberOfRows() == 0) && stempdf::pieces::ranks::IsParallel())
  {
    return 1; // the table's rows are on another rank
  }
  if (input == nullptr || input->GetNumberOfColumns() == 0 || input->GetNumberOfRows() == 0)
  {
    vtkErrorMacro(<< "PeakAnalysis: the input table is empty: connect a table with an r column and one "
                     "column per G(r) curve");
    return 0;
  }

  // The r column: named RColumn, or, for the default "r", any "r (A)" spelling.
  const std::string rName = Trim(this->RColumn);
  vtkDataArray* rColumn = nullptr;
  std::string rFound;
  for (vtkIdType c = 0; c < input->GetNumberOfColumns() && rColumn == nullptr; ++c)
  {
    if (ColumnName(input, c) == rName)
    {
      rColumn = NumericColumn(input, c);
      rFound = rName;
    }
  }
  std::string unit;
  for (vtkIdType c = 0; c < input->GetNumberOfColumns() && rColumn == nullptr && rName == "r"; ++c)
  {
    if (NumericColumn(input, c) != nullptr && stempdf::bridge::ParseRColumnName(ColumnName(input, c), unit) &&
      stempdf::IsAngstromUnit(unit))
    {
      rColumn = NumericColumn(input, c);
      rFound = ColumnName(input, c);
    }
  }
  if (rColumn == nullptr)
  {
    vtkErrorMacro(<< "PeakAnalysis: RColumn '" << rName
                  << "' is not a numeric column of the input table; its columns: " << ColumnList(input));
    return 0;
  }

  // The curves.
  std::vector<std::string> names;
  std::vector<vtkDataArray*> curves;
  if (Trim(this->Columns).empty())
  {
    for (vtkIdType c = 0; c < input->GetNumberOfColumns(); ++c)
    {
      vtkDataArray* column = NumericColumn(input, c);
      if (column != nullptr && column != rColumn && !EndsWithShifted(ColumnName(input, c)))
      {
        curves.push_back(column);
        names.push_back(ColumnName(input, c));
      }
    }
    if (curves.empty())
    {
      vtkErrorMacro(<< "PeakAnalysis: the input table has no numeric curve column besides '" << rFound
                    << "'; its columns: " << ColumnList(input));
      return 0;
    }
  }
  else
  {
    size_t start = 0;
    while (start <= this->Columns.size())
    {
      const size_t comma = std::min(this->Columns.find(',', start), this->Columns.size());
      const std::string name = Trim(this->Columns.substr(start, comma - start));
      start = comma + 1;
      if (name.empty())
      {
        continue;
      }
      vtkDataArray* column = nullptr;
      for (vtkIdType c = 0; c < input->GetNumberOfColumns() && column == nullptr; ++c)
      {
        column = ColumnName(input, c) == name ? NumericColumn(input, c) : nullptr;
      }
      if (column == nullptr || column == rColumn)
      {
        vtkErrorMacro(<< "PeakAnalysis: Columns: '" << name
                      << "' is not a numeric curve column of the input table; its columns: " << ColumnList(input));
        return 0;
      }
      curves.push_back(column);
      names.push_back(name);
    }
    if (curves.empty())
    {
      vtkErrorMacro(<< "PeakAnalysis: Columns \"" << this->Columns
                    << "\" names no column; give comma-separated column names, or leave it empty for every "
                       "numeric column");
      return 0;
    }
  }

  // Analyse every curve first (any bad input fails the whole filter).
  const std::vector<double> r = Values(rColumn);
  stempdf::PeakAnalysisOptions options;
  std::copy(this->FirstPeakWindow, this->FirstPeakWindow + 2, options.FirstPeakWindow);
  std::copy(this->SecondPeakWindow, this->SecondPeakWindow + 2, options.SecondPeakWindow);
  std::vector<stempdf::PeakAnalysisResult> results;
  std::vector<std::vector<double>> values;
  for (size_t k = 0; k < curves.size(); ++k)
  {
    values.push_back(Values(curves[k]));
    try
    {
      results.push_back(stempdf::AnalyzePeaks(r, values.back(), options));
    }
    catch (const itk::ExceptionObject& e)
    {
      vtkErrorMacro(<< "PeakAnalysis: curve '" << names[k] << "' (r column '" << rFound
                    << "'): " << e.GetDescription());
      return 0;
    }
    this->UpdateProgress(static_cast<double>(k + 1) / static_cast<double>(curves.size()));
  }

  // Port 0: one row per curve.
  vtkNew<vtkStringArray> curve, message;
  curve->SetName("Curve");
  message->SetName("Message");
  vtkNew<vtkIntArray> ok;
  ok->SetName("FitOK");
  const char* columnNames[] = { "R1 (A)", "FWHM (A)", "SecondPeak (A)", "Shoulder (A)", "2R1 (A)", "sqrt3R1 (A)",
    "sqrt8/3R1 (A)", "G(R1)", "FWHM Left (A)", "FWHM Right (A)", "SecondComponent (A)", "Shoulder FWHM (A)",
    "Fit RMS" };
  std::vector<vtkSmartPointer<vtkDoubleArray>> numbers;
  for (const char* name : columnNames)
  {
    numbers.push_back(vtkSmartPointer<vtkDoubleArray>::New());
    numbers.back()->SetName(name);
  }
  for (size_t k = 0; k < results.size(); ++k)
  {
    const auto& x = results[k];
    const double row[] = { x.FirstPeak, x.FirstPeakFWHM, x.SecondPeak, x.Shoulder, x.VertexSharing(),
      x.EdgeSharing(), x.FaceSharing(), x.FirstPeakHeight, x.FirstPeakLeft, x.FirstPeakRight, x.SecondComponent,
      x.ShoulderFWHM, x.SecondPeakFitRMS };
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

  // Port 1: the markers, two columns per curve.
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
    const auto& g = values[k];
    const auto stick = [&](double position, size_t column, const std::string& marker) {
      table.Polyline({ { position, 0.0 }, { position, Interpolate(r, g, position) } }, column, names[k] + ": " + marker);
    };
    stick(x.FirstPeak, 2 * k, "R1");
    table.Polyline({ { x.FirstPeakLeft, 0.5 * x.FirstPeakHeight }, { x.FirstPeakRight, 0.5 * x.FirstPeakHeight } },
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
  return 1;
}

void vtkSTEMPDFPeakAnalysis::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "RColumn: \"" << this->RColumn << "\", Columns: \"" << this->Columns << "\"\n"
     << indent << "FirstPeakWindow: " << this->FirstPeakWindow[0] << " " << this->FirstPeakWindow[1]
     << ", SecondPeakWindow: " << this->SecondPeakWindow[0] << " " << this->SecondPeakWindow[1] << "\n";
}
