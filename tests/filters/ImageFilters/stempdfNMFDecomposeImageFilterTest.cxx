// NMFDecomposeImageFilter: known answers on V = W H + noise with realistic
// PDF-like basis curves (Gaussian-shell G(r) of the two structural types and
// the noise type) and known non-negative weights; reproducibility; thread
// independence; the convention; bad input.
#include "stempdfNMFDecomposeImageFilter.h"
#include "stempdfShellPDFModel.h"

#include "itkMultiThreaderBase.h"

#include "stempdfTestingErrors.h"
#include "stempdfTestingFields.h"
#include "stempdfTestingObjects.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace
{
using Image = stempdf::ProfileFieldImage;
using Filter = stempdf::NMFDecomposeImageFilter<Image>;
using stempdf::testing::NewFilterOn;
constexpr unsigned int Side = 40;
constexpr double       RStep = 0.02;
constexpr unsigned int RSamples = 501; // 0 to 10 A
/** Noise rms of the compression test, in units of the two types' rms difference. */
constexpr double NoiseOfTheCompressionTest = 1.0;

/** The three types' G(r) (rows) on the test's r grid. */
Eigen::MatrixXd
TrueBasis()
{
  std::vector<double> r(RSamples);
  for (unsigned int i = 0; i < RSamples; ++i)
  {
    r[i] = i * RStep;
  }
  const stempdf::ShellPDFModel models[] = { stempdf::ShellPDFModel::SolidLike(),
                                            stempdf::ShellPDFModel::LiquidLike(),
                                            stempdf::ShellPDFModel::Noise() };
  Eigen::MatrixXd              basis(3, RSamples);
  for (int j = 0; j < 3; ++j)
  {
    const std::vector<double> g = models[j].G(r);
    basis.row(j) = Eigen::Map<const Eigen::RowVectorXd>(g.data(), RSamples);
  }
  return basis;
}

/** Fractions (positions x 3, rows sum to 1) with pure domains of every type:
 *  smooth "domain" fields, sharpened, then normalised. */
Eigen::MatrixXd
TrueFractions()
{
  Eigen::MatrixXd fractions(Side * Side, 3);
  for (unsigned int y = 0; y < Side; ++y)
  {
    for (unsigned int x = 0; x < Side; ++x)
    {
      const double a = std::pow(0.5 + 0.5 * std::sin(0.31 * x + 0.17 * y), 4.0);
      const double b = std::pow(0.5 + 0.5 * std::cos(0.23 * x - 0.29 * y + 1.0), 4.0);
      const double c = std::pow(0.5 + 0.5 * std::sin(0.11 * x + 0.37 * y + 2.0), 6.0);
      const double sum = a + b + c + 1e-12;
      fractions.row(y * Side + x) << a / sum, b / sum, c / sum;
    }
  }
  return fractions;
}

/** The G(r) field W H + Gaussian noise of rms `noise` (1/A^2). */
Image::Pointer
MakeField(const Eigen::MatrixXd & w, const Eigen::MatrixXd & h, double noise, unsigned int seed = 3)
{
  auto image = stempdf::testing::MakeField<Image>(
    Side, Side, stempdf::MakeProfileAxis(stempdf::RQuantity, stempdf::AngstromUnit, RSamples, 0.0, RStep));
  const Eigen::MatrixXd            v = w * h;
  std::mt19937                     random(seed);
  std::normal_distribution<double> gauss(0.0, noise);
  for (unsigned int p = 0; p < Side * Side; ++p)
  {
    for (unsigned int i = 0; i < RSamples; ++i)
    {
      image->GetBufferPointer()[p * RSamples + i] = v(p, i) + gauss(random);
    }
  }
  return image;
}

double
Correlation(const Eigen::VectorXd & a, const Eigen::VectorXd & b)
{
  const Eigen::VectorXd x = a.array() - a.mean();
  const Eigen::VectorXd y = b.array() - b.mean();
  return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
}

/** For each true component, the best correlation of a recovered one (each
 *  recovered component used once, greedy by correlation). */
std::vector<double>
MatchedCorrelations(const Eigen::MatrixXd & truth, const Eigen::MatrixXd & found)
{
  std::vector<double> best(truth.cols(), -2.0);
  std::vector<bool>   used(found.cols(), false);
  for (Eigen::Index round = 0; round < truth.cols(); ++round)
  {
    double       top = -2.0;
    Eigen::Index ti = 0, fi = 0;
    for (Eigen::Index t = 0; t < truth.cols(); ++t)
    {
      for (Eigen::Index f = 0; f < found.cols(); ++f)
      {
        if (best[t] > -2.0 || used[f])
          continue;
        const double c = Correlation(truth.col(t), found.col(f));
        if (c > top)
        {
          top = c;
          ti = t;
          fi = f;
        }
      }
    }
    best[ti] = top;
    used[fi] = true;
  }
  return best;
}

/** The weights of the output as a positions x k matrix. */
Eigen::MatrixXd
Weights(Filter * filter)
{
  const auto k = filter->GetNumberOfComponents();
  const auto n = filter->GetOutput()->GetBufferedRegion().GetNumberOfPixels();
  return Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
    filter->GetOutput()->GetBufferPointer(), n, k);
}
} // namespace

