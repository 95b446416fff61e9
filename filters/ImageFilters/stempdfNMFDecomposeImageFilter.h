#ifndef stempdfNMFDecomposeImageFilter_h
#define stempdfNMFDecomposeImageFilter_h

#include "stempdfImageTypes.h"
#include "stempdfNonnegativeMatrixFactorization.h"
#include "stempdfVectorAxis.h"

#include "itkFixedArray.h"
#include "itkImageToImageFilter.h"

#include <type_traits>

namespace stempdf
{
/** \class NMFDecomposeImageFilter
 * \brief Structural types and their weight maps: non-negative matrix
 * factorisation of a G(r) field, V ~ W H.
 *
 * Input: a G(r) field over the scan (ProfileFieldImage with an "r"
 * VectorAxis in A), e.g. the output of PairDistributionImageFilter. V has one
 * row per position (x fastest) and one column per r sample inside RRange; it
 * is shifted by its global minimum (GetShift(); the information is in the
 * oscillations, not in the offset) so that V >= 0. The factorisation is
 * NonnegativeMatrixFactorization (docs/method.md, section 6): the paper's
 * replicates and long run, on a compressed V and refined on V itself.
 *
 * Outputs:
 * - 0: the weights W, one vector of NumberOfComponents per position
 *   ("component" VectorAxis);
 * - 1 (GetResidualOutput()): the RMS residual per position,
 *   sqrt(mean over r of (V - W H)^2), in the units of G (1/A^2).
 * After Update(): GetBasis() (k x samples, the basis curves H in the units
 * of the shifted V; a basis curve minus GetShift() is a G(r)),
 * GetBasisAxis() (their r samples), GetResult() (objective per iteration,
 * replicates, ...).
 *
 * Convention: each basis curve has V's mean value, so the weights of a
 * position add up to about 1 and H_j - shift is the G(r) of the pure type j;
 * components are ordered by total weight, largest first.
 *
 * The whole scan is one problem: the filter always asks for its whole input.
 * Under MPI (ParaView's plugin), SetGlobalSum and SetGlobalMinimum combine
 * the processes' rows.
 *
 * Errors (itk::ExceptionObject naming the parameter): NumberOfComponents < 1
 * or above min(positions, samples), RRange holding fewer than 2 samples,
 * constant data, NaN or infinite G (naming the position).
 *
 * \ingroup STEMPDF
 */
template <typename TInputImage = ProfileFieldImage, typename TOutputImage = ProfileFieldImage>
class ITK_TEMPLATE_EXPORT NMFDecomposeImageFilter : public itk::ImageToImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(NMFDecomposeImageFilter);

  using Self = NMFDecomposeImageFilter;
  using Superclass = itk::ImageToImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using ResidualImageType = MapImage;
  using RangeType = itk::FixedArray<double, 2>;
  using GlobalMinimum = std::function<double(double)>;
  static_assert(TInputImage::ImageDimension == ScanDimension && TOutputImage::ImageDimension == ScanDimension,
                "a field over the 2-D scan grid");
  static_assert(std::is_same<typename TInputImage::InternalPixelType, double>::value &&
                  std::is_same<typename TOutputImage::InternalPixelType, double>::value,
                "G(r) and weight fields of doubles (ProfileFieldImage)");

  itkNewMacro(Self);
  itkTypeMacro(NMFDecomposeImageFilter, ImageToImageFilter);

  /** Number of components k (>= 1): two structural types and a noise
   *  component in the paper. Default 3. */
  void
  SetNumberOfComponents(unsigned int k)
  {
    this->SetParameter(m_Parameters.Rank, k);
  }
  unsigned int
  GetNumberOfComponents() const
  {
    return m_Parameters.Rank;
  }
  /** Update rule. Default HALS. */
  void
  SetAlgorithm(NMFAlgorithm algorithm)
  {
    this->SetParameter(m_Parameters.Algorithm, algorithm);
  }
  NMFAlgorithm
  GetAlgorithm() const
  {
    return m_Parameters.Algorithm;
  }
  /** Start of the first replicate. Default SuccessiveProjection. */
  void
  SetInitialization(NMFInitialization initialization)
  {
    this->SetParameter(m_Parameters.Initialization, initialization);
  }
  NMFInitialization
  GetInitialization() const
  {
    return m_Parameters.Initialization;
  }
  /** Number of short replicate runs (>= 1). Default 5. */
  void
  SetReplicates(unsigned int replicates)
  {
    this->SetParameter(m_Parameters.Replicates, replicates);
  }
  unsigned int
  GetReplicates() const
  {
    return m_Parameters.Replicates;
  }
  /** Iterations of each replicate. Default 5. */
  void
  SetReplicateIterations(unsigned int iterations)
  {
    this->SetParameter(m_Parameters.ReplicateIterations, iterations);
  }
  unsigned int
  GetReplicateIterations() const
  {
    return m_Parameters.ReplicateIterations;
  }
  /** Most iterations of the long run. Default 1000. */
  void
  SetMaxIterations(unsigned int iterations)
  {
    this->SetParameter(m_Parameters.MaxIterations, iterations);
  }
  unsigned int
  GetMaxIterations() const
  {
    return m_Parameters.MaxIterations;
  }
  /** The long run stops when one iteration lowers the objective by less
   *  than this fraction of it. Default 1e-7. */
  void
  SetTolerance(double tolerance)
  {
    this->SetParameter(m_Parameters.Tolerance, tolerance);
  }
  double
  GetTolerance() const
  {
    return m_Parameters.Tolerance;
  }
  /** ... or when no entry of W or H moves by more than this fraction of its
   *  factor's largest entry in one iteration (MATLAB nnmf's TolX, which the
   *  paper's code used); 0 = off. Default 1e-4. */
  void
  SetStepTolerance(double tolerance)
  {
    this->SetParameter(m_Parameters.StepTolerance, tolerance);
  }
  double
  GetStepTolerance() const
  {
    return m_Parameters.StepTolerance;
  }
  /** Seed of the random starts and of the compression. Default 0. */
  void
  SetSeed(std::uint64_t seed)
  {
    this->SetParameter(m_Parameters.Seed, seed);
  }
  std::uint64_t
  GetSeed() const
  {
    return m_Parameters.Seed;
  }
  /** Columns of the compressed V the iterations start on; 0 = iterate on V
   *  from the start (slower, same result to the tolerance). Default 20. */
  void
  SetCompressionRank(unsigned int rank)
  {
    this->SetParameter(m_Parameters.CompressionRank, rank);
  }
  unsigned int
  GetCompressionRank() const
  {
    return m_Parameters.CompressionRank;
  }
  /** Most iterations on V itself after the compressed run. Default 50. */
  void
  SetMaxRefinementIterations(unsigned int iterations)
  {
    this->SetParameter(m_Parameters.MaxRefinementIterations, iterations);
  }
  unsigned int
  GetMaxRefinementIterations() const
  {
    return m_Parameters.MaxRefinementIterations;
  }
  /** Standard deviation, in scan steps, of a Gaussian smoothing over the
   *  scan of the data the basis is found on; the weights are then solved on
   *  the unsmoothed G(r). Noise at single positions otherwise pushes the
   *  basis beyond the pure types and compresses the fractions towards the
   *  middle (docs/method.md, section 6); keep it below about half the
   *  domain size. 0 = off (plain NMF). Default 0. */
  void
  SetSpatialSmoothing(double sigma)
  {
    this->SetParameter(m_Parameters.SpatialSmoothing, sigma);
  }
  double
  GetSpatialSmoothing() const
  {
    return m_Parameters.SpatialSmoothing;
  }
  /** All parameters at once. */
  void
  SetParameters(const NMFParameters & parameters)
  {
    m_Parameters = parameters;
    this->Modified();
  }
  const NMFParameters &
  GetParameters() const
  {
    return m_Parameters;
  }

