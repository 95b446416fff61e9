// Known answers for MIBImageIO: MIB files built byte by byte here (headers
// as Merlin writes them, big-endian counts, raw words packed by an encoder
// written from the public description of the format), files made by an
// independent Python script (testing-data/mib), the writer's round trip,
// streaming, scan shapes and every bad-input error.
#include "stempdfImageTypes.h"
#include "stempdfMIBImageIO.h"
#include "stempdfMIBImageIOFactory.h"
#include "stempdfVectorAxis.h"

#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkMetaDataObject.h"
#include "itksys/SystemTools.hxx"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace
{
using stempdf::MIBImageIO;

// ---------------------------------------------------------------------------
// Building MIB files

/** What one frame header says. */
struct Frame
{
  std::string  Type = "U16";
  unsigned int Width = 256; // as in the header (raw frames: the raw width)
  unsigned int Height = 256;
  unsigned int Chips = 1;
  std::string  Layout = "1x1";
  int          Depth = 12; // counter depth in the MQ1A extension; 0: no extension
  unsigned int HeaderBytes = 384;
};

/** A Merlin-style frame header: the fields Merlin writes, then NUL padding. */
std::string
Header(const Frame & f, unsigned long sequence)
{
  std::ostringstream os;
  char               fixed[128];
  std::snprintf(fixed,
                sizeof(fixed),
                "MQ1,%06lu,%05u,%02u,%04u,%04u,%s,%6s,%s,",
                sequence,
                f.HeaderBytes,
                f.Chips,
                f.Width,
                f.Height,
                f.Type.c_str(),
                f.Layout.c_str(),
                f.Chips == 4 ? "0F" : "01");
  os << fixed << "2021-04-15 14:44:43.100924,0.001000,0,0,0,"
     << "2.000000E+0,5.110000E+2,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,";
  for (unsigned int c = 0; c < f.Chips; ++c)
  {
    os << "3RX,011,511,000,000,000,000,000,000,175,010,200,125,100,100,093,100,099,030,128,004,255,140,128,191,179,"
          "511,511,";
  }
  if (f.Depth > 0)
  {
    os << "MQ1A,2021-04-15T13:44:43.100924481Z,1000000ns," << f.Depth << ",";
  }
  std::string text = os.str();
  if (text.size() < f.HeaderBytes)
  {
    text.append(f.HeaderBytes - text.size(), '\0');
  }
  return text;
}

void
AppendBigEndian(std::string & out, std::uint64_t value, unsigned int bytes)
{
  for (unsigned int i = 0; i < bytes; ++i)
  {
    out += static_cast<char>((value >> (8 * (bytes - 1 - i))) & 0xFF);
  }
}

/** Counting-mode frame data: pixel (kx, ky) of frame `frame` is value(frame, kx, ky). */
using ValueFunction = std::function<std::uint64_t(unsigned long frame, unsigned int kx, unsigned int ky)>;

std::string
CountingFrame(const Frame & f, unsigned long frame, const ValueFunction & value)
{
  const unsigned int bytes = f.Type == "U16" ? 2 : f.Type == "U32" ? 4 : f.Type == "U64" ? 8 : 1;
  std::string        out = Header(f, frame + 1);
  for (unsigned int ky = 0; ky < f.Height; ++ky)
  {
    for (unsigned int kx = 0; kx < f.Width; ++kx)
    {
      AppendBigEndian(out, value(frame, kx, ky), bytes);
    }
  }
  return out;
}

/** Raw words: groups of 64 / bits pixels, first pixel in the least
 *  significant bits of a 64-bit word that is stored big-endian. */
std::string
EncodeRawWords(const std::vector<std::uint32_t> & pixels, unsigned int bits)
{
  std::string        out;
  const unsigned int perWord = 64 / bits;
  for (std::size_t w = 0; w < pixels.size() / perWord; ++w)
  {
    std::uint64_t word = 0;
    for (unsigned int i = 0; i < perWord; ++i)
    {
      word |= static_cast<std::uint64_t>(pixels[w * perWord + i]) << (i * bits);
    }
    AppendBigEndian(out, word, 8);
  }
  return out;
}

unsigned int
RawBits(int depth)
{
  return depth == 1 ? 1 : depth == 6 ? 8 : 16;
}

/** A raw 1x1 frame of kx x ky pixels; 24-bit: the high 12 bits as one 12-bit
 *  frame, then the low 12 bits. */
std::string
RawSingleFrame(int depth, unsigned int kx, unsigned int ky, unsigned long frame, const ValueFunction & value)
{
  Frame f;
  f.Type = "R64";
  f.Depth = depth;
  f.Width = depth == 24 ? 2 * kx : kx;
  f.Height = ky;
  std::vector<std::uint32_t> pixels;
  for (unsigned int y = 0; y < ky; ++y)
  {
    for (unsigned int x = 0; x < kx; ++x)
    {
      pixels.push_back(static_cast<std::uint32_t>(value(frame, x, y)));
    }
  }
  std::string out = Header(f, frame + 1);
  if (depth == 24)
  {
    std::vector<std::uint32_t> high(pixels.size());
    std::vector<std::uint32_t> low(pixels.size());
    for (std::size_t i = 0; i < pixels.size(); ++i)
    {
      high[i] = pixels[i] >> 12;
      low[i] = pixels[i] & 0xFFF;
    }
    return out + EncodeRawWords(high, 16) + EncodeRawWords(low, 16);
  }
  return out + EncodeRawWords(pixels, RawBits(depth));
}

/** A raw 2x2 frame (four chips of chip x chip pixels, optional 2-pixel gaps):
 *  raw row r is [chip 4 | chip 3 | chip 2 | chip 1], chips 1 and 2 being
 *  detector row r (left, right) and chips 3 and 4 detector row
 *  (Ky - 1 - r) (left, right), each mirrored in x. */
std::string
RawQuadFrame(int depth, unsigned int chip, bool gap, unsigned long frame, const ValueFunction & value)
{
  Frame f;
  f.Type = "R64";
  f.Depth = depth;
  f.Chips = 4;
  f.Layout = gap ? "2x2G" : "2x2";
  f.HeaderBytes = 768;
  f.Width = 4 * chip;
  f.Height = chip;
  const unsigned int g = gap ? 2 : 0;
  const unsigned int ky = 2 * chip + g;
  const unsigned int bits = RawBits(depth);
  std::string        out = Header(f, frame + 1);
  for (unsigned int r = 0; r < chip; ++r)
  {
    std::vector<std::uint32_t> chips[4];
    for (unsigned int x = 0; x < chip; ++x)
    {
      chips[0].push_back(static_cast<std::uint32_t>(value(frame, x, r)));                             // chip 1
      chips[1].push_back(static_cast<std::uint32_t>(value(frame, chip + g + x, r)));                  // chip 2
      chips[2].push_back(static_cast<std::uint32_t>(value(frame, chip - 1 - x, ky - 1 - r)));         // chip 3
      chips[3].push_back(static_cast<std::uint32_t>(value(frame, 2 * chip + g - 1 - x, ky - 1 - r))); // chip 4
    }
    out += EncodeRawWords(chips[3], bits) + EncodeRawWords(chips[2], bits) + EncodeRawWords(chips[1], bits) +
           EncodeRawWords(chips[0], bits);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Files

/** This process's scratch folder; removed when the tests end. */
std::string
ProcessDirectory()
{
  return ::testing::TempDir() + "stempdf_mib_" + std::to_string(::getpid()) + "/";
}

class RemoveScratchFiles : public ::testing::Environment
{
public:
  void
  TearDown() override
  {
    itksys::SystemTools::RemoveADirectory(ProcessDirectory());
  }
};
const auto * const scratch = ::testing::AddGlobalTestEnvironment(new RemoveScratchFiles);

/** A folder of its own for the running test. */
std::string
TestDirectory()
{
  const auto * info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string  dir = ProcessDirectory() + info->test_suite_name() + "." + info->name() + "/";
  itksys::SystemTools::MakeDirectory(dir);
  return dir;
}

std::string
WriteFile(const std::string & name, const std::string & bytes)
{
  const std::string path = TestDirectory() + name;
  std::ofstream     out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(out.good()) << path;
  return path;
}

std::string
ReadBytes(const std::string & path)
{
  std::ifstream      in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::string
HdrText(unsigned long frames, unsigned long perTrigger)
{
  std::ostringstream os;
  os << "HDR,\t\r\nTime and Date Stamp (day, mnth, yr, hr, min, s):\t15/04/2021 15:02:29\r\n"
     << "Assembly Size (NX1, 2X2):\t   1x1\r\nCounter Depth (number):\t12\r\n"
     << "Frames in Acquisition (Number):\t" << frames << "\r\nFrames per Trigger (Number):\t" << perTrigger
     << "\r\nSoftware Version:\t0.77\r\nEnd\t" << std::string(200, ' ');
  return os.str();
}

// ---------------------------------------------------------------------------
// Reading

template <typename T>
using Image = stempdf::PatternFieldImage<T>;

template <typename T>
typename Image<T>::Pointer
Read(const std::string & path, const std::function<void(MIBImageIO *)> & configure = {},
     MIBImageIO::Pointer * ioOut = nullptr)
{
  auto reader = itk::ImageFileReader<Image<T>>::New();
  auto io = MIBImageIO::New();
  if (configure)
  {
    configure(io);
  }
  reader->SetImageIO(io);
  reader->SetFileName(path);
  reader->Update();
  if (ioOut)
  {
    *ioOut = io;
  }
  return reader->GetOutput();
}

/** Expects reading `path` (counts of type T, the MIBImageIO configured by
 *  `configure`) to fail with an error saying every one of `parts`. */
template <typename T = std::uint16_t>
void
ExpectReadError(const std::string & path, const std::vector<std::string> & parts,
                const std::function<void(MIBImageIO *)> & configure = {})
{
  stempdf::testing::ExpectError([&]() { Read<T>(path, configure); }, parts);
}

/** Every component of every pattern of `image` (whose buffered region may be
 *  a piece of the scan) equals expected(x, y, kx, ky). */
template <typename T>
void
ExpectPatterns(
  const Image<T> * image, unsigned int kx, unsigned int ky,
  const std::function<std::uint64_t(unsigned int x, unsigned int y, unsigned int kx, unsigned int ky)> & expected)
{
  const auto region = image->GetBufferedRegion();
  ASSERT_EQ(image->GetNumberOfComponentsPerPixel(), kx * ky);
  const T *   buffer = image->GetBufferPointer();
  std::size_t wrong = 0;
  for (unsigned int y = 0; y < region.GetSize(1); ++y)
  {
    for (unsigned int x = 0; x < region.GetSize(0); ++x)
    {
      const T *          pattern = buffer + (std::size_t{ y } * region.GetSize(0) + x) * kx * ky;
      const unsigned int sx = static_cast<unsigned int>(region.GetIndex(0)) + x;
      const unsigned int sy = static_cast<unsigned int>(region.GetIndex(1)) + y;
      for (unsigned int j = 0; j < ky; ++j)
      {
        for (unsigned int i = 0; i < kx; ++i)
        {
          const auto want = static_cast<T>(expected(sx, sy, i, j));
          if (pattern[std::size_t{ j } * kx + i] != want && ++wrong <= 5)
          {
            ADD_FAILURE() << "scan (" << sx << ", " << sy << ") detector (" << i << ", " << j << "): got "
                          << +pattern[std::size_t{ j } * kx + i] << ", expected " << +want;
          }
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0u) << "wrong detector pixels";
}

std::string
Meta(const itk::MetaDataDictionary & dictionary, const std::string & key)
{
  std::string value;
  if (!itk::ExposeMetaData<std::string>(dictionary, key, value))
  {
    return "(missing " + key + ")";
  }
  return value;
}

/** Expects the dictionary to hold every one of `entries` (key, value as text). */
void
ExpectMeta(const itk::MetaDataDictionary & dictionary, const std::vector<std::pair<std::string, std::string>> & entries)
{
  for (const auto & [key, value] : entries)
  {
    EXPECT_EQ(Meta(dictionary, key), value) << key;
  }
}

// Values that tell kx from ky and every frame from every other one.
std::uint64_t
Value8(unsigned long frame, unsigned int kx, unsigned int ky)
{
  return (7 * frame + 3 * kx + 5 * ky) & 0xFF;
}
std::uint64_t
Value16(unsigned long frame, unsigned int kx, unsigned int ky)
{
  return (1009 * frame + 17 * kx + 131 * ky) & 0xFFFF;
}
std::uint64_t
Value32(unsigned long frame, unsigned int kx, unsigned int ky)
{
  return (2654435761ull * (frame + 1) + 40503ull * kx + 65599ull * ky * ky) & 0xFFFFFFFFull;
}

/** A file of `frames` counting-mode frames with value(frame, kx, ky). */
std::string
CountingFile(const std::string & name, const Frame & f, unsigned long frames, const ValueFunction & value)
{
  std::string bytes;
  for (unsigned long i = 0; i < frames; ++i)
  {
    bytes += CountingFrame(f, i, value);
  }
  return WriteFile(name, bytes);
}

Frame
SmallU16(unsigned int width = 16, unsigned int height = 8)
{
  Frame f;
  f.Width = width;
  f.Height = height;
  return f;
}
} // namespace

// ===========================================================================
// Counting mode: every pixel, orientation, metadata

TEST(MIBImageIO, SingleChipU08EveryPixel)
{
  Frame f;
  f.Type = "U08";
  f.Depth = 6;
  const auto path = CountingFile("u08.mib", f, 4, Value8);
  auto       image = Read<std::uint8_t>(path);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 2, 2 } }));
  ExpectPatterns<std::uint8_t>(
    image, 256, 256, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value8(y * 2 + x, kx, ky); });
}

TEST(MIBImageIO, SingleChipU16EveryPixelAndOrientation)
{
  const auto          path = CountingFile("u16.mib", Frame{}, 9, Value16);
  MIBImageIO::Pointer io;
  auto                image = Read<std::uint16_t>(path, {}, &io);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 3, 3 } }));
  ExpectPatterns<std::uint16_t>(
    image, 256, 256, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 3 + x, kx, ky); });
  // Orientation by hand: the second value in the file (frame 0) is detector
  // (1, 0); the value after the first row is detector (0, 1).
  const std::uint16_t * p = image->GetBufferPointer();
  EXPECT_EQ(p[1], 17);
  EXPECT_EQ(p[256], 131);
  EXPECT_EQ(io->GetComponentType(), itk::IOComponentEnum::USHORT);
  EXPECT_EQ(io->GetPixelType(), itk::IOPixelEnum::VECTOR);
  EXPECT_EQ(io->GetFramesInFile(), 9u);
}

