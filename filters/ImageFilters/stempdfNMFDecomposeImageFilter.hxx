#ifndef stempdfNMFDecomposeImageFilter_hxx
#define stempdfNMFDecomposeImageFilter_hxx

#include "stempdfNMFDecomposeImageFilter.h"

#include "itkImageRegionIterator.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
NMFDecomposeImageFilter<TInputImage, TOutputImage>::NMFDecomposeImageFilter()
{
  this->SetNumberOfRequiredOutputs(2);
  this->SetNthOutput(1, this->MakeOutput(1));
}

template <typename TInputImage, typename TOutputImage>
itk::ProcessObject::DataObjectPointer
NMFDecomposeImageFilter<TInputImage, TOutputImage>::MakeOutput(itk::ProcessObject::DataObjectPointerArraySizeType index)
{
  if (index == 1)
  {
    return ResidualImageType::New().GetPointer();
  }
  return Superclass::MakeOutput(index);
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::SelectedColumns(const VectorAxis & rAxis, unsigned int & first,
                                                                    unsigned int & count) const
{
  const unsigned int samples = rAxis.GetNumberOfComponents();
  first = 0;
  count = samples;
  if (m_RRange[0] == 0.0 && m_RRange[1] == 0.0)
  {
    return;
  }
  if (!(m_RRange[1] > m_RRange[0]) || !std::isfinite(m_RRange[0]) || !std::isfinite(m_RRange[1]))
  {
    itkExceptionMacro(<< "RRange is (" << m_RRange[0] << ", " << m_RRange[1]
                      << ") A; expected r0 < r1, or (0, 0) for the whole r axis");
  }
  constexpr double slack = 1e-9;
  unsigned int     end = 0;
  for (unsigned int i = 0; i < samples; ++i)
  {
    const double r = rAxis.GetCoordinate(i);
    if (r < m_RRange[0] - slack)
    {
      first = i + 1;
    }
    if (r <= m_RRange[1] + slack)
    {
      end = i + 1;
    }
  }
  if (end < first + 2)
  {
    itkExceptionMacro(<< "RRange (" << m_RRange[0] << ", " << m_RRange[1] << ") A holds "
                      << (end > first ? end - first : 0) << " of the input's r samples (" << rAxis.GetCoordinate(0)
                      << " to " << rAxis.GetCoordinate(samples - 1) << " A); expected at least 2");
  }
  count = end - first;
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  const InputImageType * input = this->GetInput();
  if (input == nullptr)
  {
    itkExceptionMacro(<< "no input: set a G(r) field with SetInput()");
  }
  VectorAxis rAxis;
  if (!GetVectorAxis(input->GetMetaDataDictionary(), rAxis) || rAxis.Quantity != RQuantity || rAxis.Size[1] != 1 ||
      rAxis.GetNumberOfComponents() != input->GetNumberOfComponentsPerPixel())
  {
    itkExceptionMacro(<< "the input needs an \"r\" VectorAxis (G(r), r in A) with one sample per component ("
                      << input->GetNumberOfComponentsPerPixel() << ")");
  }
  if (m_Parameters.Rank < 1)
  {
    itkExceptionMacro(<< "NumberOfComponents is 0; expected at least 1");
  }
  unsigned int first = 0, count = 0;
  this->SelectedColumns(rAxis, first, count);
  m_BasisAxis = rAxis;
  m_BasisAxis.Size = { { count, 1 } };
  m_BasisAxis.Origin = { { rAxis.GetCoordinate(first), 0.0 } };

  VectorAxis componentAxis;
  componentAxis.Quantity = ComponentQuantity;
  componentAxis.Size = { { m_Parameters.Rank, 1 } };
  componentAxis.Origin = { { 1.0, 0.0 } };
  OutputImageType * weights = this->GetOutput();
  weights->SetNumberOfComponentsPerPixel(m_Parameters.Rank);
  SetVectorAxis(weights->GetMetaDataDictionary(), componentAxis);
  ResidualImageType * residual = this->GetResidualOutput();
  residual->CopyInformation(input);
  residual->SetMetaDataDictionary(itk::MetaDataDictionary());
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  if (auto * input = const_cast<InputImageType *>(this->GetInput()))
  {
    input->SetRequestedRegionToLargestPossibleRegion();
  }
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::EnlargeOutputRequestedRegion(itk::DataObject * output)
{
  Superclass::EnlargeOutputRequestedRegion(output);
  output->SetRequestedRegionToLargestPossibleRegion();
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::GenerateData()
{
  const InputImageType * input = this->GetInput();
  VectorAxis             rAxis;
  GetVectorAxis(input->GetMetaDataDictionary(), rAxis);
  unsigned int first = 0, count = 0;
  this->SelectedColumns(rAxis, first, count);

  const auto         region = input->GetBufferedRegion();
  const Eigen::Index positions = static_cast<Eigen::Index>(region.GetNumberOfPixels());
  const Eigen::Index stride = input->GetNumberOfComponentsPerPixel();
  const double *     data = input->GetBufferPointer();
  // Refuse non-numbers (naming the first position) and find the minimum.
  // Every process learns whether any has one before it throws: the others
  // would otherwise wait for it in the next sum.
  double             minimum = std::numeric_limits<double>::infinity();
  std::ostringstream nonFinite;
  for (Eigen::Index p = 0; p < positions && nonFinite.tellp() == 0; ++p)
  {
    const double * row = data + p * stride + first;
    for (unsigned int i = 0; i < count; ++i)
    {
      if (!std::isfinite(row[i]))
      {
        const auto index = region.GetIndex();
        const auto width = static_cast<Eigen::Index>(region.GetSize(0));
        nonFinite << "position (" << index[0] + p % width << ", " << index[1] + p / width << "): G(r) is " << row[i]
                  << " at r = " << rAxis.GetCoordinate(first + i)
                  << " A; expected finite values (NaN or Inf cannot be factorised)";
        break;
      }
      minimum = std::min(minimum, row[i]);
    }
  }
  if (AddAcrossProcesses(m_GlobalSum, nonFinite.tellp() > 0 ? 1.0 : 0.0) > 0.0)
  {
    itkExceptionMacro(<< (nonFinite.tellp() > 0 ? nonFinite.str()
                                                : std::string("another process found a NaN or Inf in G(r)")));
  }
  if (m_GlobalMinimum)
  {
    minimum = m_GlobalMinimum(minimum);
  }
  if (positions == 0 && !m_GlobalSum)
  {
    itkExceptionMacro(<< "the input holds no positions");
  }
  m_Shift = -minimum;

  const auto         width = static_cast<Eigen::Index>(region.GetSize(0));
  const Eigen::Index owned = std::max<Eigen::Index>(0, positions - width * m_SharedTrailingRows);
  DenseShiftedMatrix v(data, owned, count, stride, first, minimum);
  v.SetMultiThreader(this->GetMultiThreader());
  NonnegativeMatrixFactorization nmf;
  nmf.SetParameters(m_Parameters);
  nmf.SetGlobalSum(m_GlobalSum);
  nmf.SetGlobalMinimum(m_GlobalMinimum);
  nmf.SetFirstRow(m_FirstPosition);
  nmf.SetScanWidth(width);
  const double expected = m_Parameters.Replicates * m_Parameters.ReplicateIterations + m_Parameters.MaxIterations;
  unsigned int done = 0;
  nmf.SetProgressCallback([&](const std::string &, unsigned int, double) {
    this->UpdateProgress(static_cast<float>(std::min(0.99, ++done / expected)));
  });
  m_Result = nmf.Run(v);
  if (owned < positions)
  {
    DenseShiftedMatrix all(data, positions, count, stride, first, minimum);
    all.SetMultiThreader(this->GetMultiThreader());
    nmf.SolveWeights(all, m_Result.H, m_Result.W, m_Result.RowResidualSquares);
  }

  this->AllocateOutputs();
  OutputImageType * weights = this->GetOutput();
  double *          w = weights->GetBufferPointer();
  const unsigned    k = m_Parameters.Rank;
  double *          residual = this->GetResidualOutput()->GetBufferPointer();
  for (Eigen::Index p = 0; p < positions; ++p)
  {
    for (unsigned int j = 0; j < k; ++j)
    {
      w[p * k + j] = m_Result.W(p, j);
    }
    residual[p] = std::sqrt(m_Result.RowResidualSquares[p] / count);
  }
  m_Basis = std::move(m_Result.H);
  m_Result.W.resize(0, 0);
  m_Result.H.resize(0, 0);
  this->UpdateProgress(1.0f);
}

template <typename TInputImage, typename TOutputImage>
void
NMFDecomposeImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "NumberOfComponents: " << m_Parameters.Rank << '\n'
     << indent << "Algorithm: " << ToString(m_Parameters.Algorithm) << '\n'
     << indent << "Initialization: " << ToString(m_Parameters.Initialization) << '\n'
     << indent << "Replicates: " << m_Parameters.Replicates << '\n'
     << indent << "ReplicateIterations: " << m_Parameters.ReplicateIterations << '\n'
     << indent << "MaxIterations: " << m_Parameters.MaxIterations << '\n'
     << indent << "Tolerance: " << m_Parameters.Tolerance << '\n'
     << indent << "StepTolerance: " << m_Parameters.StepTolerance << '\n'
     << indent << "SpatialSmoothing: " << m_Parameters.SpatialSmoothing << '\n'
     << indent << "Seed: " << m_Parameters.Seed << '\n'
     << indent << "CompressionRank: " << m_Parameters.CompressionRank << '\n'
     << indent << "MaxRefinementIterations: " << m_Parameters.MaxRefinementIterations << '\n'
     << indent << "RRange: " << m_RRange << '\n'
     << indent << "FirstPosition: " << m_FirstPosition << '\n'
     << indent << "SharedTrailingRows: " << m_SharedTrailingRows << '\n'
     << indent << "Shift: " << m_Shift << '\n';
}
} // namespace stempdf

#endif
