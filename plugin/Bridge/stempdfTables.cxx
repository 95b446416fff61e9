#include "stempdfTables.h"

#include "stempdfBridge.h"
#include "stempdfPieces.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkIntArray.h"
#include "vtkPointData.h"
#include "vtkStringArray.h"
#include "vtkTable.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace stempdf
{
namespace bridge
{
bool AddMeanCurves(vtkImageData* field, const std::vector<std::string>& arrays,
  const std::string& axisColumn, const std::vector<std::string>& meanColumns,
  const int wholeExtent[6], vtkTable* table)
{
  VectorAxis axis;
  if (field == nullptr || !ReadVectorAxis(field->GetFieldData(), axis) || arrays.empty())
  {
    return false;
  }
  std::vector<vtkDataArray*> values;
  for (const auto& name : arrays)
  {
    values.push_back(field->GetPointData()->GetArray(name.c_str()));
    if (values.back() == nullptr ||
      values.back()->GetNumberOfComponents() != values.front()->GetNumberOfComponents())
    {
      return false;
    }
  }
  const int samples = values.front()->GetNumberOfComponents();
  const int curves = static_cast<int>(values.size());
  const int* extent = field->GetExtent();
  const int nx = extent[1] - extent[0] + 1;
  const pieces::ScanExtent owned = pieces::OwnedExtent(extent, wholeExtent);
  // The sums of every curve, then the count of positions.
  const std::vector<double> total =
    pieces::ReduceOverScan(owned, static_cast<size_t>(curves) * samples + 1, pieces::Merge::Sum,
      [&](const pieces::RowBlock& block, double* sums)
      {
        for (int y = block.FirstRow; y <= block.LastRow; ++y)
        {
          for (int x = owned.Extent[0]; x <= owned.Extent[1]; ++x)
          {
            const vtkIdType tuple = static_cast<vtkIdType>(y - extent[2]) * nx + (x - extent[0]);
            for (int c = 0; c < curves; ++c)
            {
              double* sum = sums + static_cast<size_t>(c) * samples;
              // The filters' outputs are vtkDoubleArrays: read them in place
              // (GetComponent costs a virtual call per value: 16 M for a G(r) cube).
              if (auto* doubles = vtkDoubleArray::FastDownCast(values[c]))
              {
                const double* curve = doubles->GetPointer(tuple * samples);
                for (int b = 0; b < samples; ++b)
                {
                  sum[b] += curve[b];
                }
              }
              else
              {
                for (int b = 0; b < samples; ++b)
                {
                  sum[b] += values[c]->GetComponent(tuple, b);
                }
              }
            }
            sums[static_cast<size_t>(curves) * samples] += 1.0;
          }
        }
      });
  if (!pieces::ranks::HoldsTables())
  {
    return true; // one table for the whole scan
  }
  vtkNew<vtkDoubleArray> coordinates;
  coordinates->SetName(axisColumn.c_str());
  coordinates->SetNumberOfTuples(samples);
  for (int b = 0; b < samples; ++b)
  {
    coordinates->SetValue(b, axis.GetCoordinate(b));
  }
  table->AddColumn(coordinates);
  for (int c = 0; c < curves; ++c)
  {
    vtkNew<vtkDoubleArray> mean;
    mean->SetName(meanColumns[c].c_str());
    mean->SetNumberOfTuples(samples);
    for (int b = 0; b < samples; ++b)
    {
      mean->SetValue(
        b, total.back() > 0.0 ? total[static_cast<size_t>(c) * samples + b] / total.back() : 0.0);
    }
    table->AddColumn(mean);
  }
  return true;
}

bool ReadCurveTable(vtkTable* table, const std::string& axisColumn, std::vector<double>& axis,
  std::vector<std::string>& names, CurveMatrix& curves, std::string& error)
{
  auto* coordinates = vtkDataArray::SafeDownCast(table->GetColumnByName(axisColumn.c_str()));
  if (coordinates == nullptr)
  {
    std::string columns;
    for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
    {
      columns += std::string(c ? ", " : "") + "'" +
        (table->GetColumnName(c) ? table->GetColumnName(c) : "") + "'";
    }
    error = "the table has no numeric column '" + axisColumn + "' (its columns: " + columns + ")";
    return false;
  }
  const vtkIdType rows = table->GetNumberOfRows();
  axis.resize(rows);
  for (vtkIdType i = 0; i < rows; ++i)
  {
    axis[i] = coordinates->GetComponent(i, 0);
    if (!std::isfinite(axis[i]) || (i > 0 && !(axis[i] > axis[i - 1])))
    {
      error = "column '" + axisColumn + "' must hold finite, strictly ascending values; row " +
        std::to_string(i) + " is " + std::to_string(axis[i]);
      return false;
    }
  }
  names.clear();
  std::vector<vtkDataArray*> columns;
  for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
  {
    auto* column = vtkDataArray::SafeDownCast(table->GetColumn(c));
    if (column != nullptr && column != coordinates && column->GetNumberOfComponents() == 1)
    {
      names.emplace_back(column->GetName() ? column->GetName() : "curve" + std::to_string(c));
      columns.push_back(column);
    }
  }
  if (columns.empty() || rows < 2)
  {
    error = "the table needs column '" + axisColumn +
      "' and at least one numeric column of values, with at least 2 rows";
    return false;
  }
  curves.resize(static_cast<Eigen::Index>(columns.size()), rows);
  for (size_t c = 0; c < columns.size(); ++c)
  {
    for (vtkIdType i = 0; i < rows; ++i)
    {
      curves(static_cast<Eigen::Index>(c), i) = columns[c]->GetComponent(i, 0);
    }
  }
  return true;
}

void WriteCurveTable(const std::string& axisColumn, const std::vector<double>& axis,
  const std::vector<std::string>& names, const CurveMatrix& curves, vtkTable* table)
{
  vtkNew<vtkDoubleArray> coordinates;
  coordinates->SetName(axisColumn.c_str());
  coordinates->SetNumberOfTuples(static_cast<vtkIdType>(axis.size()));
  for (size_t i = 0; i < axis.size(); ++i)
  {
    coordinates->SetValue(static_cast<vtkIdType>(i), axis[i]);
  }
  table->AddColumn(coordinates);
  for (size_t c = 0; c < names.size(); ++c)
  {
    vtkNew<vtkDoubleArray> column;
    column->SetName(names[c].c_str());
    column->SetNumberOfTuples(curves.cols());
    for (Eigen::Index i = 0; i < curves.cols(); ++i)
    {
      column->SetValue(i, curves(static_cast<Eigen::Index>(c), i));
    }
    table->AddColumn(column);
  }
}

std::vector<double> OwnedPopulationSums(const double* fractions, const int extent[6],
  const int wholeExtent[6], const std::vector<bool>& selected)
{
  const pieces::ScanExtent owned = pieces::OwnedExtent(extent, wholeExtent);
  const size_t nx = static_cast<size_t>(extent[1] - extent[0] + 1), k = selected.size();
  return pieces::AccumulateOverPiece(owned, 2 * k + 2, pieces::Merge::Sum,
    [&](const pieces::RowBlock& block, double* partial)
    {
      PopulationSums sums(k);
      for (int y = block.FirstRow; y <= block.LastRow; ++y)
      {
        sums.Accumulate(fractions + ((y - extent[2]) * nx + (owned.Extent[0] - extent[0])) * k,
          static_cast<size_t>(owned.Width()), selected);
      }
      const std::vector<double> packed = sums.Pack();
      std::transform(packed.begin(), packed.end(), partial, partial, std::plus<double>());
    });
}

void WritePopulationTable(const std::vector<Population>& populations, vtkTable* table)
{
  vtkNew<vtkStringArray> component;
  component->SetName("Component");
  vtkNew<vtkDoubleArray> mean, area;
  mean->SetName("MeanFraction");
  area->SetName("AreaFraction");
  vtkNew<vtkIntArray> chosen;
  chosen->SetName("Selected");
  for (const auto& population : populations)
  {
    component->InsertNextValue(population.Name);
    mean->InsertNextValue(population.MeanFraction);
    area->InsertNextValue(population.AreaFraction);
    chosen->InsertNextValue(population.Selected ? 1 : 0);
  }
  table->AddColumn(component);
  table->AddColumn(mean);
  table->AddColumn(area);
  table->AddColumn(chosen);
}

void WriteAutocorrelationTables(const std::vector<std::string>& names,
  const std::vector<RadialAutocorrelation>& profiles,
  const std::vector<std::array<double, 3>>& lengths, int lengthDefinition, vtkTable* profileTable,
  vtkTable* lengthTable)
{
  const std::size_t k = names.size();
  vtkNew<vtkDoubleArray> distance;
  distance->SetName("Distance (nm)");
  for (double d : (k > 0 ? profiles[0].Distance : std::vector<double>()))
  {
    distance->InsertNextValue(d);
  }
  profileTable->AddColumn(distance);
  for (std::size_t j = 0; j < k; ++j)
  {
    vtkNew<vtkDoubleArray> column;
    column->SetName(names[j].c_str());
    for (double c : profiles[j].Correlation)
    {
      column->InsertNextValue(c);
    }
    profileTable->AddColumn(column);
  }

  vtkNew<vtkStringArray> mapColumn;
  mapColumn->SetName("Map");
  const char* lengthNames[3] = { "FWHM (nm)", "OneOverE (nm)", "ExponentialFit (nm)" };
  vtkNew<vtkDoubleArray> lengthColumns[4];
  for (int c = 0; c < 3; ++c)
  {
    lengthColumns[c]->SetName(lengthNames[c]);
  }
  lengthColumns[3]->SetName("CorrelationLength (nm)");
  for (std::size_t j = 0; j < k; ++j)
  {
    mapColumn->InsertNextValue(names[j]);
    for (int c = 0; c < 3; ++c)
    {
      lengthColumns[c]->InsertNextValue(lengths[j][c]);
    }
    lengthColumns[3]->InsertNextValue(lengths[j][lengthDefinition]);
  }
  lengthTable->AddColumn(mapColumn);
  for (auto& column : lengthColumns)
  {
    lengthTable->AddColumn(column);
  }
}

void WriteNMFTables(const VectorAxis& rAxis, const Eigen::MatrixXd& basis, double shift,
  const NMFResult& result, vtkTable* basisTable, vtkTable* objectiveTable)
{
  std::vector<double> r(rAxis.GetNumberOfComponents());
  for (unsigned int i = 0; i < r.size(); ++i)
  {
    r[i] = rAxis.GetCoordinate(i);
  }
  const auto k = static_cast<int>(basis.rows());
  std::vector<std::string> names;
  for (int j = 0; j < k; ++j)
  {
    names.push_back("Basis " + std::to_string(j + 1));
  }
  for (int j = 0; j < k; ++j)
  {
    names.push_back("Basis " + std::to_string(j + 1) + " (shifted)");
  }
  CurveMatrix curves(2 * basis.rows(), basis.cols());
  curves.topRows(basis.rows()) = basis.array() - shift;
  curves.bottomRows(basis.rows()) = basis;
  WriteCurveTable("r", r, names, curves, basisTable);

  vtkNew<vtkIntArray> iteration;
  iteration->SetName("Iteration");
  vtkNew<vtkDoubleArray> objective;
  objective->SetName("Objective");
  vtkNew<vtkIntArray> compressed;
  compressed->SetName("Compressed");
  for (std::size_t i = 0; i < result.Objective.size(); ++i)
  {
    iteration->InsertNextValue(static_cast<int>(i + 1));
    objective->InsertNextValue(result.Objective[i]);
    compressed->InsertNextValue(i < result.CompressedIterations ? 1 : 0);
  }
  objectiveTable->AddColumn(iteration);
  objectiveTable->AddColumn(objective);
  objectiveTable->AddColumn(compressed);
}

void WriteParameterTable(const std::vector<std::string>& curves,
  const std::vector<std::string>& parameterNames, const CurveMatrix& values, vtkTable* table)
{
  vtkNew<vtkStringArray> curve;
  curve->SetName("Curve");
  for (const auto& name : curves)
  {
    curve->InsertNextValue(name);
  }
  table->AddColumn(curve);
  for (size_t k = 0; k < parameterNames.size(); ++k)
  {
    vtkNew<vtkDoubleArray> column;
    column->SetName(parameterNames[k].c_str());
    for (Eigen::Index c = 0; c < values.rows(); ++c)
    {
      column->InsertNextValue(values(c, static_cast<Eigen::Index>(k)));
    }
    table->AddColumn(column);
  }
}
} // namespace bridge
} // namespace stempdf
