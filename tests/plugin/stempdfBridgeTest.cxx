// The ITK <-> VTK bridge: buffers cross without copies, the scan geometry and
// the vector axis survive both ways, and misuse is an exception that says why.
#include "stempdfBridge.h"
#include "stempdfImageTypes.h"

#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkFloatArray.h"
#include "vtkImageData.h"
#include "vtkNew.h"
#include "vtkPointData.h"
#include "vtkUnsignedShortArray.h"

#include <gtest/gtest.h>

namespace
{
using PatternImage = stempdf::PatternFieldImage<unsigned short>;

/** A 3 x 2 piece (columns 4..6, rows 1..2) of a scan of 2 x 3 px patterns. */
vtkSmartPointer<vtkImageData> MakePiece(vtkUnsignedShortArray* counts)
{
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetExtent(4, 6, 1, 2, 0, 0);
  image->SetSpacing(1.2, 1.5, 1.0);
  image->SetOrigin(-2.0, 3.0, 0.0);
  counts->SetName("Counts");
  counts->SetNumberOfComponents(6);
  counts->SetNumberOfTuples(6);
  for (vtkIdType i = 0; i < counts->GetNumberOfValues(); ++i)
  {
    counts->SetValue(i, static_cast<unsigned short>(i));
  }
  image->GetPointData()->SetScalars(counts);
  stempdf::bridge::WriteVectorAxis(stempdf::MakeDetectorAxis(2, 3), image->GetFieldData());
  return image;
}

std::string ErrorOf(const std::function<void()>& action)
{
  try
  {
    action();
  }
  catch (const itk::ExceptionObject& e)
  {
    return e.GetDescription();
  }
  return "";
}
} // namespace

TEST(Bridge, ImportViewsTheVTKBufferWithItsGeometryAndAxis)
{
  vtkNew<vtkUnsignedShortArray> counts;
  auto image = MakePiece(counts);
  auto field = stempdf::bridge::ImportField<PatternImage>(image, counts);

  EXPECT_EQ(field->GetBufferPointer(), counts->GetPointer(0)) << "the pixels must not be copied";
  EXPECT_EQ(field->GetBufferedRegion().GetIndex(0), 4);
  EXPECT_EQ(field->GetBufferedRegion().GetIndex(1), 1);
  EXPECT_EQ(field->GetBufferedRegion().GetSize(0), 3u);
  EXPECT_EQ(field->GetBufferedRegion().GetSize(1), 2u);
  EXPECT_DOUBLE_EQ(field->GetSpacing()[1], 1.5);
  EXPECT_DOUBLE_EQ(field->GetOrigin()[0], -2.0);
  EXPECT_EQ(field->GetNumberOfComponentsPerPixel(), 6u);
  // Scan position (5, 2) is tuple (5 - 4) + 3 * (2 - 1) = 4: values 24..29.
  EXPECT_EQ(field->GetPixel({ { 5, 2 } })[0], 24);
  EXPECT_EQ(field->GetPixel({ { 5, 2 } })[5], 29);

  stempdf::VectorAxis axis;
  ASSERT_TRUE(stempdf::GetVectorAxis(field->GetMetaDataDictionary(), axis));
  EXPECT_EQ(axis, stempdf::MakeDetectorAxis(2, 3));
}

