// Electron wavelength (known values) and the camera-length calibration of the
// detector pixel size (known answer and its inverse), bad values named.
#include "stempdfElectronOptics.h"

#include "itkMacro.h"

#include "stempdfTestingErrors.h"

#include <gtest/gtest.h>

#include <string>

using stempdf::testing::ExpectError;

TEST(ElectronOptics, WavelengthAndRelativisticFactor)
{
  // International Tables C, 4.3.1: 300 kV 0.019687 A, 200 kV 0.025079 A, 100 kV 0.037014 A
  EXPECT_NEAR(stempdf::ElectronWavelength(300.0), 0.019687, 5e-7);
  EXPECT_NEAR(stempdf::ElectronWavelength(200.0), 0.025079, 5e-7);
  EXPECT_NEAR(stempdf::ElectronWavelength(100.0), 0.037014, 5e-7);
  EXPECT_NEAR(stempdf::RelativisticFactor(300.0), 1.587, 1e-3);
  ExpectError([] { stempdf::ElectronWavelength(0.0); }, { "BeamEnergy" });
}

TEST(ElectronOptics, PixelSizeFromCameraLength)
{
  // 55 um pixels at 195.0 mm and 300 kV: theta = 55e-6 / 0.195 rad per pixel,
  // s = theta / lambda = 2.8205e-4 / 0.019687 A = 0.014327 1/A per pixel.
  const double s = stempdf::DetectorPixelSizeFromCameraLength(195.0, 55.0, 300.0);
  EXPECT_NEAR(s, 55e-6 / 0.195 / stempdf::ElectronWavelength(300.0), 1e-12);
  EXPECT_NEAR(s, 0.014327, 5e-6);
  // Twice the camera length, half the pixel size; twice the pitch, twice.
  EXPECT_NEAR(stempdf::DetectorPixelSizeFromCameraLength(390.0, 55.0, 300.0), s / 2, 1e-12);
  EXPECT_NEAR(stempdf::DetectorPixelSizeFromCameraLength(195.0, 110.0, 300.0), 2 * s, 1e-12);
}

TEST(ElectronOptics, BadCalibrationIsNamed)
{
  ExpectError([] { stempdf::DetectorPixelSizeFromCameraLength(0.0, 55.0, 300.0); }, { "CameraLength" });
  ExpectError([] { stempdf::DetectorPixelSizeFromCameraLength(200.0, -1.0, 300.0); }, { "DetectorPixelPitch" });
  ExpectError([] { stempdf::DetectorPixelSizeFromCameraLength(200.0, 55.0, 0.0); }, { "BeamEnergy" });
}