  /** r range of V, A; samples with r0 <= r <= r1 (to 1e-9 A). Default
   *  (0, 0): the whole axis. */
  itkSetMacro(RRange, RangeType);
  itkGetConstMacro(RRange, RangeType);

  /** MPI: adds partial sums across processes (default none: one process). */
  void
  SetGlobalSum(GlobalSum sum)
  {
    m_GlobalSum = std::move(sum);
    this->Modified();
  }
  /** MPI: the minimum of a value across processes (default none). */
  void
  SetGlobalMinimum(GlobalMinimum minimum)
  {
    m_GlobalMinimum = std::move(minimum);
    this->Modified();
  }
  /** MPI: rows of positions at the end of the input that another process
   *  owns (neighbouring pieces share a row): they get weights and residuals
   *  but take part in no sum. Default 0. */
  itkSetMacro(SharedTrailingRows, unsigned int);
  itkGetConstMacro(SharedTrailingRows, unsigned int);
  /** MPI: global number of this process's first position (random starts
   *  that do not depend on the split). Default 0. */
  itkSetMacro(FirstPosition, std::uint64_t);
  itkGetConstMacro(FirstPosition, std::uint64_t);

  ResidualImageType *
  GetResidualOutput()
  {
    return static_cast<ResidualImageType *>(this->itk::ProcessObject::GetOutput(1));
  }

  /** The basis curves H (k x samples; rows ordered like the weights). */
  const Eigen::MatrixXd &
  GetBasis() const
  {
    return m_Basis;
  }
  /** The r samples of the basis (RRange applied). */
  const VectorAxis &
  GetBasisAxis() const
  {
    return m_BasisAxis;
  }
  /** The shift: minus the global minimum of G in RRange (V = G + shift). */
  itkGetConstMacro(Shift, double);
  /** Objective history and statistics of the last run (W and H moved out). */
  const NMFResult &
  GetResult() const
  {
    return m_Result;
  }

protected:
  NMFDecomposeImageFilter();
  ~NMFDecomposeImageFilter() override = default;

  itk::ProcessObject::DataObjectPointer
  MakeOutput(itk::ProcessObject::DataObjectPointerArraySizeType index) override;
  using Superclass::MakeOutput;
  /** k weights per position and the "component" axis. */
  void
  GenerateOutputInformation() override;
  /** The whole input: the factorisation couples every position. */
  void
  GenerateInputRequestedRegion() override;
  void
  EnlargeOutputRequestedRegion(itk::DataObject * output) override;
  void
  GenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  template <typename T>
  void
  SetParameter(T & member, const T & value)
  {
    if (member != value)
    {
      member = value;
      this->Modified();
    }
  }
  /** First column and number of columns of RRange on the input's r axis. */
  void
  SelectedColumns(const VectorAxis & rAxis, unsigned int & first, unsigned int & count) const;

  NMFParameters   m_Parameters;
  RangeType       m_RRange{ { 0.0, 0.0 } };
  GlobalSum       m_GlobalSum;
  GlobalMinimum   m_GlobalMinimum;
  std::uint64_t   m_FirstPosition{ 0 };
  unsigned int    m_SharedTrailingRows{ 0 };
  Eigen::MatrixXd m_Basis;
  VectorAxis      m_BasisAxis;
  double          m_Shift{ 0.0 };
  NMFResult       m_Result;
};
} // namespace stempdf

#ifndef ITK_MANUAL_INSTANTIATION
#  include "stempdfNMFDecomposeImageFilter.hxx"
#endif

#endif
