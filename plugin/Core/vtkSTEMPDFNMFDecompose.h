/**
 * @class   vtkSTEMPDFNMFDecompose
 * @brief   Structural types and their weight maps: non-negative matrix factorisation of a G(r) field.
 *
 * Thin ParaView wrapper around stempdf::NMFDecomposeImageFilter
 * (docs/method.md, section 6). Input: a G(r) field (Pair Distribution's "G").
 * Outputs:
 * - port 0: the scan grid with one scalar array per component, "Weight 1",
 *   "Weight 2", ... (fractions with the default SumToOne constraint), the
 *   multi-component "Weights", and "Residual" (RMS of G - fit per position);
 *   field data STEMPDF_NMFShift and STEMPDF_NMFObjective;
 * - port 1: the basis curves as a table: "r", "Basis 1", ... (the G(r) of
 *   each pure type: shift removed) and "Basis 1 (shifted)", ... (the factor
 *   H itself, >= 0);
 * - port 2: the objective ||V - W H||^2 / 2 per iteration of the long run
 *   ("Iteration", "Objective", "Compressed": 1 while it ran on the
 *   compressed data).
 * Under MPI every rank factorises its rows together with the others (sums
 * and minima reduced over vtkMultiProcessController): the result does not
 * depend on the number of ranks beyond rounding.
 */
#ifndef vtkSTEMPDFNMFDecompose_h
#define vtkSTEMPDFNMFDecompose_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

class STEMPDFCORE_EXPORT vtkSTEMPDFNMFDecompose : public vtkImageAlgorithm
{
public:
  static vtkSTEMPDFNMFDecompose* New();
  vtkTypeMacro(vtkSTEMPDFNMFDecompose, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /** Values of Algorithm, Initialization and WeightConstraint (the order of stempdf's enums). */
  enum AlgorithmType
  {
    HALS = 0,
    MULTIPLICATIVE_UPDATE = 1,
    ALTERNATING_NNLS = 2
  };
  enum InitializationType
  {
    SUCCESSIVE_PROJECTION = 0,
    NNDSVD = 1,
    NNDSVDA = 2,
    RANDOM = 3
  };
  enum WeightConstraintType
  {
    SUM_TO_ONE = 0,
    NONE = 1
  };

  ///@{
  /** Number of components (structural types plus noise). Default 3. */
  vtkSetClampMacro(NumberOfComponents, int, 1, 16);
  vtkGetMacro(NumberOfComponents, int);
  ///@}
  ///@{
  /** Update rule. Default HALS. */
  vtkSetClampMacro(Algorithm, int, HALS, ALTERNATING_NNLS);
  vtkGetMacro(Algorithm, int);
  ///@}
  ///@{
  /** Start of the first replicate. Default SUCCESSIVE_PROJECTION (the purest positions). */
  vtkSetClampMacro(Initialization, int, SUCCESSIVE_PROJECTION, RANDOM);
  vtkGetMacro(Initialization, int);
  ///@}
  ///@{
  /** What the weights may be. Default SUM_TO_ONE (fractions). */
  vtkSetClampMacro(WeightConstraint, int, SUM_TO_ONE, NONE);
  vtkGetMacro(WeightConstraint, int);
  ///@}
  ///@{
  /** Short replicate runs and their iterations. Defaults 5 and 5. */
  vtkSetClampMacro(Replicates, int, 1, 1000);
  vtkGetMacro(Replicates, int);
  vtkSetClampMacro(ReplicateIterations, int, 0, 100000);
  vtkGetMacro(ReplicateIterations, int);
  ///@}
  ///@{
  /** Most iterations of the long run. Default 1000. */
  vtkSetClampMacro(MaxIterations, int, 1, 1000000);
  vtkGetMacro(MaxIterations, int);
  ///@}
  ///@{
  /** Relative change of the objective that ends the long run. Default 1e-7. */
  vtkSetClampMacro(Tolerance, double, 0.0, 1.0);
  vtkGetMacro(Tolerance, double);
  ///@}
  ///@{
  /** Largest relative change of W or H that also ends it (MATLAB nnmf's TolX); 0 = off. Default 1e-4. */
  vtkSetClampMacro(StepTolerance, double, 0.0, 1.0);
  vtkGetMacro(StepTolerance, double);
  ///@}
  ///@{
  /** Seed of the random starts and of the compression. Default 0. */
  vtkSetClampMacro(Seed, int, 0, VTK_INT_MAX);
  vtkGetMacro(Seed, int);
  ///@}
  ///@{
  /** r range of the factorised samples in A; (0, 0) = all. Default (0, 0). */
  vtkSetVector2Macro(RRange, double);
  vtkGetVector2Macro(RRange, double);
  ///@}
  ///@{
  /** Gaussian smoothing over the scan (standard deviation in scan steps) of
   *  the data the basis is found on; weights come from the unsmoothed G(r).
   *  0 = off. Default 0. */
  vtkSetClampMacro(SpatialSmoothing, double, 0.0, 100.0);
  vtkGetMacro(SpatialSmoothing, double);
  ///@}
  ///@{
  /** Columns of the compressed data the iterations start on; 0 = none. Default 20. */
  vtkSetClampMacro(CompressionRank, int, 0, 1000);
  vtkGetMacro(CompressionRank, int);
  ///@}
  ///@{
  /** Most iterations on V itself after the compressed run converged (within
   *  what is left of MaxIterations); 0 = none. Unused without compression or
   *  with SpatialSmoothing. Default 50. */
  vtkSetClampMacro(MaxRefinementIterations, int, 0, 1000000);
  vtkGetMacro(MaxRefinementIterations, int);
  ///@}

  /** Results of the last run (information properties): the shift (minus the
   *  global minimum of G), the final objective and the iterations. */
  vtkGetMacro(Shift, double);
  vtkGetMacro(FinalObjective, double);
  vtkGetMacro(Iterations, int);

protected:
  vtkSTEMPDFNMFDecompose();
  ~vtkSTEMPDFNMFDecompose() override = default;

  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFNMFDecompose(const vtkSTEMPDFNMFDecompose&) = delete;
  void operator=(const vtkSTEMPDFNMFDecompose&) = delete;

  int NumberOfComponents = 3;
  int Algorithm = HALS;
  int Initialization = SUCCESSIVE_PROJECTION;
  int WeightConstraint = SUM_TO_ONE;
  int Replicates = 5;
  int ReplicateIterations = 5;
  int MaxIterations = 1000;
  double Tolerance = 1e-7;
  double StepTolerance = 1e-4;
  int Seed = 0;
  double RRange[2] = { 0.0, 0.0 };
  int CompressionRank = 20;
  int MaxRefinementIterations = 50;
  double SpatialSmoothing = 0.0;
  double Shift = 0.0;
  double FinalObjective = 0.0;
  int Iterations = 0;
};

#endif
