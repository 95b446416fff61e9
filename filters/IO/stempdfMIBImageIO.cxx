#include "stempdfMIBImageIO.h"
#include "stempdfMIBPixelDecoding.h"
#include "stempdfStreamableRegion.h"

#include "stempdfVectorAxis.h"

#include "itkCreateObjectFunction.h"
#include "itkMetaDataObject.h"
#include "itkVersion.h"
#include "itksys/SystemTools.hxx"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#if defined(__unix__) || defined(__APPLE__)
#  define STEMPDF_MIB_POSIX 1
#  include <climits>
#  include <fcntl.h>
#  include <sys/stat.h>
#  include <sys/uio.h>
#  include <unistd.h>
#endif

namespace stempdf
{
namespace
{
// ---------------------------------------------------------------------------
// Small helpers

bool
EndsWithNoCase(const std::string & s, const std::string & suffix)
{
  if (s.size() < suffix.size())
  {
    return false;
  }
  for (std::size_t i = 0; i < suffix.size(); ++i)
  {
    const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])));
    if (a != suffix[i])
    {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------
// Random access to the file (MIBImageIO::InputFile): pread/preadv where available.

struct Segment
{
  void *      Data;
  std::size_t Bytes;
};

} // namespace

/** Random access to the file: pread/preadv where available. */
class MIBImageIO::InputFile
{
public:
  explicit InputFile(const std::string & name)
  {
#ifdef STEMPDF_MIB_POSIX
    m_Fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_Fd >= 0)
    {
      struct stat st;
      if (::fstat(m_Fd, &st) == 0 && S_ISREG(st.st_mode))
      {
        m_Size = static_cast<std::uint64_t>(st.st_size);
        m_Open = true;
      }
    }
#else
    m_Stream.open(name.c_str(), std::ios::binary);
    if (m_Stream)
    {
      m_Stream.seekg(0, std::ios::end);
      m_Size = static_cast<std::uint64_t>(m_Stream.tellg());
      m_Open = static_cast<bool>(m_Stream);
    }
#endif
  }

  ~InputFile()
  {
#ifdef STEMPDF_MIB_POSIX
    if (m_Fd >= 0)
    {
      ::close(m_Fd);
    }
#endif
  }

  InputFile(const InputFile &) = delete;
  InputFile &
  operator=(const InputFile &) = delete;

  bool
  IsOpen() const
  {
    return m_Open;
  }

  std::uint64_t
  Size() const
  {
    return m_Size;
  }

  /** Reads exactly `bytes` bytes at `offset`; false on a short read. */
  bool
  ReadAt(void * data, std::size_t bytes, std::uint64_t offset)
  {
    Segment segment{ data, bytes };
    return this->ReadSegments(&segment, 1, offset);
  }

  /** Reads consecutive file bytes starting at `offset` into the segments, in
   *  order (scatter read); false on a short read. */
  bool
  ReadSegments(Segment * segments, std::size_t count, std::uint64_t offset)
  {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < count; ++i)
    {
      total += segments[i].Bytes;
    }
    if (offset > m_Size || total > m_Size - offset)
    {
      return false;
    }
#ifdef STEMPDF_MIB_POSIX
#  ifdef IOV_MAX
    constexpr std::size_t maxVectors = IOV_MAX < 1024 ? IOV_MAX : 1024;
#  else
    constexpr std::size_t maxVectors = 16;
#  endif
    std::size_t  first = 0;     // first segment not read completely
    std::size_t  firstDone = 0; // bytes of it already read
    struct iovec vectors[maxVectors];
    while (first < count)
    {
      std::size_t n = 0;
      for (std::size_t i = first; i < count && n < maxVectors; ++i, ++n)
      {
        const std::size_t skip = (i == first) ? firstDone : 0;
        vectors[n].iov_base = static_cast<char *>(segments[i].Data) + skip;
        vectors[n].iov_len = segments[i].Bytes - skip;
      }
      const ssize_t got = ::preadv(m_Fd, vectors, static_cast<int>(n), static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR)
      {
        continue;
      }
      if (got <= 0)
      {
        return false;
      }
      offset += static_cast<std::uint64_t>(got);
      auto left = static_cast<std::size_t>(got);
      while (first < count && left >= segments[first].Bytes - firstDone)
      {
        left -= segments[first].Bytes - firstDone;
        ++first;
        firstDone = 0;
      }
      firstDone += left;
    }
    return true;
#else
    m_Stream.clear();
    m_Stream.seekg(static_cast<std::streamoff>(offset));
    for (std::size_t i = 0; i < count; ++i)
    {
      m_Stream.read(static_cast<char *>(segments[i].Data), static_cast<std::streamsize>(segments[i].Bytes));
      if (!m_Stream)
      {
        return false;
      }
    }
    return true;
#endif
  }

  /** True when a frame header "MQ1," starts at `offset`. */
  bool
  StartsFrame(std::uint64_t offset)
  {
    char magic[4];
    return offset + 4 <= m_Size && this->ReadAt(magic, 4, offset) && std::memcmp(magic, "MQ1,", 4) == 0;
  }

  /** The next "MQ1," after `from`, searched in the next 64 MiB; 0 if none. */
  std::uint64_t
  FindFrameStart(std::uint64_t from)
  {
    const std::uint64_t limit = std::min<std::uint64_t>(m_Size, from + (std::uint64_t{ 64 } << 20));
    std::vector<char>   chunk(1 << 20);
    for (std::uint64_t at = from; at + 4 <= limit; at += chunk.size() - 3)
    {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), limit - at));
      if (!this->ReadAt(chunk.data(), n, at))
      {
        return 0;
      }
      for (std::size_t i = 0; i + 4 <= n; ++i)
      {
        if (std::memcmp(chunk.data() + i, "MQ1,", 4) == 0)
        {
          return at + i;
        }
      }
    }
    return 0;
  }

