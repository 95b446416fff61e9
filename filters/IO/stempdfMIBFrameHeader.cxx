#include "stempdfMIBFrameHeader.h"

#include "itkMacro.h"
#include "itkMetaDataObject.h"
#include "itksys/SystemTools.hxx"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

/** itkExceptionMacro for free functions: the description starts like the one
 *  itkExceptionMacro gives inside `owner`. */
#define stempdfMIBExceptionMacro(x) itkSpecializedMessageExceptionMacro(ExceptionObject, << OwnerPrefix(owner) x)

namespace stempdf
{
namespace mib
{
namespace
{
constexpr std::size_t MaximumHeaderBytes = 1 << 20;
const char * const    FieldNames[] = { "magic", "sequence number", "header size", "number of chips",
                                       "width", "height",          "pixel type",  "chip layout" };

/** "<class>(<address>): " of `owner`, as itkExceptionMacro writes it. */
std::string
OwnerPrefix(const itk::LightObject * owner)
{
  if (owner == nullptr)
  {
    return "";
  }
  std::ostringstream os;
  os << owner->GetNameOfClass() << "(" << owner << "): ";
  return os.str();
}

/** A printable preview of the first bytes of a file, for error messages. */
std::string
Preview(const char * data, std::size_t n)
{
  std::string out;
  for (std::size_t i = 0; i < n && i < 16; ++i)
  {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 32 && c < 127)
    {
      out += static_cast<char>(c);
    }
    else
    {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

/** Splits "a,b,c" into fields; the header text ends at the first NUL (the
 *  padding after the last field is NULs or spaces). */
std::vector<std::string>
SplitHeader(const char * text, std::size_t length)
{
  const std::size_t        end = std::find(text, text + length, '\0') - text;
  std::vector<std::string> fields;
  std::string              field;
  for (std::size_t i = 0; i < end; ++i)
  {
    if (text[i] == ',')
    {
      fields.push_back(field);
      field.clear();
    }
    else
    {
      field += text[i];
    }
  }
  field = Trim(field);
  if (!field.empty())
  {
    fields.push_back(field);
  }
  return fields;
}

/** Byte offsets of the first `count` fields of a header, for the per-frame
 *  check that must not allocate. Returns how many fields were found. */
std::size_t
FieldBounds(const char * text, std::size_t length, std::size_t count, std::size_t * begin, std::size_t * end)
{
  std::size_t field = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < length && field < count; ++i)
  {
    if (text[i] == ',' || text[i] == '\0')
    {
      begin[field] = start;
      end[field] = i;
      ++field;
      start = i + 1;
      if (text[i] == '\0')
      {
        break;
      }
    }
  }
  return field;
}
} // namespace

std::string
Trim(const std::string & s)
{
  const char * ws = " \t\r\n";
  const auto   first = s.find_first_not_of(ws);
  if (first == std::string::npos)
  {
    return "";
  }
  const auto last = s.find_last_not_of(ws);
  return s.substr(first, last - first + 1);
}

bool
ParseUnsigned(const std::string & text, std::uint64_t & value)
{
  const std::string s = Trim(text);
  if (s.empty() || s.size() > 18)
  {
    return false;
  }
  value = 0;
  for (char c : s)
  {
    if (c < '0' || c > '9')
    {
      return false;
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

std::string
FrameDescription(itk::SizeValueType headerBytes, unsigned int width, unsigned int height, const std::string & type,
                 itk::SizeValueType dataBytes)
{
  std::ostringstream os;
  os << (headerBytes + dataBytes) << " bytes (a " << headerBytes << "-byte header and " << dataBytes << " bytes of "
     << width << " x " << height << " " << type << " data)";
  return os.str();
}

std::uint64_t
ParseFirstHeaderBytes(const char * prefix, std::size_t prefixBytes, std::uint64_t fileSize,
                      const std::string & fileName, const itk::LightObject * owner)
{
  if (prefixBytes < 4 || std::memcmp(prefix, "MQ1,", 4) != 0)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\" is not a Merlin MIB file: it starts with \""
                             << Preview(prefix, prefixBytes) << "\" where a MIB frame header starts with \"MQ1,\"");
  }
  // The header size is the third field; read it before the whole header.
  std::size_t   begin[3];
  std::size_t   end[3];
  std::uint64_t headerBytes = 0;
  if (FieldBounds(prefix, prefixBytes, 3, begin, end) < 3 ||
      !ParseUnsigned(std::string(prefix + begin[2], end[2] - begin[2]), headerBytes))
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": the first frame header does not give its size in bytes "
                             << "as the third field (\"MQ1,<sequence>,<header bytes>,...\"); it starts \""
                             << Preview(prefix, prefixBytes) << "\"");
  }
  if (headerBytes < 16 || headerBytes > MaximumHeaderBytes)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame 0's header says it is " << headerBytes
                             << " bytes long; expected 16 to " << MaximumHeaderBytes
                             << " (Merlin writes 384 for one chip, "
                             << "768 for four)");
  }
  if (headerBytes > fileSize)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame 0's header says it is " << headerBytes
                             << " bytes long, but the whole file has only " << fileSize << " bytes");
  }
  return headerBytes;
}