TEST(MIBImageIO, SingleChipU32EveryPixelAbove16Bits)
{
  Frame f;
  f.Type = "U32";
  f.Depth = 24;
  f.Width = 64;
  f.Height = 48;
  const auto path = CountingFile("u32.mib", f, 4, Value32);
  auto       image = Read<std::uint32_t>(path);
  ExpectPatterns<std::uint32_t>(
    image, 64, 48, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value32(y * 2 + x, kx, ky); });
  EXPECT_GT(image->GetBufferPointer()[0], 65535u);
}

TEST(MIBImageIO, QuadU16FiveTwelveSquareEveryPixel)
{
  Frame f;
  f.Chips = 4;
  f.Layout = "2x2";
  f.Width = 512;
  f.Height = 512;
  f.HeaderBytes = 768;
  const auto          path = CountingFile("quad.mib", f, 4, Value16);
  MIBImageIO::Pointer io;
  auto                image = Read<std::uint16_t>(path, {}, &io);
  ExpectPatterns<std::uint16_t>(
    image, 512, 512, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 2 + x, kx, ky); });
  const auto & d = image->GetMetaDataDictionary();
  ExpectMeta(d,
             { { "MIB.Chips", "4" },
               { "MIB.Layout", "2x2" },
               { "MIB.HeaderBytes", "768" },
               { "MIB.PixelType", "U16" },
               { "MIB.CounterDepth", "12" } });
  EXPECT_EQ(io->GetFrameHeaderBytes(), 768u);
}

