#ifndef stempdfPerPositionImageFilter_h
#define stempdfPerPositionImageFilter_h

#include "stempdfImageTypes.h"
#include "stempdfVectorAxis.h"

#include "itkImageToImageFilter.h"

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace stempdf
{
/** \class PerPositionImageFilter
 * \brief Base of the filters that map a field over the scan grid to other
 * fields over the same grid, each position on its own.
 *
 * A subclass states three things: what its input's VectorAxis must be
 * (GetInputAxisRequirement), what the VectorAxis of each output is
 * (ComputeOutputAxes), and what it does with a run of consecutive positions
 * (ProcessRun, called from the worker threads). This class does the rest,
 * once for all of them, as ITK's projection filters share theirs:
 *
 * - VerifyPreconditions: an input is set; VerifyInputInformation: its
 *   VectorAxis has the required quantity and unit and one sample per component;
 * - GenerateOutputInformation: every output gets the input's dictionary, its
 *   VectorAxis and as many components as that axis has samples;
 * - AllocateOutputs: the outputs this update computes (IsOutputComputed) are
 *   allocated for the requested region; the others are emptied, so that no
 *   stale values from an earlier update remain;
 * - the walk over the requested region in runs of consecutive positions (one
 *   scan line, or several whole lines when the buffers are as wide as the
 *   region and GetPositionsPerRun asks for it), with progress;
 * - errors in worker threads: ITK 5.2's threaders do not carry exceptions out
 *   of a work unit, so a kernel's error is recorded (the first position in
 *   scan order wins, whatever the thread count) and raised after the threads
 *   as "position (x, y): <message>".
 *
 * Non-numbers: a subclass whose kernel cannot take them calls
 * RejectNonFiniteInput() from BeforeThreadedGenerateData (the first one in
 * scan order is named, with its axis coordinate); the others pass them to the
 * kernel, which names the positions it cannot compute through PositionError.
 *
 * Positions are independent, so any piece of the scan gives the values of the
 * whole, and the MPI ranks and streamed blocks of plugin/Bridge can split the
 * scan by rows freely.
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT PerPositionImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(PerPositionImageFilter);

  using Self = PerPositionImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using InputValueType = typename InputImageType::InternalPixelType;
  using OutputValueType = typename OutputImageType::InternalPixelType;
  using OutputImageRegionType = typename OutputImageType::RegionType;
  using IndexType = typename OutputImageType::IndexType;
  static_assert(TInputImage::ImageDimension == ScanDimension && TOutputImage::ImageDimension == ScanDimension,
                "a field over the 2-D scan grid");

  itkTypeMacro(PerPositionImageFilter, ImageToImageFilter);

  /** The most outputs a per-position filter has. */
  static constexpr unsigned int MaximumNumberOfOutputs = 4;

  /** What the input's VectorAxis must be. */
  struct AxisRequirement
  {
    const char * Quantity = "";         //!< e.g. SQuantity
    const char * Unit = nullptr;        //!< the unit it must have; nullptr: any
    bool         UnitMayBeEmpty = true; //!< an axis without a unit is taken to have Unit
    bool         OneDimensional = true; //!< Size[1] == 1 (a profile, not a detector)
    const char * Field = "";            //!< what the input is, for the message: "an I(s) field"
  };

  /** Consecutive positions of the requested region, in scan order (x fastest). */
  struct PositionRun
  {
    IndexType              First;      //!< scan index of the first position
    itk::SizeValueType     Count;      //!< number of positions
    itk::SizeValueType     LineLength; //!< positions per scan line of the region
    const InputValueType * Input;      //!< Count x input components
    /** Count x components of each output; nullptr for an output not computed. */
    OutputValueType * Outputs[MaximumNumberOfOutputs];
  };

  /** Thrown by ProcessRun for the position `offset` (0 .. Count - 1) of its
   *  run: the update fails with "position (x, y): message" for the first such
   *  position in scan order. */
  class PositionError : public std::runtime_error
  {
  public:
    PositionError(itk::SizeValueType offset, const std::string & message)
      : std::runtime_error(message)
      , Offset(offset)
    {}
    itk::SizeValueType Offset;
  };

  /** The input's VectorAxis, as checked by the last UpdateOutputInformation. */
  const VectorAxis &
  GetInputAxis() const
  {
    return m_InputAxis;
  }

protected:
  /** numberOfOutputs: the outputs of every update (at most MaximumNumberOfOutputs). */
  explicit PerPositionImageFilter(unsigned int numberOfOutputs);
  ~PerPositionImageFilter() override = default;

  /** What the input's VectorAxis must be. */
  virtual AxisRequirement
  GetInputAxisRequirement() const = 0;
  /** The VectorAxis of every output, from the input's (checked) axis; throws
   *  an itk::ExceptionObject naming a bad parameter. */
  virtual std::vector<VectorAxis>
  ComputeOutputAxes(const VectorAxis & inputAxis) const = 0;
  /** Whether this update computes output i. Default: every output. */
  virtual bool
  IsOutputComputed(unsigned int itkNotUsed(i)) const
  {
    return true;
  }
  /** Allocates a computed output's buffer. Default: OutputImageType::Allocate. */
  virtual void
  AllocateOutput(OutputImageType * output);
  /** Positions per run when the buffers are as wide as the region (several
   *  whole scan lines per call of ProcessRun); 0 (default): one scan line. */
  virtual itk::SizeValueType
  GetPositionsPerRun() const
  {
    return 0;
  }
  /** The work: compute the outputs of the run's positions from their input.
   *  Called from the worker threads, never for two overlapping runs. */
  virtual void
  ProcessRun(const PositionRun & run) = 0;

  /** Fails, naming the first position in scan order of the requested region
   *  whose input holds a NaN or an infinity, with its axis coordinate:
   *  "position (3, 7): phi(s) is NaN at s = 0.9 1/A; expected finite values<why>". */
  void
  RejectNonFiniteInput(const char * value, const char * why) const;

  /** An input is set. */
  void
  VerifyPreconditions() ITKv5_CONST override;
  /** The input's VectorAxis (known once the inputs have their information)
   *  fits GetInputAxisRequirement(). */
  void
  VerifyInputInformation() ITKv5_CONST override;
  void
  GenerateOutputInformation() override;
  void
  AllocateOutputs() override;
  /** Clears the errors of an earlier update; subclasses call it first. */
  void
  BeforeThreadedGenerateData() override;
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & outputRegionForThread) override;
  /** Raises the first recorded error; subclasses call it last. */
  void
  AfterThreadedGenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** Records an error of a work unit; keeps the first in scan order. */
  void
  RecordError(const IndexType & index, bool hasPosition, const std::string & message);

  unsigned int m_NumberOfComputedOutputs;
  VectorAxis   m_InputAxis;

  std::mutex  m_ErrorMutex;
  bool        m_HasError{ false };
  bool        m_ErrorHasPosition{ false };
  IndexType   m_ErrorIndex{};
  std::string m_ErrorMessage;
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfPerPositionImageFilter.hxx"
#endif

#endif
