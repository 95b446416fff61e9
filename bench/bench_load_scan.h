#ifndef bench_load_scan_h
#define bench_load_scan_h

#include "stempdfImageTypes.h"

#include <cstdint>
#include <string>

/** Reads a whole uint16 scan from an HDF5/EMD file into memory.
 *  In its own translation unit: ITK 5.2's IO headers pull in ITK's bundled
 *  Eigen 3.3, which cannot share a translation unit with Eigen 3.4. */
stempdf::PatternFieldImage<std::uint16_t>::Pointer
LoadScanUInt16(const std::string & path);

#endif