TEST(MIBImageIO, U01OneBytePerPixel)
{
  Frame f;
  f.Type = "U01";
  f.Depth = 1;
  auto bit = [](unsigned long frame, unsigned int kx, unsigned int ky) -> std::uint64_t {
    return (kx * 3 + ky * 5 + frame) % 7 == 0 ? 1 : 0;
  };
  const auto path = CountingFile("u01.mib", f, 4, bit);
  auto       image = Read<std::uint8_t>(path);
  ExpectPatterns<std::uint8_t>(
    image, 256, 256, [&](unsigned x, unsigned y, unsigned kx, unsigned ky) { return bit(y * 2 + x, kx, ky); });
}

TEST(MIBImageIO, MetadataAxisSpacingAndHeaderFields)
{
  const auto path = CountingFile("meta.mib", SmallU16(16, 8), 4, Value16);
  auto       image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetScanStep(1.2); });
  EXPECT_DOUBLE_EQ(image->GetSpacing()[0], 1.2);
  EXPECT_DOUBLE_EQ(image->GetSpacing()[1], 1.2);
  EXPECT_DOUBLE_EQ(image->GetOrigin()[0], 0.0);
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(image->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(16, 8));
  const auto & d = image->GetMetaDataDictionary();
  ExpectMeta(d,
             { { "MIB.PixelType", "U16" },
               { "MIB.Chips", "1" },
               { "MIB.Layout", "1x1" },
               { "MIB.CounterDepth", "12" },
               { "MIB.HeaderBytes", "384" },
               { "MIB.FramesInFile", "4" },
               { "MIB.FlybackFrames", "0" },
               { "MIB.Timestamp", "2021-04-15 14:44:43.100924" },
               { "MIB.ShutterTime", "0.001000" },
               { "MIB.ShutterTimeNs", "1000000ns" },
               { "MIB.ScanShape", "2 x 2" },
               { "MIB.ScanShapeSource", "square frame count" } });
}

TEST(MIBImageIO, ConvertsToAnotherCountTypeThroughTheReader)
{
  Frame f;
  f.Type = "U08";
  f.Width = 16;
  f.Height = 16;
  const auto path = CountingFile("u08to32.mib", f, 4, Value8);
  auto       image = Read<float>(path);
  ExpectPatterns<float>(
    image, 16, 16, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value8(y * 2 + x, kx, ky); });
}

// ===========================================================================
// Raw (R64) frames

class RawSingle : public ::testing::TestWithParam<int>
{};

