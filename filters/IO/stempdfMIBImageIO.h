#ifndef stempdfMIBImageIO_h
#define stempdfMIBImageIO_h

#include "stempdfMIBFrameHeader.h"

#include "itkImageIOBase.h"
#include "itkSize.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stempdf
{
/** \class MIBImageIO
 * \brief Reads and writes Quantum Detectors Merlin (Medipix3) MIB files as a
 *        field of diffraction patterns over the scan grid.
 *
 * A MIB file is a sequence of frames, each an ASCII header
 * ("MQ1,<sequence>,<header bytes>,<chips>,<width>,<height>,<pixel type>,
 * <chip layout>,...") followed by the frame's binary data, big-endian. The
 * image this IO produces follows STEMPDF's data model
 * (docs/data-model.md): two dimensions (scan x, scan y), pixel type VECTOR,
 * one detector frame of Kx * Ky components per scan position (detector x
 * fastest; detector row 0 is the first row of the frame in the file, after
 * the raw-mode chip reordering), component type the detector's
 * (U01, U08 and raw 1/6-bit: uint8; U16 and raw 12-bit: uint16; U32 and raw
 * 24-bit: uint32; U64: uint64). Read it with
 * itk::ImageFileReader<stempdf::PatternFieldImage<T>> and
 * reader->SetImageIO(MIBImageIO::New()).
 *
 * Supported: counting-mode frames (U01 stored one byte per pixel, U08, U16,
 * U32, U64) of any geometry (1x1, 2x2, 2x2G, Nx1, regions of interest), and
 * raw "R64" frames of counter depth 1, 6, 12 (1x1 and 2x2/2x2G layouts) and
 * 24 (1x1), unpacked the way public readers (LiberTEM) do it. The companion
 * acquisition header "<stem>.hdr" is read when present.
 *
 * Scan shape (first that applies): ScanShape when set; else the .hdr
 * ("ScanX"/"ScanY", or "Frames per Trigger" = frames per scan line and
 * "Frames in Acquisition"); else a square scan when the frame count is a
 * perfect square (n (n + FlybackFrames) frames with flyback); else an
 * exception that lists candidate shapes. Scan position (x, y) is frame
 * FirstFrame + AcquisitionIndex * ny * (nx + FlybackFrames)
 * + y * (nx + FlybackFrames) + x of the file (0-based); the frames after
 * FirstFrame must be a whole number of such acquisitions.
 *
 * Streaming: CanStreamRead() is true; Read() fills only the IORegion (any
 * rectangle of scan positions) and reads only those frames from the file.
 *
 * Writing: U08/U16/U32 counting-mode frames from uint8/uint16/uint32 fields,
 * with Merlin-style 384-byte single-chip headers ("1x1" layout, width Kx,
 * height Ky) and, by default, a "<stem>.hdr" acquisition header that gives
 * the scan shape back to readers.
 *
 * The header facts go into the MetaDataDictionary as strings under
 * "MIB.<Field>" (and the .hdr lines under "MIB.hdr.<key>"), the detector
 * VectorAxis under stempdf::VectorAxisKey. Every error is an
 * itk::ExceptionObject that names the file and what was expected. See
 * docs/format-mib.md.
 *
 * \ingroup STEMPDF
 */
class MIBImageIO : public itk::ImageIOBase
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(MIBImageIO);

  using Self = MIBImageIO;
  using Superclass = itk::ImageIOBase;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  using ScanShapeType = itk::Size<2>;

  itkNewMacro(Self);
  itkTypeMacro(MIBImageIO, ImageIOBase);

  /** Scan shape (nx, ny) in positions. (0, 0) means "not set": the shape then
   *  comes from the .hdr file or, failing that, from a square frame count.
   *  Default (0, 0). */
  itkSetMacro(ScanShape, ScanShapeType);
  itkGetConstMacro(ScanShape, ScanShapeType);
  void
  SetScanShape(unsigned int nx, unsigned int ny)
  {
    ScanShapeType shape;
    shape[0] = nx;
    shape[1] = ny;
    this->SetScanShape(shape);
  }

  /** Extra frames at the end of every scan line (beam flyback) that are not
   *  scan positions and are skipped. Default 0. */
  itkSetMacro(FlybackFrames, unsigned int);
  itkGetConstMacro(FlybackFrames, unsigned int);

  /** Number of frames at the start of the file to skip before the first
   *  acquisition (e.g. frames recorded before the scan trigger). Default 0. */
  itkSetMacro(FirstFrame, itk::SizeValueType);
  itkGetConstMacro(FirstFrame, itk::SizeValueType);

  /** Which acquisition to read when the file holds several scans back to back
   *  (after FirstFrame, acquisition a starts at frame
   *  a * ny * (nx + FlybackFrames)). Default 0. */
  itkSetMacro(AcquisitionIndex, unsigned int);
  itkGetConstMacro(AcquisitionIndex, unsigned int);

  /** Scan step in nm, used as the image spacing along x and y (MIB files do
   *  not record it). Default 1.0. */
  itkSetMacro(ScanStep, double);
  itkGetConstMacro(ScanStep, double);

  /** Read the acquisition header "<stem>.hdr" next to the .mib file when it
   *  exists (metadata and scan shape). Default true. */
  itkSetMacro(UseAcquisitionHeader, bool);
  itkGetConstMacro(UseAcquisitionHeader, bool);
  itkBooleanMacro(UseAcquisitionHeader);

  /** When writing, also write the acquisition header "<stem>.hdr" (frame
   *  count and frames per trigger = scan width). Default true. */
  itkSetMacro(WriteAcquisitionHeader, bool);
  itkGetConstMacro(WriteAcquisitionHeader, bool);
  itkBooleanMacro(WriteAcquisitionHeader);

  /** Results of ReadImageInformation(): frames in the file, bytes of one
   *  frame header, Kx and Ky, and how many acquisitions of the scan shape the
   *  file holds. 0 before ReadImageInformation(). */
  itkGetConstMacro(FramesInFile, itk::SizeValueType);
  itkGetConstMacro(FrameHeaderBytes, itk::SizeValueType);
  itkGetConstMacro(DetectorWidth, unsigned int);
  itkGetConstMacro(DetectorHeight, unsigned int);
  itkGetConstMacro(NumberOfAcquisitions, itk::SizeValueType);

  /** Bytes the last Read() took from the file (frame headers and data).
   *  0 before the first Read(). */
  itkGetConstMacro(BytesRead, itk::SizeValueType);

  // ImageIOBase: reading
  bool
  CanReadFile(const char * fileName) override;
  bool
  CanStreamRead() override
  {
    return true;
  }
  void
  ReadImageInformation() override;
  itk::ImageIORegion
  GenerateStreamableReadRegionFromRequestedRegion(const itk::ImageIORegion & requested) const override;
  void
  Read(void * buffer) override;

  // ImageIOBase: writing
  bool
  CanWriteFile(const char * fileName) override;
  void
  WriteImageInformation() override
  {}
  void
  Write(const void * buffer) override;

protected:
  MIBImageIO();
  ~MIBImageIO() override = default;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** Random access to the file being read (pread where available; in the .cxx). */
  class InputFile;

  // The steps of ReadImageInformation(), in its order (the first error found wins).
  /** Opens the file and parses frame 0's header into m_Format: everything
   *  else is measured against it. */
  void
  ReadFirstFrameHeader(InputFile & file);
  /** The header's pixel type -> the component type (and m_Raw, the raw bits
   *  per pixel); returns the bytes per pixel of a counting-mode frame, 0 for raw. */
  unsigned int
  ChooseComponentType();
  /** Kx, Ky and the raw chip layout from the header's geometry; returns the
   *  data bytes of one frame. */
  std::uint64_t
  ChooseDetectorGeometry(unsigned int bytesPerPixel);
  /** Frame 1 must start where frame 0's header says; a mismatch is named
   *  (bit-packed U01, or where the next "MQ1," really is). */
  void
  CheckSecondFrameStart(InputFile & file);
  /** The file must hold whole frames, frames 1 and last like frame 0; sets
   *  m_FramesInFile. */
  void
  CountFrames(InputFile & file);
  /** One frame's size in words, for the messages about the frame stride. */
  std::string
  FrameText() const;
  /** The scan shape (in this order: ScanShape, the .hdr, a square frame
   *  count) and the frames of the acquisition read. */
  void
  ChooseScanShape(itk::MetaDataDictionary & dictionary);
  /** Spacing (ScanStep), origin, direction and the vector pixel of Kx * Ky components. */
  void
  SetScanGridInformation();
  /** The detector VectorAxis and the header facts as "MIB.<Field>" strings. */
  void
  PutHeaderFacts(itk::MetaDataDictionary & dictionary) const;

  ScanShapeType      m_ScanShape;
  unsigned int       m_FlybackFrames{ 0 };
  itk::SizeValueType m_FirstFrame{ 0 };
  unsigned int       m_AcquisitionIndex{ 0 };
  double             m_ScanStep{ 1.0 };
  bool               m_UseAcquisitionHeader{ true };
  bool               m_WriteAcquisitionHeader{ true };

  // Set by ReadImageInformation().
  mib::FrameHeader       m_Format; // frame 0; every frame that is read is checked against it
  mib::AcquisitionHeader m_AcquisitionHeader;
  itk::SizeValueType     m_FramesInFile{ 0 };
  itk::SizeValueType     m_FrameHeaderBytes{ 0 };
  itk::SizeValueType     m_FrameDataBytes{ 0 };
  itk::SizeValueType     m_NumberOfAcquisitions{ 0 };
  itk::SizeValueType     m_ScanFirstFrame{ 0 }; // file frame of scan position (0, 0)
  itk::SizeValueType     m_LineFrames{ 0 };     // frames per scan line, flyback included
  unsigned int           m_DetectorWidth{ 0 };
  unsigned int           m_DetectorHeight{ 0 };
  unsigned int           m_RawBitsPerPixel{ 0 }; // R64: bits of one raw pixel in the file (1, 8, 16)
  bool                   m_Raw{ false };
  bool                   m_RawQuad{ false };
  unsigned int           m_RawGap{ 0 };
  std::string            m_ScanShapeSource;
  itk::SizeValueType     m_BytesRead{ 0 };
  bool                   m_InformationRead{ false };
};

} // namespace stempdf

#endif