FrameHeader
ParseFrameHeader(const char * text, std::size_t length, itk::SizeValueType frame, const std::string & fileName,
                 const itk::LightObject * owner)
{
  FrameHeader format;
  format.Fields = SplitHeader(text, length);
  const auto & f = format.Fields;
  if (f.size() < 8)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": the header of frame " << frame << " has " << f.size()
                             << " comma-separated fields; a MIB frame header has at least 8 (MQ1, sequence number, "
                                "header size, chips, width, height, pixel type, chip layout)");
  }
  std::uint64_t values[6] = { 0, 0, 0, 0, 0, 0 };
  for (unsigned int i = 1; i < 6; ++i)
  {
    if (!ParseUnsigned(f[i], values[i]))
    {
      stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": the " << FieldNames[i] << " field of frame " << frame
                               << "'s header is \"" << f[i] << "\", expected a decimal number");
    }
  }
  format.HeaderBytes = values[2];
  format.Chips = static_cast<unsigned int>(values[3]);
  if (values[4] == 0 || values[5] == 0 || values[4] > 65536 || values[5] > 65536)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame " << frame << "'s header gives a frame of "
                             << values[4] << " x " << values[5]
                             << " pixels; expected a width and height of 1 to 65536");
  }
  format.RawWidth = static_cast<unsigned int>(values[4]);
  format.RawHeight = static_cast<unsigned int>(values[5]);
  format.PixelType = Trim(f[6]);
  format.Layout = Trim(f[7]);
  for (std::size_t i = 8; i + 3 < f.size(); ++i)
  {
    if (Trim(f[i]) == "MQ1A")
    {
      std::uint64_t depth = 0;
      format.CounterDepthText = Trim(f[i + 3]);
      format.CounterDepth = (ParseUnsigned(f[i + 3], depth) && depth <= 64) ? static_cast<int>(depth) : -1;
      break;
    }
  }
  return format;
}

void
CheckFrameHeader(const char * header, itk::SizeValueType frame, const FrameHeader & first,
                 itk::SizeValueType frameDataBytes, const std::string & fileName, const itk::LightObject * owner)
{
  const itk::SizeValueType headerBytes = first.HeaderBytes;
  const itk::SizeValueType offset = frame * (headerBytes + frameDataBytes);
  if (std::memcmp(header, "MQ1,", 4) != 0)
  {
    stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame " << frame << " (at byte " << offset
                             << ") does not start with \"MQ1,\" (it starts with \"" << Preview(header, 8)
                             << "\"); every frame should be "
                             << FrameDescription(
                                  headerBytes, first.RawWidth, first.RawHeight, first.PixelType, frameDataBytes)
                             << " like frame 0, so the file is damaged or its frames differ in size");
  }
  std::size_t       begin[8];
  std::size_t       end[8];
  const std::size_t found = FieldBounds(header, headerBytes, 8, begin, end);
  for (std::size_t i = 2; i < 8; ++i)
  {
    const std::string & expected = first.Fields[i];
    // Byte comparison first (no allocation); the trimmed comparison only
    // matters when the field is the last one of the header.
    const bool same = i < found && ((end[i] - begin[i] == expected.size() &&
                                     std::memcmp(header + begin[i], expected.data(), expected.size()) == 0) ||
                                    Trim(std::string(header + begin[i], end[i] - begin[i])) == Trim(expected));
    if (!same)
    {
      const std::string got = i < found ? std::string(header + begin[i], end[i] - begin[i]) : std::string("(missing)");
      stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame " << frame << " (at byte " << offset
                               << ") does not match frame 0: its " << FieldNames[i] << " is \"" << Trim(got)
                               << "\" where frame 0 has \"" << Trim(expected)
                               << "\". All frames of a MIB file must have the same header size, geometry and pixel "
                                  "type");
    }
  }
  if (first.IsRaw())
  {
    const FrameHeader format = ParseFrameHeader(header, headerBytes, frame, fileName, owner);
    if (format.CounterDepth != first.CounterDepth)
    {
      stempdfMIBExceptionMacro(<< "file \"" << fileName << "\": frame " << frame << " (at byte " << offset
                               << ") does not match frame 0: its counter depth is " << format.CounterDepth
                               << " where frame 0 has " << first.CounterDepth
                               << ". All frames of a raw MIB file must have the same counter depth");
    }
  }
}

