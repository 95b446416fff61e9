#include "stempdfVectorAxis.h"

#include "itkMetaDataObject.h"

#include <ostream>

namespace stempdf
{
bool
VectorAxis::operator==(const VectorAxis & other) const
{
  return Quantity == other.Quantity && Unit == other.Unit && Size == other.Size && Origin == other.Origin &&
         Spacing == other.Spacing;
}

VectorAxis
MakeDetectorAxis(unsigned int kx, unsigned int ky)
{
  VectorAxis axis;
  axis.Quantity = DetectorQuantity;
  axis.Unit = PixelUnit;
  axis.Size = { { kx, ky } };
  return axis;
}

VectorAxis
MakeProfileAxis(const char * quantity, const char * unit, unsigned int n, double origin, double spacing)
{
  VectorAxis axis;
  axis.Quantity = quantity;
  axis.Unit = unit;
  axis.Size = { { n, 1 } };
  axis.Origin = { { origin, 0.0 } };
  axis.Spacing = { { spacing, 1.0 } };
  return axis;
}

VectorAxis
MakeCountAxis(const char * quantity, unsigned int n)
{
  VectorAxis axis;
  axis.Quantity = quantity;
  axis.Size = { { n, 1 } };
  return axis;
}

void
SetVectorAxis(itk::MetaDataDictionary & dictionary, const VectorAxis & axis)
{
  itk::EncapsulateMetaData<VectorAxis>(dictionary, VectorAxisKey, axis);
}

bool
GetVectorAxis(const itk::MetaDataDictionary & dictionary, VectorAxis & axis)
{
  return itk::ExposeMetaData<VectorAxis>(dictionary, VectorAxisKey, axis);
}

std::ostream &
operator<<(std::ostream & os, const VectorAxis & axis)
{
  os << axis.Quantity << " [" << axis.Unit << "]: " << axis.Size[0] << " x " << axis.Size[1] << " samples, origin ("
     << axis.Origin[0] << ", " << axis.Origin[1] << "), spacing (" << axis.Spacing[0] << ", " << axis.Spacing[1] << ")";
  return os;
}
} // namespace stempdf
