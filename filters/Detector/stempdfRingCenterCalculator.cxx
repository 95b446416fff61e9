#include "stempdfRingCenterCalculator.h"

#include "itkAmoebaOptimizer.h"
#include "itkSingleValuedCostFunction.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace stempdf
{
namespace
{
constexpr double Pi = 3.141592653589793238462643383279502884;

// Objective returned where the parameters are unusable (too little of the band
// on valid pixels, absurd ellipse): far above any real value (<= about 1).
constexpr double Penalty = 1e6;
// Largest t = -ln(e) the optimizer may visit (e >= 0.37) and the smallest e
// accepted as a result.
constexpr double MaximumT = 1.0;
constexpr double MinimumRatio = 0.5;
// Fraction of the polar samples that must fall on valid pixels.
constexpr double MinimumValidFraction = 0.1;

/** The transformed pattern f and its validity, padded by one invalid pixel on
 *  every side so that a bilinear lookup needs a single bounds test. */
struct PaddedPattern
{
  struct Cell
  {
    double value; // f, 0 where invalid (so sum w f over all four cells = sum over the valid ones)
    double valid; // 1 valid, 0 masked / outlier / padding
  };
  long              width{ 0 };  // Kx + 2
  long              height{ 0 }; // Ky + 2
  std::vector<Cell> cells;
  double            shift{ 0.0 }; // a typical value of f (the median)

  std::size_t
  Offset(long kx, long ky) const
  {
    return static_cast<std::size_t>(ky + 1) * static_cast<std::size_t>(width) + static_cast<std::size_t>(kx + 1);
  }
};

/** The polar grid on the unit-metric (circular) plane: ring r holds the points
 *  rho (cos a, sin a) for indices [start[r], start[r + 1]). */
struct PolarGrid
{
  std::vector<double>      x, y;
  std::vector<std::size_t> start;
};

struct Evaluation
{
  double      pooledVariance{ 0.0 }; // weighted variance across angle, pooled over rings
  double      totalVariance{ 0.0 };  // weighted variance of all samples
  double      weight{ 0.0 };         // sum of the sample weights
  std::size_t samples{ 0 };          // number of samples with weight > 0
};

/** M^(-1/2) for (p, q) = t (cos 2theta, sin 2theta): cosh(t/2) I - sinh(t/2) R,
 *  R the reflection [[cos 2theta, sin 2theta], [sin 2theta, -cos 2theta]]. */
void
InverseSquareRootMetric(double p, double q, double & a11, double & a12, double & a22)
{
  const double t = std::hypot(p, q);
  // sinh(t/2)/t -> 1/2 smoothly as t -> 0.
  const double k = t > 1e-6 ? std::sinh(0.5 * t) / t : 0.5 + t * t / 48.0;
  const double c = std::cosh(0.5 * t);
  a11 = c - k * p;
  a12 = -k * q;
  a22 = c + k * p;
}

Evaluation
EvaluateRings(const PaddedPattern & f, const PolarGrid & grid, double cx, double cy, double p, double q)
{
  double a11, a12, a22;
  InverseSquareRootMetric(p, q, a11, a12, a22);
  // Sums of f - Shift (Shift a typical value of f): no cancellation in
  // S2 - S1^2 / S0 for variances down to about 1e-12 of f^2.
  const double shift = f.shift;
  Evaluation   result;
  double       pooled = 0.0, total0 = 0.0, total1 = 0.0, total2 = 0.0;
  std::size_t  samples = 0;
  // A sample has both neighbours floor(x), floor(x) + 1 in the padded image
  // only for -1 <= x < K, i.e. 0 <= x + 1 < K + 1 = width - 1.
  const double                xLimit = static_cast<double>(f.width - 1), yLimit = static_cast<double>(f.height - 1);
  const PaddedPattern::Cell * cells = f.cells.data();
  const std::size_t           width = static_cast<std::size_t>(f.width);
  const double                ox = cx + 1.0, oy = cy + 1.0;
  const std::size_t           rings = grid.start.size() - 1;
  for (std::size_t r = 0; r < rings; ++r)
  {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0;
    for (std::size_t i = grid.start[r]; i < grid.start[r + 1]; ++i)
    {
      // Padded coordinates (pixel kx at kx + 1): >= 0, so truncation is floor.
      const double x = ox + a11 * grid.x[i] + a12 * grid.y[i];
      const double y = oy + a12 * grid.x[i] + a22 * grid.y[i];
      if (!(x >= 0.0 && x < xLimit && y >= 0.0 && y < yLimit))
      {
        continue;
      }
      const auto                  ix = static_cast<std::size_t>(x), iy = static_cast<std::size_t>(y);
      const double                wx = x - static_cast<double>(ix), wy = y - static_cast<double>(iy);
      const PaddedPattern::Cell * c0 = cells + iy * width + ix;
      const PaddedPattern::Cell * c1 = c0 + width;
      const double w0 = (1.0 - wx) * (1.0 - wy), w1 = wx * (1.0 - wy), w2 = (1.0 - wx) * wy, w3 = wx * wy;
      const double w = w0 * c0[0].valid + w1 * c0[1].valid + w2 * c1[0].valid + w3 * c1[1].valid;
      const double n = w0 * c0[0].value + w1 * c0[1].value + w2 * c1[0].value + w3 * c1[1].value;
      // The sample's value is n / w, its weight w^2: with e = w (n / w - shift)
      // = n - w shift the sums need no division, and a sample on invalid pixels
      // only (w = n = 0) adds nothing.
      const double e = n - w * shift;
      s0 += w * w;
      s1 += w * e;
      s2 += e * e;
      samples += w > 0.0;
    }
    if (s0 > 0.0)
    {
      pooled += std::max(0.0, s2 - s1 * s1 / s0);
      total0 += s0;
      total1 += s1;
      total2 += s2;
    }
  }
  result.weight = total0;
  result.samples = samples;
  if (total0 > 0.0)
  {
    result.pooledVariance = pooled / total0;
    result.totalVariance = std::max(0.0, total2 - total1 * total1 / total0) / total0;
  }
  return result;
}

/** The ring objective for itk::AmoebaOptimizer: parameters (cx, cy) or
 *  (cx, cy, P, Q) with (p, q) = (P, Q) / EllipseScale. */
class RingObjective : public itk::SingleValuedCostFunction
{
public:
  using Self = RingObjective;
  using Superclass = itk::SingleValuedCostFunction;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  itkTypeMacro(RingObjective, SingleValuedCostFunction);

  const PaddedPattern * Pattern{ nullptr };
  const PolarGrid *     Grid{ nullptr };
  unsigned int          Dimension{ 2 };
  double                EllipseScale{ 1.0 };
  double                Reference{ 1.0 };     // objective = pooled variance / Reference
  double                MinimumWeight{ 0.0 }; // less valid weight than this: Penalty
  mutable std::size_t   Evaluations{ 0 };

  MeasureType
  GetValue(const ParametersType & parameters) const override
  {
    ++Evaluations;
    const double p = Dimension == 4 ? parameters[2] / EllipseScale : 0.0;
    const double q = Dimension == 4 ? parameters[3] / EllipseScale : 0.0;
    const double t = std::hypot(p, q);
    if (!(t <= MaximumT))
    {
      return Penalty * (1.0 + t);
    }
    const Evaluation e = EvaluateRings(*Pattern, *Grid, parameters[0], parameters[1], p, q);
    if (!(e.weight >= MinimumWeight) || e.weight <= 0.0)
    {
      // Slope towards more valid samples helps the simplex back.
      return Penalty * (2.0 - e.weight / std::max(MinimumWeight, 1.0));
    }
    return e.pooledVariance / Reference;
  }

  void
  GetDerivative(const ParametersType &, DerivativeType &) const override
  {
    itkExceptionMacro(<< "RingObjective has no derivative (use a derivative-free optimizer)");
  }

  unsigned int
  GetNumberOfParameters() const override
  {
    return Dimension;
  }

protected:
  RingObjective() = default;
  ~RingObjective() override = default;
};

/** Minimises `objective` from `start` with itk::AmoebaOptimizer. */
itk::OptimizerParameters<double>
Minimise(RingObjective * objective, const itk::OptimizerParameters<double> & start,
         const itk::OptimizerParameters<double> & simplexDelta, double parameterTolerance, double functionTolerance,
         bool restarts)
{
  auto optimizer = itk::AmoebaOptimizer::New();
  optimizer->SetCostFunction(objective);
  optimizer->SetInitialPosition(start);
  optimizer->SetInitialSimplexDelta(simplexDelta);
  optimizer->SetParametersConvergenceTolerance(parameterTolerance);
  optimizer->SetFunctionConvergenceTolerance(functionTolerance);
  optimizer->SetMaximumNumberOfIterations(3000);
  optimizer->SetOptimizeWithRestarts(restarts);
  optimizer->StartOptimization();
  return optimizer->GetCurrentPosition();
}

double
Median(std::vector<double> & values)
{
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

/** 3. The polar grid over `band`: radii 1 px apart, about 1 px between
 *  samples along a ring. */
PolarGrid
MakePolarGrid(const RingCenterCalculator::RangeType & band)
{
  PolarGrid          grid;
  const unsigned int rings = std::max(8u, static_cast<unsigned int>(std::ceil(band[1] - band[0])));
  for (unsigned int r = 0; r < rings; ++r)
  {
    const double rho = band[0] + (band[1] - band[0]) * (r + 0.5) / rings;
    const auto   angles = std::max(64u, 4 * static_cast<unsigned int>(std::ceil(0.5 * Pi * rho)));
    grid.start.push_back(grid.x.size());
    for (unsigned int a = 0; a < angles; ++a)
    {
      const double angle = 2.0 * Pi * (a + 0.5) / angles;
      grid.x.push_back(rho * std::cos(angle));
      grid.y.push_back(rho * std::sin(angle));
    }
  }
  grid.start.push_back(grid.x.size());
  return grid;
}

/** The centroid of the valid pixels whose median-filtered f is within 0.1 (about
 *  10 %) of the brightest, weighted by how close: the direct beam when there
 *  is one. False when there is none. */
bool
BrightestCentroid(const std::vector<double> & median, const std::vector<char> & hasMedian,
                  const std::vector<unsigned char> & valid, long kx, long ky,
                  RingCenterCalculator::PointType & centroid)
{
  const std::size_t pixels = static_cast<std::size_t>(kx) * static_cast<std::size_t>(ky);
  double            brightest = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < pixels; ++i)
  {
    if (hasMedian[i] && valid[i])
    {
      brightest = std::max(brightest, median[i]);
    }
  }
  // Pixels within about 10 % of the brightest, weighted by how close.
  const double floor = brightest - 0.1;
  double       sum = 0.0, sumX = 0.0, sumY = 0.0;
  for (long y = 0; y < ky; ++y)
  {
    for (long x = 0; x < kx; ++x)
    {
      const std::size_t i = static_cast<std::size_t>(y * kx + x);
      if (hasMedian[i] && valid[i] && median[i] > floor)
      {
        const double w = median[i] - floor;
        sum += w;
        sumX += w * x;
        sumY += w * y;
      }
    }
  }
  if (!(sum > 0.0))
  {
    return false;
  }
  centroid = RingCenterCalculator::PointType{ { sumX / sum, sumY / sum } };
  return true;
}
} // namespace

/** What one Compute() passes from step to step. Positions are relative to
 *  the buffer: pixel (kx, ky) of the image is at (kx, ky) - (x0, y0). */
struct RingCenterCalculator::Fit
{
  long                       kx{ 0 }, ky{ 0 };
  std::size_t                pixels{ 0 };
  double                     x0{ 0.0 }, y0{ 0.0 }; // BufferedRegion.Index
  RangeType                  band{ { 0.0, 0.0 } }; // the radii used
  PointType                  initial{ { 0.0, 0.0 } };
  std::vector<unsigned char> valid;     // unmasked, finite, not an outlier
  std::vector<double>        f;         // the transformed pattern (step 1)
  std::vector<double>        median;    // f's 3 x 3 median over the valid neighbours, where hasMedian
  std::vector<char>          hasMedian; //
  PaddedPattern              pattern;
  PolarGrid                  grid;
  RingObjective::Pointer     objective;
  PointType                  start{ { 0.0, 0.0 } };
};

void
RingCenterCalculator::Compute()
{
  m_Valid = false;
  Fit fit;
  this->CheckInputs(fit);
  this->TransformPattern(fit);
  this->FindOutliers(fit);
  this->PadPattern(fit);
  fit.grid = MakePolarGrid(fit.band);
  fit.objective = RingObjective::New();
  fit.objective->Pattern = &fit.pattern;
  fit.objective->Grid = &fit.grid;
  fit.objective->MinimumWeight = MinimumValidFraction * static_cast<double>(fit.grid.x.size());
  fit.objective->EllipseScale = 0.5 * fit.band[1];
  this->ChooseStart(fit);
  double cx = 0.0, cy = 0.0, p = 0.0, q = 0.0;
  this->FitRings(fit, cx, cy, p, q);
  m_NumberOfEvaluations = fit.objective->Evaluations;
  this->StoreResult(fit, cx, cy, p, q);
}

void
RingCenterCalculator::CheckInputs(Fit & fit) const
{
  if (m_Image.IsNull())
  {
    itkExceptionMacro(<< "no Image: call SetImage() before Compute()");
  }
  const auto region = m_Image->GetBufferedRegion();
  const long kx = static_cast<long>(region.GetSize(0)), ky = static_cast<long>(region.GetSize(1));
  if (kx < 4 || ky < 4)
  {
    itkExceptionMacro(<< "Image is " << region.GetSize() << " pixels; expected at least 4 x 4");
  }
  if (m_MaskImage.IsNotNull() && m_MaskImage->GetBufferedRegion().GetSize() != region.GetSize())
  {
    itkExceptionMacro(<< "MaskImage is " << m_MaskImage->GetBufferedRegion().GetSize() << " pixels but Image is "
                      << region.GetSize());
  }
  fit.kx = kx;
  fit.ky = ky;
  fit.pixels = static_cast<std::size_t>(kx) * static_cast<std::size_t>(ky);

  // Band of radii.
  RangeType &  band = fit.band;
  const double diagonal = std::hypot(static_cast<double>(kx - 1), static_cast<double>(ky - 1));
  band = m_RadiusRange;
  if (band[0] == 0.0 && band[1] == 0.0)
  {
    const double smaller = static_cast<double>(std::min(kx, ky));
    band[0] = 0.1 * smaller;
    band[1] = 0.45 * smaller;
  }
  else if (!(band[0] >= 0.0) || !(band[1] > band[0]) || !(band[1] <= diagonal) || !std::isfinite(band[1]))
  {
    itkExceptionMacro(<< "RadiusRange is (" << band[0] << ", " << band[1] << ") px; expected 0 <= min < max <= "
                      << diagonal << " (the detector diagonal), or (0, 0) for automatic");
  }
  // Internally pixel (kx, ky) of the buffer is at (kx, ky) - BufferedRegion.Index.
  fit.x0 = static_cast<double>(region.GetIndex(0));
  fit.y0 = static_cast<double>(region.GetIndex(1));
  const PointType initial{ { m_InitialCenter[0] - fit.x0, m_InitialCenter[1] - fit.y0 } };
  if (m_UseInitialCenter &&
      !(initial[0] >= -0.5 && initial[0] <= kx - 0.5 && initial[1] >= -0.5 && initial[1] <= ky - 0.5))
  {
    itkExceptionMacro(<< "InitialCenter (" << m_InitialCenter[0] << ", " << m_InitialCenter[1] << ") px is not on the "
                      << kx << " x " << ky << " detector");
  }
  fit.initial = initial;
}

void
RingCenterCalculator::TransformPattern(Fit & fit) const
{
  // Valid pixels: unmasked and finite.
  const std::size_t          pixels = fit.pixels;
  const double *             image = m_Image->GetBufferPointer();
  const unsigned char *      mask = m_MaskImage.IsNotNull() ? m_MaskImage->GetBufferPointer() : nullptr;
  std::vector<unsigned char> valid(pixels);
  std::vector<double>        positive;
  double                     lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  positive.reserve(pixels);
  for (std::size_t i = 0; i < pixels; ++i)
  {
    valid[i] = (mask == nullptr || mask[i] == 0) && std::isfinite(image[i]);
    if (valid[i])
    {
      lowest = std::min(lowest, image[i]);
      highest = std::max(highest, image[i]);
      if (image[i] > 0.0)
      {
        positive.push_back(image[i]);
      }
    }
  }
  if (!(highest >= lowest))
  {
    itkExceptionMacro(<< "too few valid samples: no finite pixel of the Image is outside the MaskImage");
  }
  if (highest == lowest || positive.empty())
  {
    itkExceptionMacro(<< "Image is constant (or has no positive value) on its unmasked pixels: no rings to fit");
  }

  // 1. Transform.
  const double        offset = 0.01 * Median(positive);
  std::vector<double> f(pixels, 0.0);
  for (std::size_t i = 0; i < pixels; ++i)
  {
    if (valid[i])
    {
      f[i] = std::log(std::max(image[i], 0.0) + offset);
    }
  }
  fit.valid = std::move(valid);
  fit.f = std::move(f);
}

void
RingCenterCalculator::FindOutliers(Fit & fit)
{
  // 2. Outliers against the 3 x 3 median of the valid neighbours; the median
  // image also gives the automatic start (isolated hot pixels do not survive it).
  const long                   kx = fit.kx, ky = fit.ky;
  const std::size_t            pixels = fit.pixels;
  std::vector<unsigned char> & valid = fit.valid;
  const std::vector<double> &  f = fit.f;
  std::vector<double> &        median = fit.median;
  std::vector<char> &          hasMedian = fit.hasMedian;
  median.assign(pixels, 0.0);
  hasMedian.assign(pixels, 0);
  std::vector<double> deviation(pixels, 0.0);
  std::vector<double> absoluteDeviations;
  absoluteDeviations.reserve(pixels);
  {
    std::vector<double> neighbourhood;
    neighbourhood.reserve(9);
    for (long y = 0; y < ky; ++y)
    {
      for (long x = 0; x < kx; ++x)
      {
        const std::size_t i = static_cast<std::size_t>(y * kx + x);
        if (!valid[i])
        {
          continue;
        }
        neighbourhood.clear();
        for (long ny = std::max(0L, y - 1); ny <= std::min(ky - 1, y + 1); ++ny)
        {
          for (long nx = std::max(0L, x - 1); nx <= std::min(kx - 1, x + 1); ++nx)
          {
            const std::size_t j = static_cast<std::size_t>(ny * kx + nx);
            if (valid[j])
            {
              neighbourhood.push_back(f[j]);
            }
          }
        }
        if (neighbourhood.size() < 3)
        {
          continue;
        }
        median[i] = Median(neighbourhood);
        hasMedian[i] = 1;
        deviation[i] = f[i] - median[i];
        absoluteDeviations.push_back(std::abs(deviation[i]));
      }
    }
  }
  m_NumberOfOutliers = 0;
  if (m_OutlierThreshold > 0.0 && !absoluteDeviations.empty())
  {
    const double sigma = 1.4826 * Median(absoluteDeviations);
    const double threshold = std::max(m_OutlierThreshold, 6.0 * sigma);
    for (std::size_t i = 0; i < pixels; ++i)
    {
      if (hasMedian[i] && std::abs(deviation[i]) > threshold)
      {
        valid[i] = 0;
        ++m_NumberOfOutliers;
      }
    }
  }
}

void
RingCenterCalculator::PadPattern(Fit & fit) const
{
  const long                         kx = fit.kx, ky = fit.ky;
  const std::size_t                  pixels = fit.pixels;
  const std::vector<unsigned char> & valid = fit.valid;
  const std::vector<double> &        f = fit.f;
  PaddedPattern &                    pattern = fit.pattern;
  pattern.width = kx + 2;
  pattern.height = ky + 2;
  {
    std::vector<double> validValues;
    for (std::size_t i = 0; i < pixels; ++i)
    {
      if (valid[i])
      {
        validValues.push_back(f[i]);
      }
    }
    if (validValues.empty())
    {
      itkExceptionMacro(<< "too few valid samples: every unmasked pixel of the Image is an outlier (OutlierThreshold "
                        << m_OutlierThreshold << ")");
    }
    pattern.shift = Median(validValues);
  }
  pattern.cells.assign(static_cast<std::size_t>(pattern.width * pattern.height), PaddedPattern::Cell{ 0.0, 0.0 });
  for (long y = 0; y < ky; ++y)
  {
    for (long x = 0; x < kx; ++x)
    {
      const std::size_t i = static_cast<std::size_t>(y * kx + x);
      if (valid[i])
      {
        pattern.cells[pattern.Offset(x, y)] = PaddedPattern::Cell{ f[i], 1.0 };
      }
    }
  }
}

void
RingCenterCalculator::ChooseStart(Fit & fit) const
{
  // Start: InitialCenter, or the better of the detector middle and the
  // centroid of the brightest median-filtered pixels (the direct beam).
  const long             kx = fit.kx, ky = fit.ky;
  std::vector<PointType> candidates;
  if (m_UseInitialCenter)
  {
    candidates.push_back(fit.initial);
  }
  else
  {
    candidates.push_back(PointType{ { 0.5 * (kx - 1), 0.5 * (ky - 1) } });
    PointType centroid;
    if (BrightestCentroid(fit.median, fit.hasMedian, fit.valid, kx, ky, centroid))
    {
      candidates.push_back(centroid);
    }
  }
  PointType  start = candidates.front();
  Evaluation startEvaluation;
  double     best = std::numeric_limits<double>::infinity();
  for (const auto & candidate : candidates)
  {
    const Evaluation e = EvaluateRings(fit.pattern, fit.grid, candidate[0], candidate[1], 0.0, 0.0);
    if (e.weight >= fit.objective->MinimumWeight && e.pooledVariance < best)
    {
      best = e.pooledVariance;
      start = candidate;
      startEvaluation = e;
    }
  }
  const RangeType & band = fit.band;
  if (!(best < std::numeric_limits<double>::infinity()))
  {
    const Evaluation e = EvaluateRings(fit.pattern, fit.grid, start[0], start[1], 0.0, 0.0);
    itkExceptionMacro(<< "too few valid samples: " << e.samples << " of " << fit.grid.x.size()
                      << " polar samples within RadiusRange (" << band[0] << ", " << band[1] << ") px around ("
                      << start[0] + fit.x0 << ", " << start[1] + fit.y0
                      << ") fall on unmasked detector pixels (MaskImage, outliers); at least "
                      << 100.0 * MinimumValidFraction << " % are needed");
  }
  if (!(startEvaluation.totalVariance > 1e-24))
  {
    itkExceptionMacro(<< "Image is constant within RadiusRange (" << band[0] << ", " << band[1]
                      << ") px: no rings to fit");
  }
  fit.objective->Reference = startEvaluation.totalVariance;
  fit.start = start;
}

void
RingCenterCalculator::FitRings(Fit & fit, double & cx, double & cy, double & p, double & q) const
{
  // 4-5. Circular fit of the centre, then (FitEllipse) the full fit.
  using ParametersType = itk::OptimizerParameters<double>;
  RingObjective * objective = fit.objective;
  ParametersType  position(2), delta(2);
  position[0] = fit.start[0];
  position[1] = fit.start[1];
  delta.Fill(2.0);
  objective->Dimension = 2;
  position =
    Minimise(objective, position, delta, m_FitEllipse ? 1e-2 : 1e-3, m_FitEllipse ? 1e-6 : 1e-10, !m_FitEllipse);
  cx = position[0];
  cy = position[1];
  p = 0.0;
  q = 0.0;
  if (m_FitEllipse)
  {
    ParametersType full(4), fullDelta(4);
    full[0] = cx;
    full[1] = cy;
    full[2] = 0.0;
    full[3] = 0.0;
    fullDelta[0] = fullDelta[1] = 0.5;
    fullDelta[2] = fullDelta[3] = 1.0;
    objective->Dimension = 4;
    full = Minimise(objective, full, fullDelta, 1e-3, 1e-10, true);
    cx = full[0];
    cy = full[1];
    p = full[2] / objective->EllipseScale;
    q = full[3] / objective->EllipseScale;
  }
}

void
RingCenterCalculator::StoreResult(const Fit & fit, double cx, double cy, double p, double q)
{
  const long        kx = fit.kx, ky = fit.ky;
  const double      x0 = fit.x0, y0 = fit.y0;
  const RangeType & band = fit.band;
  const Evaluation  final = EvaluateRings(fit.pattern, fit.grid, cx, cy, p, q);
  if (!(cx >= -0.5 && cx <= kx - 0.5 && cy >= -0.5 && cy <= ky - 0.5))
  {
    itkExceptionMacro(<< "the fit left the detector: Center (" << cx + x0 << ", " << cy + y0 << ") px is not on the "
                      << kx << " x " << ky << " detector (check the Image, RadiusRange and InitialCenter)");
  }
  if (final.weight < fit.objective->MinimumWeight)
  {
    itkExceptionMacro(<< "too few valid samples at the fitted Center (" << cx + x0 << ", " << cy + y0 << ") px: "
                      << final.samples << " of " << fit.grid.x.size() << " polar samples within RadiusRange ("
                      << band[0] << ", " << band[1] << ") px fall on unmasked detector pixels (MaskImage)");
  }
  const double t = std::hypot(p, q);
  if (!(std::exp(-t) >= MinimumRatio))
  {
    itkExceptionMacro(<< "the fit gave an implausible EllipseRatio " << std::exp(-t) << " (< " << MinimumRatio
                      << ") at Center (" << cx + x0 << ", " << cy + y0 << ") px");
  }

  // Canonical form: e = exp(-t) <= 1, theta = atan2(q, p) / 2 in (-90, 90].
  m_Center[0] = cx + x0;
  m_Center[1] = cy + y0;
  m_EllipseRatio = std::exp(-t);
  m_EllipseAngle = t > 0.0 ? 0.5 * std::atan2(q, p) * 180.0 / Pi : 0.0;
  if (m_EllipseAngle <= -90.0)
  {
    m_EllipseAngle += 180.0;
  }
  m_Objective = final.pooledVariance / fit.objective->Reference;
  m_EffectiveRadiusRange = band;
  m_Valid = true;
  m_ComputeTime.Modified();
}

void
RingCenterCalculator::CheckComputed(const char * what) const
{
  if (!m_Valid || m_ComputeTime.GetMTime() < this->GetMTime())
  {
    itkExceptionMacro(<< what << ": no result; call Compute() (again) after setting the Image and parameters");
  }
}

RingCenterCalculator::PointType
RingCenterCalculator::GetCenter() const
{
  this->CheckComputed("GetCenter");
  return m_Center;
}

double
RingCenterCalculator::GetEllipseRatio() const
{
  this->CheckComputed("GetEllipseRatio");
  return m_EllipseRatio;
}

double
RingCenterCalculator::GetEllipseAngle() const
{
  this->CheckComputed("GetEllipseAngle");
  return m_EllipseAngle;
}

double
RingCenterCalculator::GetObjective() const
{
  this->CheckComputed("GetObjective");
  return m_Objective;
}

RingCenterCalculator::RangeType
RingCenterCalculator::GetEffectiveRadiusRange() const
{
  this->CheckComputed("GetEffectiveRadiusRange");
  return m_EffectiveRadiusRange;
}

itk::SizeValueType
RingCenterCalculator::GetNumberOfOutliers() const
{
  this->CheckComputed("GetNumberOfOutliers");
  return m_NumberOfOutliers;
}

itk::SizeValueType
RingCenterCalculator::GetNumberOfEvaluations() const
{
  this->CheckComputed("GetNumberOfEvaluations");
  return m_NumberOfEvaluations;
}

void
RingCenterCalculator::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Image: " << m_Image.GetPointer() << "\n";
  os << indent << "MaskImage: " << m_MaskImage.GetPointer() << "\n";
  os << indent << "RadiusRange: " << m_RadiusRange << " px\n";
  os << indent << "FitEllipse: " << (m_FitEllipse ? "On" : "Off") << "\n";
  os << indent << "InitialCenter: " << m_InitialCenter
     << " px, UseInitialCenter: " << (m_UseInitialCenter ? "On" : "Off") << "\n";
  os << indent << "OutlierThreshold: " << m_OutlierThreshold << "\n";
  if (m_Valid)
  {
    os << indent << "Center: " << m_Center << " px\n";
    os << indent << "EllipseRatio: " << m_EllipseRatio << ", EllipseAngle: " << m_EllipseAngle << " deg\n";
    os << indent << "Objective: " << m_Objective << "\n";
    os << indent << "EffectiveRadiusRange: " << m_EffectiveRadiusRange << " px\n";
    os << indent << "NumberOfOutliers: " << m_NumberOfOutliers << ", NumberOfEvaluations: " << m_NumberOfEvaluations
       << "\n";
  }
  else
  {
    os << indent << "(not computed)\n";
  }
}
} // namespace stempdf
