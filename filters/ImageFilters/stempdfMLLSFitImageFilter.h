#ifndef stempdfMLLSFitImageFilter_h
#define stempdfMLLSFitImageFilter_h

#include "stempdfBasisCurves.h"
#include "stempdfImageTypes.h"
#include "stempdfMLLSPopulations.h"
#include "stempdfMLLSRowFit.h"
#include "stempdfVectorAxis.h"

#include "itkImageToImageFilter.h"

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace stempdf
{
/** \class MLLSFitImageFilter
 * \brief Multiple linear least-squares fit of reference basis PDFs onto the
 * G(r) of every position of a scan, with non-negative weights.
 *
 * Input: a G(r) field (ProfileFieldImage with an "r" VectorAxis in A, e.g.
 * PairDistributionImageFilter's output). Basis (SetBasis): k reference
 * curves, e.g. the NMF basis of another sample; on another r grid they are
 * interpolated linearly onto the input's r samples, which they must cover.
 * At every position (docs/method.md, section 7):
 *
 *   min over w >= 0, c:  sum_r (G(r) - sum_i w_i B_i(r) - c)^2,
 *
 * c a free constant when FitOffset is on (else 0); see MLLSRowFit, which
 * does the numerics (one dense pass over the input, a small active-set NNLS
 * per position).
 *
 * Outputs, all on the input's scan grid (same region, spacing, origin):
 * - 0 (GetWeightsOutput): the weights w, k components ("component" axis);
 * - 1 (GetFractionsOutput): the fractions w_i / sum of the selected w
 *   (Components) for selected i, 0 for the others and where that sum is 0
 *   (those positions are counted: GetNumberOfZeroSumPositions);
 * - 2 (GetResidualOutput): the RMS residual sqrt(mean over r of (G - fit)^2), MapImage;
 * - 3 (GetOffsetOutput): the offset c, MapImage (0 without FitOffset).
 * After an update GetPopulations() gives each component's mean fraction and
 * area fraction (stempdf::Populations) over the positions computed.
 *
 * Positions are independent and every sum runs in an order fixed by the
 * number of r samples: any thread count and any requested region (a piece of
 * the scan) give bit-identical values at every position. The populations are
 * those of the requested region, summed in scan order after the threads.
 *
 * Bad parameters and inputs raise an itk::ExceptionObject naming them (Basis,
 * Components, the input's axis); a NaN or infinite G names the first such
 * position in scan order and its r.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT MLLSFitImageFilter : public itk::ImageToImageFilter<TInputImage, ProfileFieldImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(MLLSFitImageFilter);

  using Self = MLLSFitImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, ProfileFieldImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = ProfileFieldImage;
  using MapImageType = MapImage;
  using OutputImageRegionType = typename OutputImageType::RegionType;
  using DataObjectPointerArraySizeType = itk::ProcessObject::DataObjectPointerArraySizeType;
  static_assert(TInputImage::ImageDimension == ScanDimension, "a field over the 2-D scan grid");
  // The fit reads the input buffer in place: double vectors.
  static_assert(std::is_same<typename TInputImage::InternalPixelType, double>::value,
                "a G(r) field of doubles (ProfileFieldImage)");

  itkNewMacro(Self);
  itkTypeMacro(MLLSFitImageFilter, ImageToImageFilter);

  /** The reference curves (see BasisCurves). Default: none (an update then fails). */
  void
  SetBasis(const BasisCurves & basis);
  const BasisCurves &
  GetBasis() const
  {
    return m_Basis;
  }

  /** Fit a free constant offset c (either sign) besides the weights. Default true. */
  itkSetMacro(FitOffset, bool);
  itkGetConstMacro(FitOffset, bool);
  itkBooleanMacro(FitOffset);

  /** The components (0-based indices of basis curves) whose weights make up
   *  the fractions, e.g. all but a noise component; each < k. Default empty:
   *  every component. */
  void
  SetComponents(const std::vector<unsigned int> & components);
  const std::vector<unsigned int> &
  GetComponents() const
  {
    return m_Components;
  }

  OutputImageType *
  GetWeightsOutput()
  {
    return this->GetOutput(0);
  }
  OutputImageType *
  GetFractionsOutput()
  {
    return this->GetOutput(1);
  }
  MapImageType *
  GetResidualOutput()
  {
    return static_cast<MapImageType *>(this->itk::ProcessObject::GetOutput(2));
  }
  MapImageType *
  GetOffsetOutput()
  {
    return static_cast<MapImageType *>(this->itk::ProcessObject::GetOutput(3));
  }

  /** After an update: per component, its mean fraction and area fraction over
   *  the requested region (unselected components: 0, Selected false). */
  std::vector<Population>
  GetPopulations() const;
  /** The sums behind GetPopulations(), for reductions over pieces of a scan. */
  const PopulationSums &
  GetPopulationSums() const
  {
    return m_PopulationSums;
  }
  /** After an update: positions where every selected weight was 0 (fractions 0 there). */
  double
  GetNumberOfZeroSumPositions() const
  {
    return m_PopulationSums.ZeroSumPositions;
  }
  /** The selected components as flags, one per basis curve (after an update). */
  const std::vector<bool> &
  GetSelected() const
  {
    return m_Selected;
  }
  /** The names of the basis curves ("Component i" where none was given). */
  std::vector<std::string>
  GetComponentNames() const;

  /** The basis on the r samples of `rAxis` (k x n, a curve per row), after
   *  the checks above; throws itk::ExceptionObject naming Basis otherwise. */
  MLLSRowFit::RowMajorMatrix
  ResampleBasis(const VectorAxis & rAxis) const;

protected:
  MLLSFitImageFilter();
  ~MLLSFitImageFilter() override = default;

  /** Outputs 2 and 3 are scalar maps. */
  using Superclass::MakeOutput;
  itk::DataObject::Pointer
  MakeOutput(DataObjectPointerArraySizeType idx) override;

  /** Checks the input's axis, the basis and Components; the outputs get k
   *  components and a "component" axis (the maps none). */
  void
  GenerateOutputInformation() override;
  /** Resamples the basis and makes the fit. */
  void
  BeforeThreadedGenerateData() override;
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & outputRegionForThread) override;
  /** Refuses a non-number met by the threads; sums the populations in scan order. */
  void
  AfterThreadedGenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** The input's r axis, checked. */
  VectorAxis
  CheckedInputAxis() const;
  /** The Components as flags, checked against the k curves. */
  std::vector<bool>
  CheckedSelection() const;

  BasisCurves                 m_Basis;
  bool                        m_FitOffset{ true };
  std::vector<unsigned int>   m_Components;
  std::unique_ptr<MLLSRowFit> m_Fit;
  std::vector<bool>           m_Selected;
  PopulationSums              m_PopulationSums;
  std::mutex                  m_BadMutex;
  itk::OffsetValueType        m_FirstBad{ -1 }; // offset in the requested region of the first non-finite G
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfMLLSFitImageFilter.hxx"
#endif

#endif
