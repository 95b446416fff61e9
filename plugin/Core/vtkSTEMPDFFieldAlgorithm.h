/**
 * @class   vtkSTEMPDFFieldAlgorithm
 * @brief   Base of the stages whose output is a field over the scan grid plus tables for the whole
 * scan.
 *
 * Output port 0 is a vtkImageData (a field over the scan grid, or another
 * grid such as Autocorrelation's shifts); ports 1 .. N are vtkTables that
 * hold one result for the whole scan (a mean curve, a basis, populations).
 * A table has no extent: whatever piece a rank is asked for, every rank takes
 * part in the table and one rank holds it (stempdfPieces.h), so that
 * gathering the pieces does not repeat it. Subclasses that override
 * RequestInformation call this one.
 */
#ifndef vtkSTEMPDFFieldAlgorithm_h
#define vtkSTEMPDFFieldAlgorithm_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkImageAlgorithm.h"

class STEMPDFCORE_EXPORT vtkSTEMPDFFieldAlgorithm : public vtkImageAlgorithm
{
public:
  vtkTypeMacro(vtkSTEMPDFFieldAlgorithm, vtkImageAlgorithm);

protected:
  /** tables: the number of table ports after port 0. */
  explicit vtkSTEMPDFFieldAlgorithm(int tables);
  ~vtkSTEMPDFFieldAlgorithm() override = default;

  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkSTEMPDFFieldAlgorithm(const vtkSTEMPDFFieldAlgorithm&) = delete;
  void operator=(const vtkSTEMPDFFieldAlgorithm&) = delete;
};

#endif
