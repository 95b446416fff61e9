#include "stempdfPixelSplitting.h"

#include "itkMacro.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.141592653589793238462643383279502884;

struct Point
{
  double x, y;
};

inline double
Cross(const Point & a, const Point & b)
{
  return a.x * b.y - a.y * b.x;
}

inline double
Dot(const Point & a, const Point & b)
{
  return a.x * b.x + a.y * b.y;
}

/** Signed area of the triangle (O, a, b) intersected with the disk of squared
 *  radius r2 > 0 about the origin O (positive when a -> b turns
 *  counter-clockwise about O). */
double
TriangleDiskSignedArea(const Point & a, const Point & b, double r2)
{
  const Point  d{ b.x - a.x, b.y - a.y };
  const double qa = Dot(d, d);
  if (qa == 0.0)
  {
    return 0.0;
  }
  // |a + t d|^2 = r2  <=>  qa t^2 + 2 qb t + qc = 0.
  const double qb = Dot(a, d);
  const double qc = Dot(a, a) - r2;
  const double discriminant = qb * qb - qa * qc;

  const auto at = [&](double t) { return Point{ a.x + t * d.x, a.y + t * d.y }; };
  const auto sector = [&](const Point & p, const Point & q) {
    // Circular sector from p to q. An outside piece never passes through O
    // (O is inside the disk), so its angle is in (-pi, pi) and well defined.
    return 0.5 * r2 * std::atan2(Cross(p, q), Dot(p, q));
  };
  if (!(discriminant > 0.0))
  {
    // The line misses the open disk or touches it at one point: all outside.
    return sector(a, b);
  }
  // The line crosses the circle at t1 < t2 and is inside the disk between
  // them. Cancellation-free roots: q = -(qb + sign(qb) sqrt(disc)) != 0 here.
  const double q = -(qb + std::copysign(std::sqrt(discriminant), qb));
  double       t1 = q / qa, t2 = qc / q;
  if (t1 > t2)
  {
    std::swap(t1, t2);
  }
  const double tIn = std::clamp(t1, 0.0, 1.0), tOut = std::clamp(t2, 0.0, 1.0);
  const auto   point = [&](double t) { return t == 0.0 ? a : (t == 1.0 ? b : at(t)); };
  const Point  pIn = point(tIn), pOut = point(tOut);
  double       area = 0.0;
  if (tIn > 0.0)
  {
    area += sector(a, pIn); // outside piece before the disk
  }
  if (tOut > tIn)
  {
    area += 0.5 * Cross(pIn, pOut); // inside piece: triangle (O, pIn, pOut)
  }
  if (tOut < 1.0)
  {
    area += sector(pOut, b); // outside piece after the disk
  }
  return area;
}

double
PolygonDiskArea(const Point * vertices, size_t count, double radius)
{
  if (count < 3 || !(radius > 0.0))
  {
    return 0.0;
  }
  const double r2 = radius * radius;
  double       area = 0.0;
  for (size_t i = 0; i < count; ++i)
  {
    area += TriangleDiskSignedArea(vertices[i], vertices[(i + 1) % count], r2);
  }
  return std::abs(area);
}

/** Distance from the origin to the segment a-b. */
double
OriginSegmentDistance(const Point & a, const Point & b)
{
  const Point  d{ b.x - a.x, b.y - a.y };
  const double dd = Dot(d, d);
  double       t = dd > 0.0 ? -Dot(a, d) / dd : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(a.x + t * d.x, a.y + t * d.y);
}
} // namespace

double
PolygonDiskIntersectionArea(const std::vector<std::array<double, 2>> & polygon, double radius)
{
  std::vector<Point> vertices;
  vertices.reserve(polygon.size());
  for (const auto & v : polygon)
  {
    vertices.push_back(Point{ v[0], v[1] });
  }
  return PolygonDiskArea(vertices.data(), vertices.size(), radius);
}