private:
  bool          m_Open{ false };
  std::uint64_t m_Size{ 0 };
#ifdef STEMPDF_MIB_POSIX
  int m_Fd{ -1 };
#else
  std::ifstream m_Stream;
#endif
};

namespace
{
// ---------------------------------------------------------------------------
// Output

class OutputFile
{
public:
  explicit OutputFile(const std::string & name)
    : m_Name(name)
  {
    m_File = std::fopen(name.c_str(), "wb");
  }
  ~OutputFile()
  {
    if (m_File)
    {
      std::fclose(m_File);
      std::remove(m_Name.c_str()); // not committed: leave nothing behind
    }
  }
  OutputFile(const OutputFile &) = delete;
  OutputFile &
  operator=(const OutputFile &) = delete;

  bool
  IsOpen() const
  {
    return m_File != nullptr;
  }
  bool
  Write(const void * data, std::size_t bytes)
  {
    return std::fwrite(data, 1, bytes, m_File) == bytes;
  }
  /** Closes the file and renames it to `finalName`; false on failure. */
  bool
  Commit(const std::string & finalName)
  {
    const bool closed = std::fclose(m_File) == 0;
    m_File = nullptr;
    if (!closed || std::rename(m_Name.c_str(), finalName.c_str()) != 0)
    {
      std::remove(m_Name.c_str());
      return false;
    }
    return true;
  }

private:
  std::string m_Name;
  std::FILE * m_File{ nullptr };
};

} // namespace

// ===========================================================================

MIBImageIO::MIBImageIO()
{
  m_ScanShape.Fill(0);
  this->SetNumberOfDimensions(2);
  this->AddSupportedReadExtension(".mib");
  this->AddSupportedWriteExtension(".mib");
  m_ByteOrder = itk::IOByteOrderEnum::BigEndian;
  m_FileType = itk::IOFileEnum::Binary;
}

bool
MIBImageIO::CanReadFile(const char * fileName)
{
  if (fileName == nullptr || *fileName == '\0')
  {
    return false;
  }
  InputFile file(fileName);
  char      magic[4];
  return file.IsOpen() && file.Size() >= 4 && file.ReadAt(magic, 4, 0) && std::memcmp(magic, "MQ1,", 4) == 0;
}

bool
MIBImageIO::CanWriteFile(const char * fileName)
{
  return fileName != nullptr && EndsWithNoCase(fileName, ".mib");
}

