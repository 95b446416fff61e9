#ifndef stempdfPixelSplitting_h
#define stempdfPixelSplitting_h

#include <Eigen/SparseCore>

#include <array>
#include <vector>

namespace stempdf
{
/** Exact area of the intersection of a polygon with the disk of `radius`
 * centred at the origin.
 *
 * `polygon` lists the vertices of a simple (in practice convex) polygon,
 * counter-clockwise; a clockwise list gives the same (positive) area. Fewer
 * than three vertices, or radius <= 0, give 0.
 *
 * Method (the classic triangle-fan decomposition): the polygon is the signed
 * sum of the triangles (O, v_i, v_{i+1}) over its edges, so its intersection
 * with the disk is the signed sum of the intersections of these triangles
 * with the disk. For one triangle, the edge v_i -> v_{i+1} is cut at its
 * (at most two) crossings with the circle; each piece of the edge is either
 * inside the disk, and contributes the triangle (O, piece) = cross(p, q) / 2,
 * or outside, and contributes the circular sector R^2 / 2 * angle(p, q) (signed
 * angle from p to q, in (-pi, pi)). Edges through the origin contribute 0
 * triangles; tangent edges have a double root and are one outside piece;
 * degenerate (zero-length) edges contribute 0. The roots use the
 * cancellation-free quadratic formula. Cost: O(number of vertices). */
double
PolygonDiskIntersectionArea(const std::vector<std::array<double, 2>> & polygon, double radius);

/** Calibration of the detector for azimuthal integration.
 *
 * Detector pixel (kx, ky) is the unit square [kx - 1/2, kx + 1/2] x
 * [ky - 1/2, ky + 1/2] (its centre at (kx, ky)); detector x runs fastest, so
 * pixel index p = ky * DetectorWidth + kx. A point (x, y), in px, has
 *   u = cos(theta) (x - cx) + sin(theta) (y - cy),
 *   v = -sin(theta) (x - cx) + cos(theta) (y - cy),
 *   s = PixelSize * sqrt(u^2 / e + v^2 e),
 * with theta = EllipseAngle and e = EllipseRatio: the convention of the
 * project's simulator (stempdf::AmorphousScanSimulator). */
struct AzimuthalGeometry
{
  /** Centre of the pattern (s = 0) along detector x, in px (pixel kx has its centre at x = kx). */
  double CenterX{ 0.0 };
  /** Centre of the pattern along detector y, in px. */
  double CenterY{ 0.0 };
  /** s per px along the circle-mapped radius, in 1/A per px (> 0; no default: 0 is rejected). */
  double PixelSize{ 0.0 };
  /** Axis ratio e of the rings of constant s (> 0; 1 = circular). A ring of
   *  constant s has semi-axes R sqrt(e) along the direction EllipseAngle and
   *  R / sqrt(e) across it, R = s / PixelSize, so its area is pi R^2 for any e. */
  double EllipseRatio{ 1.0 };
  /** Angle of the ellipse's axis from detector x, in degrees (towards +y). */
  double EllipseAngle{ 0.0 };
  /** Number of detector pixels along x (Kx, > 0). */
  unsigned int DetectorWidth{ 0 };
  /** Number of detector pixels along y (Ky, > 0). */
  unsigned int DetectorHeight{ 0 };
};

/** Exact pixel-splitting weights of an azimuthal integration.
 *
 * Returns the (numberOfBins x DetectorWidth*DetectorHeight) matrix W whose
 * entry (b, p) is the area, in px^2 (0..1), of pixel p's square that lies in
 * bin b: sMin + b Delta <= s < sMin + (b + 1) Delta, Delta = (sMax - sMin) /
 * numberOfBins. Pixels with mask[p] != 0 have no weight (an empty column).
 *
 * Why exact splitting: a pixel's counts are shared among the bins its area
 * overlaps, in proportion to the overlap, instead of being given whole to the
 * bin of its centre. With bins about one pixel wide, centre binning gives a
 * bin a number of pixels that jumps from bin to bin (a saw-tooth on I(s)); the
 * exact areas make every bin's weight its true unmasked area. For a pattern I
 * (one value per pixel, counts per pixel),
 *   I(s_b) = (W I)_b / (W 1)_b
 * (the weighted sum over the row sum) is the mean intensity per unit
 * unmasked detector area in bin b: masked pixels and the parts of the annulus
 * beyond the detector edge are simply absent from both numerator and
 * denominator, so they do not bias the bin (the mean of a radial pattern is
 * the same whatever part of its annulus is seen). A bin with a zero row sum
 * has no data.
 *
 * Computation: the map (x, y) -> (u / sqrt(e), v sqrt(e)) is linear with
 * determinant 1, so areas are preserved, rings of constant s become circles of
 * radius R = s / PixelSize and each pixel becomes a parallelogram of area 1.
 * The area of the pixel in bin b is A(R_{b+1}) - A(R_b), A(R) the area of the
 * parallelogram inside the disk of radius R (PolygonDiskIntersectionArea),
 * evaluated only at the bin edges between the parallelogram's smallest and
 * largest distance to the origin (below: 0, above: exactly 1). The weights of
 * one pixel therefore add up to its area inside sMin <= s < sMax (1 for a
 * pixel well inside the range, exactly), and a pixel inside one bin has weight
 * exactly 1 there. Cost: about (bins a pixel touches + 1) polygon-disk
 * intersections per pixel.
 *
 * `mask`, if given, has DetectorWidth*DetectorHeight entries (pixel index
 * p = ky * DetectorWidth + kx). Throws itk::ExceptionObject, naming the
 * parameter, for numberOfBins == 0, sMin < 0, sMax <= sMin, PixelSize <= 0,
 * EllipseRatio <= 0, a zero detector size, non-finite values or a mask of the
 * wrong length. */
Eigen::SparseMatrix<double, Eigen::RowMajor>
ComputePixelSplittingWeights(const AzimuthalGeometry & geometry, double sMin, double sMax, unsigned int numberOfBins,
                             const std::vector<unsigned char> * mask = nullptr);
} // namespace stempdf

#endif
