#ifndef stempdfMapGather_h
#define stempdfMapGather_h
// Scalar maps of a field over the scan, gathered whole on every MPI rank
// through the piece contract (stempdfPieces.h): for the stages whose result
// needs the whole map at once (the autocorrelation of a fraction map).

#include "stempdfImageTypes.h"

#include <string>
#include <vector>

class vtkDataArraySelection;
class vtkImageData;
class vtkPointData;

namespace stempdf
{
namespace bridge
{
/** The maps `selection` enables, or, when it enables none, every
 *  one-component numeric point array of `pointData` but "Residual" and VTK's
 *  own; empty with `error` ("Maps: ...") when there is none or a selected one
 *  is missing or not a map. */
std::vector<std::string> SelectMaps(
  vtkDataArraySelection* selection, vtkPointData* pointData, std::string& error);

/** The one-component point arrays `names` of `piece` (this rank's piece of
 *  the scan `whole`), gathered into maps over the whole scan grid (with the
 *  piece's spacing), each position from the piece that owns it. Collective:
 *  false on every rank when an array is missing from a piece or a position
 *  is in no piece, with `error` naming it on the rank where it is. */
bool GatherMaps(vtkImageData* piece, const int whole[6], const std::vector<std::string>& names,
  std::vector<MapImage::Pointer>& maps, std::string& error);
/** The part of `map` (index (0, 0) at the first point of the grid `output`
 *  belongs to) inside `output`'s extent, as its point array `name`. */
void ExportMapPiece(const MapImage* map, const std::string& name, vtkImageData* output);
} // namespace bridge
} // namespace stempdf

#endif