void
MIBImageIO::ChooseScanShape(itk::MetaDataDictionary & dictionary)
{
  if (m_FirstFrame >= m_FramesInFile)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\" has " << m_FramesInFile << " frames, but FirstFrame is "
                      << m_FirstFrame << "; it must be less than the number of frames");
  }
  const itk::SizeValueType available = m_FramesInFile - m_FirstFrame;
  const itk::SizeValueType flyback = m_FlybackFrames;
  auto                     candidates = [available, flyback]() {
    // Scan shapes nx x ny with ny (nx + flyback) == available, nearest to square first.
    std::vector<std::pair<itk::SizeValueType, itk::SizeValueType>> shapes;
    for (itk::SizeValueType d = 1; d * d <= available; ++d)
    {
      if (available % d == 0)
      {
        for (const itk::SizeValueType line : { d, available / d })
        {
          if (line > flyback)
          {
            shapes.emplace_back(line - flyback, available / line);
          }
        }
      }
    }
    std::sort(shapes.begin(), shapes.end(), [](const auto & a, const auto & b) {
      const auto da = a.first > a.second ? a.first - a.second : a.second - a.first;
      const auto db = b.first > b.second ? b.first - b.second : b.second - b.first;
      return da != db ? da < db : a.first > b.first;
    });
    shapes.erase(std::unique(shapes.begin(), shapes.end()), shapes.end());
    std::ostringstream os;
    for (std::size_t i = 0; i < shapes.size() && i < 6; ++i)
    {
      os << (i ? ", " : "") << shapes[i].first << " x " << shapes[i].second;
    }
    if (shapes.empty())
    {
      os << "none";
    }
    return os.str();
  };
  auto hdrValue = [this](const char * key, std::uint64_t & value) {
    for (const auto & kv : m_AcquisitionHeader)
    {
      if (kv.first == key)
      {
        return mib::ParseUnsigned(kv.second, value);
      }
    }
    return false;
  };

  itk::SizeValueType nx = 0;
  itk::SizeValueType ny = 0;
  std::uint64_t      scanX = 0;
  std::uint64_t      scanY = 0;
  std::uint64_t      perTrigger = 0;
  std::uint64_t      inAcquisition = 0;
  if (m_ScanShape[0] != 0 || m_ScanShape[1] != 0)
  {
    if (m_ScanShape[0] == 0 || m_ScanShape[1] == 0)
    {
      itkExceptionMacro(<< "file \"" << m_FileName << "\": ScanShape is (" << m_ScanShape[0] << ", " << m_ScanShape[1]
                        << "); both nx and ny must be positive (or both 0 to take the shape from the file)");
    }
    nx = m_ScanShape[0];
    ny = m_ScanShape[1];
    m_ScanShapeSource = "ScanShape";
  }
  else if (hdrValue("ScanX", scanX) && hdrValue("ScanY", scanY) && scanX > 0 && scanY > 0)
  {
    nx = scanX;
    ny = scanY;
    m_ScanShapeSource = ".hdr ScanX, ScanY";
  }
  else if (hdrValue("Frames per Trigger (Number)", perTrigger) &&
           hdrValue("Frames in Acquisition (Number)", inAcquisition) && perTrigger > 1 && inAcquisition > 0)
  {
    if (inAcquisition % perTrigger != 0 || perTrigger <= flyback)
    {
      itkExceptionMacro(<< "file \"" << m_FileName << "\": its .hdr gives " << inAcquisition
                        << " frames in the acquisition and " << perTrigger << " frames per trigger (scan line)"
                        << (flyback ? " including " : "") << (flyback ? std::to_string(flyback) : std::string())
                        << (flyback ? " flyback frames" : "")
                        << ", which is not a whole number of lines; set ScanShape (candidates for the " << available
                        << " frames in the file: " << candidates() << ")");
    }
    nx = perTrigger - flyback;
    ny = inAcquisition / perTrigger;
    m_ScanShapeSource = ".hdr Frames per Trigger, Frames in Acquisition";
  }
  else
  {
    // n (n + flyback) == available?
    const double root = (-static_cast<double>(flyback) +
                         std::sqrt(static_cast<double>(flyback) * flyback + 4.0 * static_cast<double>(available))) /
                        2.0;
    itk::SizeValueType n = 0;
    for (itk::SizeValueType c = root > 2 ? static_cast<itk::SizeValueType>(root) - 1 : 1; c <= root + 2; ++c)
    {
      if (c * (c + flyback) == available)
      {
        n = c;
        break;
      }
    }
    if (n == 0)
    {
      itkExceptionMacro(<< "file \"" << m_FileName << "\" has " << available << " frames"
                        << (m_FirstFrame ? " after FirstFrame" : "") << (flyback ? " with " : "")
                        << (flyback ? std::to_string(flyback) : std::string())
                        << (flyback ? " flyback frames per line" : "")
                        << ", which is not a square scan, and no .hdr gives the scan shape: the shape is ambiguous. "
                           "Set ScanShape (nx, ny); shapes that fit: "
                        << candidates());
    }
    nx = n;
    ny = n;
    m_ScanShapeSource = "square frame count";
  }

  m_LineFrames = nx + flyback;
  const itk::SizeValueType perAcquisition = m_LineFrames * ny;
  if (available % perAcquisition != 0)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": a scan of " << nx << " x " << ny << " positions (from "
                      << m_ScanShapeSource << ")" << (flyback ? " with " : "")
                      << (flyback ? std::to_string(flyback) : std::string())
                      << (flyback ? " flyback frames per line" : "") << " takes " << perAcquisition
                      << " frames, but the file has " << available << " frames"
                      << (m_FirstFrame ? " after FirstFrame" : "")
                      << ", which is not a whole number of such scans. Shapes that fit: " << candidates());
  }
  m_NumberOfAcquisitions = available / perAcquisition;
  if (m_AcquisitionIndex >= m_NumberOfAcquisitions)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\" holds " << m_NumberOfAcquisitions << " acquisition(s) of " << nx
                      << " x " << ny << " positions, but AcquisitionIndex is " << m_AcquisitionIndex
                      << "; it must be less than " << m_NumberOfAcquisitions);
  }
  m_ScanFirstFrame = m_FirstFrame + m_AcquisitionIndex * perAcquisition;
  m_Dimensions[0] = nx;
  m_Dimensions[1] = ny;
  itk::EncapsulateMetaData<std::string>(dictionary, "MIB.ScanShape", std::to_string(nx) + " x " + std::to_string(ny));
  itk::EncapsulateMetaData<std::string>(dictionary, "MIB.ScanShapeSource", m_ScanShapeSource);
}

void
MIBImageIO::ReadImageInformation()
{
  m_InformationRead = false;
  m_FramesInFile = 0;
  m_FrameHeaderBytes = 0;
  m_FrameDataBytes = 0;
  m_NumberOfAcquisitions = 0;
  m_DetectorWidth = 0;
  m_DetectorHeight = 0;

  InputFile file(m_FileName);
  this->ReadFirstFrameHeader(file);
  // Pixel type -> component type, bytes per frame and detector geometry.
  const unsigned int  bytesPerPixel = this->ChooseComponentType();
  const std::uint64_t dataBytes = this->ChooseDetectorGeometry(bytesPerPixel);
  m_FrameHeaderBytes = m_Format.HeaderBytes;
  m_FrameDataBytes = dataBytes;
  // Frame stride: where frame 1 starts, how many frames there are.
  this->CheckSecondFrameStart(file);
  this->CountFrames(file);

  // Image information.
  itk::MetaDataDictionary dictionary;
  m_AcquisitionHeader.clear();
  if (m_UseAcquisitionHeader)
  {
    m_AcquisitionHeader = mib::ReadAcquisitionHeader(m_FileName, dictionary, this);
  }
  this->SetNumberOfDimensions(2);
  this->ChooseScanShape(dictionary);
  this->SetScanGridInformation();
  this->PutHeaderFacts(dictionary);
  this->SetMetaDataDictionary(dictionary);
  m_InformationRead = true;
}