TEST_P(RawSingle, EveryPixel)
{
  const int  depth = GetParam();
  const auto maximum = depth == 24 ? 0xFFFFFFu : (1u << depth) - 1;
  auto       value = [maximum](unsigned long frame, unsigned int kx, unsigned int ky) -> std::uint64_t {
    return (40503u * kx + 7919u * ky + 104729u * frame) % (maximum + 1);
  };
  std::string bytes;
  for (unsigned long i = 0; i < 4; ++i)
  {
    bytes += RawSingleFrame(depth, 256, 256, i, value);
  }
  const auto          path = WriteFile("raw.mib", bytes);
  MIBImageIO::Pointer io;
  auto                check = [&](auto typed) {
    using T = decltype(typed);
    auto image = Read<T>(path, {}, &io);
    ExpectPatterns<T>(
      image, 256, 256, [&](unsigned x, unsigned y, unsigned kx, unsigned ky) { return value(y * 2 + x, kx, ky); });
  };
  if (depth <= 6)
  {
    check(std::uint8_t{});
    EXPECT_EQ(io->GetComponentType(), itk::IOComponentEnum::UCHAR);
  }
  else if (depth == 12)
  {
    check(std::uint16_t{});
    EXPECT_EQ(io->GetComponentType(), itk::IOComponentEnum::USHORT);
  }
  else
  {
    check(std::uint32_t{});
    EXPECT_EQ(io->GetComponentType(), itk::IOComponentEnum::UINT);
  }
  EXPECT_EQ(io->GetDetectorWidth(), 256u);
  EXPECT_EQ(io->GetDetectorHeight(), 256u);
}

INSTANTIATE_TEST_SUITE_P(MIBImageIO, RawSingle, ::testing::Values(1, 6, 12, 24));

class RawQuad : public ::testing::TestWithParam<std::tuple<int, bool>>
{};

TEST_P(RawQuad, ChipsReorderedEveryPixel)
{
  const int          depth = std::get<0>(GetParam());
  const bool         gap = std::get<1>(GetParam());
  const auto         maximum = (1u << depth) - 1;
  const unsigned int k = gap ? 514 : 512;
  auto               value = [maximum, gap](unsigned long frame, unsigned int kx, unsigned int ky) -> std::uint64_t {
    if (gap && (kx == 256 || kx == 257 || ky == 256 || ky == 257))
    {
      return 0; // the gap pixels
    }
    return (40503u * kx + 7919u * ky * ky + 104729u * frame) % (maximum + 1);
  };
  std::string bytes;
  for (unsigned long i = 0; i < 2; ++i)
  {
    bytes += RawQuadFrame(depth, 256, gap, i, value);
  }
  const auto          path = WriteFile("rawquad.mib", bytes);
  MIBImageIO::Pointer io;
  auto                check = [&](auto typed) {
    using T = decltype(typed);
    auto image = Read<T>(
      path, [](MIBImageIO * io) { io->SetScanShape(2, 1); }, &io);
    ExpectPatterns<T>(
      image, k, k, [&](unsigned x, unsigned y, unsigned kx, unsigned ky) { return value(y * 2 + x, kx, ky); });
    EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.Width"), "1024");
    EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.DetectorWidth"), std::to_string(k));
  };
  if (depth <= 6)
  {
    check(std::uint8_t{});
  }
  else
  {
    check(std::uint16_t{});
  }
}

INSTANTIATE_TEST_SUITE_P(MIBImageIO, RawQuad,
                         ::testing::Values(std::make_tuple(1, false), std::make_tuple(6, false),
                                           std::make_tuple(12, false), std::make_tuple(12, true)));

TEST(MIBImageIO, RawQuadCornersByHand)
{
  // Raw 1-bit 2x2 frame whose only set bits are the first bit of each chip's
  // first raw row: bit 0 of the first word of each 32-byte chip chunk, i.e.
  // byte 7 (the last byte of the big-endian word) == 0x01.
  Frame f;
  f.Type = "R64";
  f.Depth = 1;
  f.Chips = 4;
  f.Layout = "2x2";
  f.HeaderBytes = 768;
  f.Width = 1024;
  f.Height = 256;
  std::string bytes = Header(f, 1);
  std::string data(1024 * 256 / 8, '\0');
  data[0 * 32 + 7] = 1; // chip 4 -> bottom right, mirrored: detector (511, 511)
  data[1 * 32 + 7] = 1; // chip 3 -> bottom left, mirrored: detector (255, 511)
  data[2 * 32 + 7] = 1; // chip 2 -> top right: detector (256, 0)
  data[3 * 32 + 7] = 1; // chip 1 -> top left: detector (0, 0)
  const auto   path = WriteFile("corners.mib", bytes + data);
  auto         image = Read<std::uint8_t>(path);
  const auto * p = image->GetBufferPointer();
  std::size_t  ones = 0;
  for (std::size_t i = 0; i < 512 * 512; ++i)
  {
    ones += p[i];
  }
  EXPECT_EQ(ones, 4u);
  EXPECT_EQ(p[0], 1);
  EXPECT_EQ(p[256], 1);
  EXPECT_EQ(p[511 * 512 + 255], 1);
  EXPECT_EQ(p[511 * 512 + 511], 1);
}

// ===========================================================================
// Files made by testing-data/mib/make_mib_samples.py (an independent encoder)

TEST(MIBImageIO, TestingDataSingleU16WithHdr)
{
  const std::string   path = std::string(STEMPDF_TESTING_DATA) + "/mib/single_u16_64x32_scan4x2.mib";
  MIBImageIO::Pointer io;
  auto                image = Read<std::uint16_t>(path, {}, &io);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 4, 2 } }));
  ExpectPatterns<std::uint16_t>(image, 64, 32, [](unsigned x, unsigned y, unsigned kx, unsigned ky) {
    return (1009u * (y * 4 + x) + 17u * kx + 131u * ky) & 0xFFFF;
  });
  const auto & d = image->GetMetaDataDictionary();
  ExpectMeta(d,
             { { "MIB.hdr.Frames per Trigger (Number)", "4" },
               { "MIB.hdr.Frames in Acquisition (Number)", "8" },
               { "MIB.hdr.Assembly Size (NX1, 2X2)", "1x1" },
               { "MIB.ScanShapeSource", ".hdr Frames per Trigger, Frames in Acquisition" } });
}

