#include "stempdfAmorphousScanSimulator.h"

#include "stempdfAutocorrelation.h"
#include "stempdfComposition.h"
#include "stempdfMetaDataKeys.h"
#include "stempdfRandomField.h"
#include "stempdfVectorAxis.h"

#include "itkMetaDataObject.h"
#include "itkTotalProgressReporter.h"

#include <boost/random/poisson_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <random>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.14159265358979323846;

/** SplitMix64: decorrelates the seeds of the per-frame random streams. */
std::uint64_t
Mix(std::uint64_t x)
{
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double
NormalCDF(double x)
{
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

/** Linear interpolation of y(x) on a uniform grid starting at 0 with step dx. */
double
Interpolate(const std::vector<double> & y, double dx, double x)
{
  const double t = x / dx;
  const auto   i = static_cast<size_t>(t);
  if (i + 1 >= y.size())
  {
    return y.back();
  }
  const double w = t - i;
  return (1.0 - w) * y[i] + w * y[i + 1];
}

constexpr double SGridStep = 0.001;
constexpr double TaperCenter = 0.37, TaperWidth = 0.03; // 1/A
} // namespace

AmorphousScanSimulator::AmorphousScanSimulator()
{
  m_ScanSize.Fill(128);
  m_DetectorSize.Fill(256);
  m_Center[0] = 131.3;
  m_Center[1] = 124.7;
  m_Types = { ShellPDFModel::LiquidLike(), ShellPDFModel::SolidLike(), ShellPDFModel::Noise() };
  this->DynamicMultiThreadingOn();
  this->ThreaderUpdateProgressOff();
}

void
AmorphousScanSimulator::SetStructuralType(unsigned int j, const ShellPDFModel & model)
{
  if (j > 2)
  {
    itkExceptionMacro(<< "structural type " << j
                      << " does not exist; expected 0 (liquid-like), 1 (solid-like) or 2 (noise)");
  }
  m_Types[j] = model;
  this->Modified();
}

const ShellPDFModel &
AmorphousScanSimulator::GetStructuralType(unsigned int j) const
{
  return m_Types.at(j);
}

const MapImage *
AmorphousScanSimulator::GetFractionMap(unsigned int j) const
{
  return m_Fractions.at(j);
}

const std::vector<double> &
AmorphousScanSimulator::GetIntensityPerAtom(unsigned int j) const
{
  return m_Intensity.at(j);
}

const std::vector<double> &
AmorphousScanSimulator::GetStructureFactor(unsigned int j) const
{
  return m_StructureFactors.at(j);
}

std::array<double, 3>
AmorphousScanSimulator::GetMeanFractions() const
{
  std::array<double, 3> means{ { 0.0, 0.0, 0.0 } };
  for (unsigned int j = 0; j < 3; ++j)
  {
    if (!m_Fractions[j])
    {
      continue;
    }
    const auto n = m_Fractions[j]->GetBufferedRegion().GetNumberOfPixels();
    for (size_t i = 0; i < n; ++i)
    {
      means[j] += m_Fractions[j]->GetBufferPointer()[i];
    }
    means[j] /= n;
  }
  return means;
}

void
AmorphousScanSimulator::CheckParameters() const
{
  if (m_ScanSize[0] == 0 || m_ScanSize[1] == 0 || m_DetectorSize[0] < 8 || m_DetectorSize[1] < 8)
  {
    itkExceptionMacro(<< "ScanSize " << m_ScanSize << " and DetectorSize " << m_DetectorSize
                      << ": expected at least 1 x 1 positions and 8 x 8 pixels");
  }
  const std::pair<const char *, double> positive[] = {
    { "ScanStep", m_ScanStep },         { "PixelSize", m_PixelSize },   { "BeamEnergy", m_BeamEnergy },
    { "EllipseRatio", m_EllipseRatio }, { "DomainSize", m_DomainSize }, { "Dose", m_Dose }
  };
  for (const auto & p : positive)
  {
    if (!(p.second > 0.0))
    {
      itkExceptionMacro(<< p.first << " is " << p.second << "; expected a value > 0");
    }
  }
  const std::pair<const char *, double> fractions[] = { { "SolidFraction", m_SolidFraction },
                                                        { "NoiseWeight", m_NoiseWeight },
                                                        { "ThicknessVariation", m_ThicknessVariation },
                                                        { "DeadPixelFraction", m_DeadPixelFraction },
                                                        { "HotPixelFraction", m_HotPixelFraction } };
  for (const auto & p : fractions)
  {
    if (!(p.second >= 0.0 && p.second < 1.0))
    {
      itkExceptionMacro(<< p.first << " is " << p.second << "; expected a value in [0, 1)");
    }
  }
  if (m_SaturationCount == 0 || m_SaturationCount > 65535)
  {
    itkExceptionMacro(<< "SaturationCount is " << m_SaturationCount << "; expected 1..65535 (uint16 output)");
  }
}

void
AmorphousScanSimulator::GenerateOutputInformation()
{
  this->CheckParameters();
  OutputImageType * output = this->GetOutput();
  output->SetLargestPossibleRegion(OutputImageRegionType(m_ScanSize));
  const double spacing[2] = { m_ScanStep, m_ScanStep };
  output->SetSpacing(spacing);
  const double origin[2] = { 0.0, 0.0 };
  output->SetOrigin(origin);
  output->SetNumberOfComponentsPerPixel(m_DetectorSize[0] * m_DetectorSize[1]);
  auto & dictionary = output->GetMetaDataDictionary();
  SetVectorAxis(dictionary, MakeDetectorAxis(m_DetectorSize[0], m_DetectorSize[1]));
  itk::EncapsulateMetaData<double>(dictionary, DetectorPixelSizeKey, m_PixelSize);
  itk::EncapsulateMetaData<double>(dictionary, BeamEnergyKey, m_BeamEnergy);
  itk::EncapsulateMetaData<double>(dictionary, ScanStepKey, m_ScanStep);
}

void
AmorphousScanSimulator::ComputeMaps()
{
  const unsigned int nx = m_ScanSize[0], ny = m_ScanSize[1];
  // Solid-like fraction: a soft threshold of a Gaussian random field, shifted
  // so that its mean is SolidFraction: E[Phi((z - z0)/tau)] = Phi(-z0/sqrt(1+tau^2)).
  const double tau = 0.35;
  auto         solidField = MakeGaussianRandomField(nx, ny, m_ScanStep, m_DomainSize, Mix(m_Seed ^ 0x51));
  auto         noiseField = MakeGaussianRandomField(nx, ny, m_ScanStep, m_DomainSize, Mix(m_Seed ^ 0x52));
  auto         thickField = MakeGaussianRandomField(nx, ny, m_ScanStep, 4.0 * m_DomainSize, Mix(m_Seed ^ 0x53));
  // Inverse normal CDF by bisection (no dependency for one number).
  double lo = -10.0, hi = 10.0;
  for (int i = 0; i < 100; ++i)
  {
    const double mid = 0.5 * (lo + hi);
    (NormalCDF(mid) < m_SolidFraction ? lo : hi) = mid;
  }
  const double z0 = -std::sqrt(1.0 + tau * tau) * lo;

  double maxThickness = 1e-12;
  for (size_t i = 0; i < static_cast<size_t>(nx) * ny; ++i)
  {
    maxThickness = std::max(maxThickness, std::abs(thickField->GetBufferPointer()[i]));
  }
  for (auto & map : m_Fractions)
  {
    map = MapImage::New();
    map->CopyInformation(solidField);
    map->SetRegions(solidField->GetLargestPossibleRegion());
    map->Allocate();
  }
  m_Thickness = MapImage::New();
  m_Thickness->CopyInformation(solidField);
  m_Thickness->SetRegions(solidField->GetLargestPossibleRegion());
  m_Thickness->Allocate();
  for (size_t i = 0; i < static_cast<size_t>(nx) * ny; ++i)
  {
    const double noise = m_NoiseWeight * NormalCDF(noiseField->GetBufferPointer()[i]);
    const double solid = NormalCDF((solidField->GetBufferPointer()[i] - z0) / tau);
    m_Fractions[0]->GetBufferPointer()[i] = (1.0 - noise) * (1.0 - solid);
    m_Fractions[1]->GetBufferPointer()[i] = (1.0 - noise) * solid;
    m_Fractions[2]->GetBufferPointer()[i] = noise;
    m_Thickness->GetBufferPointer()[i] = 1.0 + m_ThicknessVariation * thickField->GetBufferPointer()[i] / maxThickness;
  }
  // 0 when undefined (a map under 4 x 4, or domains too large for the map).
  const double fwhm = (nx >= 4 && ny >= 4) ? ComputeRadialAutocorrelation(m_Fractions[1]).FullWidthHalfMaximum() : 0.0;
  m_RealisedDomainSize = std::isfinite(fwhm) ? fwhm : 0.0;
}

void
AmorphousScanSimulator::ComputeCurves()
{
  const Composition composition = ParseComposition(m_Composition);
  const double      dx = m_DetectorSize[0], dy = m_DetectorSize[1];
  const double      corner = m_PixelSize * std::sqrt(m_EllipseRatio + 1.0 / m_EllipseRatio) * std::hypot(dx, dy);
  const auto        n = static_cast<size_t>(std::ceil(corner / SGridStep)) + 2;
  m_SGrid.resize(n);
  for (size_t i = 0; i < n; ++i)
  {
    m_SGrid[i] = i * SGridStep;
  }
  m_CompositionFactors =
    ComputeCompositionScatteringFactors(composition, m_SGrid, m_ScatteringFactors, RelativisticFactor(m_BeamEnergy));
  const double f2ref = Interpolate(m_CompositionFactors.MeanFSquared, SGridStep, 0.25);
  m_Background.resize(n);
  for (size_t i = 0; i < n; ++i)
  {
    m_Background[i] = m_BackgroundLevel * f2ref * std::exp(-m_SGrid[i] / 0.4);
  }
  for (unsigned int j = 0; j < 3; ++j)
  {
    // S below 0.3 1/A is tapered to 1 (see the class documentation); s = 0 is avoided.
    std::vector<double> s(m_SGrid);
    s[0] = 0.5 * SGridStep;
    const std::vector<double> phi = m_Types[j].ReducedIntensity(s);
    m_StructureFactors[j].resize(n);
    m_Intensity[j].resize(n);
    for (size_t i = 0; i < n; ++i)
    {
      const double taper = 0.5 * (1.0 + std::tanh((s[i] - TaperCenter) / TaperWidth));
      const double S = 1.0 + taper * phi[i] / s[i];
      m_StructureFactors[j][i] = S;
      m_Intensity[j][i] = m_CompositionFactors.MeanFSquared[i] +
                          m_CompositionFactors.MeanF[i] * m_CompositionFactors.MeanF[i] * (S - 1.0);
    }
  }
}

void
AmorphousScanSimulator::ComputeDetector()
{
  const unsigned int kx = m_DetectorSize[0], ky = m_DetectorSize[1];
  const size_t       pixels = static_cast<size_t>(kx) * ky;
  const double       angle = m_EllipseAngle * Pi / 180.0;
  const double       c = std::cos(angle), s = std::sin(angle);
  m_PixelS.resize(pixels);
  m_DetectorMask = MaskImage::New();
  m_DetectorMask->SetRegions(MaskImage::SizeType{ { kx, ky } });
  m_DetectorMask->Allocate(true);
  std::uint8_t * mask = m_DetectorMask->GetBufferPointer();
  const double   armAngle = 250.0 * Pi / 180.0; // beam-stop arm direction
  for (unsigned int y = 0; y < ky; ++y)
  {
    for (unsigned int x = 0; x < kx; ++x)
    {
      const double dx = x - m_Center[0], dy = y - m_Center[1];
      const double u = c * dx + s * dy, v = -s * dx + c * dy;
      const size_t p = static_cast<size_t>(y) * kx + x;
      m_PixelS[p] = m_PixelSize * std::sqrt(u * u / m_EllipseRatio + v * v * m_EllipseRatio);
      if (m_PixelS[p] < m_DirectBeamRadius)
      {
        mask[p] = 3;
      }
      if (m_BeamStop)
      {
        const double along = dx * std::cos(armAngle) + dy * std::sin(armAngle);
        const double across = -dx * std::sin(armAngle) + dy * std::cos(armAngle);
        if (m_PixelS[p] < 1.6 * m_DirectBeamRadius || (along > 0.0 && std::abs(across) < 4.0))
        {
          mask[p] = 4;
        }
      }
    }
  }
  // Dead and hot pixels at fixed random places.
  std::mt19937_64                       random(Mix(m_Seed ^ 0xDEAD));
  std::uniform_int_distribution<size_t> anywhere(0, pixels - 1);
  const auto                            dead = static_cast<size_t>(std::llround(m_DeadPixelFraction * pixels));
  const auto                            hot = static_cast<size_t>(std::llround(m_HotPixelFraction * pixels));
  for (size_t i = 0; i < dead + hot; ++i)
  {
    mask[anywhere(random)] = i < dead ? 1 : 2;
  }

  // Expected counts per unit weight, k included: k is set so that the mean
  // pattern holds Dose counts per pixel between s = 0.25 and 1.6.
  const auto   means = this->GetMeanFractions();
  double       meanT2 = 0.0;
  const size_t positions = m_Thickness->GetBufferedRegion().GetNumberOfPixels();
  for (size_t i = 0; i < positions; ++i)
  {
    meanT2 += m_Thickness->GetBufferPointer()[i] * m_Thickness->GetBufferPointer()[i];
  }
  meanT2 /= positions;
  double annulusSum = 0.0;
  size_t annulusCount = 0;
  for (auto & pattern : m_PixelPatterns)
  {
    pattern.assign(pixels, 0.0f);
  }
  std::array<double, 4> perPixel{};
  for (size_t p = 0; p < pixels; ++p)
  {
    for (unsigned int j = 0; j < 3; ++j)
    {
      perPixel[j] = Interpolate(m_Intensity[j], SGridStep, m_PixelS[p]);
    }
    perPixel[3] = Interpolate(m_Background, SGridStep, m_PixelS[p]);
    if (m_PixelS[p] >= 0.25 && m_PixelS[p] <= 1.6)
    {
      annulusSum += means[0] * perPixel[0] + means[1] * perPixel[1] + means[2] * perPixel[2] + meanT2 * perPixel[3];
      ++annulusCount;
    }
    for (unsigned int j = 0; j < 4; ++j)
    {
      m_PixelPatterns[j][p] = static_cast<float>(perPixel[j]);
    }
  }
  if (annulusCount == 0)
  {
    itkExceptionMacro(<< "no detector pixel lies between s = 0.25 and 1.6 1/A: check PixelSize (" << m_PixelSize
                      << " 1/A per px) and DetectorSize " << m_DetectorSize);
  }
  m_CountScale = m_Dose / (annulusSum / annulusCount);
  for (auto & pattern : m_PixelPatterns)
  {
    for (auto & value : pattern)
    {
      value = static_cast<float>(value * m_CountScale);
    }
  }
  m_AtomCount = MapImage::New();
  m_AtomCount->CopyInformation(m_Thickness);
  m_AtomCount->SetRegions(m_Thickness->GetLargestPossibleRegion());
  m_AtomCount->Allocate();
  for (size_t i = 0; i < positions; ++i)
  {
    m_AtomCount->GetBufferPointer()[i] = m_CountScale * m_Thickness->GetBufferPointer()[i];
  }
}

void
AmorphousScanSimulator::ComputeGroundTruth()
{
  this->CheckParameters();
  this->ComputeMaps();
  this->ComputeCurves();
  this->ComputeDetector();
}

void
AmorphousScanSimulator::BeforeThreadedGenerateData()
{
  this->ComputeGroundTruth();
}

void
AmorphousScanSimulator::DynamicThreadedGenerateData(const OutputImageRegionType & region)
{
  OutputImageType *    output = this->GetOutput();
  const size_t         pixels = m_PixelS.size();
  const std::uint8_t * mask = m_DetectorMask->GetBufferPointer();
  const auto           saturation = static_cast<std::uint16_t>(m_SaturationCount);
  const unsigned int   nx = m_ScanSize[0];
  std::vector<double>  lambda(pixels);

  itk::TotalProgressReporter progress(this, output->GetRequestedRegion().GetNumberOfPixels());
  for (itk::IndexValueType y = region.GetIndex(1);
       y < region.GetIndex(1) + static_cast<itk::IndexValueType>(region.GetSize(1));
       ++y)
  {
    for (itk::IndexValueType x = region.GetIndex(0);
         x < region.GetIndex(0) + static_cast<itk::IndexValueType>(region.GetSize(0));
         ++x)
    {
      const size_t    position = static_cast<size_t>(y) * nx + x;
      const double    t = m_Thickness->GetBufferPointer()[position];
      const double    w[4] = { t * m_Fractions[0]->GetBufferPointer()[position],
                               t * m_Fractions[1]->GetBufferPointer()[position],
                               t * m_Fractions[2]->GetBufferPointer()[position],
                               t * t };
      std::mt19937_64 random(Mix(m_Seed ^ Mix(position + 1)));
      std::uint16_t * frame = output->GetBufferPointer() + output->ComputeOffset({ { x, y } }) * pixels;
      for (size_t p = 0; p < pixels; ++p)
      {
        double mean = w[0] * m_PixelPatterns[0][p] + w[1] * m_PixelPatterns[1][p] + w[2] * m_PixelPatterns[2][p] +
                      w[3] * m_PixelPatterns[3][p];
        switch (mask[p])
        {
          case 1: // dead
            frame[p] = 0;
            continue;
          case 2: // hot
          case 3: // direct beam
            frame[p] = saturation;
            continue;
          case 4: // beam-stop shadow
            mean *= 0.02;
            break;
          default:
            break;
        }
        // Boost's Poisson sampler (inversion / PTRS) is 2-4x faster than libstdc++'s.
        const auto counts = mean > 0.0 ? boost::random::poisson_distribution<std::uint32_t, double>(mean)(random) : 0u;
        frame[p] = static_cast<std::uint16_t>(std::min<std::uint32_t>(counts, saturation));
      }
      progress.CompletedPixel();
    }
  }
}

void
AmorphousScanSimulator::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "ScanSize: " << m_ScanSize << ", ScanStep: " << m_ScanStep << " nm\n";
  os << indent << "DetectorSize: " << m_DetectorSize << ", PixelSize: " << m_PixelSize << " 1/A per px\n";
  os << indent << "BeamEnergy: " << m_BeamEnergy << " kV\n";
  os << indent << "Center: " << m_Center << ", EllipseRatio: " << m_EllipseRatio << ", EllipseAngle: " << m_EllipseAngle
     << " deg\n";
  os << indent << "Composition: " << m_Composition << ", ScatteringFactors: " << ToString(m_ScatteringFactors) << "\n";
  os << indent << "DomainSize: " << m_DomainSize << " nm, SolidFraction: " << m_SolidFraction
     << ", NoiseWeight: " << m_NoiseWeight << ", ThicknessVariation: " << m_ThicknessVariation << "\n";
  os << indent << "BackgroundLevel: " << m_BackgroundLevel << ", Dose: " << m_Dose
     << ", DirectBeamRadius: " << m_DirectBeamRadius << " 1/A, SaturationCount: " << m_SaturationCount << "\n";
  os << indent << "BeamStop: " << (m_BeamStop ? "On" : "Off") << ", DeadPixelFraction: " << m_DeadPixelFraction
     << ", HotPixelFraction: " << m_HotPixelFraction << ", Seed: " << m_Seed << "\n";
}
} // namespace stempdf