void
MIBImageIO::ReadFirstFrameHeader(InputFile & file)
{
  if (!file.IsOpen())
  {
    itkExceptionMacro(<< "cannot open \"" << m_FileName << "\" for reading (missing, not a regular file or no "
                      << "permission)");
  }
  const std::uint64_t fileSize = file.Size();
  if (fileSize == 0)
  {
    itkExceptionMacro(<< "file \"" << m_FileName
                      << "\" is empty (0 bytes); a MIB file starts with a frame header \"MQ1,...\"");
  }
  char              prefix[64] = {};
  const std::size_t prefixBytes = static_cast<std::size_t>(std::min<std::uint64_t>(fileSize, sizeof(prefix)));
  if (!file.ReadAt(prefix, prefixBytes, 0))
  {
    itkExceptionMacro(<< "cannot read the first bytes of \"" << m_FileName << "\"");
  }
  const std::uint64_t headerBytes = mib::ParseFirstHeaderBytes(prefix, prefixBytes, fileSize, m_FileName, this);
  std::vector<char>   header(static_cast<std::size_t>(headerBytes));
  if (!file.ReadAt(header.data(), header.size(), 0))
  {
    itkExceptionMacro(<< "cannot read the " << headerBytes << "-byte header of frame 0 of \"" << m_FileName << "\"");
  }
  m_Format = mib::ParseFrameHeader(header.data(), header.size(), 0, m_FileName, this);
  m_Format.HeaderBytes = headerBytes;
}

unsigned int
MIBImageIO::ChooseComponentType()
{
  const std::string & type = m_Format.PixelType;
  m_Raw = false;
  m_RawQuad = false;
  m_RawGap = 0;
  m_RawBitsPerPixel = 0;
  if (type == "U01" || type == "U08")
  {
    this->SetComponentType(itk::IOComponentEnum::UCHAR);
    return 1;
  }
  if (type == "U16")
  {
    this->SetComponentType(itk::IOComponentEnum::USHORT);
    return 2;
  }
  if (type == "U32")
  {
    this->SetComponentType(itk::IOComponentEnum::UINT);
    return 4;
  }
  if (type == "U64")
  {
    this->SetComponentType(sizeof(unsigned long) == 8 ? itk::IOComponentEnum::ULONG : itk::IOComponentEnum::ULONGLONG);
    return 8;
  }
  if (type != "R64")
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": unknown pixel type \"" << type
                      << "\" in frame 0's header; expected U01, U08, U16, U32, U64 or R64");
  }
  m_Raw = true;
  const int depth = m_Format.CounterDepth;
  switch (depth)
  {
    case 1:
      m_RawBitsPerPixel = 1;
      this->SetComponentType(itk::IOComponentEnum::UCHAR);
      break;
    case 6:
      m_RawBitsPerPixel = 8;
      this->SetComponentType(itk::IOComponentEnum::UCHAR);
      break;
    case 12:
      m_RawBitsPerPixel = 16;
      this->SetComponentType(itk::IOComponentEnum::USHORT);
      break;
    case 24:
      m_RawBitsPerPixel = 16; // two 12-bit frames, high bits first
      this->SetComponentType(itk::IOComponentEnum::UINT);
      break;
    default:
      if (depth == 0)
      {
        itkExceptionMacro(<< "file \"" << m_FileName << "\": raw (R64) frames need the counter depth, which the "
                          << "header extension \"MQ1A,<time stamp>,<shutter ns>,<counter depth>\" gives, but "
                          << "frame 0's header has no MQ1A extension");
      }
      if (depth < 0)
      {
        itkExceptionMacro(<< "file \"" << m_FileName << "\": the counter depth in frame 0's MQ1A header extension is \""
                          << m_Format.CounterDepthText << "\"; expected 1, 6, 12 or 24");
      }
      itkExceptionMacro(<< "file \"" << m_FileName << "\": raw (R64) frames with counter depth " << depth
                        << " are not supported; expected counter depth 1, 6, 12 or 24");
  }
  return 0;
}

std::uint64_t
MIBImageIO::ChooseDetectorGeometry(unsigned int bytesPerPixel)
{
  const auto width = static_cast<std::uint64_t>(m_Format.RawWidth);
  const auto height = static_cast<std::uint64_t>(m_Format.RawHeight);
  if (!m_Raw)
  {
    m_DetectorWidth = m_Format.RawWidth;
    m_DetectorHeight = m_Format.RawHeight;
    return width * height * bytesPerPixel;
  }
  const std::string & layout = m_Format.Layout;
  const bool          quad = (layout == "2x2" || layout == "2x2G") && m_Format.Chips > 1;
  if (m_Format.Chips > 1 && !quad)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": raw (R64) frames of " << m_Format.Chips
                      << " chips in layout \"" << layout
                      << "\" are not supported; raw frames are supported for the 1x1, 2x2 and 2x2G layouts");
  }
  if ((width * height * m_RawBitsPerPixel) % 64 != 0)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": a raw (R64) frame of " << width << " x " << height
                      << " pixels of " << m_RawBitsPerPixel << " bits is not a whole number of 64-bit words");
  }
  const std::uint64_t dataBytes = width * height * m_RawBitsPerPixel / 8;
  if (!quad)
  {
    if (m_Format.CounterDepth == 24)
    {
      if (width % 2 != 0)
      {
        itkExceptionMacro(<< "file \"" << m_FileName << "\": a raw 24-bit frame holds two 12-bit frames side by "
                          << "side, so its width must be even; the header says " << width);
      }
      m_DetectorWidth = m_Format.RawWidth / 2;
    }
    else
    {
      m_DetectorWidth = m_Format.RawWidth;
    }
    m_DetectorHeight = m_Format.RawHeight;
    return dataBytes;
  }
  if (m_Format.CounterDepth == 24)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": raw (R64) 24-bit frames of a 2x2 detector are not "
                      << "supported (no public description of their layout); record in counting mode (U32)");
  }
  const std::uint64_t chipWidth = width / 4;
  if (width % 4 != 0 || (chipWidth * m_RawBitsPerPixel) % 64 != 0)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\": a raw 2x2 frame stores the rows of the four chips side "
                      << "by side, so its width must be 4 chip widths of whole 64-bit words; the header says "
                      << width);
  }
  m_RawQuad = true;
  m_RawGap = (layout == "2x2G") ? 2 : 0;
  m_DetectorWidth = static_cast<unsigned int>(2 * chipWidth + m_RawGap);
  m_DetectorHeight = static_cast<unsigned int>(2 * height + m_RawGap);
  return dataBytes;
}

