#ifndef stempdfPeakAnalysis_h
#define stempdfPeakAnalysis_h

#include <string>
#include <vector>

namespace stempdf
{
/** Where PeakAnalysis looks for the peaks of G(r), in A. */
struct PeakAnalysisOptions
{
  /** r range holding the first peak; default [2.0, 3.2] A. */
  double FirstPeakWindow[2] = { 2.0, 3.2 };
  /** r range holding the second peak and its shoulder; default [3.6, 5.4] A. */
  double SecondPeakWindow[2] = { 3.6, 5.4 };
};

/** The peaks of one G(r) (docs/method.md, section 9). Positions and widths in
 *  A, heights in the unit of G. A quantity that could not be measured is NaN
 *  and the reason is in Message. */
struct PeakAnalysisResult
{
  /** First peak R1: the maximum of ln G ~ p0 + p1 x + p2 x^2 + p3 x^3
   *  (x = r - r_top; a parabola, i.e. a Gaussian, below 5 samples) fitted by
   *  least squares to the contiguous samples around the highest sample of
   *  FirstPeakWindow whose G is at least 1/2 of that sample's. The highest
   *  sample must be inside the window, not at its edge. */
  double FirstPeak;
  /** G(R1), the value of that Gaussian at its vertex. */
  double FirstPeakHeight;
  /** Half-maximum crossings left and right of R1: where G falls to
   *  FirstPeakHeight / 2 (baseline G = 0, the level G oscillates about),
   *  walking out from the highest sample, by linear interpolation between the
   *  two samples that bracket the level. */
  double FirstPeakLeft, FirstPeakRight;
  /** FirstPeakRight - FirstPeakLeft. */
  double FirstPeakFWHM;

  /** The two-Gaussian fit over SecondPeakWindow:
   *    G(r) ~ a1 exp(-(r - c1)^2 / 2 s1^2) + a2 exp(-(r - c2)^2 / 2 s2^2) + b0 + b1 (r - rm)
   *  (rm the window's middle) by Levenberg-Marquardt (Eigen), started from
   *  the data. The second peak is the highest point of the fitted curve in
   *  the window -- what one reads off the curve as its position, the
   *  convention of the paper's "second peak" (and of the simulator's truth);
   *  SecondPeakHeight is the fitted curve there. */
  double SecondPeak, SecondPeakHeight;
  /** The component whose centre is nearer SecondPeak: centre, height a and
   *  FWHM. It lies below SecondPeak when the shoulder overlaps it. */
  double SecondComponent, SecondComponentHeight, SecondComponentFWHM;
  /** The shoulder: the other component, the one farther from SecondPeak
   *  (by position, not height: the heights can be close and swap with
   *  noise). Normally at larger r; Message says so when it is not. */
  double Shoulder, ShoulderHeight, ShoulderFWHM;
  /** The baseline b0 (at rm) and its slope b1. */
  double BaselineOffset, BaselineSlope;
  /** RMS of G minus the fitted curve over the window. */
  double SecondPeakFitRMS;

  /** True when the first peak and its FWHM were found and the two-Gaussian
   *  fit converged to two positive components inside the window, with a
   *  maximum inside it. */
  bool FitOK;
  /** Empty, or why a quantity is NaN. */
  std::string Message;

  /** Distances of atom-centred polyhedra sharing a vertex (2 R1), an edge
   *  (sqrt(3) R1) and a face (sqrt(8/3) R1). */
  double
  VertexSharing() const;
  double
  EdgeSharing() const;
  double
  FaceSharing() const;
};

/** Analyses one curve G(r): r ascending (strictly), finite, as many values as
 *  g, the windows ordered (lower < upper) and holding at least 3 (first peak)
 *  and 10 (second peak) samples. Throws itk::ExceptionObject naming the
 *  parameter (r, G, FirstPeakWindow, SecondPeakWindow) otherwise. Failures of
 *  the analysis itself (no maximum inside a window, no half-maximum crossing,
 *  a fit that does not converge to two peaks) are not exceptions: those
 *  quantities are NaN, FitOK is false and Message says why. */
PeakAnalysisResult
AnalyzePeaks(const std::vector<double> & r, const std::vector<double> & g, const PeakAnalysisOptions & options = {});
} // namespace stempdf

#endif