std::string
AcquisitionHeaderName(const std::string & mibName)
{
  const std::string::size_type dot = mibName.find_last_of('.');
  const std::string::size_type slash = mibName.find_last_of("/\\");
  std::string                  stem = mibName;
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
  {
    stem = mibName.substr(0, dot);
  }
  if (itksys::SystemTools::FileExists(stem + ".hdr", true) || !itksys::SystemTools::FileExists(stem + ".HDR", true))
  {
    return stem + ".hdr";
  }
  return stem + ".HDR";
}

AcquisitionHeader
ReadAcquisitionHeader(const std::string & mibName, itk::MetaDataDictionary & dictionary, const itk::LightObject * owner)
{
  AcquisitionHeader lines;
  const std::string name = AcquisitionHeaderName(mibName);
  if (!itksys::SystemTools::FileExists(name, true))
  {
    return lines;
  }
  auto ignore = [&dictionary, &name](const std::string & why) {
    itk::EncapsulateMetaData<std::string>(dictionary, "MIB.AcquisitionHeaderIgnored", name + ": " + why);
  };
  const auto size = itksys::SystemTools::FileLength(name);
  if (size > (std::uint64_t{ 1 } << 20))
  {
    ignore("not a Merlin acquisition header (" + std::to_string(size) + " bytes; they are about 2 KiB)");
    return lines;
  }
  std::ifstream stream(name.c_str(), std::ios::binary);
  if (!stream)
  {
    stempdfMIBExceptionMacro(<< "the acquisition header \"" << name << "\" next to \"" << mibName
                             << "\" exists but cannot be opened");
  }
  std::string line;
  std::size_t count = 0;
  char        magic[4] = {};
  if (!stream.read(magic, 4) || std::memcmp(magic, "HDR,", 4) != 0)
  {
    ignore("not a Merlin acquisition header (it does not start with \"HDR,\")");
    return lines;
  }
  stream.seekg(0);
  while (std::getline(stream, line) && count < 10000)
  {
    ++count;
    line.erase(std::remove(line.begin(), line.end(), '\0'), line.end());
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed.compare(0, 3, "HDR") == 0)
    {
      continue;
    }
    if (trimmed.compare(0, 3, "End") == 0 && (trimmed.size() == 3 || trimmed[3] == ' ' || trimmed[3] == '\t'))
    {
      break;
    }
    auto separator = line.find('\t');
    if (separator == std::string::npos)
    {
      separator = line.find(':');
    }
    if (separator == std::string::npos)
    {
      continue;
    }
    std::string key = Trim(line.substr(0, separator));
    while (!key.empty() && key.back() == ':')
    {
      key.pop_back();
    }
    key = Trim(key);
    const std::string value = Trim(line.substr(separator + 1));
    if (!key.empty())
    {
      lines.emplace_back(key, value);
      itk::EncapsulateMetaData<std::string>(dictionary, "MIB.hdr." + key, value);
    }
  }
  itk::EncapsulateMetaData<std::string>(dictionary, "MIB.AcquisitionHeaderFile", name);
  return lines;
}
} // namespace mib
} // namespace stempdf
