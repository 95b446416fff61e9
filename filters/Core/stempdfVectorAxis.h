#ifndef stempdfVectorAxis_h
#define stempdfVectorAxis_h

#include "itkMetaDataDictionary.h"

#include <array>
#include <iosfwd>
#include <string>

namespace stempdf
{
/** \class VectorAxis
 * \brief The axis along the vector stored at every scan position of a field.
 *
 * Every stage of STEMPDF works on a field over the scan grid: an image whose
 * pixels are probe positions (spacing = scan step in nm) and whose value is a
 * vector. VectorAxis says what the vector's components are:
 *
 * - a diffraction pattern: Quantity "detector", Size {Kx, Ky}, component
 *   k = ky * Kx + kx (detector x runs fastest), Unit "px";
 * - a profile: Quantity "s" (Unit "1/A") or "r" (Unit "A"), Size {n, 1},
 *   coordinate of component i = Origin[0] + i * Spacing[0];
 * - a set of weights: Quantity "component", Size {n, 1}.
 *
 * It travels with an ITK image in its MetaDataDictionary (key
 * VectorAxisKey) and with a vtkImageData as field data (see
 * plugin/Core/stempdfBridge.h), so it survives every stage.
 */
struct VectorAxis
{
  std::string                 Quantity;
  std::string                 Unit;
  std::array<unsigned int, 2> Size{ { 0, 1 } };
  std::array<double, 2>       Origin{ { 0.0, 0.0 } };
  std::array<double, 2>       Spacing{ { 1.0, 1.0 } };

  /** Number of vector components this axis describes (Size[0] * Size[1]). */
  unsigned int
  GetNumberOfComponents() const
  {
    return Size[0] * Size[1];
  }

  /** Coordinate of component i of a one-dimensional axis. */
  double
  GetCoordinate(unsigned int i) const
  {
    return Origin[0] + i * Spacing[0];
  }

  bool
  operator==(const VectorAxis & other) const;
  bool
  operator!=(const VectorAxis & other) const
  {
    return !(*this == other);
  }
};

/** Key of the VectorAxis in an itk::MetaDataDictionary. */
constexpr const char * VectorAxisKey = "STEMPDF.VectorAxis";

/** The quantities of the axes, and their units: spelled here only. */
constexpr const char * DetectorQuantity = "detector";     //!< raw patterns, Size {Kx, Ky}
constexpr const char * SQuantity = "s";                   //!< s = 2 sin(theta) / lambda = 1/d
constexpr const char * RQuantity = "r";                   //!< distance in real space
constexpr const char * ComponentQuantity = "component";   //!< NMF / MLLS weights
constexpr const char * ParametersQuantity = "parameters"; //!< fitted parameters of a position
constexpr const char * PixelUnit = "px";
constexpr const char * InverseAngstromUnit = "1/A";
constexpr const char * AngstromUnit = "A";

/** The axis of raw diffraction patterns of kx x ky detector pixels. */
VectorAxis
MakeDetectorAxis(unsigned int kx, unsigned int ky);

/** A one-dimensional axis of n samples, sample i at origin + i * spacing. */
VectorAxis
MakeProfileAxis(const char * quantity, const char * unit, unsigned int n, double origin, double spacing);

/** A one-dimensional axis of n samples without coordinates (weights, parameters). */
VectorAxis
MakeCountAxis(const char * quantity, unsigned int n);

/** Store the axis in the dictionary (replacing any earlier one). */
void
SetVectorAxis(itk::MetaDataDictionary & dictionary, const VectorAxis & axis);

/** Read the axis from the dictionary; false when it holds none. */
bool
GetVectorAxis(const itk::MetaDataDictionary & dictionary, VectorAxis & axis);

std::ostream &
operator<<(std::ostream & os, const VectorAxis & axis);
} // namespace stempdf

#endif
