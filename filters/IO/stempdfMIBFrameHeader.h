#ifndef stempdfMIBFrameHeader_h
#define stempdfMIBFrameHeader_h

#include "itkIntTypes.h"
#include "itkLightObject.h"
#include "itkMetaDataDictionary.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stempdf
{
/** Parsing and validation of Merlin MIB headers: the per-frame ASCII header
 *  ("MQ1,<sequence>,<header bytes>,<chips>,<width>,<height>,<pixel type>,
 *  <chip layout>,...") and the companion acquisition header "<stem>.hdr".
 *  Used by MIBImageIO; see docs/format-mib.md.
 *
 *  Functions that take `fileName` and `owner` throw itk::ExceptionObject
 *  whose description names the file, prefixed like itkExceptionMacro inside
 *  `owner` ("ITK ERROR: <class>(<address>): ..."; no prefix when `owner` is
 *  null). */
namespace mib
{
/** What one frame header says. */
struct FrameHeader
{
  std::vector<std::string> Fields; // comma-separated fields of the header
  itk::SizeValueType       HeaderBytes = 0;
  unsigned int             Chips = 0;
  unsigned int             RawWidth = 0; // width and height as in the header
  unsigned int             RawHeight = 0;
  std::string              PixelType;
  std::string              Layout;
  int                      CounterDepth = 0; // 0: no MQ1A extension; -1: not a number
  std::string              CounterDepthText;

  /** Raw ("R64") frames rather than counting-mode ones. */
  bool
  IsRaw() const
  {
    return PixelType == "R64";
  }
};

/** Key/value lines of an acquisition header, in file order. */
using AcquisitionHeader = std::vector<std::pair<std::string, std::string>>;

/** `s` without leading and trailing blanks (space, tab, CR, LF). */
std::string
Trim(const std::string & s);

/** Parses a non-negative decimal integer (at most 18 digits, blanks around it
 *  allowed) that fills the whole string; false if it is not one. */
bool
ParseUnsigned(const std::string & text, std::uint64_t & value);

/** "N bytes (a H-byte header and D bytes of W x H <type> data)", for error
 *  messages about the frame size. */
std::string
FrameDescription(itk::SizeValueType headerBytes, unsigned int width, unsigned int height, const std::string & type,
                 itk::SizeValueType dataBytes);

/** Checks the first bytes of a file (`prefix`, `prefixBytes` of them, up to
 *  64) for the "MQ1," magic and returns the header size that frame 0 gives
 *  in its third field, checked against the plausible range and `fileSize`. */
std::uint64_t
ParseFirstHeaderBytes(const char * prefix, std::size_t prefixBytes, std::uint64_t fileSize,
                      const std::string & fileName, const itk::LightObject * owner);

/** Parses the header of frame `frame` (`length` bytes of text, the padding
 *  after the last field NULs or spaces). Needs at least the 8 standard
 *  fields, numeric sequence number to height, a width and height of 1 to
 *  65536; reads the counter depth from an "MQ1A" extension when present. */
FrameHeader
ParseFrameHeader(const char * text, std::size_t length, itk::SizeValueType frame, const std::string & fileName,
                 const itk::LightObject * owner);

/** Checks that the header of frame `frame` (first.HeaderBytes bytes at
 *  `header`) matches frame 0's `first`: the "MQ1," magic, the header size,
 *  geometry, pixel type and chip layout and, for raw frames, the counter
 *  depth. Does not allocate unless the header differs or the frames are raw.
 *  `frameDataBytes` is the size of a frame's data (for the messages). */
void
CheckFrameHeader(const char * header, itk::SizeValueType frame, const FrameHeader & first,
                 itk::SizeValueType frameDataBytes, const std::string & fileName, const itk::LightObject * owner);

/** The acquisition header next to `mibName`: "<stem>.hdr", or "<stem>.HDR"
 *  when only that exists. */
std::string
AcquisitionHeaderName(const std::string & mibName);

/** Reads the acquisition header next to `mibName` when it exists and returns
 *  its lines; every line also goes into `dictionary` as "MIB.hdr.<key>", and
 *  the file name as "MIB.AcquisitionHeaderFile". A file that is not a Merlin
 *  acquisition header is ignored (the reason goes into
 *  "MIB.AcquisitionHeaderIgnored"); one that cannot be opened throws. */
AcquisitionHeader
ReadAcquisitionHeader(const std::string & mibName, itk::MetaDataDictionary & dictionary,
                      const itk::LightObject * owner);
} // namespace mib
} // namespace stempdf

#endif