TEST(Bridge, ExportHandsTheITKBufferToVTKWithoutACopy)
{
  auto field = stempdf::ProfileFieldImage::New();
  field->SetRegions(stempdf::ProfileFieldImage::RegionType({ { 2, 7 } }, { { 4, 3 } }));
  field->SetVectorLength(5);
  field->SetSpacing(std::array<double, 2>{ { 0.5, 0.25 } }.data());
  field->Allocate();
  for (itk::SizeValueType i = 0; i < 4 * 3 * 5; ++i)
  {
    field->GetBufferPointer()[i] = 0.5 * i;
  }
  stempdf::VectorAxis axis;
  axis.Quantity = "s";
  axis.Unit = "1/A";
  axis.Size = { { 5, 1 } };
  axis.Origin = { { 0.25, 0.0 } };
  axis.Spacing = { { 0.01, 1.0 } };
  stempdf::SetVectorAxis(field->GetMetaDataDictionary(), axis);
  const double* buffer = field->GetBufferPointer();

  vtkNew<vtkImageData> output;
  vtkDataArray* array = stempdf::bridge::ExportField(field.GetPointer(), "Profile", output);
  field = nullptr; // VTK now owns the buffer: it must outlive the ITK image

  EXPECT_EQ(array->GetVoidPointer(0), buffer) << "the pixels must not be copied";
  EXPECT_NE(vtkDoubleArray::SafeDownCast(array), nullptr) << array->GetClassName();
  EXPECT_EQ(array->GetNumberOfComponents(), 5);
  EXPECT_EQ(array->GetNumberOfTuples(), 12);
  EXPECT_DOUBLE_EQ(array->GetComponent(11, 4), 0.5 * 59);
  EXPECT_EQ(output->GetPointData()->GetScalars(), array);
  const int* extent = output->GetExtent();
  EXPECT_EQ(std::vector<int>(extent, extent + 6), (std::vector<int>{ 2, 5, 7, 9, 0, 0 }));
  EXPECT_DOUBLE_EQ(output->GetSpacing()[1], 0.25);

  stempdf::VectorAxis back;
  ASSERT_TRUE(stempdf::bridge::ReadVectorAxis(output->GetFieldData(), back));
  EXPECT_EQ(back, axis);
}

TEST(Bridge, ExportCopiesABufferITKDoesNotOwn)
{
  vtkNew<vtkUnsignedShortArray> counts;
  auto image = MakePiece(counts);
  auto field = stempdf::bridge::ImportField<PatternImage>(image, counts);
  vtkNew<vtkImageData> output;
  vtkDataArray* array = stempdf::bridge::ExportField(field.GetPointer(), "Copy", output);
  EXPECT_NE(array->GetVoidPointer(0), counts->GetVoidPointer(0));
  EXPECT_EQ(array->GetComponent(4, 5), 29.0);
}

TEST(Bridge, ImportOfTheWrongValueTypeNamesTheArray)
{
  vtkNew<vtkUnsignedShortArray> counts;
  auto image = MakePiece(counts);
  const std::string message = ErrorOf(
    [&] { stempdf::bridge::ImportField<stempdf::PatternFieldImage<float>>(image, counts); });
  EXPECT_NE(message.find(
              "array 'Counts' is a vtkUnsignedShortArray; expected a contiguous array of Float32"),
    std::string::npos)
    << message;
}

TEST(Bridge, ImportOfAVolumeIsRefused)
{
  vtkNew<vtkUnsignedShortArray> counts;
  auto image = MakePiece(counts);
  image->SetExtent(4, 6, 1, 1, 0, 1);
  const std::string message =
    ErrorOf([&] { stempdf::bridge::ImportField<PatternImage>(image, counts); });
  EXPECT_NE(message.find("has 2 slices along z"), std::string::npos) << message;
}

TEST(Bridge, ImportOfAnArrayThatDoesNotFitTheGridIsRefused)
{
  vtkNew<vtkUnsignedShortArray> counts;
  auto image = MakePiece(counts);
  counts->SetNumberOfTuples(5);
  const std::string message =
    ErrorOf([&] { stempdf::bridge::ImportField<PatternImage>(image, counts); });
  EXPECT_NE(message.find("has 5 tuples but the scan grid has 6 positions"), std::string::npos)
    << message;
}

TEST(Bridge, AxisFieldDataCanBeRemovedAndIsThenAbsent)
{
  vtkNew<vtkFieldData> fieldData;
  stempdf::bridge::WriteVectorAxis(stempdf::MakeDetectorAxis(4, 4), fieldData);
  EXPECT_EQ(fieldData->GetNumberOfArrays(), 5);
  stempdf::bridge::RemoveVectorAxis(fieldData);
  stempdf::VectorAxis axis;
  EXPECT_FALSE(stempdf::bridge::ReadVectorAxis(fieldData, axis));
  EXPECT_EQ(fieldData->GetNumberOfArrays(), 0);
}