void
MIBImageIO::CheckSecondFrameStart(InputFile & file)
{
  const std::uint64_t fileSize = file.Size();
  const std::uint64_t headerBytes = m_FrameHeaderBytes;
  const std::uint64_t frameBytes = headerBytes + m_FrameDataBytes;
  const auto          width = static_cast<std::uint64_t>(m_Format.RawWidth);
  const auto          height = static_cast<std::uint64_t>(m_Format.RawHeight);
  if (m_Format.PixelType == "U01" && width * height % 8 == 0)
  {
    const std::uint64_t packed = headerBytes + width * height / 8;
    if ((fileSize == packed || file.StartsFrame(packed)) && fileSize != frameBytes && !file.StartsFrame(frameBytes))
    {
      itkExceptionMacro(<< "file \"" << m_FileName << "\": its U01 frames are bit-packed (" << width * height / 8
                        << " data bytes per frame); only U01 with one byte per pixel is supported, because the bit "
                        << "order of packed U01 data is not publicly documented");
    }
  }
  if (fileSize >= frameBytes + 4 && !file.StartsFrame(frameBytes))
  {
    const std::uint64_t next = file.FindFrameStart(headerBytes);
    std::ostringstream  where;
    if (next != 0)
    {
      where << "; the next \"MQ1,\" is at byte " << next << ", so frames seem to be " << next
            << " bytes long. The header size or the geometry in the header is wrong";
    }
    else
    {
      where << " and no later frame header follows. The header size or the geometry in the header is wrong, or "
            << "the file is not a plain MIB file";
    }
    itkExceptionMacro(<< "file \"" << m_FileName << "\": frame 0's header describes a frame of " << this->FrameText()
                      << ", so frame 1 should start at byte " << frameBytes << ", but there is no \"MQ1,\" there"
                      << where.str());
  }
}

void
MIBImageIO::CountFrames(InputFile & file)
{
  const std::uint64_t fileSize = file.Size();
  const std::uint64_t frameBytes = m_FrameHeaderBytes + m_FrameDataBytes;
  if (fileSize % frameBytes != 0)
  {
    const std::uint64_t whole = fileSize / frameBytes;
    itkExceptionMacro(<< "file \"" << m_FileName << "\" is truncated: it has " << fileSize
                      << " bytes, not a whole number of frames of " << this->FrameText() << "; the last frame (frame "
                      << whole << ") has only " << fileSize - whole * frameBytes << " of its " << frameBytes
                      << " bytes (an interrupted acquisition, or a header that gives the wrong frame size)");
  }
  m_FramesInFile = fileSize / frameBytes;
  if (m_FramesInFile > 1)
  {
    // Frame 1 and the last frame must match frame 0 (every frame that is
    // read is checked again in Read()).
    std::vector<char> other(static_cast<std::size_t>(m_FrameHeaderBytes));
    for (const itk::SizeValueType frame : { itk::SizeValueType{ 1 }, m_FramesInFile - 1 })
    {
      if (!file.ReadAt(other.data(), other.size(), frame * frameBytes))
      {
        itkExceptionMacro(<< "cannot read the header of frame " << frame << " of \"" << m_FileName << "\"");
      }
      mib::CheckFrameHeader(other.data(), frame, m_Format, m_FrameDataBytes, m_FileName, this);
    }
  }
}

std::string
MIBImageIO::FrameText() const
{
  return mib::FrameDescription(
    m_FrameHeaderBytes, m_Format.RawWidth, m_Format.RawHeight, m_Format.PixelType, m_FrameDataBytes);
}

void
MIBImageIO::SetScanGridInformation()
{
  for (unsigned int i = 0; i < 2; ++i)
  {
    this->SetSpacing(i, m_ScanStep);
    this->SetOrigin(i, 0.0);
    std::vector<double> direction(2, 0.0);
    direction[i] = 1.0;
    this->SetDirection(i, direction);
  }
  this->SetPixelType(itk::IOPixelEnum::VECTOR);
  this->SetNumberOfComponents(m_DetectorWidth * m_DetectorHeight);
  m_ByteOrder = itk::IOByteOrderEnum::BigEndian;
  m_FileType = itk::IOFileEnum::Binary;
}