TEST(MIBImageIO, TestingDataRawQuadOneBit)
{
  const std::string path = std::string(STEMPDF_TESTING_DATA) + "/mib/quad_raw1_2x2.mib";
  auto              image = Read<std::uint8_t>(path);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 2, 1 } }));
  ExpectPatterns<std::uint8_t>(image, 512, 512, [](unsigned x, unsigned, unsigned kx, unsigned ky) {
    return (3 * kx + 5 * ky + x) % 7 == 0 ? 1 : 0;
  });
}

TEST(MIBImageIO, TestingDataRawTwelveBit)
{
  const std::string path = std::string(STEMPDF_TESTING_DATA) + "/mib/single_raw12_64x32.mib";
  auto              image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetScanShape(2, 1); });
  ExpectPatterns<std::uint16_t>(image, 64, 32, [](unsigned x, unsigned, unsigned kx, unsigned ky) {
    return (37u * kx + 101u * ky + 1000u * x) % 4096;
  });
}

// ===========================================================================
// Streaming: only the requested positions, only their bytes

TEST(MIBImageIO, StreamingReadsOnlyTheRequestedRowsAndColumns)
{
  const Frame f = SmallU16(16, 8);
  const auto  path = CountingFile("stream.mib", f, 36, Value16); // 6 x 6 scan
  const auto  frameBytes = 384 + 16 * 8 * 2;
  using Reader = itk::ImageFileReader<Image<std::uint16_t>>;
  for (const auto & block : { std::make_pair(itk::Index<2>{ { 0, 2 } }, itk::Size<2>{ { 6, 3 } }),
                              std::make_pair(itk::Index<2>{ { 1, 4 } }, itk::Size<2>{ { 3, 2 } }) })
  {
    auto reader = Reader::New();
    auto io = MIBImageIO::New();
    reader->SetImageIO(io);
    reader->SetFileName(path);
    reader->UpdateOutputInformation();
    const Image<std::uint16_t>::RegionType region(block.first, block.second);
    reader->GetOutput()->SetRequestedRegion(region);
    reader->Update();
    const auto * image = reader->GetOutput();
    EXPECT_EQ(image->GetBufferedRegion(), region);
    EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 6, 6 } }));
    ExpectPatterns<std::uint16_t>(
      image, 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 6 + x, kx, ky); });
    EXPECT_EQ(io->GetBytesRead(), region.GetNumberOfPixels() * frameBytes);
  }
}

TEST(MIBImageIO, StreamingNeverTouchesOtherFrames)
{
  // Frame 7 (scan (1, 1)) is damaged; rows 2..3 still read, the whole scan not.
  const Frame f = SmallU16(16, 8);
  std::string bytes;
  for (unsigned long i = 0; i < 16; ++i)
  {
    std::string frame = CountingFrame(f, i, Value16);
    if (i == 5)
    {
      frame.replace(frame.find("U16"), 3, "U08");
    }
    bytes += frame;
  }
  const auto path = WriteFile("damaged.mib", bytes);
  using Reader = itk::ImageFileReader<Image<std::uint16_t>>;
  auto reader = Reader::New();
  reader->SetImageIO(MIBImageIO::New());
  reader->SetFileName(path);
  reader->UpdateOutputInformation();
  const Image<std::uint16_t>::RegionType rows({ { 0, 2 } }, { { 4, 2 } });
  reader->GetOutput()->SetRequestedRegion(rows);
  EXPECT_NO_THROW(reader->Update());
  ExpectPatterns<std::uint16_t>(reader->GetOutput(), 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) {
    return Value16(y * 4 + x, kx, ky);
  });
  ExpectReadError(path, { "frame 5 ", "pixel type is \"U08\" where frame 0 has \"U16\"", path });
}

// ===========================================================================
// Scan shape, flyback, several acquisitions

TEST(MIBImageIO, ScanShapeFromUser)
{
  const auto path = CountingFile("user.mib", SmallU16(), 6, Value16);
  auto       image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetScanShape(3, 2); });
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 3, 2 } }));
  ExpectPatterns<std::uint16_t>(
    image, 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 3 + x, kx, ky); });
  EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.ScanShapeSource"), "ScanShape");
}

TEST(MIBImageIO, ScanShapeFromHdrAndUserOverridesIt)
{
  const auto path = CountingFile("scan.mib", SmallU16(), 8, Value16);
  WriteFile("scan.hdr", HdrText(8, 4));
  auto image = Read<std::uint16_t>(path);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 4, 2 } }));
  ExpectPatterns<std::uint16_t>(
    image, 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 4 + x, kx, ky); });
  image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetScanShape(2, 4); });
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 2, 4 } }));
  image = Read<std::uint16_t>(path, [](MIBImageIO * io) {
    io->UseAcquisitionHeaderOff();
    io->SetScanShape(8, 1);
  });
  EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.hdr.Frames per Trigger (Number)"),
            "(missing MIB.hdr.Frames per Trigger (Number))");
}

TEST(MIBImageIO, ForeignHdrIsIgnoredWithANote)
{
  const auto path = CountingFile("foreign.mib", SmallU16(), 4, Value16);
  WriteFile("foreign.hdr", "Frames per Trigger (Number):\t4\r\n"); // not a Merlin header: no "HDR,"
  auto image = Read<std::uint16_t>(path);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 2, 2 } }));
  const std::string note = Meta(image->GetMetaDataDictionary(), "MIB.AcquisitionHeaderIgnored");
  EXPECT_NE(note.find("foreign.hdr: not a Merlin acquisition header"), std::string::npos) << note;
  auto io = MIBImageIO::New();
  EXPECT_TRUE(io->CanReadFile(path.c_str()));
  EXPECT_FALSE(io->CanReadFile((TestDirectory() + "foreign.hdr").c_str()));
}

TEST(MIBImageIO, NonSquareWithoutHdrIsAnErrorListingShapes)
{
  const auto path = CountingFile("ambiguous.mib", SmallU16(), 8, Value16);
  ExpectReadError(path, { path, "ambiguous", "4 x 2, 2 x 4, 8 x 1, 1 x 8" });
}

