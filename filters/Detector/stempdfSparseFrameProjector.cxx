#include "stempdfSparseFrameProjector.h"

#include "itkMacro.h"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>

#if defined(__SSE2__)
#  include <immintrin.h>
#endif

namespace stempdf
{
SparseFrameProjector::SparseFrameProjector(const Eigen::SparseMatrix<double, Eigen::RowMajor> & weights,
                                           const Eigen::SparseMatrix<double, Eigen::RowMajor> * second)
  : m_Rows(static_cast<unsigned int>(weights.rows()))
  , m_Columns(static_cast<unsigned int>(weights.cols()))
{
  using ByColumn = Eigen::SparseMatrix<double, Eigen::ColMajor>;
  const ByColumn w(weights);
  ByColumn       v;
  if (second != nullptr)
  {
    if (second->rows() != weights.rows() || second->cols() != weights.cols() ||
        second->nonZeros() != weights.nonZeros())
    {
      itkGenericExceptionMacro(<< "SparseFrameProjector: the second matrix (" << second->rows() << " x "
                               << second->cols() << ", " << second->nonZeros()
                               << " entries) must have the entries of the first (" << weights.rows() << " x "
                               << weights.cols() << ", " << weights.nonZeros() << ")");
    }
    v = *second;
  }
  struct Entry
  {
    std::uint32_t row;
    std::uint8_t  pixel;
    double        value, second;
  };
  std::vector<Entry> entries;
  m_GroupStart.push_back(0);
  m_EntryStart.push_back(0);
  for (Eigen::Index first = 0; first < w.outerSize(); first += BlockWidth)
  {
    const Eigen::Index last = std::min<Eigen::Index>(first + BlockWidth, w.outerSize());
    entries.clear();
    for (Eigen::Index column = first; column < last; ++column)
    {
      ByColumn::InnerIterator it(w, column);
      ByColumn::InnerIterator other = second != nullptr ? ByColumn::InnerIterator(v, column) : it;
      for (; it; ++it, ++other)
      {
        if (second != nullptr && (!other || other.row() != it.row()))
        {
          itkGenericExceptionMacro(<< "SparseFrameProjector: the second matrix lacks the entry (" << it.row() << ", "
                                   << column << ") of the first");
        }
        entries.push_back({ static_cast<std::uint32_t>(it.row()),
                            static_cast<std::uint8_t>(column - first),
                            it.value(),
                            second != nullptr ? other.value() : 0.0 });
      }
    }
    if (entries.empty())
    {
      continue; // no used pixel in this block
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry & x, const Entry & y) { return x.row < y.row; });
    m_BlockFirstPixel.push_back(static_cast<std::uint32_t>(first));
    for (std::size_t e = 0; e < entries.size(); ++e)
    {
      if (e == 0 || entries[e].row != entries[e - 1].row)
      {
        if (e != 0)
        {
          m_EntryStart.push_back(static_cast<std::uint32_t>(m_Value.size()));
        }
        m_GroupRow.push_back(entries[e].row);
      }
      m_EntryPixel.push_back(entries[e].pixel);
      m_Value.push_back(entries[e].value);
      if (second != nullptr)
      {
        m_SecondValue.push_back(entries[e].second);
      }
    }
    m_EntryStart.push_back(static_cast<std::uint32_t>(m_Value.size()));
    m_GroupStart.push_back(static_cast<std::uint32_t>(m_GroupRow.size()));
  }
}

