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

#include <cmath>

namespace stempdf
{
namespace bridge
{
bool
AddMeanCurves(vtkImageData *                   field,
              const std::vector<std::string> & arrays,
              const std::string &              axisColumn,
              const std::vector<std::string> & meanColumns,
              const int                        wholeExtent[6],
              vtkTable *                       table)
{
  VectorAxis axis;
  if (field == nullptr || !ReadVectorAxis(field->GetFieldData(), axis) || arrays.empty())
  {
    return false;
  }
  std::vector<vtkDataArray *> values;
  for (const auto & name : arrays)
  {
    values.push_back(field->GetPointData()->GetArray(name.c_str()));
    if (values.back() == nullptr || values.back()->GetNumberOfComponents() != values.front()->GetNumberOfComponents())
    {
      return false;
    }
  }
  const int   samples = values.front()->GetNumberOfComponents();
  const int   curves = static_cast<int>(values.size());
  const int * extent = field->GetExtent();
  const int   nx = extent[1] - extent[0] + 1;
  const pieces::ScanExtent owned = pieces::OwnedExtent(extent, wholeExtent);
  // The sums of every curve, then the count of positions.
  const std::vector<double> total = pieces::ReduceOverScan(
    owned, static_cast<size_t>(curves) * samples + 1, pieces::Merge::Sum,
    [&](const pieces::RowBlock & block, double * sums) {
      for (int y = block.FirstRow; y <= block.LastRow; ++y)
      {
        for (int x = owned.Extent[0]; x <= owned.Extent[1]; ++x)
        {
          const vtkIdType tuple = static_cast<vtkIdType>(y - extent[2]) * nx + (x - extent[0]);
          for (int c = 0; c < curves; ++c)
          {
            double * sum = sums + static_cast<size_t>(c) * samples;
            // The filters' outputs are vtkDoubleArrays: read them in place
            // (GetComponent costs a virtual call per value: 16 M for a G(r) cube).
            if (auto * doubles = vtkDoubleArray::FastDownCast(values[c]))
            {
              const double * curve = doubles->GetPointer(tuple * samples);
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
      mean->SetValue(b, total.back() > 0.0 ? total[static_cast<size_t>(c) * samples + b] / total.back() : 0.0);
    }
    table->AddColumn(mean);
  }
  return true;
}

bool
ReadCurveTable(vtkTable *                 table,
               const std::string &        axisColumn,
               std::vector<double> &      axis,
               std::vector<std::string> & names,
               CurveMatrix &              curves,
               std::string &              error)
{
  auto * coordinates = vtkDataArray::SafeDownCast(table->GetColumnByName(axisColumn.c_str()));
  if (coordinates == nullptr)
  {
    std::string columns;
    for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
    {
      columns += std::string(c ? ", " : "") + "'" + (table->GetColumnName(c) ? table->GetColumnName(c) : "") + "'";
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
      error = "column '" + axisColumn + "' must hold finite, strictly ascending values; row " + std::to_string(i) +
              " is " + std::to_string(axis[i]);
      return false;
    }
  }
  names.clear();
  std::vector<vtkDataArray *> columns;
  for (vtkIdType c = 0; c < table->GetNumberOfColumns(); ++c)
  {
    auto * column = vtkDataArray::SafeDownCast(table->GetColumn(c));
    if (column != nullptr && column != coordinates && column->GetNumberOfComponents() == 1)
    {
      names.emplace_back(column->GetName() ? column->GetName() : "curve" + std::to_string(c));
      columns.push_back(column);
    }
  }
  if (columns.empty() || rows < 2)
  {
    error = "the table needs column '" + axisColumn + "' and at least one numeric column of values, with at least 2 rows";
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

void
WriteCurveTable(const std::string &              axisColumn,
                const std::vector<double> &      axis,
                const std::vector<std::string> & names,
                const CurveMatrix &              curves,
                vtkTable *                       table)
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

void
WritePopulationTable(const std::vector<Population> & populations, vtkTable * table)
{
  vtkNew<vtkStringArray> component;
  component->SetName("Component");
  vtkNew<vtkDoubleArray> mean, area;
  mean->SetName("MeanFraction");
  area->SetName("AreaFraction");
  vtkNew<vtkIntArray> chosen;
  chosen->SetName("Selected");
  for (const auto & population : populations)
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
} // namespace bridge
} // namespace stempdf