TEST(MIBImageIO, FlybackFramesAreSkipped)
{
  // 3 x 3 scan with one flyback frame per line (value 0xFFFF): 12 frames.
  auto value = [](unsigned long frame, unsigned int kx, unsigned int ky) -> std::uint64_t {
    return frame % 4 == 3 ? 0xFFFF : Value16(frame, kx, ky);
  };
  const auto path = CountingFile("flyback.mib", SmallU16(), 12, value);
  auto       image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetFlybackFrames(1); });
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 3, 3 } }));
  ExpectPatterns<std::uint16_t>(
    image, 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) { return Value16(y * 4 + x, kx, ky); });
  EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.FlybackFrames"), "1");
  // The same from a .hdr: 4 frames per trigger (3 positions + 1 flyback).
  WriteFile("flyback.hdr", HdrText(12, 4));
  image = Read<std::uint16_t>(path, [](MIBImageIO * io) { io->SetFlybackFrames(1); });
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 3, 3 } }));
  EXPECT_EQ(image->GetBufferPointer()[16 * 8 * 3], Value16(4, 0, 0)); // scan (0, 1) is frame 4
}

TEST(MIBImageIO, FlybackThatDoesNotDivideTheFramesIsAnError)
{
  const auto path = CountingFile("flyback13.mib", SmallU16(), 13, Value16);
  ExpectReadError(
    path, { path, "13 frames with 1 flyback frames per line" }, [](MIBImageIO * io) { io->SetFlybackFrames(1); });
  ExpectReadError(path,
                  { "a scan of 3 x 3 positions (from ScanShape) with 1 flyback frames per line takes 12 frames, "
                    "but the file has 13 frames",
                    path },
                  [](MIBImageIO * io) {
                    io->SetFlybackFrames(1);
                    io->SetScanShape(3, 3);
                  });
}

TEST(MIBImageIO, FirstFrameAndAcquisitionIndex)
{
  // One frame before the trigger, then two 2 x 2 acquisitions: 9 frames.
  const auto path = CountingFile("two.mib", SmallU16(), 9, Value16);
  for (unsigned int a = 0; a < 2; ++a)
  {
    MIBImageIO::Pointer io;
    auto                image = Read<std::uint16_t>(
      path,
      [a](MIBImageIO * io) {
        io->SetScanShape(2, 2);
        io->SetFirstFrame(1);
        io->SetAcquisitionIndex(a);
      },
      &io);
    ExpectPatterns<std::uint16_t>(image, 16, 8, [a](unsigned x, unsigned y, unsigned kx, unsigned ky) {
      return Value16(1 + 4 * a + y * 2 + x, kx, ky);
    });
    EXPECT_EQ(io->GetNumberOfAcquisitions(), 2u);
    EXPECT_EQ(Meta(image->GetMetaDataDictionary(), "MIB.Acquisitions"), "2");
  }
  ExpectReadError(
    path, { "holds 2 acquisition(s) of 2 x 2 positions, but AcquisitionIndex is 2" }, [](MIBImageIO * io) {
      io->SetScanShape(2, 2);
      io->SetFirstFrame(1);
      io->SetAcquisitionIndex(2);
    });
  ExpectReadError(path, { "has 9 frames, but FirstFrame is 9" }, [](MIBImageIO * io) { io->SetFirstFrame(9); });
}

// ===========================================================================
// Bad input: a clear error naming the file, never a crash

TEST(MIBImageIO, EmptyFile)
{
  const auto path = WriteFile("empty.mib", "");
  ExpectReadError(path, { "file \"" + path + "\" is empty (0 bytes)" });
}

TEST(MIBImageIO, NotAMIBFile)
{
  const auto path = WriteFile("text.mib", "hello, world\n");
  ExpectReadError(path, { "file \"" + path + "\" is not a Merlin MIB file: it starts with \"hello, world\\x0A\"" });
  auto io = MIBImageIO::New();
  EXPECT_FALSE(io->CanReadFile(path.c_str()));
}

TEST(MIBImageIO, MissingFile)
{
  const std::string path = TestDirectory() + "missing.mib";
  ExpectReadError(path, { path });
}

TEST(MIBImageIO, TruncatedLastFrame)
{
  std::string bytes;
  for (unsigned long i = 0; i < 4; ++i)
  {
    bytes += CountingFrame(SmallU16(), i, Value16);
  }
  bytes.resize(bytes.size() - 100);
  const auto path = WriteFile("truncated.mib", bytes);
  ExpectReadError(path,
                  { "file \"" + path + "\" is truncated", "the last frame (frame 3) has only 540 of its 640 bytes" });
}

TEST(MIBImageIO, HeaderSizeThatLies)
{
  // The header field says 384, but every header is 512 bytes long.
  Frame       f = SmallU16();
  std::string bytes;
  for (unsigned long i = 0; i < 4; ++i)
  {
    std::string frame = CountingFrame(f, i, Value16);
    frame.insert(384, std::string(128, '\0'));
    bytes += frame;
  }
  const auto path = WriteFile("lies.mib", bytes);
  ExpectReadError(path,
                  { path,
                    "so frame 1 should start at byte 640, but there is no \"MQ1,\" there; the next \"MQ1,\" is "
                    "at byte 768" });
}

TEST(MIBImageIO, HeaderLargerThanTheFile)
{
  Frame f = SmallU16();
  f.HeaderBytes = 99999;
  std::string frame = CountingFrame(f, 0, Value16);
  frame.resize(2000);
  const auto path = WriteFile("huge.mib", frame);
  ExpectReadError(
    path,
    { "file \"" + path + "\": frame 0's header says it is 99999 bytes long, but the whole file has only 2000 bytes" });
}

TEST(MIBImageIO, UnknownPixelType)
{
  Frame f = SmallU16();
  f.Type = "F32";
  const auto path = CountingFile("f32.mib", f, 1, Value16);
  ExpectReadError(path,
                  { "file \"" + path +
                    "\": unknown pixel type \"F32\" in frame 0's header; expected U01, U08, U16, U32, U64 or R64" });
}

TEST(MIBImageIO, InconsistentLastFrame)
{
  std::string bytes;
  for (unsigned long i = 0; i < 4; ++i)
  {
    Frame f = SmallU16(16, 8);
    if (i == 3)
    {
      f = SmallU16(32, 4); // the same number of bytes, another geometry
    }
    bytes += CountingFrame(f, i, Value16);
  }
  const auto path = WriteFile("inconsistent.mib", bytes);
  ExpectReadError(path,
                  { "file \"" + path +
                    "\": frame 3 (at byte 1920) does not match frame 0: its width is "
                    "\"0032\" where frame 0 has \"0016\"" });
}