TEST(NMFDecomposeImageFilter, RecoversKnownBasisAndWeights)
{
  const Eigen::MatrixXd h = TrueBasis();
  const Eigen::MatrixXd w = TrueFractions();
  // noise of 2 % of the basis curves' rms
  const double noise = 0.02 * std::sqrt(h.squaredNorm() / h.size());
  auto         filter = NewFilterOn<Filter>(MakeField(w, h, noise));
  filter->Update();
  const Eigen::MatrixXd foundH = (filter->GetBasis().array() - filter->GetShift()).matrix().transpose();
  const auto            basisCorrelation = MatchedCorrelations(h.transpose(), foundH);
  const auto            weightCorrelation = MatchedCorrelations(w, Weights(filter));
  for (int j = 0; j < 3; ++j)
  {
    std::cout << "component " << j << ": basis correlation " << basisCorrelation[j] << ", weights "
              << weightCorrelation[j] << '\n';
    EXPECT_GT(basisCorrelation[j], 0.99);
    EXPECT_GT(weightCorrelation[j], 0.95);
  }
  std::cout << "objective " << filter->GetResult().FinalObjective << " after "
            << filter->GetResult().CompressedIterations << " compressed + " << filter->GetResult().RefinementIterations
            << " refinement iterations\n";
}

namespace
{
/** A filter on the standard test field (2 % noise). */
Filter::Pointer
MakeFilter(double noise = 0.02)
{
  const Eigen::MatrixXd h = TrueBasis();
  auto filter = NewFilterOn<Filter>(MakeField(TrueFractions(), h, noise * std::sqrt(h.squaredNorm() / h.size())));
  return filter;
}
} // namespace

