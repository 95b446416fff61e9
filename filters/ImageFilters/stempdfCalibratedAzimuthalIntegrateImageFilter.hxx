#ifndef stempdfCalibratedAzimuthalIntegrateImageFilter_hxx
#define stempdfCalibratedAzimuthalIntegrateImageFilter_hxx

#include "stempdfCalibratedAzimuthalIntegrateImageFilter.h"
#include "stempdfDefectivePixels.h"
#include "stempdfMeanPattern.h"
#include "stempdfRingCenterCalculator.h"

#include <algorithm>
#include <vector>

namespace stempdf
{
template <typename TInputImage, typename TOutputImage>
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::CalibratedAzimuthalIntegrateImageFilter()
  : m_Integrator(IntegratorType::New())
{
  this->SetNumberOfRequiredOutputs(2);
  this->SetNthOutput(1, this->MakeOutput(1));
}

template <typename TInputImage, typename TOutputImage>
void
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::GenerateOutputInformation()
{
  Superclass::GenerateOutputInformation();
  m_Integrator->SetInput(this->GetInput());
  m_Integrator->SetMaskImage(m_MaskImage);
  m_Integrator->UpdateOutputInformation();
  OutputImageType * inners[2] = { m_Integrator->GetOutput(), m_Integrator->GetVarianceOutput() };
  for (unsigned int i = 0; i < 2; ++i)
  {
    auto *       output = static_cast<OutputImageType *>(this->itk::ProcessObject::GetOutput(i));
    const auto * inner = inners[i];
    output->CopyInformation(inner);
    output->SetNumberOfComponentsPerPixel(inner->GetNumberOfComponentsPerPixel());
    output->SetMetaDataDictionary(inner->GetMetaDataDictionary());
  }
}

template <typename TInputImage, typename TOutputImage>
DetectorImage::Pointer
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::ComputeScanMeanPattern() const
{
  const InputImageType * input = this->GetInput();
  const RegionType       owned = m_HasOwnedRegion ? m_OwnedRegion : input->GetBufferedRegion();
  Eigen::VectorXd        sum = Eigen::VectorXd::Zero(input->GetNumberOfComponentsPerPixel());
  double count = owned.GetNumberOfPixels() > 0 ? static_cast<double>(AccumulatePatternSum(input, owned, sum)) : 0.0;
  if (m_GlobalSum)
  {
    // The sums and the count of every process, in one reduction.
    std::vector<double> values(sum.data(), sum.data() + sum.size());
    values.push_back(count);
    m_GlobalSum(values.data(), values.size());
    count = values.back();
    sum = Eigen::Map<const Eigen::VectorXd>(values.data(), sum.size());
  }
  if (!(count > 0.0))
  {
    itkExceptionMacro(<< "the scan holds no diffraction pattern to average");
  }
  VectorAxis detector;
  GetVectorAxis(input->GetMetaDataDictionary(), detector);
  return MakeDetectorImage(detector, sum / count);
}

template <typename TInputImage, typename TOutputImage>
void
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::GenerateData()
{
  m_MeanPattern = nullptr;
  m_UsedMask = nullptr;
  m_NumberOfDefectivePixels = 0;
  m_NumberOfExcludedPixels = 0;
  DetectorMaskImage::Pointer    mask;
  RingCenterCalculator::Pointer fitted;
  if (m_MaskImage)
  {
    mask = DetectorMaskImage::New();
    mask->Graft(m_MaskImage);
  }
  if (m_RejectDefectivePixels || m_FindCenter)
  {
    this->UpdateProgress(0.0);
    m_MeanPattern = this->ComputeScanMeanPattern();
    if (m_RejectDefectivePixels)
    {
      DefectivePixelCriteria criteria;
      criteria.Threshold = m_DefectThreshold;
      mask = FindDefectivePixels(m_MeanPattern, criteria, mask);
      const DefectivePixelCounts counts = CountDefectivePixels(mask);
      m_NumberOfDefectivePixels = counts.Dead + counts.Hot;
    }
    if (m_FindCenter)
    {
      auto calculator = RingCenterCalculator::New();
      calculator->SetImage(m_MeanPattern);
      calculator->SetMaskImage(mask);
      calculator->SetFitEllipse(m_FitEllipse);
      calculator->Compute();
      fitted = calculator;
    }
  }
  if (mask)
  {
    const auto n = mask->GetBufferedRegion().GetNumberOfPixels();
    m_NumberOfExcludedPixels =
      n - static_cast<itk::SizeValueType>(std::count(mask->GetBufferPointer(), mask->GetBufferPointer() + n, 0));
  }
  m_UsedMask = mask;

  m_Integrator->SetInput(this->GetInput());
  m_Integrator->SetMaskImage(mask);
  // The integrator writes into this filter's outputs (ITK's composite idiom).
  m_Integrator->GraftNthOutput(0, this->GetOutput());
  m_Integrator->GraftNthOutput(1, this->GetVarianceOutput());
  m_Integrator->GetOutput()->SetRequestedRegion(this->GetOutput()->GetRequestedRegion());
  m_Integrator->GetVarianceOutput()->SetRequestedRegion(this->GetOutput()->GetRequestedRegion());
  // The fitted geometry for this update only: the integrator keeps the user's.
  const auto   userCenter = m_Integrator->GetCenter();
  const bool   userMiddle = m_Integrator->GetCenterOnDetectorMiddle();
  const double userRatio = m_Integrator->GetEllipseRatio(), userAngle = m_Integrator->GetEllipseAngle();
  if (fitted)
  {
    m_Integrator->CenterOnDetectorMiddleOff();
    m_Integrator->SetCenter(typename IntegratorType::PointType{ { fitted->GetCenter()[0], fitted->GetCenter()[1] } });
    m_Integrator->SetEllipseRatio(fitted->GetEllipseRatio());
    m_Integrator->SetEllipseAngle(fitted->GetEllipseAngle());
  }
  const VectorAxis & detector = m_Integrator->GetInputAxis();
  m_UsedCenter = m_Integrator->GetCenter();
  if (m_Integrator->GetCenterOnDetectorMiddle())
  {
    m_UsedCenter =
      typename IntegratorType::PointType{ { 0.5 * (detector.Size[0] - 1.0), 0.5 * (detector.Size[1] - 1.0) } };
  }
  m_UsedEllipseRatio = m_Integrator->GetEllipseRatio();
  m_UsedEllipseAngle = m_Integrator->GetEllipseAngle();
  try
  {
    m_Integrator->Update();
  }
  catch (...)
  {
    this->RestoreIntegrator(userCenter, userMiddle, userRatio, userAngle, fitted.IsNotNull());
    throw;
  }
  this->RestoreIntegrator(userCenter, userMiddle, userRatio, userAngle, fitted.IsNotNull());
  this->GraftNthOutput(0, m_Integrator->GetOutput());
  this->GraftNthOutput(1, m_Integrator->GetVarianceOutput());
}

template <typename TInputImage, typename TOutputImage>
void
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::RestoreIntegrator(
  const typename IntegratorType::PointType & center, bool middle, double ratio, double angle, bool changed)
{
  if (changed)
  {
    m_Integrator->SetCenter(center);
    m_Integrator->SetCenterOnDetectorMiddle(middle);
    m_Integrator->SetEllipseRatio(ratio);
    m_Integrator->SetEllipseAngle(angle);
  }
}

template <typename TInputImage, typename TOutputImage>
void
CalibratedAzimuthalIntegrateImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os,
                                                                              itk::Indent    indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "MaskImage: " << (m_MaskImage ? "set" : "none") << std::endl;
  os << indent << "RejectDefectivePixels: " << (m_RejectDefectivePixels ? "On" : "Off")
     << ", DefectThreshold: " << m_DefectThreshold << std::endl;
  os << indent << "FindCenter: " << (m_FindCenter ? "On" : "Off") << ", FitEllipse: " << (m_FitEllipse ? "On" : "Off")
     << std::endl;
  os << indent << "OwnedRegion: ";
  if (m_HasOwnedRegion)
  {
    os << m_OwnedRegion;
  }
  else
  {
    os << "the input's buffered region" << std::endl;
  }
  os << indent << "GlobalSum: " << (m_GlobalSum ? "set" : "none (one process)") << std::endl;
  os << indent << "Integrator:" << std::endl;
  m_Integrator->Print(os, indent.GetNextIndent());
}
} // namespace stempdf

#endif
