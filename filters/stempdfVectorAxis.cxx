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
  axis.Unit = "px";
  axis.Size = { { kx, ky } };
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
     << axis.Origin[0] << ", " << axis.Origin[1] << "), spacing (" << axis.Spacing[0] << ", " << axis.Spacing[1]
     << ")";
  return os;
}
} // namespace stempdf