TEST(NMFDecomposeImageFilter, SameSeedAndAnyThreadCountGiveIdenticalResults)
{
  Eigen::MatrixXd weights[3], bases[3];
  const unsigned  threads[3] = { 2, 2, 1 };
  for (int run = 0; run < 3; ++run)
  {
    auto filter = MakeFilter();
    filter->SetNumberOfWorkUnits(threads[run]);
    auto threader = itk::MultiThreaderBase::New();
    threader->SetMaximumNumberOfThreads(threads[run]);
    threader->SetNumberOfWorkUnits(threads[run]);
    filter->SetMultiThreader(threader);
    filter->SetSeed(11);
    filter->Update();
    weights[run] = Weights(filter);
    bases[run] = filter->GetBasis();
  }
  EXPECT_EQ((weights[0] - weights[1]).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ((bases[0] - bases[1]).cwiseAbs().maxCoeff(), 0.0);
  // The issue asks for 1e-6 relative; blocks of fixed size make it exact.
  EXPECT_EQ((weights[0] - weights[2]).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_EQ((bases[0] - bases[2]).cwiseAbs().maxCoeff(), 0.0);
}

TEST(NMFDecomposeImageFilter, WeightsAreFractionsOrderedByTotal)
{
  auto filter = MakeFilter();
  filter->Update();
  const Eigen::MatrixXd w = Weights(filter);
  EXPECT_LT((w.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
  EXPECT_GE(w.minCoeff(), 0.0);
  const Eigen::RowVectorXd totals = w.colwise().sum();
  EXPECT_GE(totals[0], totals[1]);
  EXPECT_GE(totals[1], totals[2]);
  // the residual map is the RMS of V - W H per position: about the noise
  const double noise = 0.02 * std::sqrt(TrueBasis().squaredNorm() / TrueBasis().size());
  auto *       residual = filter->GetResidualOutput();
  double       mean = 0.0;
  for (unsigned int p = 0; p < Side * Side; ++p)
  {
    mean += residual->GetBufferPointer()[p] / (Side * Side);
  }
  EXPECT_NEAR(mean, noise, 0.05 * noise);
}

TEST(NMFDecomposeImageFilter, EveryAlgorithmAndStartRecoversTheBasis)
{
  const Eigen::MatrixXd h = TrueBasis();
  struct Case
  {
    stempdf::NMFAlgorithm        Algorithm;
    stempdf::NMFInitialization   Initialization;
    stempdf::NMFWeightConstraint Constraint;
    unsigned int                 Compression;
    double                       MinimumBasisCorrelation;
  } cases[] = {
    { stempdf::NMFAlgorithm::HALS,
      stempdf::NMFInitialization::SuccessiveProjection,
      stempdf::NMFWeightConstraint::SumToOne,
      0,
      0.999 },
    { stempdf::NMFAlgorithm::MultiplicativeUpdate,
      stempdf::NMFInitialization::SuccessiveProjection,
      stempdf::NMFWeightConstraint::SumToOne,
      20,
      0.99 },
    { stempdf::NMFAlgorithm::AlternatingNNLS,
      stempdf::NMFInitialization::SuccessiveProjection,
      stempdf::NMFWeightConstraint::SumToOne,
      20,
      0.999 },
    { stempdf::NMFAlgorithm::AlternatingNNLS,
      stempdf::NMFInitialization::SuccessiveProjection,
      stempdf::NMFWeightConstraint::None,
      20,
      0.99 },
  };
  for (const Case & c : cases)
  {
    auto filter = MakeFilter(0.005);
    filter->SetAlgorithm(c.Algorithm);
    filter->SetInitialization(c.Initialization);
    stempdf::NMFParameters parameters = filter->GetParameters();
    parameters.WeightConstraint = c.Constraint;
    parameters.CompressionRank = c.Compression;
    filter->SetParameters(parameters);
    filter->Update();
    const Eigen::MatrixXd found = (filter->GetBasis().array() - filter->GetShift()).matrix().transpose();
    const auto            correlation = MatchedCorrelations(h.transpose(), found);
    for (int j = 0; j < 3; ++j)
    {
      EXPECT_GT(correlation[j], c.MinimumBasisCorrelation)
        << stempdf::ToString(c.Algorithm) << ", " << stempdf::ToString(c.Constraint) << ", compression "
        << c.Compression << ": component " << j;
    }
  }
}

TEST(NMFDecomposeImageFilter, CompressionChangesTheResultOnlyWithinTheTolerance)
{
  Eigen::MatrixXd bases[2];
  double          objectives[2];
  for (int run = 0; run < 2; ++run)
  {
    auto filter = MakeFilter();
    filter->SetCompressionRank(run == 0 ? 20 : 0);
    filter->Update();
    bases[run] = filter->GetBasis();
    objectives[run] = filter->GetResult().FinalObjective;
  }
  EXPECT_NEAR(objectives[0], objectives[1], 1e-4 * objectives[1]);
  EXPECT_LT((bases[0] - bases[1]).cwiseAbs().maxCoeff(), 1e-2 * bases[1].cwiseAbs().maxCoeff());
}

TEST(NMFDecomposeImageFilter, RRangeSelectsTheSamples)
{
  auto filter = MakeFilter();
  filter->SetRRange(Filter::RangeType(std::array<double, 2>{ { 1.5, 8.0 } }));
  filter->Update();
  EXPECT_EQ(filter->GetBasis().cols(), 326); // 1.50, 1.52, ..., 8.00
  EXPECT_NEAR(filter->GetBasisAxis().GetCoordinate(0), 1.5, 1e-12);
  EXPECT_EQ(filter->GetBasisAxis().GetNumberOfComponents(), 326u);
}

TEST(NMFDecomposeImageFilter, BadInputGivesClearErrors)
{
  {
    auto filter = MakeFilter();
    filter->SetNumberOfComponents(0);
    stempdf::testing::ExpectUpdateError(filter, { "NumberOfComponents" });
  }
  {
    auto filter = MakeFilter();
    filter->SetRRange(Filter::RangeType(std::array<double, 2>{ { 2.0, 2.01 } })); // one sample
    filter->SetNumberOfComponents(3);
    stempdf::testing::ExpectUpdateError(filter, { "RRange" });
  }
  {
    auto filter = MakeFilter();
    filter->SetRRange(Filter::RangeType(std::array<double, 2>{ { 2.0, 2.02 } })); // two samples, three components
    stempdf::testing::ExpectUpdateError(filter, { "NumberOfComponents" });
  }
  {
    auto filter = MakeFilter();
    filter->SetRRange(Filter::RangeType(std::array<double, 2>{ { 5.0, 3.0 } }));
    stempdf::testing::ExpectUpdateError(filter, { "RRange" });
  }
  {
    auto    filter = MakeFilter();
    Image * field = const_cast<Image *>(filter->GetInput());
    std::fill(field->GetBufferPointer(), field->GetBufferPointer() + Side * Side * RSamples, 0.25);
    stempdf::testing::ExpectUpdateError(filter, { "constant" });
  }
  {
    auto    filter = MakeFilter();
    Image * field = const_cast<Image *>(filter->GetInput());
    field->GetBufferPointer()[(3 * Side + 7) * RSamples + 100] = std::nan("");
    stempdf::testing::ExpectUpdateError(filter, { "position (7, 3)" });
  }
  {
    auto    filter = MakeFilter();
    Image * field = const_cast<Image *>(filter->GetInput());
    field->GetBufferPointer()[5] = std::numeric_limits<double>::infinity();
    stempdf::testing::ExpectUpdateError(filter, { "Inf" });
  }
  {
    auto    filter = MakeFilter();
    Image * field = const_cast<Image *>(filter->GetInput());
    field->SetMetaDataDictionary(itk::MetaDataDictionary());
    stempdf::testing::ExpectUpdateError(filter, { "\"r\" VectorAxis" });
  }
  for (const double sigma : { -1.0, std::nan("") })
  {
    auto filter = MakeFilter();
    filter->SetSpatialSmoothing(sigma);
    stempdf::testing::ExpectUpdateError(filter, { "SpatialSmoothing" });
  }
}

namespace
{
/** Two "processes" in two threads: each GlobalSum / GlobalMinimum call waits
 *  for the other and both get the combined value (an MPI all-reduce). */
class TwoProcessReduction
{
public:
  void
  Sum(int me, double * values, std::size_t count)
  {
    std::unique_lock<std::mutex> lock(m_Mutex);
    m_Parts[me].assign(values, values + count);
    this->Meet(lock);
    for (std::size_t i = 0; i < count; ++i)
      values[i] = m_Parts[0][i] + m_Parts[1][i];
    this->Meet(lock); // nobody overwrites m_Parts before both have read them
  }
  double
  Minimum(int me, double value)
  {
    std::unique_lock<std::mutex> lock(m_Mutex);
    m_Parts[me].assign(1, value);
    this->Meet(lock);
    const double result = std::min(m_Parts[0][0], m_Parts[1][0]);
    this->Meet(lock); // nobody overwrites m_Parts before both have read them
    return result;
  }

private:
  /** A barrier: returns when both threads have called it. */
  void
  Meet(std::unique_lock<std::mutex> & lock)
  {
    const int generation = m_Generation;
    if (++m_Arrived == 2)
    {
      m_Arrived = 0;
      ++m_Generation;
      m_Condition.notify_all();
    }
    else
      m_Condition.wait(lock, [&] { return m_Generation != generation; });
  }
  std::mutex              m_Mutex;
  std::condition_variable m_Condition;
  int                     m_Arrived = 0;
  int                     m_Generation = 0;
  std::vector<double>     m_Parts[2];
};

/** The rows [y0, y1] of a field as a field of its own (index kept). */
Image::Pointer
Rows(const Image * field, unsigned int y0, unsigned int y1)
{
  auto              piece = Image::New();
  Image::RegionType region({ { 0, static_cast<Image::IndexValueType>(y0) } }, { { Side, y1 - y0 + 1 } });
  piece->SetRegions(region);
  piece->SetVectorLength(RSamples);
  piece->Allocate();
  std::copy_n(field->GetBufferPointer() + std::size_t{ y0 } * Side * RSamples,
              std::size_t{ y1 - y0 + 1 } * Side * RSamples,
              piece->GetBufferPointer());
  piece->SetMetaDataDictionary(field->GetMetaDataDictionary());
  return piece;
}
} // namespace

namespace
{
/** Emulates two MPI processes on the standard field and compares with one. */
void
ExpectTwoProcessesGiveTheResultOfOne(double spatialSmoothing)
{
  auto whole = MakeFilter();
  whole->SetSpatialSmoothing(spatialSmoothing);
  whole->Update();
  const Eigen::MatrixXd expected = Weights(whole);
  const Image *         field = whole->GetInput();
  // ParaView's pieces: rows 0-19 and 19-39, the shared row 19 owned by the upper piece.
  TwoProcessReduction reduction;
  Filter::Pointer     pieces[2] = { Filter::New(), Filter::New() };
  const unsigned int  bounds[2][2] = { { 0, 19 }, { 19, Side - 1 } };
  std::thread         threads[2];
  std::string         errors[2];
  for (int me = 0; me < 2; ++me)
  {
    pieces[me]->SetInput(Rows(field, bounds[me][0], bounds[me][1]));
    pieces[me]->SetSpatialSmoothing(spatialSmoothing);
    pieces[me]->SetSharedTrailingRows(me == 0 ? 1 : 0);
    pieces[me]->SetFirstPosition(std::uint64_t{ bounds[me][0] } * Side);
    pieces[me]->SetGlobalSum(
      [&reduction, me](double * values, std::size_t count) { reduction.Sum(me, values, count); });
    pieces[me]->SetGlobalMinimum([&reduction, me](double value) { return reduction.Minimum(me, value); });
    threads[me] = std::thread([&, me] {
      try
      {
        pieces[me]->Update();
      }
      catch (const itk::ExceptionObject & error)
      {
        errors[me] = error.GetDescription();
      }
    });
  }
  threads[0].join();
  threads[1].join();
  ASSERT_EQ(errors[0] + errors[1], "");
  EXPECT_EQ(pieces[0]->GetResult().Objective.size(), whole->GetResult().Objective.size());
  EXPECT_LT((pieces[0]->GetBasis() - whole->GetBasis()).cwiseAbs().maxCoeff(),
            1e-9 * whole->GetBasis().cwiseAbs().maxCoeff());
  const Eigen::MatrixXd lower = Weights(pieces[0]);
  const Eigen::MatrixXd upper = Weights(pieces[1]);
  EXPECT_LT((lower - expected.topRows(lower.rows())).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((upper - expected.bottomRows(upper.rows())).cwiseAbs().maxCoeff(), 1e-9);
}
} // namespace

TEST(NMFDecomposeImageFilter, TwoProcessesGiveTheResultOfOne)
{
  ExpectTwoProcessesGiveTheResultOfOne(0.0);
}

TEST(NMFDecomposeImageFilter, TwoProcessesGiveTheResultOfOneWithSpatialSmoothing)
{
  // the smoothing reaches across the pieces' boundary
  ExpectTwoProcessesGiveTheResultOfOne(1.5);
}

TEST(NMFDecomposeImageFilter, SpatialSmoothingUndoesTheNoiseCompressionOfTheFractions)
{
  // Two types in domains with pure plateaus at both ends, under heavy noise.
  // Plain NMF's corners must enclose the noisiest positions, so its basis lies
  // beyond the pure types and the fractions come out compressed towards the
  // middle (slope below 1 against the truth); the basis found on the smoothed
  // data lies on the pure types.
  const Eigen::MatrixXd h = TrueBasis().topRows(2);
  Eigen::MatrixXd       w(Side * Side, 2);
  for (unsigned int y = 0; y < Side; ++y)
  {
    for (unsigned int x = 0; x < Side; ++x)
    {
      const double f = std::clamp(0.5 + 0.9 * std::sin(0.3 * x + 0.2 * y), 0.0, 1.0);
      w.row(y * Side + x) << f, 1.0 - f;
    }
  }
  const double difference = std::sqrt((h.row(0) - h.row(1)).squaredNorm() / RSamples);
  const auto   field = MakeField(w, h, NoiseOfTheCompressionTest * difference);
  double       slopes[2] = { 0.0, 0.0 };
  for (const int smoothed : { 0, 1 })
  {
    auto filter = NewFilterOn<Filter>(field);
    filter->SetNumberOfComponents(2);
    filter->SetSpatialSmoothing(smoothed ? 1.5 : 0.0);
    filter->Update();
    const Eigen::MatrixXd found = Weights(filter);
    // the component that follows the first type
    const int             j = Correlation(found.col(0), w.col(0)) > 0.0 ? 0 : 1;
    const Eigen::VectorXd truth = w.col(0).array() - w.col(0).mean();
    slopes[smoothed] = truth.dot(found.col(j)) / truth.squaredNorm();
    const Eigen::MatrixXd foundH = (filter->GetBasis().array() - filter->GetShift()).matrix().transpose();
    const auto            basisCorrelation = MatchedCorrelations(h.transpose(), foundH);
    std::cout << "spatial smoothing " << (smoothed ? 1.5 : 0.0) << ": fraction slope " << slopes[smoothed]
              << ", mean fraction " << found.col(j).mean() << " (true " << w.col(0).mean() << "), basis correlations "
              << basisCorrelation[0] << ", " << basisCorrelation[1] << '\n';
    if (smoothed)
    {
      // What is left: the corners still enclose the smoothed noise (about
      // 3.5 of its standard deviations, here 0.0085 in fraction, per corner).
      EXPECT_GT(slopes[1], 0.92);
      EXPECT_LT(slopes[1], 1.03);
      EXPECT_NEAR(found.col(j).mean(), w.col(0).mean(), 0.02);
      EXPECT_GT(basisCorrelation[0], 0.999);
      EXPECT_GT(basisCorrelation[1], 0.999);
    }
  }
  EXPECT_LT(slopes[0], 0.9) << "the test's noise no longer compresses plain NMF's fractions";
}

TEST(NMFDecomposeImageFilter, ExercisesBasicObjectMethods)
{
  stempdf::testing::NewAndExercise<Filter>(
    "NMFDecomposeImageFilter", "ImageToImageFilter", { "NumberOfComponents:", "Algorithm:", "RRange:" });
}
