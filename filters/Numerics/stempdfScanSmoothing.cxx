#include "stempdfScanSmoothing.h"

// GCC 12 reports a false -Warray-bounds inside ITK 5.2's GaussianOperator
// (an index bound it cannot prove through the inlining).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#include "itkDiscreteGaussianImageFilter.h"
#include "itkImage.h"
#include "itkMacro.h"

#include <cmath>

namespace stempdf
{
Eigen::MatrixXd
SmoothOverScan(const Eigen::MatrixXd & values, Eigen::Index width, double sigma)
{
  if (!(sigma >= 0.0) || !std::isfinite(sigma))
  {
    itkGenericExceptionMacro("SpatialSmoothing: " << sigma << " scan steps; expected a standard deviation >= 0");
  }
  if (width < 1 || values.rows() % width != 0)
  {
    itkGenericExceptionMacro("SpatialSmoothing: " << values.rows() << " positions are not whole scan rows of " << width
                                                  << " positions");
  }
  if (sigma == 0.0 || values.size() == 0)
  {
    return values;
  }
  using ImageType = itk::Image<double, 2>;
  ImageType::RegionType region;
  region.SetSize(
    { { static_cast<itk::SizeValueType>(width), static_cast<itk::SizeValueType>(values.rows() / width) } });
  auto image = ImageType::New();
  image->SetRegions(region);
  image->Allocate();
  using SmoothingType = itk::DiscreteGaussianImageFilter<ImageType, ImageType>;
  auto smoothing = SmoothingType::New();
  smoothing->SetInput(image);
  smoothing->SetUseImageSpacing(false);
  smoothing->SetVariance(sigma * sigma);
  smoothing->SetMaximumError(1e-4);
  // Wide enough for the kernel to reach its error bound (about 4 sigma).
  smoothing->SetMaximumKernelWidth(2 * static_cast<unsigned int>(std::ceil(5.0 * sigma)) + 1);

  Eigen::MatrixXd smoothed(values.rows(), values.cols());
  for (Eigen::Index c = 0; c < values.cols(); ++c)
  {
    Eigen::Map<Eigen::VectorXd>(image->GetBufferPointer(), values.rows()) = values.col(c);
    image->Modified();
    smoothing->Update();
    smoothed.col(c) = Eigen::Map<const Eigen::VectorXd>(smoothing->GetOutput()->GetBufferPointer(), values.rows());
  }
  return smoothed;
}
} // namespace stempdf

#pragma GCC diagnostic pop
