#ifndef stempdfElectronOptics_h
#define stempdfElectronOptics_h

namespace stempdf
{
/** Relativistic factor gamma = 1 + E0 / (m0 c^2) of electrons accelerated by
 *  `kilovolts`; the relativistic scattering factor is gamma * f. */
double
RelativisticFactor(double kilovolts);

/** Relativistic electron wavelength in A for an accelerating voltage in kV
 *  (300 kV -> 0.019687 A). Throws itk::ExceptionObject naming BeamEnergy
 *  for kilovolts <= 0. */
double
ElectronWavelength(double kilovolts);

/** Detector pixel size in s (1/A per pixel, s = 1/d) of a detector with
 *  pixels `pixelPitch` um wide at camera length `cameraLength` mm for
 *  electrons of `kilovolts`: s = 2 sin(theta/2) / lambda ~ theta / lambda
 *  and theta = pitch / L per pixel (small angles: at s = 1.6 1/A and
 *  300 kV, 2 sin(theta/2)/theta - 1 = -1e-4), so
 *  PixelSize = pitch / (lambda L). Throws itk::ExceptionObject naming
 *  CameraLength, DetectorPixelPitch or BeamEnergy when one is not > 0. */
double
DetectorPixelSizeFromCameraLength(double cameraLength, double pixelPitch, double kilovolts);
} // namespace stempdf

#endif