void
MIBImageIO::PutHeaderFacts(itk::MetaDataDictionary & dictionary) const
{
  SetVectorAxis(dictionary, MakeDetectorAxis(m_DetectorWidth, m_DetectorHeight));
  auto put = [&dictionary](const std::string & key, const std::string & value) {
    itk::EncapsulateMetaData<std::string>(dictionary, "MIB." + key, value);
  };
  const auto & f = m_Format.Fields;
  put("PixelType", m_Format.PixelType);
  put("Raw", m_Raw ? "1" : "0");
  put("Chips", std::to_string(m_Format.Chips));
  put("Layout", m_Format.Layout);
  put("Width", std::to_string(m_Format.RawWidth));
  put("Height", std::to_string(m_Format.RawHeight));
  put("DetectorWidth", std::to_string(m_DetectorWidth));
  put("DetectorHeight", std::to_string(m_DetectorHeight));
  put("HeaderBytes", std::to_string(m_FrameHeaderBytes));
  put("FrameDataBytes", std::to_string(m_FrameDataBytes));
  put("FramesInFile", std::to_string(m_FramesInFile));
  put("FirstSequenceNumber", mib::Trim(f[1]));
  put("FlybackFrames", std::to_string(m_FlybackFrames));
  put("FirstFrame", std::to_string(m_FirstFrame));
  put("AcquisitionIndex", std::to_string(m_AcquisitionIndex));
  put("Acquisitions", std::to_string(m_NumberOfAcquisitions));
  put("ScanFirstFrame", std::to_string(m_ScanFirstFrame));
  if (m_Format.CounterDepth > 0)
  {
    put("CounterDepth", std::to_string(m_Format.CounterDepth));
  }
  const char * const named[] = { "ChipSelect", "Timestamp", "ShutterTime", "Counter", "ColourMode", "GainMode" };
  for (std::size_t i = 0; i < 6 && 8 + i < f.size(); ++i)
  {
    put(named[i], mib::Trim(f[8 + i]));
  }
  if (f.size() >= 22)
  {
    std::string thresholds;
    for (std::size_t i = 14; i < 22; ++i)
    {
      thresholds += (i > 14 ? "," : "") + mib::Trim(f[i]);
    }
    put("Thresholds", thresholds);
  }
  for (std::size_t i = 8; i + 2 < f.size(); ++i)
  {
    if (mib::Trim(f[i]) == "MQ1A")
    {
      put("TimestampExt", mib::Trim(f[i + 1]));
      put("ShutterTimeNs", mib::Trim(f[i + 2]));
      break;
    }
  }
}

itk::ImageIORegion
MIBImageIO::GenerateStreamableReadRegionFromRequestedRegion(const itk::ImageIORegion & requested) const
{
  return StreamableReadRegion(*this, requested, m_UseStreamedReading);
}

void
MIBImageIO::Read(void * buffer)
{
  m_BytesRead = 0;
  if (!m_InformationRead)
  {
    itkExceptionMacro(<< "Read() of \"" << m_FileName << "\" without a successful ReadImageInformation()");
  }
  InputFile file(m_FileName);
  if (!file.IsOpen())
  {
    itkExceptionMacro(<< "cannot open \"" << m_FileName << "\" for reading");
  }
  const std::uint64_t frameBytes = m_FrameHeaderBytes + m_FrameDataBytes;
  if (file.Size() != m_FramesInFile * frameBytes)
  {
    itkExceptionMacro(<< "file \"" << m_FileName << "\" changed since its header was read: it had "
                      << m_FramesInFile * frameBytes << " bytes, now " << file.Size());
  }

  // The region: scan columns [x0, x0 + w), rows [y0, y0 + h).
  const itk::ImageIORegion & region = m_IORegion;
  itk::SizeValueType         start[2] = { 0, 0 };
  itk::SizeValueType         size[2] = { 1, 1 };
  for (unsigned int i = 0; i < 2 && i < region.GetImageDimension(); ++i)
  {
    if (region.GetIndex(i) < 0 ||
        static_cast<itk::SizeValueType>(region.GetIndex(i)) + region.GetSize(i) > m_Dimensions[i])
    {
      itkExceptionMacro(<< "file \"" << m_FileName << "\": the region to read " << region
                        << " is not inside the scan of " << m_Dimensions[0] << " x " << m_Dimensions[1]
                        << " positions");
    }
    start[i] = static_cast<itk::SizeValueType>(region.GetIndex(i));
    size[i] = region.GetSize(i);
  }
  if (size[0] == 0 || size[1] == 0)
  {
    return;
  }

  const std::size_t componentBytes = this->GetComponentSize();
  const std::size_t pixels = std::size_t{ m_DetectorWidth } * m_DetectorHeight;
  const std::size_t outFrameBytes = pixels * componentBytes;
  const bool        direct = !m_Raw; // the file's frame data are the output's bytes (after a byte swap)
  if (direct && m_FrameDataBytes != outFrameBytes)
  {
    itkExceptionMacro(<< "internal error: " << m_FrameDataBytes << " data bytes per frame for " << outFrameBytes
                      << " output bytes");
  }
  const std::size_t headerBytes = static_cast<std::size_t>(m_FrameHeaderBytes);
  const std::size_t dataBytes = static_cast<std::size_t>(m_FrameDataBytes);
  // About 512 KiB per read call: few system calls, and the byte swap works on
  // data that are still in the (1 MiB or larger) L2 cache.
  const std::size_t batch = std::max<std::size_t>(
    1, std::min<std::size_t>(256, (std::size_t{ 512 } << 10) / static_cast<std::size_t>(frameBytes)));
  std::vector<char>          headers(batch * headerBytes);
  std::vector<unsigned char> staging(direct ? 0 : batch * dataBytes);
  std::vector<Segment>       segments(2 * batch);
  auto *                     out = static_cast<unsigned char *>(buffer);
  mib::RawFrameLayout        rawLayout;
  rawLayout.BitsPerPixel = m_RawBitsPerPixel;
  rawLayout.CounterDepth = m_Format.CounterDepth;
  rawLayout.Quad = m_RawQuad;
  rawLayout.Gap = m_RawGap;
  rawLayout.RawWidth = m_Format.RawWidth;
  rawLayout.RawHeight = m_Format.RawHeight;
  rawLayout.DetectorWidth = m_DetectorWidth;
  rawLayout.DetectorHeight = m_DetectorHeight;

  for (itk::SizeValueType row = 0; row < size[1]; ++row)
  {
    const itk::SizeValueType firstFrame = m_ScanFirstFrame + (start[1] + row) * m_LineFrames + start[0];
    for (itk::SizeValueType done = 0; done < size[0];)
    {
      const std::size_t n = static_cast<std::size_t>(std::min<itk::SizeValueType>(batch, size[0] - done));
      unsigned char *   target = out + (row * size[0] + done) * outFrameBytes;
      for (std::size_t i = 0; i < n; ++i)
      {
        segments[2 * i] = Segment{ headers.data() + i * headerBytes, headerBytes };
        segments[2 * i + 1] =
          Segment{ direct ? target + i * outFrameBytes : staging.data() + i * dataBytes, dataBytes };
      }
      const itk::SizeValueType frame = firstFrame + done;
      if (!file.ReadSegments(segments.data(), 2 * n, frame * frameBytes))
      {
        itkExceptionMacro(<< "file \"" << m_FileName << "\": cannot read frames " << frame << " to " << frame + n - 1
                          << " (bytes " << frame * frameBytes << " to " << (frame + n) * frameBytes - 1 << ")");
      }
      m_BytesRead += n * frameBytes;
      for (std::size_t i = 0; i < n; ++i)
      {
        mib::CheckFrameHeader(
          headers.data() + i * headerBytes, frame + i, m_Format, m_FrameDataBytes, m_FileName, this);
      }
      if (direct)
      {
        mib::SwapBytesInPlace(target, n * pixels, componentBytes);
      }
      else
      {
        for (std::size_t i = 0; i < n; ++i)
        {
          if (!mib::DecodeRawFrame(
                staging.data() + i * dataBytes, rawLayout, this->GetComponentType(), target + i * outFrameBytes))
          {
            itkExceptionMacro(<< "internal error: no raw decoder for component type " << this->GetComponentType());
          }
        }
      }
      done += n;
    }
  }
}

