#ifndef stempdfPieces_h
#define stempdfPieces_h
// The piece contract of the plugin (docs/development.md, "Pieces").
//
// A scan is cut into pieces of scan rows: one per MPI rank of ParaView's
// engine (mpiexec -n K pvbatch, pvserver), and, within a piece, into blocks
// that the streaming pipeline walks one at a time. A stage with a result for
// the whole scan (a mean curve, a mean pattern, populations, a gathered map)
// states only two things, as LiberTEM's UDFs do (process_tile + merge):
//
//   - what it adds to its partial result for one block of the rows this
//     piece owns (`process`), and
//   - how partial results merge (Merge::Sum, Minimum or Maximum: element by
//     element, the same for blocks and for ranks).
//
// Everything else lives here, once: which positions a piece owns (VTK image
// pieces share their boundary row or column; it belongs to the upper piece
// unless it ends the scan), the controller look-up, the all-reduce over the
// ranks, and which rank holds the tables (rank 0, so that gathering the
// pieces does not repeat them).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "vtkSmartPointer.h"

class vtkDataObject;
class vtkTable;

namespace stempdf
{
namespace pieces
{
/** An extent of scan points, [x0 x1 y0 y1 z0 z1] as VTK writes it. */
struct ScanExtent
{
  int Extent[6] = { 0, -1, 0, -1, 0, -1 };

  bool
  IsEmpty() const
  {
    return Extent[1] < Extent[0] || Extent[3] < Extent[2] || Extent[5] < Extent[4];
  }
  int
  Width() const
  {
    return IsEmpty() ? 0 : Extent[1] - Extent[0] + 1;
  }
  int
  Height() const
  {
    return IsEmpty() ? 0 : Extent[3] - Extent[2] + 1;
  }
};

/** The positions of `piece` that it owns within `whole`: all but a last
 *  row (column) that the next piece shares, unless it is the last of the
 *  scan. The owned extents of the pieces of a scan cover it exactly once. */
ScanExtent
OwnedExtent(const int piece[6], const int whole[6]);

/** The rows this piece shares with the next one (0 or 1): those beyond its owned extent. */
int
SharedTrailingRows(const int piece[6], const int whole[6]);

/** Index, in scan order of `whole`, of the first point of `piece`. */
std::size_t
FirstPosition(const int piece[6], const int whole[6]);

/** How partial results merge, element by element. */
enum class Merge
{
  Sum,
  Minimum,
  Maximum
};

/** The first value of a partial result before any block is added: 0 for
 *  Sum, +inf for Minimum, -inf for Maximum. */
double
Identity(Merge merge);

/** The MPI ranks of this run: ParaView's global controller, or this process
 *  alone. Every function is collective when there are several ranks: every
 *  rank calls it, in the same order. */
namespace ranks
{
/** More than one rank. */
bool
IsParallel();
/** This rank's number (0 alone). */
int
Rank();
/** Number of ranks (1 alone). */
int
Count();
/** The rank that holds the tables of a result for the whole scan. */
bool
HoldsTables();
/** True on every rank when `ok` is true on all of them. */
bool
AllSucceeded(bool ok);
/** Merges `values` of every rank, element by element, in place. */
void
Reduce(std::vector<double> & values, Merge merge);
/** The first rank (in rank order) on which `has` is true; Count() when none. */
int
FirstRankWith(bool has);
/** `object` of rank `root` on every rank (vtkMultiProcessController::Broadcast). */
void
Broadcast(vtkDataObject * object, int root);
/** The table of the first rank whose table has rows, on every rank (a table
 *  source may deliver it on rank 0 only); unchanged when none has rows. */
void
ShareTable(vtkSmartPointer<vtkTable> & table);
/** Rank 0's strings on every rank. */
void
Broadcast(std::vector<std::string> & strings);
/** The reductions an ITK filter spread over ranks needs (NMF): a sum of
 *  `count` doubles in place, and a minimum; no-ops alone. */
std::function<void(double *, std::size_t)>
GlobalSum();
std::function<double(double)>
GlobalMinimum();
} // namespace ranks

/** A block of owned rows, [FirstRow, LastRow], of a piece. */
struct RowBlock
{
  int FirstRow;
  int LastRow;
};

/** Calls process(block) for the owned rows of this piece in blocks of at
 *  most `rowsPerBlock` rows (0: all of them at once), in scan order. */
void
ForEachBlock(const ScanExtent & owned, int rowsPerBlock, const std::function<void(const RowBlock &)> & process);

/** This rank's part of the contract, alone: a partial result of `length`
 *  values started at Identity(merge), process(block, partial) adding each
 *  block of the owned rows into it. Not collective: a stage that can fail
 *  computes this, agrees with the other ranks (ranks::AllSucceeded), then
 *  merges (ranks::Reduce). */
std::vector<double>
AccumulateOverPiece(const ScanExtent &                                              owned,
                    std::size_t                                                     length,
                    Merge                                                           merge,
                    const std::function<void(const RowBlock &, double * partial)> & process,
                    int                                                             rowsPerBlock = 0);

/** The contract's one entry point for a result over the whole scan: every
 *  rank starts a partial result of `length` values at Identity(merge),
 *  process(block, partial) adds each block of its owned rows into it, and
 *  the partial results of all ranks are merged. Every rank returns the
 *  whole scan's result. Collective. */
std::vector<double>
ReduceOverScan(const ScanExtent &                                          owned,
               std::size_t                                                 length,
               Merge                                                       merge,
               const std::function<void(const RowBlock &, double * partial)> & process,
               int                                                         rowsPerBlock = 0);
} // namespace pieces
} // namespace stempdf

#endif
