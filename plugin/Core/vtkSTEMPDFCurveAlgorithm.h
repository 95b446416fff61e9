/**
 * @class   vtkSTEMPDFCurveAlgorithm
 * @brief   Base of the filters that take curves over the scan grid or in a table.
 *
 * StructureFactor and PairDistribution take either a field of curves over the
 * scan grid (vtkImageData: one curve per position, the abscissa as a
 * VectorAxis in field data) or a table of curves (vtkTable: an abscissa
 * column and one column per curve, e.g. from ParaView's CSV reader). Output
 * port 0 is of the input's kind; port 1 is always a table (a mean curve or
 * fitted parameters), made from every piece, so it carries no extent.
 */
#ifndef vtkSTEMPDFCurveAlgorithm_h
#define vtkSTEMPDFCurveAlgorithm_h

#include "STEMPDFCoreModule.h" // for export macro
#include "vtkDataObjectAlgorithm.h"

class vtkImageData;
class vtkTable;

class STEMPDFCORE_EXPORT vtkSTEMPDFCurveAlgorithm : public vtkDataObjectAlgorithm
{
public:
  vtkTypeMacro(vtkSTEMPDFCurveAlgorithm, vtkDataObjectAlgorithm);

protected:
  /** expectedInput: what the stage takes, for the message when the input is neither. */
  explicit vtkSTEMPDFCurveAlgorithm(const char* expectedInput);
  ~vtkSTEMPDFCurveAlgorithm() override = default;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestDataObject(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  /** Calls ComputeField or ComputeTable, as the input is; a failed field is emptied. */
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

  /** A field input (this rank's piece of the scan `wholeExtent`): the output
   *  field and the table of port 1. False after a vtkErrorMacro. */
  virtual bool ComputeField(
    vtkImageData* input, vtkImageData* output, vtkTable* table, const int wholeExtent[6]) = 0;
  /** A table input: the output table and the table of port 1. False after a vtkErrorMacro. */
  virtual bool ComputeTable(vtkTable* input, vtkTable* output, vtkTable* table) = 0;

private:
  const char* ExpectedInput;
  vtkSTEMPDFCurveAlgorithm(const vtkSTEMPDFCurveAlgorithm&) = delete;
  void operator=(const vtkSTEMPDFCurveAlgorithm&) = delete;
};

#endif
