#include "stempdfMIBPixelDecoding.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace stempdf
{
namespace mib
{
namespace
{
template <typename T>
void
SwapBigEndianInPlace(T * p, std::size_t n)
{
  // Plain shifts so that the compiler vectorises the loop.
  if constexpr (sizeof(T) == 2)
  {
    for (std::size_t i = 0; i < n; ++i)
    {
      p[i] = static_cast<T>((p[i] >> 8) | (p[i] << 8));
    }
  }
  else if constexpr (sizeof(T) == 4)
  {
    for (std::size_t i = 0; i < n; ++i)
    {
      const T v = p[i];
      p[i] = (v >> 24) | ((v >> 8) & 0x0000FF00u) | ((v << 8) & 0x00FF0000u) | (v << 24);
    }
  }
  else if constexpr (sizeof(T) == 8)
  {
    for (std::size_t i = 0; i < n; ++i)
    {
      T v = p[i];
      v = (v << 32) | (v >> 32);
      v = ((v & 0x0000FFFF0000FFFFull) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFull);
      p[i] = ((v & 0x00FF00FF00FF00FFull) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFull);
    }
  }
}

inline std::uint64_t
LoadBigEndian64(const unsigned char * p)
{
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
  {
    v = (v << 8) | p[i];
  }
  return v;
}

/** Raw ("R64") data are a stream of big-endian 64-bit words; each word holds
 *  64 / bits pixels, the first pixel in the least significant bits (bits = 1,
 *  8 for counter depth 6, 16 for depth 12). Decodes `pixels` pixels. */
template <typename T>
void
UnpackRawWords(const unsigned char * in, std::size_t pixels, unsigned int bits, T * out)
{
  const std::size_t   perWord = 64 / bits;
  const std::uint64_t mask = (bits == 64) ? ~std::uint64_t{ 0 } : ((std::uint64_t{ 1 } << bits) - 1);
  for (std::size_t w = 0; w < pixels / perWord; ++w)
  {
    const std::uint64_t v = LoadBigEndian64(in + 8 * w);
    for (std::size_t i = 0; i < perWord; ++i)
    {
      out[w * perWord + i] = static_cast<T>((v >> (i * bits)) & mask);
    }
  }
}

template <typename T>
void
DecodeRaw(const unsigned char * payload, const RawFrameLayout & layout, T * typed)
{
  const std::size_t  pixels = std::size_t{ layout.DetectorWidth } * layout.DetectorHeight;
  const unsigned int bits = layout.BitsPerPixel;
  if (!layout.Quad)
  {
    if (layout.CounterDepth == 24)
    {
      // Two 12-bit frames one after the other: the high 12 bits, then the low.
      std::vector<T> low(pixels);
      UnpackRawWords(payload, pixels, bits, typed);
      UnpackRawWords(payload + pixels * bits / 8, pixels, bits, low.data());
      for (std::size_t i = 0; i < pixels; ++i)
      {
        typed[i] = static_cast<T>((typed[i] << 12) + low[i]);
      }
    }
    else
    {
      UnpackRawWords(payload, pixels, bits, typed);
    }
    return;
  }
  // 2x2: raw row r holds, side by side, row r of chips 4, 3, 2, 1 (each
  // chipWidth pixels). Chips 1 (top left) and 2 (top right) go to row r;
  // chips 3 (bottom left) and 4 (bottom right) are turned by 180 degrees:
  // they go to row (Ky - 1 - r), mirrored in x. "2x2G" has 2 gap pixels
  // (zero) between the chips in x and y.
  const std::size_t chipWidth = layout.RawWidth / 4;
  const std::size_t rows = layout.RawHeight;
  const std::size_t outWidth = layout.DetectorWidth;
  const std::size_t chipBytes = chipWidth * bits / 8;
  const std::size_t gap = layout.Gap;
  std::fill(typed, typed + pixels, T{ 0 });
  std::vector<T> chunk(chipWidth);
  for (std::size_t r = 0; r < rows; ++r)
  {
    const unsigned char * row = payload + r * 4 * chipBytes;
    T *                   top = typed + r * outWidth;
    T *                   bottom = typed + (layout.DetectorHeight - 1 - r) * outWidth;
    UnpackRawWords(row + 3 * chipBytes, chipWidth, bits, top);                   // chip 1
    UnpackRawWords(row + 2 * chipBytes, chipWidth, bits, top + chipWidth + gap); // chip 2
    UnpackRawWords(row + 1 * chipBytes, chipWidth, bits, chunk.data());          // chip 3
    std::reverse_copy(chunk.begin(), chunk.end(), bottom);
    UnpackRawWords(row, chipWidth, bits, chunk.data()); // chip 4
    std::reverse_copy(chunk.begin(), chunk.end(), bottom + chipWidth + gap);
  }
}
} // namespace

void
SwapBytesInPlace(void * data, std::size_t values, std::size_t valueBytes)
{
  switch (valueBytes)
  {
    case 2:
      SwapBigEndianInPlace(static_cast<std::uint16_t *>(data), values);
      break;
    case 4:
      SwapBigEndianInPlace(static_cast<std::uint32_t *>(data), values);
      break;
    case 8:
      SwapBigEndianInPlace(static_cast<std::uint64_t *>(data), values);
      break;
    default:
      break;
  }
}

bool
DecodeRawFrame(const unsigned char * payload, const RawFrameLayout & layout, itk::IOComponentEnum componentType,
               void * out)
{
  switch (componentType)
  {
    case itk::IOComponentEnum::UCHAR:
      DecodeRaw(payload, layout, static_cast<std::uint8_t *>(out));
      return true;
    case itk::IOComponentEnum::USHORT:
      DecodeRaw(payload, layout, static_cast<std::uint16_t *>(out));
      return true;
    case itk::IOComponentEnum::UINT:
      DecodeRaw(payload, layout, static_cast<std::uint32_t *>(out));
      return true;
    default:
      return false;
  }
}
} // namespace mib
} // namespace stempdf
