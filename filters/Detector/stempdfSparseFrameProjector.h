#ifndef stempdfSparseFrameProjector_h
#define stempdfSparseFrameProjector_h

#include <Eigen/SparseCore>

#include <cstdint>
#include <vector>

namespace stempdf
{
/** \class SparseFrameProjector
 * \brief y = W x for many frames x at once, W a fixed sparse matrix with few
 * entries per column (pixel-splitting weights: bins x detector pixels);
 * optionally a second matrix with the same entries, in the same pass.
 *
 * The azimuthal integration of a scan is one sparse matrix applied to every
 * frame. A per-frame sparse matrix-vector product reads the whole matrix
 * (index + value, 12 bytes per entry: more than the frame itself) for every
 * frame and converts every frame to double first. This projector instead:
 * - keeps the matrix by columns, in blocks of BlockWidth consecutive pixels
 *   that hold at least one used pixel, so every frame is read once, front to
 *   back, in its own count type (uint16 stays uint16: no converted copy);
 * - takes frames in batches of BatchSize: a block of 8 pixels x BatchSize
 *   frames is loaded and transposed in vector registers (uint16, with SSE2
 *   shuffles), each pixel's counts converted to doubles with one instruction,
 *   and each matrix entry applied to all frames of the batch with one vector
 *   multiply-add. The entries of a block are grouped by row: a row's sum over
 *   the block's pixels is built in registers and added to the (rows x
 *   BatchSize) accumulator, which stays in L1, once per block and row. (Adding
 *   each entry to the accumulator directly chains neighbouring pixels, which
 *   hit the same rows, through store-to-load forwarding: 4x slower.)
 * Results equal the plain product up to the order of the additions (double
 * precision throughout; tests compare with Eigen's product).
 *
 * The matrices are given at construction; Project() is const and thread-safe. */
class SparseFrameProjector
{
public:
  /** Frames processed together. */
  static constexpr unsigned int BatchSize = 16;
  /** Consecutive pixels loaded together from each frame. */
  static constexpr unsigned int BlockWidth = 8;

  SparseFrameProjector() = default;
  /** Takes W (rows = outputs per frame, columns = values per frame) and,
   *  optionally, a second matrix V with exactly the sparsity of W (e.g. the
   *  squared weights of a variance); Project() then also gives V x. Throws
   *  itk::ExceptionObject when V's shape or entries differ from W's. */
  explicit SparseFrameProjector(const Eigen::SparseMatrix<double, Eigen::RowMajor> & weights,
                                const Eigen::SparseMatrix<double, Eigen::RowMajor> * second = nullptr);

  /** Number of outputs per frame (rows of W). */
  unsigned int
  GetNumberOfRows() const
  {
    return m_Rows;
  }
  /** Number of values per frame (columns of W). */
  unsigned int
  GetNumberOfColumns() const
  {
    return m_Columns;
  }
  /** True when a second matrix was given. */
  bool
  HasSecond() const
  {
    return !m_SecondValue.empty();
  }

  /** outputs[i][0..rows) = W frames[i][0..columns) for i < numberOfFrames, and
   *  secondOutputs[i] = V frames[i] when V was given (ignored otherwise; may
   *  be nullptr). Defined for uint8, uint16, uint32, int16, int32, float and
   *  double counts. */
  template <typename TCount>
  void
  Project(const TCount * const * frames, unsigned int numberOfFrames, double * const * outputs,
          double * const * secondOutputs = nullptr) const;

private:
  template <typename TCount, int Batch, int Outputs>
  void
  ProjectBatch(const TCount * const * frames, double * const * outputs, double * const * secondOutputs) const;

  unsigned int               m_Rows{ 0 };
  unsigned int               m_Columns{ 0 };
  std::vector<std::uint32_t> m_BlockFirstPixel; // first pixel of every block (a multiple of BlockWidth)
  std::vector<std::uint32_t> m_GroupStart;      // row groups of block k: [start[k], start[k + 1])
  std::vector<std::uint32_t> m_GroupRow;        // row of every group
  std::vector<std::uint32_t> m_EntryStart;      // entries of group g: [start[g], start[g + 1])
  std::vector<std::uint8_t>  m_EntryPixel;      // pixel of every entry within its block (0..BlockWidth-1)
  std::vector<double>        m_Value;           // W's value of every entry
  std::vector<double>        m_SecondValue;     // V's value of every entry (empty without V)
};
} // namespace stempdf

#endif
