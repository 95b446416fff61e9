// SparseFrameProjector against Eigen's sparse product: every count type, the
// uint16 vector path and the plain path, whole and partial batches, a frame
// length that is not a multiple of the block width, and the second matrix.
#include "stempdfSparseFrameProjector.h"

#include "itkMacro.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace
{
using Matrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

/** rows x columns, a few entries per used column on neighbouring rows (as
 *  pixel splitting makes), some columns empty, some blocks empty. */
Matrix
RandomSplittingMatrix(int rows, int columns, std::mt19937_64 & random)
{
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<Eigen::Triplet<double>>    triplets;
  for (int c = 0; c < columns; ++c)
  {
    if (uniform(random) < 0.3 || (c / 8) % 5 == 3)
    {
      continue;
    }
    const int first = static_cast<int>(uniform(random) * rows);
    const int count = 1 + static_cast<int>(uniform(random) * 3);
    for (int r = first; r < std::min(rows, first + count); ++r)
    {
      triplets.emplace_back(r, c, uniform(random));
    }
  }
  Matrix m(rows, columns);
  m.setFromTriplets(triplets.begin(), triplets.end());
  return m;
}

template <typename TCount>
void
ExpectProductsMatchEigen(unsigned int numberOfFrames, int columns, bool withSecond)
{
  std::mt19937_64 random(numberOfFrames * 7919 + columns);
  const int       rows = 23;
  const Matrix    w = RandomSplittingMatrix(rows, columns, random);
  Matrix          v = w;
  for (int k = 0; k < v.outerSize(); ++k)
  {
    for (Matrix::InnerIterator it(v, k); it; ++it)
    {
      it.valueRef() = it.value() * it.value() + 0.5;
    }
  }
  const stempdf::SparseFrameProjector projector(w, withSecond ? &v : nullptr);
  EXPECT_EQ(projector.GetNumberOfRows(), static_cast<unsigned int>(rows));
  EXPECT_EQ(projector.GetNumberOfColumns(), static_cast<unsigned int>(columns));

  std::uniform_int_distribution<int> counts(0, 4000);
  std::vector<std::vector<TCount>>   frames(numberOfFrames, std::vector<TCount>(columns));
  std::vector<const TCount *>        framePointers;
  for (auto & frame : frames)
  {
    for (auto & value : frame)
    {
      value = static_cast<TCount>(counts(random));
    }
    framePointers.push_back(frame.data());
  }
  std::vector<std::vector<double>> out(numberOfFrames, std::vector<double>(rows, -1.0)), second = out;
  std::vector<double *>            outPointers, secondPointers;
  for (unsigned int i = 0; i < numberOfFrames; ++i)
  {
    outPointers.push_back(out[i].data());
    secondPointers.push_back(second[i].data());
  }
  projector.Project(framePointers.data(), numberOfFrames, outPointers.data(), secondPointers.data());
  for (unsigned int i = 0; i < numberOfFrames; ++i)
  {
    const Eigen::VectorXd x =
      Eigen::Map<const Eigen::Matrix<TCount, Eigen::Dynamic, 1>>(frames[i].data(), columns).template cast<double>();
    const Eigen::VectorXd expected = w * x, expectedSecond = v * x;
    for (int r = 0; r < rows; ++r)
    {
      EXPECT_NEAR(out[i][r], expected[r], 1e-12 * (1.0 + std::abs(expected[r]))) << "frame " << i << " row " << r;
      if (withSecond)
      {
        EXPECT_NEAR(second[i][r], expectedSecond[r], 1e-12 * (1.0 + std::abs(expectedSecond[r])))
          << "second, frame " << i << " row " << r;
      }
      else
      {
        EXPECT_EQ(second[i][r], -1.0) << "the second outputs are left alone without a second matrix";
      }
    }
  }
}
} // namespace

TEST(SparseFrameProjector, UInt16WholeAndPartialBatchesMatchEigen)
{
  const unsigned int batch = stempdf::SparseFrameProjector::BatchSize;
  for (unsigned int frames : { 1u, batch - 1, batch, 2 * batch + 3 })
  {
    ExpectProductsMatchEigen<std::uint16_t>(frames, 8 * 40, false);
  }
}

TEST(SparseFrameProjector, FrameLengthNotAMultipleOfTheBlockWidth)
{
  ExpectProductsMatchEigen<std::uint16_t>(stempdf::SparseFrameProjector::BatchSize + 2, 8 * 40 + 5, true);
  ExpectProductsMatchEigen<std::uint16_t>(3, 7, true);
}

TEST(SparseFrameProjector, EveryCountType)
{
  const unsigned int frames = stempdf::SparseFrameProjector::BatchSize + 1;
  ExpectProductsMatchEigen<std::uint8_t>(frames, 100, true);
  ExpectProductsMatchEigen<std::uint32_t>(frames, 100, true);
  ExpectProductsMatchEigen<std::int16_t>(frames, 100, true);
  ExpectProductsMatchEigen<std::int32_t>(frames, 100, true);
  ExpectProductsMatchEigen<float>(frames, 100, true);
  ExpectProductsMatchEigen<double>(frames, 100, true);
}

TEST(SparseFrameProjector, SecondMatrixMustShareTheEntries)
{
  std::mt19937_64 random(3);
  const Matrix    w = RandomSplittingMatrix(10, 64, random);
  Matrix          other = w;
  other.coeffRef(0, 63) += 1.0; // an entry w does not have (column 63 is in an empty block)
  EXPECT_THROW(stempdf::SparseFrameProjector(w, &other), itk::ExceptionObject);
  const Matrix wrongShape(10, 65);
  EXPECT_THROW(stempdf::SparseFrameProjector(w, &wrongShape), itk::ExceptionObject);
}
