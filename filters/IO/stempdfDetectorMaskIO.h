#ifndef stempdfDetectorMaskIO_h
#define stempdfDetectorMaskIO_h

#include "stempdfImageTypes.h"

#include <string>

namespace stempdf
{
/** Reads a detector mask (one value per detector pixel) from a file, for the
 *  azimuthal integration and the other consumers of DetectorMaskImage.
 *
 * Returns a Kx x Ky DetectorMaskImage, index (kx, ky), spacing 1, origin 0,
 * holding 1 for an excluded pixel and 0 for a pixel to use (whatever the
 * values in the file: a 16-bit 256 or a float 0.5 is "non-zero", never cut to
 * 8 bits).
 *
 * Formats, chosen by the extension (case-insensitive):
 *
 * - .png, .tif, .tiff (read with ITK): any scalar pixel type (8/16-bit
 *   integer, float; 1-bit greyscale is expanded by ITK). Row 0 of the file is
 *   detector row ky = 0 and column 0 is kx = 0: neither ITK nor this function
 *   flips, so a NumPy array m[ky, kx] saved with imageio, tifffile or PIL
 *   lines up. Colour (RGB/RGBA, palette) and grey + alpha files are accepted
 *   only when they are grey in disguise (R = G = B at every pixel, e.g.
 *   matplotlib's imsave with cmap="gray", an indexed black/white PNG) and
 *   the alpha channel, if any, is the same everywhere; then the grey value
 *   is the mask value. Anything else is an error: a colour map (viridis
 *   turns 0 into a non-zero colour) or transparency carries no safe meaning.
 *   A multi-page TIFF is an error.
 * - .h5, .hdf5, .emd (HDF5): "file.h5" reads the only 2-D dataset in the
 *   file (an error lists the 2-D datasets when there are none or several);
 *   "file.h5:/path/to/dataset" reads that one. The dataset is [Ky, Kx] in
 *   HDF5/C order, i.e. m[ky, kx] as h5py writes a NumPy array. Integer
 *   (any size and sign), float, and enum types (h5py's bool: an enum over
 *   int8, FALSE = 0, TRUE = 1), whose stored integer values are used.
 *
 * Conventions (nonZeroMeansExcluded): a mask file is a picture of either the
 * pixels to drop or the pixels to keep, and tools disagree:
 *
 *   non-zero / True = excluded (nonZeroMeansExcluded = true, the default;
 *   STEMPDF's own masks, e.g. FindDefectivePixels):
 *     - pyFAI ("1 for masked pixels, and 0 for valid pixels");
 *     - pyxem azimuthal integration (its mask is passed to pyFAI);
 *     - HyperSpy decomposition signal_mask/navigation_mask (True = not used);
 *     - NumPy masked arrays (numpy.ma: True = invalid);
 *     - py4DSTEM's get_beamstop_mask (True on the beam stop).
 *   non-zero / True = good pixel (nonZeroMeansExcluded = false):
 *     - py4DSTEM's PolarDatacube and virtual-image masks (the data are
 *       multiplied by the mask: 0 = dropped);
 *     - virtual-detector masks in general, e.g. LiberTEM's ApplyMasksUDF
 *       (weights: 1 = summed).
 *   py4DSTEM uses both, so check the function that made your mask.
 *
 * A mask that excludes every pixel is rejected ("excludes all N pixels"):
 * nothing could be integrated, and it is almost always the other convention.
 * A mask excluding none is accepted.
 *
 * The mask must have the array shape of the detector frames in the data,
 * [Ky, Kx] (HDF5) or Kx columns x Ky rows (images), whatever a tool names
 * its axes: py4DSTEM calls the first detector axis "qx", but its arrays have
 * the same memory layout as the file's frames. If expectedWidth (Kx) and/or
 * expectedHeight (Ky) are non-zero, a file of another shape is rejected,
 * naming both shapes (and saying so when the mask is the detector
 * transposed).
 *
 * Throws itk::ExceptionObject, naming the file and what was expected, for: an
 * empty name, an unsupported extension (the supported ones are listed), a
 * missing file or a directory, a file that the format's reader cannot read
 * (not that format, damaged), an HDF5 dataset path that does not exist or is
 * not a dataset, a dataset or image that is not 2-D, an empty one or one over
 * 2^28 pixels, an unsupported HDF5 type (string, compound, ...), a colour or
 * transparent image (see above), a shape other than the expected one, a NaN
 * in a float mask, and a mask excluding every pixel. */
DetectorMaskImage::Pointer
ReadDetectorMask(const std::string & fileName, unsigned int expectedWidth = 0, unsigned int expectedHeight = 0,
                 bool nonZeroMeansExcluded = true);
} // namespace stempdf

#endif