TEST(MIBImageIO, BitPackedU01IsRefused)
{
  Frame f = SmallU16();
  f.Type = "U01";
  std::string bytes;
  for (unsigned long i = 0; i < 2; ++i)
  {
    bytes += Header(f, i + 1) + std::string(16 * 8 / 8, '\x55');
  }
  const auto path = WriteFile("packed.mib", bytes);
  ExpectReadError<std::uint8_t>(path, { "file \"" + path + "\": its U01 frames are bit-packed" });
}

TEST(MIBImageIO, RawFramesWithoutCounterDepthOrUnsupportedLayout)
{
  Frame f;
  f.Type = "R64";
  f.Depth = 0; // no MQ1A extension
  f.Width = 64;
  f.Height = 8;
  auto path = WriteFile("nodepth.mib", Header(f, 1) + std::string(64 * 8 / 8, '\0'));
  ExpectReadError<std::uint8_t>(path, { "file \"" + path + "\": raw (R64) frames need the counter depth" });

  f.Depth = 12;
  std::string garbled = Header(f, 1);
  garbled.replace(garbled.find("1000000ns,12,"), 13, "1000000ns,1x,");
  path = WriteFile("garbled.mib", garbled + std::string(64 * 8 * 2, '\0'));
  ExpectReadError<std::uint16_t>(
    path, { "file \"" + path + "\": the counter depth in frame 0's MQ1A header extension is \"1x\"" });

  f.Depth = 1;
  f.Chips = 4;
  f.Layout = "Nx1";
  f.HeaderBytes = 768;
  path = WriteFile("nx1.mib", Header(f, 1) + std::string(64 * 8 / 8, '\0'));
  ExpectReadError<std::uint8_t>(
    path, { "file \"" + path + "\": raw (R64) frames of 4 chips in layout \"Nx1\" are not supported" });
}

// ===========================================================================
// Writer

template <typename T>
typename Image<T>::Pointer
MakeScan(unsigned int nx, unsigned int ny, unsigned int kx, unsigned int ky)
{
  auto              image = stempdf::testing::MakeField<Image<T>>(nx, ny, stempdf::MakeDetectorAxis(kx, ky));
  T *               p = image->GetBufferPointer();
  const std::size_t n = std::size_t{ nx } * ny * kx * ky;
  for (std::size_t i = 0; i < n; ++i)
  {
    // Uses the whole range of T (the top bytes too).
    p[i] = static_cast<T>((i * 2654435761ull) >> 7);
  }
  return image;
}

template <typename T>
void
Write(const Image<T> * image, const std::string & path, bool hdr = true)
{
  auto writer = itk::ImageFileWriter<Image<T>>::New();
  auto io = MIBImageIO::New();
  io->SetWriteAcquisitionHeader(hdr);
  writer->SetImageIO(io);
  writer->SetInput(image);
  writer->SetFileName(path);
  writer->Update();
}

template <typename T>
void
ExpectRoundTrip(unsigned int kx, unsigned int ky)
{
  const auto scan = MakeScan<T>(3, 2, kx, ky);
  const auto path = TestDirectory() + "roundtrip_" + std::to_string(sizeof(T)) + ".mib";
  Write<T>(scan, path);
  MIBImageIO::Pointer io;
  auto                back = Read<T>(path, {}, &io);
  EXPECT_EQ(back->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 3, 2 } })); // from the .hdr
  ASSERT_EQ(back->GetNumberOfComponentsPerPixel(), kx * ky);
  EXPECT_EQ(std::memcmp(back->GetBufferPointer(), scan->GetBufferPointer(), std::size_t{ 6 } * kx * ky * sizeof(T)), 0);
  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(back->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(kx, ky));
  EXPECT_EQ(io->GetComponentType(), itk::ImageIOBase::MapPixelType<T>::CType);
}

TEST(MIBImageIO, WriterRoundTripU08)
{
  ExpectRoundTrip<std::uint8_t>(256, 256);
}

TEST(MIBImageIO, WriterRoundTripU16)
{
  ExpectRoundTrip<std::uint16_t>(256, 256);
}

TEST(MIBImageIO, WriterRoundTripU32)
{
  ExpectRoundTrip<std::uint32_t>(256, 256);
}

TEST(MIBImageIO, WriterRoundTripAnyDetectorShape)
{
  ExpectRoundTrip<std::uint16_t>(48, 20);
}

TEST(MIBImageIO, WriterBytesAreMerlinStyleAndBigEndian)
{
  const auto scan = MakeScan<std::uint16_t>(2, 2, 256, 256);
  const auto path = TestDirectory() + "bytes.mib";
  Write<std::uint16_t>(scan, path);
  const std::string bytes = ReadBytes(path);
  ASSERT_EQ(bytes.size(), 4u * (384 + 256 * 256 * 2));
  EXPECT_EQ(bytes.compare(0, 41, "MQ1,000001,00384,01,0256,0256,U16,   1x1,"), 0) << bytes.substr(0, 41);
  const std::size_t second = 384 + 256 * 256 * 2;
  EXPECT_EQ(bytes.compare(second, 17, "MQ1,000002,00384,"), 0);
  // The header ends with ",MQ1A,<time>,<ns>,<counter depth>," and NUL padding.
  const std::string header = bytes.substr(0, 384);
  EXPECT_NE(header.find(",12,\0", 0, 5), std::string::npos);
  EXPECT_EQ(header.back(), '\0');
  const std::uint16_t first = scan->GetBufferPointer()[0];
  const std::uint16_t last = scan->GetBufferPointer()[4 * 65536 - 1];
  EXPECT_EQ(static_cast<unsigned char>(bytes[384]), first >> 8);
  EXPECT_EQ(static_cast<unsigned char>(bytes[385]), first & 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(bytes[bytes.size() - 2]), last >> 8);
  EXPECT_EQ(static_cast<unsigned char>(bytes[bytes.size() - 1]), last & 0xFF);
  const std::string hdr = ReadBytes(TestDirectory() + "bytes.hdr");
  EXPECT_NE(hdr.find("Frames in Acquisition (Number):\t4\r\n"), std::string::npos);
  EXPECT_NE(hdr.find("Frames per Trigger (Number):\t2\r\n"), std::string::npos);
}

