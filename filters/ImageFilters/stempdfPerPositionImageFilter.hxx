#ifndef stempdfPerPositionImageFilter_hxx
#define stempdfPerPositionImageFilter_hxx

#include "stempdfPerPositionImageFilter.h"

#include "itkTotalProgressReporter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace stempdf
{
namespace detail
{
/** An exception's message without ITK's "ITK ERROR: " prefix, to be wrapped into another. */
inline std::string
StrippedDescription(const itk::ExceptionObject & e)
{
  std::string       text = e.GetDescription();
  const std::string prefix = "ITK ERROR: ";
  return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
}

/** "a" or "an", as the quantity's first letter is spoken ("an s axis", "an r axis"). */
inline const char *
Article(const char * word)
{
  return std::string("aefhilmnorsx").find(word[0]) != std::string::npos && word[1] == '\0' ? "an" : "a";
}
} // namespace detail

template <typename TInputImage, typename TOutputImage>
PerPositionImageFilter<TInputImage, TOutputImage>::PerPositionImageFilter(unsigned int numberOfOutputs)
  : m_NumberOfComputedOutputs(numberOfOutputs)
{
  if (numberOfOutputs == 0 || numberOfOutputs > MaximumNumberOfOutputs)
  {
    itkExceptionMacro(<< "a per-position filter has 1 to " << MaximumNumberOfOutputs << " outputs, not "
                      << numberOfOutputs);
  }
  this->SetNumberOfRequiredOutputs(numberOfOutputs);
  for (unsigned int i = 1; i < numberOfOutputs; ++i)
  {
    this->SetNthOutput(i, this->MakeOutput(i));
  }
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff(); // progress comes from the runs, in positions
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::VerifyPreconditions() ITKv5_CONST
{
  if (this->GetInput() == nullptr)
  {
    itkExceptionMacro(<< "no input: set " << this->GetInputAxisRequirement().Field << " with SetInput()");
  }
  Superclass::VerifyPreconditions();
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::VerifyInputInformation() ITKv5_CONST
{
  Superclass::VerifyInputInformation();
  const AxisRequirement  required = this->GetInputAxisRequirement();
  const InputImageType * input = this->GetInput();
  VectorAxis             axis;
  const bool             hasAxis = GetVectorAxis(input->GetMetaDataDictionary(), axis);
  const bool             unitFits =
    required.Unit == nullptr || axis.Unit == required.Unit || (required.UnitMayBeEmpty && axis.Unit.empty());
  if (!hasAxis || axis.Quantity != required.Quantity || !unitFits || (required.OneDimensional && axis.Size[1] != 1) ||
      axis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    std::ostringstream found;
    if (hasAxis)
    {
      found << "its VectorAxis is " << axis;
    }
    else
    {
      found << "it has no VectorAxis";
    }
    itkExceptionMacro(<< "the input needs " << detail::Article(required.Quantity) << " \"" << required.Quantity
                      << "\" VectorAxis" << (required.Unit != nullptr ? std::string(" in ") + required.Unit : "")
                      << " with one sample per component (" << input->GetNumberOfComponentsPerPixel()
                      << "): " << required.Field << "; " << found.str());
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  GetVectorAxis(this->GetInput()->GetMetaDataDictionary(), m_InputAxis);
  const std::vector<VectorAxis> axes = this->ComputeOutputAxes(m_InputAxis);
  if (axes.size() != m_NumberOfComputedOutputs)
  {
    itkExceptionMacro(<< "ComputeOutputAxes gave " << axes.size() << " axes for " << m_NumberOfComputedOutputs
                      << " outputs");
  }
  for (unsigned int i = 0; i < m_NumberOfComputedOutputs; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    output->SetNumberOfComponentsPerPixel(axes[i].GetNumberOfComponents());
    output->SetMetaDataDictionary(this->GetInput()->GetMetaDataDictionary());
    SetVectorAxis(output->GetMetaDataDictionary(), axes[i]);
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::AllocateOutput(OutputImageType * output)
{
  output->Allocate();
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::AllocateOutputs()
{
  for (unsigned int i = 0; i < m_NumberOfComputedOutputs; ++i)
  {
    auto * output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    if (this->IsOutputComputed(i))
    {
      output->SetBufferedRegion(output->GetRequestedRegion());
      this->AllocateOutput(output);
    }
    else
    {
      output->Initialize(); // no stale values from an earlier update
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  m_HasError = false;
  m_ErrorHasPosition = false;
  m_ErrorMessage.clear();
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::RejectNonFiniteInput(const char * value, const char * why) const
{
  const InputImageType * input = this->GetInput();
  const auto &           region = this->GetOutput()->GetRequestedRegion();
  const size_t           n = input->GetNumberOfComponentsPerPixel();
  auto                   index = region.GetIndex();
  for (itk::SizeValueType line = 0; line < region.GetSize(1); ++line)
  {
    index[0] = region.GetIndex(0);
    index[1] = region.GetIndex(1) + static_cast<itk::IndexValueType>(line);
    const InputValueType * values = input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(index)) * n;
    const size_t           count = region.GetSize(0) * n;
    const InputValueType * bad =
      std::find_if(values, values + count, [](InputValueType v) { return !std::isfinite(static_cast<double>(v)); });
    if (bad != values + count)
    {
      const size_t offset = static_cast<size_t>(bad - values);
      const double v = static_cast<double>(*bad);
      itkExceptionMacro(<< "position (" << index[0] + static_cast<itk::IndexValueType>(offset / n) << ", " << index[1]
                        << "): " << value << " is " << (std::isnan(v) ? "NaN" : (v > 0 ? "+inf" : "-inf")) << " at "
                        << m_InputAxis.Quantity << " = "
                        << m_InputAxis.GetCoordinate(static_cast<unsigned int>(offset % n)) << " " << m_InputAxis.Unit
                        << "; expected finite values" << why);
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(
  const OutputImageRegionType & outputRegionForThread)
{
  const InputImageType *   input = this->GetInput();
  const size_t             inputLength = input->GetNumberOfComponentsPerPixel();
  OutputImageType *        outputs[MaximumNumberOfOutputs] = {};
  size_t                   outputLengths[MaximumNumberOfOutputs] = {};
  const itk::SizeValueType lineLength = outputRegionForThread.GetSize(0);
  const itk::SizeValueType lines = outputRegionForThread.GetSize(1);
  // Positions of a scan line are consecutive in every buffer; when the region
  // spans the buffers' whole width, so are those of several lines.
  bool wholeWidth = input->GetBufferedRegion().GetSize(0) == lineLength;
  for (unsigned int i = 0; i < m_NumberOfComputedOutputs; ++i)
  {
    if (this->IsOutputComputed(i))
    {
      outputs[i] = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
      outputLengths[i] = outputs[i]->GetNumberOfComponentsPerPixel();
      wholeWidth = wholeWidth && outputs[i]->GetBufferedRegion().GetSize(0) == lineLength;
    }
  }
  const itk::SizeValueType positionsPerRun = this->GetPositionsPerRun();
  const itk::SizeValueType linesPerRun =
    wholeWidth && positionsPerRun > 0 ? std::max<itk::SizeValueType>(1, positionsPerRun / lineLength) : 1;

  itk::TotalProgressReporter progress(this, this->GetOutput()->GetRequestedRegion().GetNumberOfPixels());
  PositionRun                run{};
  run.LineLength = lineLength;
  for (itk::SizeValueType line = 0; line < lines; line += linesPerRun)
  {
    run.First = outputRegionForThread.GetIndex();
    run.First[1] += static_cast<itk::IndexValueType>(line);
    run.Count = lineLength * std::min(linesPerRun, lines - line);
    run.Input = input->GetBufferPointer() + static_cast<size_t>(input->ComputeOffset(run.First)) * inputLength;
    for (unsigned int i = 0; i < MaximumNumberOfOutputs; ++i)
    {
      run.Outputs[i] = outputs[i] == nullptr
                         ? nullptr
                         : outputs[i]->GetBufferPointer() +
                             static_cast<size_t>(outputs[i]->ComputeOffset(run.First)) * outputLengths[i];
    }
    try
    {
      this->ProcessRun(run);
    }
    catch (const PositionError & e)
    {
      IndexType bad = run.First;
      bad[0] += static_cast<itk::IndexValueType>(e.Offset % lineLength);
      bad[1] += static_cast<itk::IndexValueType>(e.Offset / lineLength);
      this->RecordError(bad, true, e.what());
      return; // this work unit stops at its first bad position
    }
    catch (const itk::ExceptionObject & e)
    {
      this->RecordError(run.First, false, detail::StrippedDescription(e));
      return;
    }
    progress.Completed(run.Count);
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::RecordError(const IndexType & index, bool hasPosition,
                                                               const std::string & message)
{
  const std::lock_guard<std::mutex> lock(m_ErrorMutex);
  const bool earlier = index[1] < m_ErrorIndex[1] || (index[1] == m_ErrorIndex[1] && index[0] < m_ErrorIndex[0]);
  if (!m_HasError || earlier)
  {
    m_HasError = true;
    m_ErrorHasPosition = hasPosition;
    m_ErrorIndex = index;
    m_ErrorMessage = message;
  }
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::AfterThreadedGenerateData()
{
  if (!m_HasError)
  {
    return;
  }
  m_HasError = false;
  if (m_ErrorHasPosition)
  {
    itkExceptionMacro(<< "position (" << m_ErrorIndex[0] << ", " << m_ErrorIndex[1] << "): " << m_ErrorMessage);
  }
  itkExceptionMacro(<< m_ErrorMessage);
}

template <typename TInputImage, typename TOutputImage>
void
PerPositionImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "InputAxis: " << m_InputAxis << std::endl;
}
} // namespace stempdf

#endif
