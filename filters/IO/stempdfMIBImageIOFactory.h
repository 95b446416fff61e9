#ifndef stempdfMIBImageIOFactory_h
#define stempdfMIBImageIOFactory_h

#include "stempdfMIBImageIO.h"

#include "itkObjectFactoryBase.h"

namespace stempdf
{
/** \class MIBImageIOFactory
 * \brief Registers MIBImageIO with itk::ImageIOFactory, so that
 *        itk::ImageFileReader/Writer pick it for ".mib" files without
 *        SetImageIO. Call MIBImageIOFactory::RegisterOneFactory() once.
 * \ingroup STEMPDF
 */
class MIBImageIOFactory : public itk::ObjectFactoryBase
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(MIBImageIOFactory);

  using Self = MIBImageIOFactory;
  using Superclass = itk::ObjectFactoryBase;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  const char *
  GetITKSourceVersion() const override;
  const char *
  GetDescription() const override;

  itkFactorylessNewMacro(Self);
  itkTypeMacro(MIBImageIOFactory, ObjectFactoryBase);

  /** Register one factory of this type (idempotent). */
  static void
  RegisterOneFactory();

protected:
  MIBImageIOFactory();
  ~MIBImageIOFactory() override = default;
};
} // namespace stempdf

#endif