Eigen::SparseMatrix<double, Eigen::RowMajor>
ComputePixelSplittingWeights(const AzimuthalGeometry & geometry, double sMin, double sMax, unsigned int numberOfBins,
                             const std::vector<unsigned char> * mask)
{
  const char * where = "ComputePixelSplittingWeights: ";
  if (numberOfBins == 0)
  {
    itkGenericExceptionMacro(<< where << "numberOfBins must be > 0");
  }
  if (!(sMin >= 0.0) || !std::isfinite(sMin))
  {
    itkGenericExceptionMacro(<< where << "sMin = " << sMin << " 1/A: expected a finite value >= 0");
  }
  if (!(sMax > sMin) || !std::isfinite(sMax))
  {
    itkGenericExceptionMacro(<< where << "sMax = " << sMax << " 1/A: expected a finite value > sMin = " << sMin);
  }
  if (!(geometry.PixelSize > 0.0) || !std::isfinite(geometry.PixelSize))
  {
    itkGenericExceptionMacro(<< where << "PixelSize = " << geometry.PixelSize
                             << " 1/A per px: expected a finite value > 0");
  }
  if (!(geometry.EllipseRatio > 0.0) || !std::isfinite(geometry.EllipseRatio))
  {
    itkGenericExceptionMacro(<< where << "EllipseRatio = " << geometry.EllipseRatio
                             << ": expected a finite value > 0 (1 = circular)");
  }
  if (!std::isfinite(geometry.EllipseAngle))
  {
    itkGenericExceptionMacro(<< where << "EllipseAngle = " << geometry.EllipseAngle << ": expected a finite angle");
  }
  if (!std::isfinite(geometry.CenterX) || !std::isfinite(geometry.CenterY))
  {
    itkGenericExceptionMacro(<< where << "CenterX, CenterY = " << geometry.CenterX << ", " << geometry.CenterY
                             << ": expected finite values");
  }
  if (geometry.DetectorWidth == 0 || geometry.DetectorHeight == 0)
  {
    itkGenericExceptionMacro(<< where << "DetectorWidth x DetectorHeight = " << geometry.DetectorWidth << " x "
                             << geometry.DetectorHeight << ": expected a non-empty detector");
  }
  const size_t kx = geometry.DetectorWidth, ky = geometry.DetectorHeight;
  const size_t pixels = kx * ky;
  if (pixels > static_cast<size_t>(INT_MAX) || numberOfBins > static_cast<unsigned int>(INT_MAX))
  {
    itkGenericExceptionMacro(<< where << "DetectorWidth x DetectorHeight = " << kx << " x " << ky
                             << ": too many pixels for the weight matrix");
  }
  if (mask && mask->size() != pixels)
  {
    itkGenericExceptionMacro(<< where << "mask has " << mask->size() << " entries, expected DetectorWidth x "
                             << "DetectorHeight = " << pixels);
  }

  // Map to the frame where rings are circles of radius s / PixelSize (det 1).
  const double angle = geometry.EllipseAngle * Pi / 180.0;
  const double c = std::cos(angle), sn = std::sin(angle);
  const double rootE = std::sqrt(geometry.EllipseRatio);
  const auto   map = [&](double x, double y) {
    const double dx = x - geometry.CenterX, dy = y - geometry.CenterY;
    return Point{ (c * dx + sn * dy) / rootE, (-sn * dx + c * dy) * rootE };
  };
  // Bin edges in s; edge 0 is exactly sMin and edge n exactly sMax.
  const double bins = numberOfBins;
  const double width = (sMax - sMin) / bins;
  const auto   edgeS = [&](unsigned int j) { return j == numberOfBins ? sMax : sMin + (sMax - sMin) * (j / bins); };

  std::vector<Eigen::Triplet<double>> triplets;
  triplets.reserve(pixels * 3);
  std::vector<double> edgeArea;
  for (size_t y = 0; y < ky; ++y)
  {
    for (size_t x = 0; x < kx; ++x)
    {
      const size_t p = y * kx + x;
      if (mask && (*mask)[p] != 0)
      {
        continue;
      }
      const double xl = x - 0.5, xh = x + 0.5, yl = y - 0.5, yh = y + 0.5;
      // Counter-clockwise in (x, y); the map has a positive determinant.
      const Point corners[4] = { map(xl, yl), map(xh, yl), map(xh, yh), map(xl, yh) };

      // Distance range of the parallelogram from the origin, in px.
      double rMax = 0.0, rMin = INFINITY;
      bool   containsOrigin = true;
      for (int i = 0; i < 4; ++i)
      {
        const Point & a = corners[i];
        const Point & b = corners[(i + 1) % 4];
        rMax = std::max(rMax, std::hypot(a.x, a.y));
        rMin = std::min(rMin, OriginSegmentDistance(a, b));
        // O is left of (or on) every counter-clockwise edge iff it is inside.
        if (Cross(Point{ b.x - a.x, b.y - a.y }, Point{ -a.x, -a.y }) < 0.0)
        {
          containsOrigin = false;
        }
      }
      if (containsOrigin)
      {
        rMin = 0.0;
      }
      const double sLow = rMin * geometry.PixelSize, sHigh = rMax * geometry.PixelSize;
      if (sHigh <= sMin || sLow >= sMax)
      {
        continue;
      }
      // Bins the pixel can touch, widened by one on each side against
      // rounding in the floor (the extra bins get exactly 0 and are dropped).
      const double       lowBin = std::floor((sLow - sMin) / width) - 1.0;
      const double       highBin = std::floor((sHigh - sMin) / width) + 1.0;
      const unsigned int first = lowBin <= 0.0 ? 0u : static_cast<unsigned int>(std::min(lowBin, bins - 1.0));
      const unsigned int last = highBin <= 0.0 ? 0u : static_cast<unsigned int>(std::min(highBin, bins - 1.0));

      // Area inside the disk at each bin edge first..last+1.
      edgeArea.resize(last - first + 2);
      for (unsigned int j = first; j <= last + 1; ++j)
      {
        const double radius = edgeS(j) / geometry.PixelSize;
        double       area;
        if (radius <= rMin)
        {
          area = 0.0;
        }
        else if (radius >= rMax)
        {
          area = 1.0; // the whole pixel: the map preserves area
        }
        else
        {
          area = PolygonDiskArea(corners, 4, radius);
        }
        edgeArea[j - first] = area;
      }
      for (unsigned int b = first; b <= last; ++b)
      {
        const double w = edgeArea[b - first + 1] - edgeArea[b - first];
        if (w > 0.0) // drops empty bins and rounding-level negatives
        {
          triplets.emplace_back(static_cast<int>(b), static_cast<int>(p), w);
        }
      }
    }
  }
  Eigen::SparseMatrix<double, Eigen::RowMajor> weights(static_cast<Eigen::Index>(numberOfBins),
                                                       static_cast<Eigen::Index>(pixels));
  weights.setFromTriplets(triplets.begin(), triplets.end());
  return weights;
}
} // namespace stempdf
