#include "stempdfPieces.h"

#include "vtkCommunicator.h"
#include "vtkDataObject.h"
#include "vtkMultiProcessController.h"
#include "vtkTable.h"

#include <algorithm>
#include <limits>

namespace stempdf
{
namespace pieces
{
ScanExtent
OwnedExtent(const int piece[6], const int whole[6])
{
  ScanExtent owned;
  std::copy(piece, piece + 6, owned.Extent);
  if (owned.IsEmpty())
  {
    return owned;
  }
  // The next piece owns the boundary row (column) the two share.
  if (piece[1] < whole[1])
  {
    owned.Extent[1] = piece[1] - 1;
  }
  if (piece[3] < whole[3])
  {
    owned.Extent[3] = piece[3] - 1;
  }
  return owned;
}

int
SharedTrailingRows(const int piece[6], const int whole[6])
{
  const ScanExtent owned = OwnedExtent(piece, whole);
  return owned.IsEmpty() ? 0 : piece[3] - owned.Extent[3];
}

std::size_t
FirstPosition(const int piece[6], const int whole[6])
{
  return static_cast<std::size_t>(piece[2] - whole[2]) * static_cast<std::size_t>(whole[1] - whole[0] + 1) +
         static_cast<std::size_t>(piece[0] - whole[0]);
}

double
Identity(Merge merge)
{
  switch (merge)
  {
    case Merge::Minimum:
      return std::numeric_limits<double>::infinity();
    case Merge::Maximum:
      return -std::numeric_limits<double>::infinity();
    case Merge::Sum:
    default:
      return 0.0;
  }
}

namespace ranks
{
namespace
{
/** The only look-up of ParaView's controller in the plugin: nullptr alone. */
vtkMultiProcessController *
Controller()
{
  vtkMultiProcessController * controller = vtkMultiProcessController::GetGlobalController();
  return controller != nullptr && controller->GetNumberOfProcesses() > 1 ? controller : nullptr;
}

int
Operation(Merge merge)
{
  switch (merge)
  {
    case Merge::Minimum:
      return vtkCommunicator::MIN_OP;
    case Merge::Maximum:
      return vtkCommunicator::MAX_OP;
    case Merge::Sum:
    default:
      return vtkCommunicator::SUM_OP;
  }
}
} // namespace

bool
IsParallel()
{
  return Controller() != nullptr;
}

int
Rank()
{
  vtkMultiProcessController * controller = Controller();
  return controller != nullptr ? controller->GetLocalProcessId() : 0;
}

int
Count()
{
  vtkMultiProcessController * controller = Controller();
  return controller != nullptr ? controller->GetNumberOfProcesses() : 1;
}

bool
HoldsTables()
{
  return Rank() == 0;
}

bool
AllSucceeded(bool ok)
{
  vtkMultiProcessController * controller = Controller();
  if (controller == nullptr)
  {
    return ok;
  }
  int mine = ok ? 1 : 0, all = 0;
  controller->AllReduce(&mine, &all, 1, vtkCommunicator::MIN_OP);
  return all == 1;
}

void
Reduce(std::vector<double> & values, Merge merge)
{
  vtkMultiProcessController * controller = Controller();
  if (controller == nullptr || values.empty())
  {
    return;
  }
  const std::vector<double> mine(values);
  controller->AllReduce(mine.data(), values.data(), static_cast<vtkIdType>(values.size()), Operation(merge));
}

int
FirstRankWith(bool has)
{
  vtkMultiProcessController * controller = Controller();
  if (controller == nullptr)
  {
    return has ? 0 : 1;
  }
  const int        count = controller->GetNumberOfProcesses();
  int              mine = has ? 1 : 0;
  std::vector<int> all(static_cast<std::size_t>(count), 0);
  controller->AllGather(&mine, all.data(), 1);
  return static_cast<int>(std::find(all.begin(), all.end(), 1) - all.begin());
}

void
Broadcast(vtkDataObject * object, int root)
{
  if (vtkMultiProcessController * controller = Controller())
  {
    controller->Broadcast(object, root);
  }
}

void
ShareTable(vtkSmartPointer<vtkTable> & table)
{
  if (!IsParallel())
  {
    return;
  }
  const int root = FirstRankWith(table != nullptr && table->GetNumberOfRows() > 0);
  if (root < Count())
  {
    auto shared = vtkSmartPointer<vtkTable>::New();
    if (Rank() == root)
    {
      shared->ShallowCopy(table);
    }
    Broadcast(shared, root);
    table = shared;
  }
}

void
Broadcast(std::vector<std::string> & strings)
{
  vtkMultiProcessController * controller = Controller();
  if (controller == nullptr)
  {
    return;
  }
  // One buffer of the strings, each ended by a NUL, then its length.
  std::string joined;
  for (const auto & s : strings)
  {
    joined += s;
    joined.push_back('\0');
  }
  vtkIdType size = static_cast<vtkIdType>(joined.size());
  controller->Broadcast(&size, 1, 0);
  joined.resize(static_cast<std::size_t>(size));
  if (size > 0)
  {
    controller->Broadcast(&joined[0], size, 0);
  }
  strings.clear();
  for (std::size_t start = 0; start < joined.size();)
  {
    const std::size_t end = joined.find('\0', start);
    strings.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
}

std::function<void(double *, std::size_t)>
GlobalSum()
{
  return [](double * values, std::size_t count) {
    std::vector<double> sums(values, values + count);
    Reduce(sums, Merge::Sum);
    std::copy(sums.begin(), sums.end(), values);
  };
}

std::function<double(double)>
GlobalMinimum()
{
  return [](double value) {
    std::vector<double> minimum{ value };
    Reduce(minimum, Merge::Minimum);
    return minimum[0];
  };
}
} // namespace ranks

void
ForEachBlock(const ScanExtent & owned, int rowsPerBlock, const std::function<void(const RowBlock &)> & process)
{
  if (owned.IsEmpty())
  {
    return;
  }
  const int step = rowsPerBlock > 0 ? rowsPerBlock : owned.Height();
  for (int first = owned.Extent[2]; first <= owned.Extent[3]; first += step)
  {
    process(RowBlock{ first, std::min(first + step - 1, owned.Extent[3]) });
  }
}

std::vector<double>
AccumulateOverPiece(const ScanExtent &                                              owned,
                    std::size_t                                                     length,
                    Merge                                                           merge,
                    const std::function<void(const RowBlock &, double * partial)> & process,
                    int                                                             rowsPerBlock)
{
  std::vector<double> partial(length, Identity(merge));
  ForEachBlock(owned, rowsPerBlock, [&](const RowBlock & block) { process(block, partial.data()); });
  return partial;
}

std::vector<double>
ReduceOverScan(const ScanExtent &                                              owned,
               std::size_t                                                     length,
               Merge                                                           merge,
               const std::function<void(const RowBlock &, double * partial)> & process,
               int                                                             rowsPerBlock)
{
  std::vector<double> result = AccumulateOverPiece(owned, length, merge, process, rowsPerBlock);
  ranks::Reduce(result, merge);
  return result;
}
} // namespace pieces
} // namespace stempdf
