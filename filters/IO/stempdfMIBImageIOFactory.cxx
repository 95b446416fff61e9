#include "stempdfMIBImageIOFactory.h"

#include "itkCreateObjectFunction.h"
#include "itkVersion.h"

namespace stempdf
{
MIBImageIOFactory::MIBImageIOFactory()
{
  this->RegisterOverride("itkImageIOBase",
                         "stempdfMIBImageIO",
                         "Quantum Detectors Merlin MIB Image IO",
                         true,
                         itk::CreateObjectFunction<MIBImageIO>::New());
}

const char *
MIBImageIOFactory::GetITKSourceVersion() const
{
  return ITK_SOURCE_VERSION;
}

const char *
MIBImageIOFactory::GetDescription() const
{
  return "Quantum Detectors Merlin MIB ImageIO factory (STEMPDF)";
}

void
MIBImageIOFactory::RegisterOneFactory()
{
  for (auto * factory : itk::ObjectFactoryBase::GetRegisteredFactories())
  {
    if (dynamic_cast<MIBImageIOFactory *>(factory) != nullptr)
    {
      return;
    }
  }
  itk::ObjectFactoryBase::RegisterFactoryInternal(MIBImageIOFactory::New());
}
} // namespace stempdf
