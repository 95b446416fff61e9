/**
 * @class   vtkSTEMPDFAutocorrelation
 * @brief   Autocorrelation of maps over the scan grid and the correlation lengths (domain sizes).
 *
 * Thin ParaView wrapper around stempdf::AutocorrelationImageFilter
 * (docs/method.md, section 8). Input: an image over the scan grid (spacing =
 * scan step in nm) with one-component point arrays, e.g. NMF Decompose's
 * "Weight 1", "Weight 2", ... . Maps: the arrays to process
 * (GetMapSelection(), a vtkDataArraySelection); when it enables none (the
 * default), every one-component numeric point array except "Residual" and
 * VTK's own (names starting with "vtk").
 * Outputs:
 * - port 0: the normalised autocorrelation of each map, one array per map
 *   with the map's name, on the grid of shifts: (2 (Nx/2) + 1) x
 *   (2 (Ny/2) + 1) points, the input's spacing (nm), zero shift at (0, 0);
 * - port 1: the radial profiles as a table: "Distance (nm)", then one column
 *   per map (a line chart);
 * - port 2: the lengths as a table, one row per map: "Map", "FWHM (nm)",
 *   "OneOverE (nm)", "ExponentialFit (nm)" and "CorrelationLength (nm)" (the
 *   one LengthDefinition picks); NaN when the map's profile does not reach
 *   the level within half the map.
 * Under MPI every rank gathers the whole maps from all pieces (the maps are
 * small) and computes the same result; each rank outputs the piece of the
 * autocorrelation images asked of it, and rank 0 alone holds the tables.
 */
#ifndef vtkSTEMPDFAutocorrelation_h
#define vtkSTEMPDFAutocorrelation_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkSTEMPDFFieldAlgorithm.h"
#include "vtkNew.h" // for vtkNew

class vtkDataArraySelection;

class STEMPDFCORE_EXPORT vtkSTEMPDFAutocorrelation : public vtkSTEMPDFFieldAlgorithm
{
public:
  static vtkSTEMPDFAutocorrelation* New();
  vtkTypeMacro(vtkSTEMPDFAutocorrelation, vtkSTEMPDFFieldAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /** Values of LengthDefinition. */
  enum LengthDefinitionType
  {
    FWHM = 0,
    ONE_OVER_E = 1,
    EXPONENTIAL_FIT = 2
  };

  /** The point arrays to process; none enabled = every one-component map but "Residual". */
  vtkDataArraySelection* GetMapSelection() { return this->MapSelection; }

  ///@{
  /** Width of the rings of the radial profile, in scan steps. Default 0.5. */
  vtkSetClampMacro(BinWidth, double, 0.01, 100.0);
  vtkGetMacro(BinWidth, double);
  ///@}
  ///@{
  /** Which length is the "CorrelationLength (nm)" column. Default FWHM. */
  vtkSetClampMacro(LengthDefinition, int, FWHM, EXPONENTIAL_FIT);
  vtkGetMacro(LengthDefinition, int);
  ///@}

protected:
  vtkSTEMPDFAutocorrelation();
  ~vtkSTEMPDFAutocorrelation() override;

  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFAutocorrelation(const vtkSTEMPDFAutocorrelation&) = delete;
  void operator=(const vtkSTEMPDFAutocorrelation&) = delete;

  vtkNew<vtkDataArraySelection> MapSelection;
  unsigned long SelectionObserver = 0;
  double BinWidth = 0.5;
  int LengthDefinition = FWHM;
};

#endif
