#include "vtkSTEMPDFPeakAnalysis.h"

#include "stempdfPeakAnalysis.h"
#include "stempdfPeakTables.h"
#include "stempdfPieces.h"

#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkObjectFactory.h"
#include "vtkTable.h"

#include "itkMacro.h"

#include <algorithm>
#include <vector>

vtkStandardNewMacro(vtkSTEMPDFPeakAnalysis);

vtkSTEMPDFPeakAnalysis::vtkSTEMPDFPeakAnalysis()
{
  this->SetNumberOfOutputPorts(2);
}

int vtkSTEMPDFPeakAnalysis::FillInputPortInformation(int, vtkInformation* info)
{
  info->Set(vtkAlgorithm::INPUT_REQUIRED_DATA_TYPE(), "vtkTable");
  return 1;
}

int vtkSTEMPDFPeakAnalysis::RequestData(
  vtkInformation*, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  vtkTable* input = vtkTable::GetData(inputVector[0]);
  vtkTable* peaks = vtkTable::GetData(outputVector, 0);
  vtkTable* markers = vtkTable::GetData(outputVector, 1);
  if ((input == nullptr || input->GetNumberOfRows() == 0) && stempdf::pieces::ranks::IsParallel())
  {
    return 1; // the table's rows are on another rank
  }
  if (input == nullptr || input->GetNumberOfColumns() == 0 || input->GetNumberOfRows() == 0)
  {
    vtkErrorMacro(
      << "PeakAnalysis: the input table is empty: connect a table with an r column and one "
         "column per G(r) curve");
    return 0;
  }

  stempdf::bridge::PeakCurves curves;
  std::string error;
  if (!stempdf::bridge::ReadPeakCurves(input, this->RColumn, this->Columns, curves, error))
  {
    vtkErrorMacro(<< "PeakAnalysis: " << error);
    return 0;
  }

  // Analyse every curve first (any bad input fails the whole filter).
  stempdf::PeakAnalysisOptions options;
  std::copy(this->FirstPeakWindow, this->FirstPeakWindow + 2, options.FirstPeakWindow);
  std::copy(this->SecondPeakWindow, this->SecondPeakWindow + 2, options.SecondPeakWindow);
  std::vector<stempdf::PeakAnalysisResult> results;
  for (size_t k = 0; k < curves.Values.size(); ++k)
  {
    try
    {
      results.push_back(stempdf::AnalyzePeaks(curves.R, curves.Values[k], options));
    }
    catch (const itk::ExceptionObject& e)
    {
      vtkErrorMacro(<< "PeakAnalysis: curve '" << curves.Names[k] << "' (r column '" << curves.RName
                    << "'): " << e.GetDescription());
      return 0;
    }
    this->UpdateProgress(static_cast<double>(k + 1) / static_cast<double>(curves.Values.size()));
  }
  stempdf::bridge::WritePeakTable(curves, results, peaks);
  stempdf::bridge::WritePeakMarkers(curves, results, markers);
  return 1;
}

void vtkSTEMPDFPeakAnalysis::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  os << indent << "RColumn: \"" << this->RColumn << "\", Columns: \"" << this->Columns << "\"\n"
     << indent << "FirstPeakWindow: " << this->FirstPeakWindow[0] << " " << this->FirstPeakWindow[1]
     << ", SecondPeakWindow: " << this->SecondPeakWindow[0] << " " << this->SecondPeakWindow[1]
     << "\n";
}
