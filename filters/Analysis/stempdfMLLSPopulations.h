#ifndef stempdfMLLSPopulations_h
#define stempdfMLLSPopulations_h

#include <cstddef>
#include <string>
#include <vector>

namespace stempdf
{
/** \brief Populations of the components of an MLLS (or NMF) fit: how much of
 * a scan each structural type fills.
 *
 * From the fraction maps (fraction_i = w_i / sum of the selected w at every
 * position; 0 for unselected components and where that sum is 0):
 *
 * - mean fraction of component i: the mean of its fraction map over all
 *   positions (positions without weight count as 0);
 * - area fraction of component i: the share of all positions where i has the
 *   largest fraction of the selected components (a tie goes to the lower
 *   index; positions where every selected weight is 0 belong to none).
 *
 * The sums behind them (PopulationSums) add up over blocks of positions, so
 * pieces of a scan (MPI ranks) reduce them and divide once: the result
 * matches one process's to rounding of the sums.
 */
struct PopulationSums
{
  std::vector<double> FractionSums;   //!< per component: sum of its fraction over the positions
  std::vector<double> DominantCounts; //!< per component: positions where it has the largest fraction
  double              Positions{ 0.0 };
  double              ZeroSumPositions{ 0.0 }; //!< positions where every selected weight is 0

  /** Zero sums for k components. */
  explicit PopulationSums(size_t components = 0);
  /** Adds the fractions of `positions` consecutive positions (k values each,
   *  k = selected.size()); selected[i]: component i takes part. */
  void
  Accumulate(const double * fractions, size_t positions, const std::vector<bool> & selected);
  /** Adds another block's sums (same number of components). */
  PopulationSums &
  operator+=(const PopulationSums & other);
  /** All sums in one vector (FractionSums, DominantCounts, Positions,
   *  ZeroSumPositions), for a reduction over MPI ranks; and back. */
  std::vector<double>
  Pack() const;
  static PopulationSums
  Unpack(const std::vector<double> & packed);
};

struct Population
{
  std::string Name;
  bool        Selected{ true };
  double      MeanFraction{ 0.0 };
  double      AreaFraction{ 0.0 };
};

/** The populations of the sums, one per component (names: one per component). */
std::vector<Population>
Populations(const PopulationSums & sums, const std::vector<std::string> & names, const std::vector<bool> & selected);

/** The components chosen by a selection text of 1-based numbers separated by
 *  commas or spaces, e.g. "1,2" or "1 3" (ranges "1-3" too), among k:
 *  selected[i] for component i + 1. Empty or blank text selects every
 *  component. Throws itk::ExceptionObject naming Components when a number is
 *  not one of 1..k or not a number, or when the text selects none (",").
 */
std::vector<bool>
ParseComponentSelection(const std::string & text, unsigned int components);
} // namespace stempdf

#endif
