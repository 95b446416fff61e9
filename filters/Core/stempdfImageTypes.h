#ifndef stempdfImageTypes_h
#define stempdfImageTypes_h

#include "itkImage.h"
#include "itkVectorImage.h"

namespace stempdf
{
/** Dimension of the scan grid: every STEMPDF field is an image over it. */
constexpr unsigned int ScanDimension = 2;

/** Raw 4D data: one diffraction pattern (Kx * Ky detector counts, detector x
 *  fastest) per scan position. TCount is the detector's pixel type (uint8,
 *  uint16, uint32, float, ...). The detector shape is a VectorAxis in the
 *  image's MetaDataDictionary. */
template <typename TCount>
using PatternFieldImage = itk::VectorImage<TCount, ScanDimension>;

/** A profile per scan position: I(s), phi(s), G(r) or weights; the axis of the
 *  profile is a VectorAxis in the MetaDataDictionary. Double precision: the
 *  numerics downstream (least squares, NMF) need it, and a paper-scale cube
 *  (16,384 positions x 1,000 samples) is only 131 MB. */
using ProfileFieldImage = itk::VectorImage<double, ScanDimension>;

/** A scalar map over the scan grid (virtual detector image, weight map, ...). */
using MapImage = itk::Image<double, ScanDimension>;

/** One value per detector pixel (Kx x Ky; index (kx, ky), pixel (kx, ky) has
 *  its centre at (kx, ky)): a mean pattern, a gain map. */
using DetectorImage = itk::Image<double, 2>;

/** A detector mask: one value per detector pixel, non-zero = excluded. */
using DetectorMaskImage = itk::Image<unsigned char, 2>;
} // namespace stempdf

#endif
