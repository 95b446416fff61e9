#ifndef stempdfNMFParameters_h
#define stempdfNMFParameters_h

// The parameters of an NMF run: the three choices (update rule, start,
// weight constraint) are enumerations used only here.

#include <cstdint>

namespace stempdf
{
/** The update rule of the iterations (stempdfNMFUpdateRules.h). */
enum class NMFAlgorithm
{
  HALS,
  MultiplicativeUpdate,
  AlternatingNNLS
};

/** The start of the first replicate (later replicates start at random). */
enum class NMFInitialization
{
  /** The basis curves are the curves of the k "purest" positions, found by
   *  the successive projection algorithm (Gillis and Vavasis 2014). */
  SuccessiveProjection,
  NNDSVD,
  NNDSVDA,
  Random
};

/** What the weights of a position may be. */
enum class NMFWeightConstraint
{
  /** Fractions: non-negative and adding up to 1 (each position a mixture of
   *  the basis curves). */
  SumToOne,
  /** Non-negative only (plain NMF, as scikit-learn and MATLAB's nnmf). */
  None
};

/** Names as the docs and progress messages spell them. */
const char *
ToString(NMFAlgorithm algorithm);
const char *
ToString(NMFInitialization initialization);
const char *
ToString(NMFWeightConstraint constraint);

/** Everything that decides an NMF result; the defaults are the paper's
 *  scheme (docs/method.md, section 6). */
struct NMFParameters
{
  unsigned int        Rank{ 3 };
  NMFAlgorithm        Algorithm{ NMFAlgorithm::HALS };
  NMFInitialization   Initialization{ NMFInitialization::SuccessiveProjection };
  NMFWeightConstraint WeightConstraint{ NMFWeightConstraint::SumToOne };
  /** Short runs from different starts; the best seeds the long run. */
  unsigned int Replicates{ 5 };
  unsigned int ReplicateIterations{ 5 };
  /** Iterations of the long run, compressed and refinement together. */
  unsigned int MaxIterations{ 1000 };
  /** The long run stops when the objective falls by less than this fraction
   *  of itself in one iteration. */
  double Tolerance{ 1e-7 };
  /** ... or when no entry of W or H moves by more than this fraction of
   *  the largest entry of its factor (MATLAB nnmf's TolX, which the paper's
   *  code used with its default 1e-4); 0 = off. */
  double        StepTolerance{ 1e-4 };
  std::uint64_t Seed{ 0 };
  /** Columns q of the compressed V the iterations run on before they refine
   *  on V itself; 0 iterates on V from the start. */
  unsigned int CompressionRank{ 20 };
  /** Power iterations of the range finder. */
  unsigned int PowerIterations{ 2 };
  /** Most iterations on V itself after the compressed ones converged. */
  unsigned int MaxRefinementIterations{ 50 };
  /** Standard deviation, in scan steps, of a Gaussian smoothing over the
   *  scan applied to the compressed V while the basis is found; the weights
   *  are then solved on V itself (no refinement on V). Per-position noise
   *  otherwise pushes the basis outwards and compresses the fractions
   *  (docs/method.md, section 6). 0 = off. Needs SetScanWidth(). */
  double SpatialSmoothing{ 0.0 };
};

} // namespace stempdf

#endif