namespace
{
template <int Batch>
using FrameValues = Eigen::Array<double, Batch, 1>;

/** The counts of pixels first..first+width-1 in Batch frames, as doubles:
 *  x[j][f] = frame[f][first + j]. The plain form, for any count type. */
template <typename TCount, int Batch>
inline void
GatherBlock(const std::array<const TCount *, Batch> & frame, std::uint32_t first, unsigned int width,
            FrameValues<Batch> * x)
{
  for (unsigned int j = 0; j < width; ++j)
  {
    for (int f = 0; f < Batch; ++f)
    {
      x[j][f] = static_cast<double>(frame[f][first + j]);
    }
  }
}

#if defined(__SSE2__)
/** The same for uint16 counts and whole blocks of 8 pixels: each group of 8
 *  frames is an 8 x 8 block of uint16 loaded with 8 vector loads and
 *  transposed with 24 SSE2 unpacks (instead of 64 scalar loads and inserts). */
template <int Batch>
inline void
GatherBlockUInt16(const std::array<const std::uint16_t *, Batch> & frame, std::uint32_t first, FrameValues<Batch> * x)
{
  static_assert(Batch % 8 == 0, "the uint16 transpose takes frames by eights");
  for (int group = 0; group < Batch; group += 8)
  {
    __m128i r[8];
    for (int f = 0; f < 8; ++f)
    {
      r[f] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(frame[group + f] + first));
    }
    const __m128i t0 = _mm_unpacklo_epi16(r[0], r[1]), t1 = _mm_unpackhi_epi16(r[0], r[1]);
    const __m128i t2 = _mm_unpacklo_epi16(r[2], r[3]), t3 = _mm_unpackhi_epi16(r[2], r[3]);
    const __m128i t4 = _mm_unpacklo_epi16(r[4], r[5]), t5 = _mm_unpackhi_epi16(r[4], r[5]);
    const __m128i t6 = _mm_unpacklo_epi16(r[6], r[7]), t7 = _mm_unpackhi_epi16(r[6], r[7]);
    const __m128i u0 = _mm_unpacklo_epi32(t0, t2), u1 = _mm_unpackhi_epi32(t0, t2);
    const __m128i u2 = _mm_unpacklo_epi32(t1, t3), u3 = _mm_unpackhi_epi32(t1, t3);
    const __m128i u4 = _mm_unpacklo_epi32(t4, t6), u5 = _mm_unpackhi_epi32(t4, t6);
    const __m128i u6 = _mm_unpacklo_epi32(t5, t7), u7 = _mm_unpackhi_epi32(t5, t7);
    // pixel j's counts in frames group..group+7
    const __m128i pixel[8] = { _mm_unpacklo_epi64(u0, u4), _mm_unpackhi_epi64(u0, u4), _mm_unpacklo_epi64(u1, u5),
                               _mm_unpackhi_epi64(u1, u5), _mm_unpacklo_epi64(u2, u6), _mm_unpackhi_epi64(u2, u6),
                               _mm_unpacklo_epi64(u3, u7), _mm_unpackhi_epi64(u3, u7) };
    for (int j = 0; j < 8; ++j)
    {
#  if defined(__AVX512F__)
      _mm512_storeu_pd(x[j].data() + group, _mm512_cvtepi32_pd(_mm256_cvtepu16_epi32(pixel[j])));
#  elif defined(__AVX2__)
      _mm256_storeu_pd(x[j].data() + group, _mm256_cvtepi32_pd(_mm_cvtepu16_epi32(pixel[j])));
      _mm256_storeu_pd(x[j].data() + group + 4, _mm256_cvtepi32_pd(_mm_cvtepu16_epi32(_mm_srli_si128(pixel[j], 8))));
#  else
      alignas(16) std::uint16_t counts[8];
      _mm_store_si128(reinterpret_cast<__m128i *>(counts), pixel[j]);
      for (int f = 0; f < 8; ++f)
      {
        x[j][group + f] = counts[f];
      }
#  endif
    }
  }
}
#endif
} // namespace

