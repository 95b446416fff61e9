#ifndef stempdfAmorphousScanSimulator_h
#define stempdfAmorphousScanSimulator_h

#include "stempdfImageTypes.h"
#include "stempdfScatteringFactors.h"
#include "stempdfShellPDFModel.h"

#include "itkFixedArray.h"
#include "itkImageSource.h"
#include "itkSize.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace stempdf
{
/** \class AmorphousScanSimulator
 * \brief A realistic 4D-STEM scan of a two-type amorphous material, with its
 * ground truth.
 *
 * The material mixes two structural types (each a ShellPDFModel, by default
 * the paper's "liquid-like" and "solid-like" types) and a weak third "noise"
 * pattern, with fraction maps that form domains of a chosen size. At scan
 * position x the expected counts in detector pixel p are
 *
 *   lambda(x, p) = k [ t(x) sum_j c_j(x) I_j(s_p) + t(x)^2 B(s_p) ],
 *   I_j(s) = <f^2>(s) + <f>(s)^2 (S_j(s) - 1),
 *
 * where c_j are the fractions (liquid-like, solid-like, noise; sum 1), t the
 * relative thickness (1 +- ThicknessVariation, smooth), <f>, <f^2> the
 * composition averages of the relativistic electron scattering factors, B a
 * smooth plural/inelastic background, and k set so that the mean pattern has
 * Dose counts per pixel between s = 0.25 and 1.6 1/A. N(x) = k t(x) is the
 * "atom count" of the structure-factor normalisation (counts per A^2).
 * S_j is the structure factor of type j with its structure below the main
 * peak tapered away (S -> 1 + (S - 1) T(s), T = (1 + tanh((s - 0.37)/0.03))/2):
 * Gaussian-shell models do not obey the sum rules that keep a real S(s)
 * positive there. The ground truth reports the S_j and I_j actually used.
 *
 * Detector: pixel (kx, ky) has s = PixelSize * sqrt(u^2 / e + v^2 e), with
 * (u, v) its offset from Center rotated by EllipseAngle and e = EllipseRatio:
 * rings of constant s are ellipses with axis ratio e, major axis at
 * EllipseAngle from detector x. Counts are Poisson, clipped at
 * SaturationCount; the direct beam (s < DirectBeamRadius) saturates; optional
 * beam stop (its shadow passes 2 % of the counts); dead pixels read 0, hot
 * pixels SaturationCount.
 *
 * The output is a field of patterns over the scan grid (PatternFieldImage
 * <uint16_t>, spacing ScanStep nm, detector VectorAxis and calibration in the
 * MetaDataDictionary). Frames are rendered in parallel, each from its own
 * random stream, so the output depends on Seed only, not on threads or on the
 * requested region. The ground truth (maps, curves, masks) is computed by
 * ComputeGroundTruth(), which Update() calls.
 *
 * \ingroup STEMPDF
 */
class AmorphousScanSimulator : public itk::ImageSource<PatternFieldImage<std::uint16_t>>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(AmorphousScanSimulator);

  using Self = AmorphousScanSimulator;
  using OutputImageType = PatternFieldImage<std::uint16_t>;
  using Superclass = itk::ImageSource<OutputImageType>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  using SizeType = itk::Size<2>;
  using PointType = itk::FixedArray<double, 2>;
  using MaskImage = itk::Image<std::uint8_t, 2>;
  using OutputImageRegionType = OutputImageType::RegionType;

  itkNewMacro(Self);
  itkTypeMacro(AmorphousScanSimulator, ImageSource);

  /** Number of scan positions (x, y). Default 128 x 128. */
  itkSetMacro(ScanSize, SizeType);
  itkGetConstMacro(ScanSize, SizeType);
  /** Scan step in nm. Default 1.2. */
  itkSetMacro(ScanStep, double);
  itkGetConstMacro(ScanStep, double);
  /** Detector pixels (x, y). Default 256 x 256. */
  itkSetMacro(DetectorSize, SizeType);
  itkGetConstMacro(DetectorSize, SizeType);
  /** Detector pixel size in s = 1/d, 1/A per pixel. Default 0.01433 (paper). */
  itkSetMacro(PixelSize, double);
  itkGetConstMacro(PixelSize, double);
  /** Accelerating voltage in kV (relativistic scattering factors). Default 300. */
  itkSetMacro(BeamEnergy, double);
  itkGetConstMacro(BeamEnergy, double);
  /** Pattern centre in detector pixels. Default (131.3, 124.7), off the middle. */
  itkSetMacro(Center, PointType);
  itkGetConstMacro(Center, PointType);
  /** Elliptical distortion: axis ratio (1 = circular; default 1.02) and the
   *  angle of the major axis from detector x in degrees (default 30). */
  itkSetMacro(EllipseRatio, double);
  itkGetConstMacro(EllipseRatio, double);
  itkSetMacro(EllipseAngle, double);
  itkGetConstMacro(EllipseAngle, double);
  /** Composition formula. Default "Fe85.2Si0.5B9.5P4Cu0.8". */
  itkSetStringMacro(Composition);
  itkGetStringMacro(Composition);
  /** Scattering-factor table. Default Kirkland. */
  itkSetEnumMacro(ScatteringFactors, ScatteringFactorTable);
  itkGetEnumMacro(ScatteringFactors, ScatteringFactorTable);
  /** Domain size of the fraction maps: FWHM of the autocorrelation of the
   *  underlying random field, in nm. Default 5.5. */
  itkSetMacro(DomainSize, double);
  itkGetConstMacro(DomainSize, double);
  /** Target mean fraction of the solid-like type among the two structural
   *  types, solid / (solid + liquid), excluding the noise pattern, as MLLS
   *  populations count it. Default 0.47. */
  itkSetMacro(SolidFraction, double);
  itkGetConstMacro(SolidFraction, double);
  /** Largest fraction of the third, "noise" pattern (its map varies 0..this). Default 0.05. */
  itkSetMacro(NoiseWeight, double);
  itkGetConstMacro(NoiseWeight, double);
  /** Relative thickness variation (t in 1 +- this). Default 0.2. */
  itkSetMacro(ThicknessVariation, double);
  itkGetConstMacro(ThicknessVariation, double);
  /** Plural/inelastic background at s = 0 relative to <f^2>(0.25). Default 0.5. */
  itkSetMacro(BackgroundLevel, double);
  itkGetConstMacro(BackgroundLevel, double);
  /** Mean counts per pixel of the mean pattern between s = 0.25 and 1.6 1/A. Default 20. */
  itkSetMacro(Dose, double);
  itkGetConstMacro(Dose, double);
  /** Radius of the (saturated) direct beam in 1/A. Default 0.05. */
  itkSetMacro(DirectBeamRadius, double);
  itkGetConstMacro(DirectBeamRadius, double);
  /** Largest count a pixel can hold (12-bit Medipix counter). Default 4095. */
  itkSetMacro(SaturationCount, unsigned int);
  itkGetConstMacro(SaturationCount, unsigned int);
  /** Add a beam stop (disk over the direct beam plus an arm to the edge). Default off. */
  itkSetMacro(BeamStop, bool);
  itkGetConstMacro(BeamStop, bool);
  itkBooleanMacro(BeamStop);
  /** Fractions of dead (0) and hot (saturated) pixels. Defaults 1e-3 and 2e-4. */
  itkSetMacro(DeadPixelFraction, double);
  itkGetConstMacro(DeadPixelFraction, double);
  itkSetMacro(HotPixelFraction, double);
  itkGetConstMacro(HotPixelFraction, double);
  /** Seed of every random choice. Default 1. */
  itkSetMacro(Seed, std::uint64_t);
  itkGetConstMacro(Seed, std::uint64_t);

  /** Structural type j: 0 liquid-like, 1 solid-like, 2 noise. Defaults
   *  ShellPDFModel::LiquidLike(), SolidLike(), Noise(). */
  void
  SetStructuralType(unsigned int j, const ShellPDFModel & model);
  const ShellPDFModel &
  GetStructuralType(unsigned int j) const;

  /** Computes the maps, curves and masks (done by Update(); call it alone to
   *  get the ground truth without rendering frames). */
  void
  ComputeGroundTruth();

  /** Fraction map of type j (0 liquid-like, 1 solid-like, 2 noise). */
  const MapImage *
  GetFractionMap(unsigned int j) const;
  /** Relative thickness t(x). */
  const MapImage *
  GetThicknessMap() const
  {
    return m_Thickness;
  }
  /** N(x) = k t(x): counts per A^2 of the structure-factor normalisation. */
  const MapImage *
  GetAtomCountMap() const
  {
    return m_AtomCount;
  }
  /** Scattering-vector grid of the curves below (0 .. the detector corner, 0.001 1/A). */
  const std::vector<double> &
  GetSGrid() const
  {
    return m_SGrid;
  }
  /** I_j(s) per atom (A^2) of type j, <f>, <f^2>, the background B(s) (counts
   *  per unit k), and the tapered S_j(s), on GetSGrid(). */
  const std::vector<double> &
  GetIntensityPerAtom(unsigned int j) const;
  const std::vector<double> &
  GetStructureFactor(unsigned int j) const;
  const CompositionScatteringFactors &
  GetCompositionFactors() const
  {
    return m_CompositionFactors;
  }
  const std::vector<double> &
  GetBackground() const
  {
    return m_Background;
  }
  /** k, counts per A^2 at unit thickness. */
  itkGetConstMacro(CountScale, double);
  /** Mean fractions of the three types over the scan (they sum to 1). */
  std::array<double, 3>
  GetMeanFractions() const;
  /** Domain size realised by the solid-like fraction map: FWHM of its radial
   *  autocorrelation (stempdf::ComputeRadialAutocorrelation), nm. */
  itkGetConstMacro(RealisedDomainSize, double);
  /** Detector pixel classes: 0 good, 1 dead, 2 hot, 3 direct beam, 4 beam stop shadow. */
  const MaskImage *
  GetDetectorMask() const
  {
    return m_DetectorMask;
  }
  /** s of every detector pixel (1/A), detector x fastest. */
  const std::vector<double> &
  GetPixelS() const
  {
    return m_PixelS;
  }

protected:
  AmorphousScanSimulator();
  ~AmorphousScanSimulator() override = default;

  void
  GenerateOutputInformation() override;
  void
  BeforeThreadedGenerateData() override;
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & region) override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  void
  CheckParameters() const;
  void
  ComputeMaps();
  void
  ComputeCurves();
  void
  ComputeDetector();

  SizeType                     m_ScanSize;
  double                       m_ScanStep{ 1.2 };
  SizeType                     m_DetectorSize;
  double                       m_PixelSize{ 0.01433 };
  double                       m_BeamEnergy{ 300.0 };
  PointType                    m_Center;
  double                       m_EllipseRatio{ 1.02 };
  double                       m_EllipseAngle{ 30.0 };
  std::string                  m_Composition{ "Fe85.2Si0.5B9.5P4Cu0.8" };
  ScatteringFactorTable        m_ScatteringFactors{ ScatteringFactorTable::Kirkland };
  double                       m_DomainSize{ 5.5 };
  double                       m_SolidFraction{ 0.47 };
  double                       m_NoiseWeight{ 0.05 };
  double                       m_ThicknessVariation{ 0.2 };
  double                       m_BackgroundLevel{ 0.5 };
  double                       m_Dose{ 20.0 };
  double                       m_DirectBeamRadius{ 0.05 };
  unsigned int                 m_SaturationCount{ 4095 };
  bool                         m_BeamStop{ false };
  double                       m_DeadPixelFraction{ 1e-3 };
  double                       m_HotPixelFraction{ 2e-4 };
  std::uint64_t                m_Seed{ 1 };
  std::array<ShellPDFModel, 3> m_Types;

  // Ground truth.
  std::array<MapImage::Pointer, 3>   m_Fractions;
  MapImage::Pointer                  m_Thickness;
  MapImage::Pointer                  m_AtomCount;
  std::vector<double>                m_SGrid;
  std::array<std::vector<double>, 3> m_Intensity;
  std::array<std::vector<double>, 3> m_StructureFactors;
  CompositionScatteringFactors       m_CompositionFactors;
  std::vector<double>                m_Background;
  double                             m_CountScale{ 0.0 };
  double                             m_RealisedDomainSize{ 0.0 };
  MaskImage::Pointer                 m_DetectorMask;
  std::vector<double>                m_PixelS;

  // Per-pixel expected counts of each type and of the background (k included).
  std::array<std::vector<float>, 4> m_PixelPatterns;
};
} // namespace stempdf

#endif