TEST(MIBImageIO, WriterRefusesOtherTypesAndWritesNothing)
{
  auto       image = MakeScan<float>(2, 2, 16, 16);
  const auto path = TestDirectory() + "float.mib";
  stempdf::testing::ExpectError([&]() { Write<float>(image, path); },
                                { "cannot write \"" + path + "\": MIB frames hold unsigned 8-, 16- or 32-bit counts" });
  EXPECT_FALSE(itksys::SystemTools::FileExists(path));
  EXPECT_FALSE(itksys::SystemTools::FileExists(path + ".partial"));
  EXPECT_FALSE(itksys::SystemTools::FileExists(TestDirectory() + "float.hdr"));

  auto io = MIBImageIO::New();
  EXPECT_TRUE(io->CanWriteFile("scan.mib"));
  EXPECT_TRUE(io->CanWriteFile("SCAN.MIB"));
  EXPECT_FALSE(io->CanWriteFile("scan.mha"));
}

TEST(MIBImageIO, FactoryPicksTheIOForMibFiles)
{
  stempdf::MIBImageIOFactory::RegisterOneFactory();
  stempdf::MIBImageIOFactory::RegisterOneFactory(); // idempotent
  const auto path = CountingFile("factory.mib", SmallU16(), 4, Value16);
  auto       reader = itk::ImageFileReader<Image<std::uint16_t>>::New();
  reader->SetFileName(path);
  reader->Update();
  EXPECT_STREQ(reader->GetImageIO()->GetNameOfClass(), "MIBImageIO");
  ExpectPatterns<std::uint16_t>(reader->GetOutput(), 16, 8, [](unsigned x, unsigned y, unsigned kx, unsigned ky) {
    return Value16(y * 2 + x, kx, ky);
  });
}

TEST(MIBImageIO, PrintSelfNamesTheSettings)
{
  auto io = MIBImageIO::New();
  io->SetFlybackFrames(2);
  stempdf::testing::ExpectPrinted(io, { "FlybackFrames: 2", "ScanStep: 1 nm" });
}

// ===========================================================================
// Optional: real Merlin files, RosettaSciIO's test data
// (rsciio/tests/data/quantumdetector/*.zip, all three unpacked into the
// directory $STEMPDF_MIB_REFERENCE_DIR, as RosettaSciIO's own tests do).

std::string
ReferenceFile(const std::string & name)
{
  const char * dir = std::getenv("STEMPDF_MIB_REFERENCE_DIR");
  return dir == nullptr ? std::string() : std::string(dir) + "/" + name;
}

TEST(MIBImageIO, RealMerlinRawMatchesCountingMode)
{
  // Raw 1-bit frames and counting-mode 1-bit frames of the same detector,
  // taken seconds apart, must light up nearly the same pixels if the raw
  // unpacking and the 2x2 chip reordering are right.
  if (ReferenceFile("").empty())
  {
    GTEST_SKIP() << "set STEMPDF_MIB_REFERENCE_DIR to the unpacked quantumdetector test data of RosettaSciIO";
  }
  for (const std::string kind : { "Single", "Quad" })
  {
    auto              raw = Read<std::uint8_t>(ReferenceFile(kind + "_9_Frame_CounterDepth_1_Rows_256RAW.mib"),
                                  [](MIBImageIO * io) { io->SetScanShape(3, 3); });
    auto              counted = Read<std::uint8_t>(ReferenceFile(kind + "_9_Frame_CounterDepth_1_Rows_256.mib"),
                                      [](MIBImageIO * io) { io->SetScanShape(3, 3); });
    const std::size_t k = raw->GetNumberOfComponentsPerPixel();
    ASSERT_EQ(k, counted->GetNumberOfComponentsPerPixel());
    ASSERT_EQ(k, kind == "Quad" ? 512u * 512u : 256u * 256u);
    // Pixels on in most of the 9 frames, in each file.
    std::vector<int> a(k, 0);
    std::vector<int> b(k, 0);
    for (std::size_t f = 0; f < 9; ++f)
    {
      for (std::size_t i = 0; i < k; ++i)
      {
        a[i] += raw->GetBufferPointer()[f * k + i];
        b[i] += counted->GetBufferPointer()[f * k + i];
      }
    }
    std::size_t both = 0;
    std::size_t either = 0;
    for (std::size_t i = 0; i < k; ++i)
    {
      both += (a[i] > 4 && b[i] > 4);
      either += (a[i] > 4 || b[i] > 4);
    }
    EXPECT_GT(static_cast<double>(both) / static_cast<double>(either), 0.95) << kind;
  }
}

TEST(MIBImageIO, RealMerlinHotPixelOrientation)
{
  // Merlin 1.5 files of a 4 x 2 scan (ScanX/ScanY in the .hdr) of 256 x 128
  // and 256 x 64 regions of interest with one hot pixel at column 52, row 39
  // of the frame as stored (RosettaSciIO, which flips rows, finds it 40 rows
  // above the bottom).
  if (ReferenceFile("").empty())
  {
    GTEST_SKIP() << "set STEMPDF_MIB_REFERENCE_DIR to the unpacked quantumdetector test data of RosettaSciIO";
  }
  for (const std::string name : { "002_merlin_test_roi_sig256x128_nav4x2_hot_pixel_52x_39y.mib",
                                  "003_merlin_test_roi_sig256x64_nav4x2_hot_pixel_52x_39y.mib" })
  {
    MIBImageIO::Pointer io;
    auto                image = Read<std::uint16_t>(ReferenceFile(name), {}, &io);
    EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(), (itk::Size<2>{ { 4, 2 } })) << name;
    EXPECT_EQ(io->GetDetectorWidth(), 256u);
    const std::size_t k = image->GetNumberOfComponentsPerPixel();
    for (std::size_t p = 0; p < 8; ++p)
    {
      const std::uint16_t * pattern = image->GetBufferPointer() + p * k;
      const std::size_t     hottest = std::max_element(pattern, pattern + k) - pattern;
      EXPECT_EQ(hottest % 256, 52u) << name << " position " << p;
      EXPECT_EQ(hottest / 256, 39u) << name << " position " << p;
    }
  }
}

TEST(MIBImageIO, ExercisesBasicObjectMethods)
{
  auto io = stempdf::testing::NewAndExercise<MIBImageIO>(
    "MIBImageIO", "ImageIOBase", { "ScanShape:", "FlybackFrames: 0", "UseAcquisitionHeader: On" });
  STEMPDF_EXPECT_SET_GET_BOOLEAN(io, UseAcquisitionHeader, true);
  STEMPDF_EXPECT_SET_GET_BOOLEAN(io, WriteAcquisitionHeader, true);
}