template <typename TCount, int Batch, int Outputs>
void
SparseFrameProjector::ProjectBatch(const TCount * const * frames, double * const * outputs,
                                   double * const * secondOutputs) const
{
  // One accumulator row per matrix row, Batch frames wide; rows of the second
  // matrix follow those of the first. Aligned for the vector loads and stores.
  thread_local std::vector<double> storage;
  const std::size_t                width = static_cast<std::size_t>(m_Rows) * Batch;
  storage.assign(width * Outputs + 8, 0.0);
  double * acc = storage.data();
  while (reinterpret_cast<std::uintptr_t>(acc) % 64 != 0)
  {
    ++acc;
  }
  std::array<const TCount *, Batch> frame;
  std::copy(frames, frames + Batch, frame.begin());
  FrameValues<Batch> x[BlockWidth];
  for (std::size_t block = 0; block < m_BlockFirstPixel.size(); ++block)
  {
    const std::uint32_t first = m_BlockFirstPixel[block];
    const unsigned int  pixels = std::min<unsigned int>(BlockWidth, m_Columns - first);
#if defined(__SSE2__)
    if constexpr (std::is_same_v<TCount, std::uint16_t> && Batch % 8 == 0 && BlockWidth == 8)
    {
      if (pixels == BlockWidth)
      {
        GatherBlockUInt16<Batch>(frame, first, x);
      }
      else
      {
        GatherBlock<TCount, Batch>(frame, first, pixels, x);
      }
    }
    else
#endif
    {
      GatherBlock<TCount, Batch>(frame, first, pixels, x);
    }
    for (std::uint32_t g = m_GroupStart[block]; g < m_GroupStart[block + 1]; ++g)
    {
      const std::uint32_t begin = m_EntryStart[g], end = m_EntryStart[g + 1];
      double * const      a = acc + static_cast<std::size_t>(m_GroupRow[g]) * Batch;
      FrameValues<Batch>  sum = m_Value[begin] * x[m_EntryPixel[begin]];
      for (std::uint32_t e = begin + 1; e < end; ++e)
      {
        sum += m_Value[e] * x[m_EntryPixel[e]];
      }
      Eigen::Map<FrameValues<Batch>, Eigen::Aligned64>(a) += sum;
      if constexpr (Outputs == 2)
      {
        FrameValues<Batch> secondSum = m_SecondValue[begin] * x[m_EntryPixel[begin]];
        for (std::uint32_t e = begin + 1; e < end; ++e)
        {
          secondSum += m_SecondValue[e] * x[m_EntryPixel[e]];
        }
        Eigen::Map<FrameValues<Batch>, Eigen::Aligned64>(a + width) += secondSum;
      }
    }
  }
  for (int f = 0; f < Batch; ++f)
  {
    for (unsigned int b = 0; b < m_Rows; ++b)
    {
      outputs[f][b] = acc[static_cast<std::size_t>(b) * Batch + f];
      if constexpr (Outputs == 2)
      {
        secondOutputs[f][b] = acc[width + static_cast<std::size_t>(b) * Batch + f];
      }
    }
  }
}

template <typename TCount>
void
SparseFrameProjector::Project(const TCount * const * frames, unsigned int numberOfFrames, double * const * outputs,
                              double * const * secondOutputs) const
{
  const bool   both = this->HasSecond() && secondOutputs != nullptr;
  unsigned int done = 0;
  for (; done + BatchSize <= numberOfFrames; done += BatchSize)
  {
    if (both)
    {
      this->ProjectBatch<TCount, BatchSize, 2>(frames + done, outputs + done, secondOutputs + done);
    }
    else
    {
      this->ProjectBatch<TCount, BatchSize, 1>(frames + done, outputs + done, nullptr);
    }
  }
  for (; done < numberOfFrames; ++done)
  {
    if (both)
    {
      this->ProjectBatch<TCount, 1, 2>(frames + done, outputs + done, secondOutputs + done);
    }
    else
    {
      this->ProjectBatch<TCount, 1, 1>(frames + done, outputs + done, nullptr);
    }
  }
}

template void
SparseFrameProjector::Project(const std::uint8_t * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const std::uint16_t * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const std::uint32_t * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const std::int16_t * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const std::int32_t * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const float * const *, unsigned int, double * const *, double * const *) const;
template void
SparseFrameProjector::Project(const double * const *, unsigned int, double * const *, double * const *) const;
} // namespace stempdf