void
MIBImageIO::Write(const void * buffer)
{
  // Everything is checked before the file is created.
  const std::string typeName = itk::ImageIOBase::GetComponentTypeAsString(this->GetComponentType());
  const char *      pixelType = nullptr;
  int               counterDepth = 0;
  std::size_t       bytesPerPixel = 0;
  switch (this->GetComponentType())
  {
    case itk::IOComponentEnum::UCHAR:
      pixelType = "U08";
      counterDepth = 6;
      bytesPerPixel = 1;
      break;
    case itk::IOComponentEnum::USHORT:
      pixelType = "U16";
      counterDepth = 12;
      bytesPerPixel = 2;
      break;
    case itk::IOComponentEnum::UINT:
      pixelType = "U32";
      counterDepth = 24;
      bytesPerPixel = 4;
      break;
    default:
      itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": MIB frames hold unsigned 8-, 16- or 32-bit counts "
                        << "(U08, U16, U32), but the image's component type is " << typeName);
  }
  if (m_NumberOfDimensions < 1 || m_NumberOfDimensions > 2)
  {
    itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": expected a field over a 1- or 2-dimensional scan, "
                      << "got " << m_NumberOfDimensions << " dimensions");
  }
  const std::size_t components = this->GetNumberOfComponents();
  unsigned int      kx = 0;
  unsigned int      ky = 0;
  VectorAxis        axis;
  if (GetVectorAxis(this->GetMetaDataDictionary(), axis) && axis.Quantity == DetectorQuantity &&
      std::size_t{ axis.Size[0] } * axis.Size[1] == components)
  {
    kx = axis.Size[0];
    ky = axis.Size[1];
  }
  else
  {
    const auto root = static_cast<unsigned int>(std::lround(std::sqrt(static_cast<double>(components))));
    if (std::size_t{ root } * root == components && components > 1)
    {
      kx = root;
      ky = root;
    }
  }
  if (kx == 0 || components < 2)
  {
    itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": the detector shape of the " << components
                      << "-component patterns is unknown; put a detector VectorAxis (stempdf::SetVectorAxis with "
                      << "stempdf::MakeDetectorAxis(Kx, Ky)) into the image's MetaDataDictionary");
  }
  if (kx > 9999 || ky > 9999)
  {
    itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": frames of " << kx << " x " << ky
                      << " pixels do not fit the 4-digit width and height fields of a MIB header");
  }
  const itk::SizeValueType nx = m_Dimensions[0];
  const itk::SizeValueType ny = m_NumberOfDimensions > 1 ? m_Dimensions[1] : 1;
  for (unsigned int i = 0; i < m_NumberOfDimensions; ++i)
  {
    if (m_IORegion.GetImageDimension() > i && (m_IORegion.GetIndex(i) != 0 || m_IORegion.GetSize(i) != m_Dimensions[i]))
    {
      itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": only whole scans can be written (no streamed or "
                        << "pasted writing); the region to write is " << m_IORegion);
    }
  }
  if (!this->CanWriteFile(m_FileName.c_str()))
  {
    itkExceptionMacro(<< "cannot write \"" << m_FileName << "\": the file name must end with \".mib\"");
  }

  // Header text, Merlin style (single chip, "1x1", no thresholds or DACs known).
  const std::time_t now = std::time(nullptr);
  std::tm           utc{};
#ifdef STEMPDF_MIB_POSIX
  gmtime_r(&now, &utc);
#else
  utc = *std::gmtime(&now);
