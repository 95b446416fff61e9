#ifndef stempdfPatternFieldImageFileReader_h
#define stempdfPatternFieldImageFileReader_h

#include "itkImageFileReader.h"
#include "itkImageIORegion.h"

namespace stempdf
{
/** \class PatternFieldImageFileReader
 * \brief An itk::ImageFileReader for fields of patterns (itk::VectorImage)
 * that lets the ImageIO read straight into the output image's buffer.
 *
 * ITK 5.2's ImageFileReader reads every itk::VectorImage into a temporary
 * buffer and then copies it, component by component, into the image: its
 * pixel-conversion test compares the file's number of components with that
 * of the scalar IOPixelType (1). For a paper-scale scan that is a second
 * 2 GiB allocation and a 2 GiB copy. This subclass skips both when the file's
 * component type and number of components are those of the image (the usual
 * case: PatternFieldImage<T> of the detector's type T) and otherwise (a type
 * conversion, a file of more dimensions) does exactly what ImageFileReader
 * does. Same interface, same streaming (only the requested region is read).
 *
 * Works with any ImageIO (HDF5DatasetImageIO, MIBImageIO, ...).
 *
 * \ingroup STEMPDF
 */
template <typename TOutputImage>
class PatternFieldImageFileReader : public itk::ImageFileReader<TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(PatternFieldImageFileReader);

  using Self = PatternFieldImageFileReader;
  using Superclass = itk::ImageFileReader<TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(PatternFieldImageFileReader, ImageFileReader);

protected:
  PatternFieldImageFileReader() = default;
  ~PatternFieldImageFileReader() override = default;

  void
  GenerateData() override
  {
    using ComponentType = typename TOutputImage::InternalPixelType;
    constexpr unsigned int Dimension = TOutputImage::ImageDimension;
    TOutputImage *         output = this->GetOutput();
    itk::ImageIOBase *     io = this->m_ImageIO.GetPointer();
    if (io == nullptr || io->GetNumberOfDimensions() != Dimension ||
        io->GetComponentType() != itk::ImageIOBase::MapPixelType<ComponentType>::CType ||
        io->GetNumberOfComponents() != output->GetNumberOfComponentsPerPixel())
    {
      Superclass::GenerateData();
      return;
    }
    this->UpdateProgress(0.0f);
    this->AllocateOutputs(); // the requested region, which the IO can read as it is
    itk::ImageIORegion region(Dimension);
    itk::ImageIORegionAdaptor<Dimension>::Convert(
      output->GetBufferedRegion(), region, output->GetLargestPossibleRegion().GetIndex());
    io->SetFileName(this->GetFileName());
    io->SetIORegion(region);
    io->Read(output->GetBufferPointer());
    this->UpdateProgress(1.0f);
  }
};
} // namespace stempdf

#endif
