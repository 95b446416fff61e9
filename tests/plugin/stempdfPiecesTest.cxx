// The piece contract (plugin/Bridge/stempdfPieces.h) in one process: which
// positions a piece owns, the blocks a piece is walked in, and the merge of
// partial results. tests/plugin/test_*_mpi.py run it across two ranks.
#include "stempdfPieces.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <vector>

namespace
{
using stempdf::pieces::ScanExtent;

/** How often each position of a w x h scan is owned by the pieces `cuts` (row
 *  slabs [y0, y1] that share their boundary rows, as VTK splits an image). */
std::vector<int>
OwnerCounts(int w, int h, const std::vector<std::array<int, 2>> & slabs)
{
  const int        whole[6] = { 0, w - 1, 0, h - 1, 0, 0 };
  std::vector<int> counts(static_cast<size_t>(w * h), 0);
  for (const auto & slab : slabs)
  {
    const int        piece[6] = { 0, w - 1, slab[0], slab[1], 0, 0 };
    const ScanExtent owned = stempdf::pieces::OwnedExtent(piece, whole);
    for (int y = owned.Extent[2]; y <= owned.Extent[3]; ++y)
    {
      for (int x = owned.Extent[0]; x <= owned.Extent[1]; ++x)
      {
        ++counts[static_cast<size_t>(y * w + x)];
      }
    }
  }
  return counts;
}
} // namespace

TEST(Pieces, PiecesThatShareTheirBoundaryRowsOwnEveryPositionOnce)
{
  // 3 pieces of a 5 x 10 scan: rows 0-4, 4-7, 7-9 (VTK's pieces overlap by a row).
  const auto counts = OwnerCounts(5, 10, { { { 0, 4 } }, { { 4, 7 } }, { { 7, 9 } } });
  for (size_t i = 0; i < counts.size(); ++i)
  {
    EXPECT_EQ(counts[i], 1) << "position " << i;
  }
  // One piece owns the whole scan.
  const auto alone = OwnerCounts(5, 10, { { { 0, 9 } } });
  EXPECT_EQ(std::accumulate(alone.begin(), alone.end(), 0), 50);
}

TEST(Pieces, TheUpperPieceOwnsASharedColumnToo)
{
  const int        whole[6] = { 0, 9, 0, 3, 0, 0 };
  const int        left[6] = { 0, 5, 0, 3, 0, 0 }, right[6] = { 5, 9, 0, 3, 0, 0 };
  const ScanExtent a = stempdf::pieces::OwnedExtent(left, whole), b = stempdf::pieces::OwnedExtent(right, whole);
  EXPECT_EQ(a.Extent[1], 4);
  EXPECT_EQ(b.Extent[0], 5);
  EXPECT_EQ(b.Extent[1], 9);
  EXPECT_EQ(a.Width() + b.Width(), 10);
}

TEST(Pieces, SharedRowsAndFirstPosition)
{
  const int whole[6] = { 0, 7, 0, 9, 0, 0 };
  const int top[6] = { 0, 7, 0, 5, 0, 0 }, bottom[6] = { 0, 7, 5, 9, 0, 0 }, empty[6] = { 0, -1, 0, -1, 0, -1 };
  EXPECT_EQ(stempdf::pieces::SharedTrailingRows(top, whole), 1);
  EXPECT_EQ(stempdf::pieces::SharedTrailingRows(bottom, whole), 0);
  EXPECT_EQ(stempdf::pieces::SharedTrailingRows(empty, whole), 0);
  EXPECT_EQ(stempdf::pieces::FirstPosition(bottom, whole), 40u);
  EXPECT_TRUE(stempdf::pieces::OwnedExtent(empty, whole).IsEmpty());
}

TEST(Pieces, BlocksCoverTheOwnedRowsInOrder)
{
  ScanExtent owned;
  const int  extent[6] = { 0, 3, 2, 11, 0, 0 };
  std::copy(extent, extent + 6, owned.Extent);
  std::vector<int> firsts, lasts;
  stempdf::pieces::ForEachBlock(owned, 4, [&](const stempdf::pieces::RowBlock & block) {
    firsts.push_back(block.FirstRow);
    lasts.push_back(block.LastRow);
  });
  EXPECT_EQ(firsts, (std::vector<int>{ 2, 6, 10 }));
  EXPECT_EQ(lasts, (std::vector<int>{ 5, 9, 11 }));
  int calls = 0;
  stempdf::pieces::ForEachBlock(owned, 0, [&](const stempdf::pieces::RowBlock & block) {
    ++calls;
    EXPECT_EQ(block.FirstRow, 2);
    EXPECT_EQ(block.LastRow, 11);
  });
  EXPECT_EQ(calls, 1);
}

TEST(Pieces, PartialResultsMergeTheSameOverAnyBlocks)
{
  // The sum, minimum and maximum of row numbers: the same whatever the block size.
  ScanExtent owned;
  const int  extent[6] = { 0, 0, 0, 99, 0, 0 };
  std::copy(extent, extent + 6, owned.Extent);
  for (int rows : { 0, 1, 7, 100, 1000 })
  {
    using stempdf::pieces::Merge;
    const auto sum = stempdf::pieces::ReduceOverScan(owned, 1, Merge::Sum, [](const auto & block, double * partial) {
      for (int y = block.FirstRow; y <= block.LastRow; ++y)
      {
        partial[0] += y;
      }
    }, rows);
    const auto low = stempdf::pieces::ReduceOverScan(owned, 1, Merge::Minimum, [](const auto & block, double * partial) {
      partial[0] = std::min<double>(partial[0], block.FirstRow);
    }, rows);
    const auto high = stempdf::pieces::ReduceOverScan(owned, 1, Merge::Maximum, [](const auto & block, double * partial) {
      partial[0] = std::max<double>(partial[0], block.LastRow);
    }, rows);
    EXPECT_EQ(sum[0], 4950.0) << rows << " rows per block";
    EXPECT_EQ(low[0], 0.0);
    EXPECT_EQ(high[0], 99.0);
  }
}

TEST(Pieces, OneProcessIsRankZeroOfOne)
{
  namespace ranks = stempdf::pieces::ranks;
  EXPECT_FALSE(ranks::IsParallel());
  EXPECT_EQ(ranks::Rank(), 0);
  EXPECT_EQ(ranks::Count(), 1);
  EXPECT_TRUE(ranks::HoldsTables());
  EXPECT_TRUE(ranks::AllSucceeded(true));
  EXPECT_FALSE(ranks::AllSucceeded(false));
  EXPECT_EQ(ranks::FirstRankWith(true), 0);
  EXPECT_EQ(ranks::FirstRankWith(false), 1);
  double values[2] = { 1.0, 2.0 };
  ranks::GlobalSum()(values, 2);
  EXPECT_EQ(values[1], 2.0);
  EXPECT_EQ(ranks::GlobalMinimum()(3.5), 3.5);
}