#endif
  char stamp[64];
  char stampExt[64];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S.000000", &utc);
  std::strftime(stampExt, sizeof(stampExt), "%Y-%m-%dT%H:%M:%S.000000000Z", &utc);
  std::string dacs = "3RX";
  for (int i = 0; i < 27; ++i)
  {
    dacs += ",000";
  }
  const std::string thresholds =
    "0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0";
  constexpr std::size_t    headerBytes = 384;
  const std::size_t        frameDataBytes = components * bytesPerPixel;
  const itk::SizeValueType frames = nx * ny;

  const std::string temporary = m_FileName + ".partial";
  {
    OutputFile output(temporary);
    if (!output.IsOpen())
    {
      itkExceptionMacro(<< "cannot create \"" << temporary << "\" to write \"" << m_FileName << "\"");
    }
    // Frames are converted to big-endian in batches of about 4 MiB.
    const std::size_t batch = std::max<std::size_t>(1, (std::size_t{ 4 } << 20) / (headerBytes + frameDataBytes));
    std::vector<unsigned char> staging(batch * (headerBytes + frameDataBytes));
    const auto *               in = static_cast<const unsigned char *>(buffer);
    for (itk::SizeValueType first = 0; first < frames; first += batch)
    {
      const std::size_t n = static_cast<std::size_t>(std::min<itk::SizeValueType>(batch, frames - first));
      for (std::size_t i = 0; i < n; ++i)
      {
        unsigned char * frame = staging.data() + i * (headerBytes + frameDataBytes);
        char            text[headerBytes + 1];
        const int       length =
          std::snprintf(text,
                        sizeof(text),
                        "MQ1,%06lu,%05lu,01,%04u,%04u,%s,   1x1,01,%s,0.000000,0,0,0,%s,%s,MQ1A,%s,0ns,%d,",
                        static_cast<unsigned long>(first + i + 1),
                        static_cast<unsigned long>(headerBytes),
                        kx,
                        ky,
                        pixelType,
                        stamp,
                        thresholds.c_str(),
                        dacs.c_str(),
                        stampExt,
                        counterDepth);
        if (length < 0 || static_cast<std::size_t>(length) >= headerBytes)
        {
          itkExceptionMacro(<< "internal error: the MIB header of frame " << first + i << " does not fit "
                            << headerBytes << " bytes");
        }
        std::memset(frame, 0, headerBytes);
        std::memcpy(frame, text, static_cast<std::size_t>(length));
        unsigned char * data = frame + headerBytes;
        std::memcpy(data, in + (first + i) * frameDataBytes, frameDataBytes);
        mib::SwapBytesInPlace(data, components, bytesPerPixel);
      }
      if (!output.Write(staging.data(), n * (headerBytes + frameDataBytes)))
      {
        itkExceptionMacro(<< "cannot write frames to \"" << temporary << "\" (disk full?); \"" << m_FileName
                          << "\" was not written");
      }
    }
    if (!output.Commit(m_FileName))
    {
      itkExceptionMacro(<< "cannot finish writing \"" << m_FileName << "\" (disk full or no permission)");
    }
  }

  if (m_WriteAcquisitionHeader)
  {
    const std::string hdrName = mib::AcquisitionHeaderName(m_FileName);
    char              date[64];
    std::strftime(date, sizeof(date), "%d/%m/%Y %H:%M:%S", &utc);
    std::ostringstream text;
    text << "HDR,\t\r\n"
         << "Time and Date Stamp (day, mnth, yr, hr, min, s):\t" << date << "\r\n"
         << "Chip ID:\t-\r\n"
         << "Chip Type (Medipix 3.0, Medipix 3.1, Medipix 3RX):\tMedipix 3RX\r\n"
         << "Assembly Size (NX1, 2X2):\t   1x1\r\n"
         << "Chip Mode  (SPM, CSM, CM, CSCM):\tSPM\r\n"
         << "Counter Depth (number):\t" << counterDepth << "\r\n"
         << "Acquisition Type (Normal, Th_scan, Config):\tNormal\r\n"
         << "Frames in Acquisition (Number):\t" << frames << "\r\n"
         << "Frames per Trigger (Number):\t" << nx << "\r\n"
         << "ScanX:\t" << nx << "\r\n"
         << "ScanY:\t" << ny << "\r\n"
         << "Software Version:\tSTEMPDF MIBImageIO\r\n"
         << "End\t";
    std::string hdr = text.str();
    if (hdr.size() < 2048)
    {
      hdr.append(2048 - hdr.size(), ' ');
    }
    OutputFile output(hdrName + ".partial");
    if (!output.IsOpen() || !output.Write(hdr.data(), hdr.size()) || !output.Commit(hdrName))
    {
      itkExceptionMacro(<< "wrote \"" << m_FileName << "\" but cannot write its acquisition header \"" << hdrName
                        << "\"");
    }
  }
}

void
MIBImageIO::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "ScanShape: " << m_ScanShape << std::endl;
  os << indent << "FlybackFrames: " << m_FlybackFrames << std::endl;
  os << indent << "FirstFrame: " << m_FirstFrame << std::endl;
  os << indent << "AcquisitionIndex: " << m_AcquisitionIndex << std::endl;
  os << indent << "ScanStep: " << m_ScanStep << " nm" << std::endl;
  os << indent << "UseAcquisitionHeader: " << (m_UseAcquisitionHeader ? "On" : "Off") << std::endl;
  os << indent << "WriteAcquisitionHeader: " << (m_WriteAcquisitionHeader ? "On" : "Off") << std::endl;
  os << indent << "FramesInFile: " << m_FramesInFile << std::endl;
  os << indent << "FrameHeaderBytes: " << m_FrameHeaderBytes << std::endl;
  os << indent << "FrameDataBytes: " << m_FrameDataBytes << std::endl;
  os << indent << "PixelType (file): " << m_Format.PixelType << (m_Raw ? " (raw)" : "") << std::endl;
  os << indent << "CounterDepth: " << m_Format.CounterDepth << std::endl;
  os << indent << "Detector: " << m_DetectorWidth << " x " << m_DetectorHeight << std::endl;
  os << indent << "NumberOfAcquisitions: " << m_NumberOfAcquisitions << std::endl;
  os << indent << "ScanShapeSource: " << m_ScanShapeSource << std::endl;
  os << indent << "BytesRead: " << m_BytesRead << std::endl;
}
} // namespace stempdf
