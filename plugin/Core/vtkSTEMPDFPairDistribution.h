/**
 * @class   vtkSTEMPDFPairDistribution
 * @brief   Reduced pair distribution function G(r) of every phi(s): of a field or of a table of curves.
 *
 * Thin ParaView wrapper around stempdf::PairDistributionImageFilter (a field
 * over the scan grid) and stempdf::SineTransform (a table);
 * G(r) = 8 pi integral phi(s) sin(2 pi s r) ds, docs/method.md section 5.
 *
 * Field input (StructureFactor's "Phi"): output port 0 is the field of G(r)
 * ("G", its r axis as field data) and, with NumberDensity > 0, g(r) ("g");
 * port 1 the mean G(r) (and g(r)) of the whole scan as a table (columns "r",
 * "MeanG" [, "Meang"]), reduced over MPI ranks. Table input (a column SColumn
 * and one column per curve, e.g. StructureFactor's table output): port 0 a
 * table with column "r" and one G column per curve (same names; with
 * NumberDensity also "<name>_g"); port 1 the mean of the curves.
 */
#ifndef vtkSTEMPDFPairDistribution_h
#define vtkSTEMPDFPairDistribution_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkSTEMPDFCurveAlgorithm.h"

#include <string>

class vtkImageData;
class vtkTable;

class STEMPDFCORE_EXPORT vtkSTEMPDFPairDistribution : public vtkSTEMPDFCurveAlgorithm
{
public:
  static vtkSTEMPDFPairDistribution* New();
  vtkTypeMacro(vtkSTEMPDFPairDistribution, vtkSTEMPDFCurveAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /** r range in A. Default (0, 10). */
  vtkSetVector2Macro(RRange, double);
  vtkGetVector2Macro(RRange, double);
  ///@}

  ///@{
  /** r step in A. Default 0.01. */
  vtkSetMacro(RStep, double);
  vtkGetMacro(RStep, double);
  ///@}

  ///@{
  /** Number density rho0 in atoms / A^3; > 0 also gives g(r) = 1 + G / (4 pi r rho0). Default 0 (off). */
  vtkSetMacro(NumberDensity, double);
  vtkGetMacro(NumberDensity, double);
  ///@}

  ///@{
  /** Name of the s column of a table input. Default "s". */
  vtkSetStdStringFromCharMacro(SColumn);
  vtkGetCharFromStdStringMacro(SColumn);
  ///@}

protected:
  vtkSTEMPDFPairDistribution();
  ~vtkSTEMPDFPairDistribution() override = default;

  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFPairDistribution(const vtkSTEMPDFPairDistribution&) = delete;
  void operator=(const vtkSTEMPDFPairDistribution&) = delete;

  bool ComputeField(vtkImageData* input, vtkImageData* output, vtkTable* mean, const int wholeExtent[6]);
  bool ComputeTable(vtkTable* input, vtkTable* output, vtkTable* mean);

  double RRange[2] = { 0.0, 10.0 };
  double RStep = 0.01;
  double NumberDensity = 0.0;
  std::string SColumn = "s";
};

#endif
