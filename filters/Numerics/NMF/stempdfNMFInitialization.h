#ifndef stempdfNMFInitialization_h
#define stempdfNMFInitialization_h

#include "stempdfRandomizedRangeFinder.h"

#include <cstdint>

namespace stempdf
{
/** A starting point W (rows x k), H^T (cols x k) of an NMF. */
struct NMFFactors
{
  Eigen::MatrixXd W;
  Eigen::MatrixXd Ht;
};

/** Non-negative double SVD (Boutsidis and Gallopoulos, Pattern Recognition
 *  41, 2008): from V's leading k singular triplets, the first factor pair is
 *  the absolute leading pair; each further pair is the larger (by the product
 *  of norms) of the positive and the negative parts of a singular pair,
 *  rescaled. Deterministic. With `fillZeros` (NNDSVDa) entries that are 0 get
 *  `meanOfV` (the mean of V), so multiplicative updates can move them.
 *  Norms over rows are added across processes with `sum`. Needs
 *  svd.S.size() >= k. */
NMFFactors
NNDSVDFactors(const TruncatedSVD & svd, unsigned int k, bool fillZeros, double meanOfV, const GlobalSum & sum);

/** The successive projection algorithm (Gillis and Vavasis, IEEE TPAMI 36,
 *  2014) on V's leading singular triplets: the row of largest norm is the
 *  first "purest" position; all rows are projected onto the complement of
 *  it, and the next largest is the next, k times. For data that are
 *  mixtures of k curves with some nearly pure positions, those are found.
 *  H^T takes those rows of U S Vt^T (clipped at 0), W the fractions 1/k.
 *  Norms within 1e-9 of the largest count as ties, won by the lowest global
 *  row number (firstRow + local row): the choice does not depend on
 *  rounding. Across processes the largest norm and the winner are found with
 *  `minimum` and the row handed round with `sum`. */
NMFFactors
SuccessiveProjectionFactors(const TruncatedSVD & svd, unsigned int k, std::uint64_t firstRow, const GlobalSum & sum,
                            const GlobalMinimum & minimum);

/** Uniform random factors in (0, 2 sqrt(meanOfV / k)] (so W H has V's mean on
 *  average). Entry (i, j) of W depends only on the seed, j and the global row
 *  number firstRow + i: the same start for any split of the rows into
 *  processes. */
NMFFactors
RandomFactors(Eigen::Index rows, Eigen::Index cols, unsigned int k, double meanOfV, std::uint64_t seed,
              std::uint64_t firstRow);
} // namespace stempdf

#endif
