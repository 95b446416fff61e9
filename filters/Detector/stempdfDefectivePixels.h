#ifndef stempdfDefectivePixels_h
#define stempdfDefectivePixels_h

#include "stempdfImageTypes.h"

#include "itkIntTypes.h"

#include <cstdint>

namespace stempdf
{
/** Values of the mask returned by FindDefectivePixels (non-zero = excluded,
 *  as the azimuthal integration expects). */
enum class DefectivePixelClass : std::uint8_t
{
  /** Judged good, or not judged (see FindDefectivePixels). */
  Good = 0,
  /** Much darker than its neighbourhood (typically never counts). */
  Dead = 1,
  /** Much brighter than its neighbourhood (typically always saturated). */
  Hot = 2,
  /** Excluded by the mask given to FindDefectivePixels; not judged. */
  Given = 3
};

/** Parameters of FindDefectivePixels. */
struct DefectivePixelCriteria
{
  /** Contrast factor (> 1, finite): a pixel is dead below reference /
   *  Threshold and hot above reference * Threshold. Default 3: far outside
   *  the Poisson noise of a mean pattern, far inside the contrast of a dead
   *  (0) or hot (saturated) pixel. */
  double Threshold{ 3.0 };
  /** R: the reference of a pixel is the median of the (2R+1)^2 - 1 pixels
   *  around it (1 <= R, 2R+1 <= the smaller detector side). Default 2: 24
   *  neighbours, of which up to 11 may be defective without carrying the
   *  median. */
  unsigned int NeighbourhoodRadius{ 2 };
  /** Smallest reference, in counts per frame (finite, >= 0), at which a pixel
   *  is judged dead; below it the hot test uses this value as the reference.
   *  Why: over N frames a live pixel with mean m reads Poisson(N m) counts,
   *  which falls below N m / 3 with probability 3e-4 at N m = 20, 7e-6 at 30,
   *  2e-8 at 50; so choose MinimumReference >~ 30 / N. A hot pixel stands out
   *  even in a dark corner, hence the floor rather than a cut. Default 0.05
   *  (safe from about 600 frames, i.e. a 25 x 25 scan). */
  double MinimumReference{ 0.05 };
  /** An outlier with more than this many of the (up to 24) unmasked pixels
   *  within 2 px of it (5 x 5, whatever R) also outliers on the same side of
   *  its reference belongs to an extended feature, not a defect: the edge of
   *  the saturated direct beam, of a beam-stop shadow, a Bragg spot (0..24;
   *  24 disables the rule). Default 4: isolated defects, pairs, 2 x 2 clusters
   *  and dead or hot rows and columns (4 others in the window) are found; an
   *  edge pixel of a digitised disc of radius >~ 1.5 px, or of a band, sees
   *  more of it than that. */
  unsigned int MaximumOutlierNeighbours{ 4 };
};

/** Dead and hot detector pixels, found on the mean pattern of a scan
 *  (stempdf::ComputeMeanPattern), as a mask for the azimuthal integration.
 *
 * Returns an image of meanPattern's region and geometry holding a
 * DefectivePixelClass per pixel: 0 good, 1 dead, 2 hot, 3 excluded by
 * `existingMask` (its non-zero pixels, copied so that the result is the
 * complete mask to integrate with). Criterion, for pixel p with mean m_p:
 *
 * - reference: the median of the pixels q != p with |qx - px| <= R and
 *   |qy - py| <= R that lie on the detector and are not in existingMask; for
 *   an even count the lower middle value r-_p for the dead test and the upper
 *   r+_p for the hot test (each the harder to pass: where half the
 *   neighbourhood is a dark feature and half bright, neither fires). p is not
 *   judged when fewer than 3 such pixels exist;
 * - dead candidate: r-_p >= MinimumReference and m_p < r-_p / Threshold (so
 *   a pixel reading exactly 0 is dead wherever its neighbourhood is bright
 *   enough to tell);
 * - hot candidate: m_p > max(r+_p, MinimumReference) * Threshold;
 * - a candidate is flagged unless more than MaximumOutlierNeighbours of the
 *   unmasked pixels q within 2 px (5 x 5) are candidates of the same kind
 *   against p's limits (m_q < r-_p / Threshold, resp. m_q > max(r+_p,
 *   MinimumReference) * Threshold): such a pixel belongs to an extended
 *   feature.
 *
 * Consequences: inside the saturated direct-beam disc every pixel's reference
 * is the saturation value, so none is hot (a hot pixel inside it cannot be
 * seen; a dead one is found); the disc's edge pixels are outliers against a
 * reference that mixes disc and ring, but the disc fills much of their 5 x 5
 * window, so they are not flagged. Likewise the shadow of a beam stop, its
 * edge included, is an extended dark feature and is not flagged: it is not a
 * detector defect; give it in `existingMask`. The price: a defect touching
 * such a feature (a hot pixel next to the disc, a dead one next to a shadow
 * edge) can pass as part of it; give the feature in `existingMask` to find
 * it. Pixels in `existingMask` take no part in any reference
 * or count. Cost: one partial sort of (2R+1)^2 - 1 values per pixel, about
 * 15 ms for 256 x 256 (one thread).
 *
 * Throws itk::ExceptionObject, naming the parameter, for a null meanPattern,
 * Threshold <= 1 or not finite, NeighbourhoodRadius 0 or 2R+1 larger than a
 * detector side, MinimumReference < 0 or not finite, MaximumOutlierNeighbours
 * > 24, an existingMask of another size, or a meanPattern value that is
 * negative or not finite. */
DetectorMaskImage::Pointer
FindDefectivePixels(const DetectorImage * meanPattern, const DefectivePixelCriteria & criteria = {},
                    const DetectorMaskImage * existingMask = nullptr);

/** Number of pixels of each class in a mask made by FindDefectivePixels. */
struct DefectivePixelCounts
{
  itk::SizeValueType Good{ 0 };
  itk::SizeValueType Dead{ 0 };
  itk::SizeValueType Hot{ 0 };
  itk::SizeValueType Given{ 0 };
};

/** Counts the classes of `mask` (its buffered region). Throws
 *  itk::ExceptionObject for a null mask or a value that is not a
 *  DefectivePixelClass (> 3). */
DefectivePixelCounts
CountDefectivePixels(const DetectorMaskImage * mask);
} // namespace stempdf

#endif
