#ifndef stempdfScanMeanPattern_h
#define stempdfScanMeanPattern_h
// The mean diffraction pattern of a whole scan, computed from the piece each
// MPI rank holds: every rank sums the patterns of the rows it owns (pieces
// share their boundary row; docs/data-model.md), the sums and counts are added
// over the ranks, and every rank gets the same mean (so that the masks and the
// centre derived from it are the same everywhere).

#include "stempdfMeanPattern.h"

#include "vtkCommunicator.h"
#include "vtkMultiProcessController.h"

#include <vector>

namespace stempdf
{
namespace bridge
{
/** Mean pattern of the scan whose rows wholeRowEnd (the last row index of the
 *  whole scan) closes; `field` is this rank's piece. Collective under MPI. */
template <typename TCount>
DetectorImage::Pointer
ComputeScanMeanPattern(const PatternFieldImage<TCount> * field, itk::IndexValueType wholeRowEnd)
{
  auto       owned = field->GetBufferedRegion();
  const auto lastRow = owned.GetIndex(1) + static_cast<itk::IndexValueType>(owned.GetSize(1)) - 1;
  if (lastRow < wholeRowEnd && owned.GetSize(1) > 0)
  {
    owned.SetSize(1, owned.GetSize(1) - 1); // the next piece owns the shared row
  }
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(field->GetNumberOfComponentsPerPixel());
  double          count = owned.GetNumberOfPixels() > 0 ? static_cast<double>(AccumulatePatternSum(field, owned, sum)) : 0.0;
  vtkMultiProcessController * controller = vtkMultiProcessController::GetGlobalController();
  if (controller != nullptr && controller->GetNumberOfProcesses() > 1)
  {
    std::vector<double> local(sum.data(), sum.data() + sum.size()), total(local.size());
    local.push_back(count);
    total.push_back(0.0);
    controller->AllReduce(local.data(), total.data(), static_cast<vtkIdType>(local.size()), vtkCommunicator::SUM_OP);
    count = total.back();
    sum = Eigen::Map<const Eigen::VectorXd>(total.data(), sum.size());
  }
  if (!(count > 0.0))
  {
    itkGenericExceptionMacro(<< "the scan holds no diffraction pattern to average");
  }
  VectorAxis detector;
  GetVectorAxis(field->GetMetaDataDictionary(), detector);
  return MakeDetectorImage(detector, sum / count);
}
} // namespace bridge
} // namespace stempdf

#endif
