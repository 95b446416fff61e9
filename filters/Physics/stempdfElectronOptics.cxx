#include "stempdfElectronOptics.h"

#include "itkMacro.h"

#include <cmath>

namespace stempdf
{
namespace
{
constexpr double ElectronRestEnergy_keV = 510.99895; // m0 c^2 (CODATA 2018)
constexpr double HC_keV_A = 12.398419843;            // h c in keV A
} // namespace

double
RelativisticFactor(double kilovolts)
{
  return 1.0 + kilovolts / ElectronRestEnergy_keV;
}

double
ElectronWavelength(double kilovolts)
{
  if (!(kilovolts > 0.0) || !std::isfinite(kilovolts))
  {
    itkGenericExceptionMacro(<< "BeamEnergy is " << kilovolts << " kV; expected an accelerating voltage > 0");
  }
  // lambda = h c / sqrt(E (E + 2 m0 c^2)), E the kinetic energy.
  return HC_keV_A / std::sqrt(kilovolts * (kilovolts + 2.0 * ElectronRestEnergy_keV));
}

double
DetectorPixelSizeFromCameraLength(double cameraLength, double pixelPitch, double kilovolts)
{
  if (!(cameraLength > 0.0) || !std::isfinite(cameraLength))
  {
    itkGenericExceptionMacro(<< "CameraLength is " << cameraLength << " mm; expected > 0");
  }
  if (!(pixelPitch > 0.0) || !std::isfinite(pixelPitch))
  {
    itkGenericExceptionMacro(<< "DetectorPixelPitch is " << pixelPitch
                             << " um; expected the detector's pixel pitch > 0 (55 um for Medipix/Merlin)");
  }
  const double wavelength = ElectronWavelength(kilovolts); // A
  // pitch (um -> A: 1e4) / (lambda (A) * L (mm -> A: 1e7))
  return pixelPitch * 1e-3 / (wavelength * cameraLength);
}
} // namespace stempdf
