#ifndef stempdfMetaDataKeys_h
#define stempdfMetaDataKeys_h

namespace stempdf
{
/** Keys of the calibration values (doubles) that readers, the simulator and
 *  the filters exchange in an itk::MetaDataDictionary; each is present only
 *  when known. (The detector shape travels as a VectorAxis, VectorAxisKey.) */
constexpr const char * ScanStepKey = "STEMPDF.ScanStep";                   //!< nm
constexpr const char * DetectorPixelSizeKey = "STEMPDF.DetectorPixelSize"; //!< 1/A per pixel, s = 1/d
constexpr const char * BeamEnergyKey = "STEMPDF.BeamEnergy";               //!< kV
constexpr const char * CameraLengthKey = "STEMPDF.CameraLength";           //!< mm
} // namespace stempdf

#endif
