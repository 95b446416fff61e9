// stempdf-simulate: a realistic 4D-STEM scan of a two-type amorphous material
// with its ground truth (see stempdf::AmorphousScanSimulator and
// docs/simulator.md).
//
//   stempdf-simulate --out DIR/NAME [options]      (--help lists them)
//
// Writes NAME.h5 (Berkeley EMD, [scan y, scan x, det y, det x] uint16) and/or
// NAME.mib (Merlin, U16), and the ground truth: NAME_truth.json (every
// parameter and scalar result), NAME_truth.h5 (maps and curves), and
// NAME_pdfs.csv / NAME_profiles.csv (curves for a spreadsheet or ParaView).
#include "stempdfAmorphousScanSimulator.h"
#include "stempdfHDF5DatasetImageIO.h"
#include "stempdfMIBImageIO.h"
#include "stempdfShellPDFModel.h"

#include "itkImageFileWriter.h"

#include <hdf5.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace
{
using Simulator = stempdf::AmorphousScanSimulator;
constexpr double Pi = 3.14159265358979323846;

const char * Usage = R"(usage: stempdf-simulate --out DIR/NAME [options]

Output
  --out PATH             output stem: writes PATH.h5 / PATH.mib and PATH_truth.* (required)
  --format h5|mib|both   detector file format (default h5)
  --force                replace existing output files
Scan and detector
  --scan NX NY           scan positions (default 128 128)
  --step NM              scan step in nm (default 1.2)
  --detector KX KY       detector pixels (default 256 256)
  --pixel-size S         1/A per pixel, s = 1/d (default 0.01433)
  --energy KV            beam energy in kV (default 300)
  --center X Y           pattern centre in pixels (default 131.3 124.7)
  --ellipse RATIO DEG    elliptical distortion: axis ratio and major-axis angle (default 1.02 30)
  --dose COUNTS          mean counts per pixel of the mean pattern for 0.25 <= s <= 1.6 (default 20)
  --saturation COUNTS    largest count (default 4095)
  --beam-stop            add a beam stop
  --dead FRACTION        dead-pixel fraction (default 0.001)
  --hot FRACTION         hot-pixel fraction (default 0.0002)
Material
  --composition FORMULA  e.g. Fe85.2Si0.5B9.5P4Cu0.8 (default) or Cu64.5Zr35.5
  --scattering-factors kirkland|lobato   (default kirkland)
  --type1-pdf FILE       G(r) of the liquid-like type from a CSV of r (A), G (1/A^2)
  --type2-pdf FILE       G(r) of the solid-like type, likewise
  --domain-size NM       domain size of the fraction maps (default 5.5)
  --solid-fraction F     mean solid-like fraction of the two types (default 0.47)
  --noise-weight W       largest fraction of the third "noise" pattern (default 0.05)
  --thickness-variation V  relative thickness variation (default 0.2)
  --seed N               random seed (default 1)
)";

[[noreturn]] void
Fail(const std::string & message)
{
  std::cerr << "stempdf-simulate: error: " << message << "\n";
  std::exit(2);
}

/** Command-line options as name -> values. */
class Options
{
public:
  Options(int argc, char ** argv)
  {
    const std::map<std::string, int> arity = {
      { "--out", 1 },         { "--format", 1 },   { "--force", 0 },          { "--scan", 2 },
      { "--step", 1 },        { "--detector", 2 }, { "--pixel-size", 1 },     { "--energy", 1 },
      { "--center", 2 },      { "--ellipse", 2 },  { "--dose", 1 },           { "--saturation", 1 },
      { "--beam-stop", 0 },   { "--dead", 1 },     { "--hot", 1 },            { "--composition", 1 },
      { "--type1-pdf", 1 },   { "--type2-pdf", 1 }, { "--domain-size", 1 },   { "--solid-fraction", 1 },
      { "--noise-weight", 1 }, { "--thickness-variation", 1 }, { "--seed", 1 }, { "--scattering-factors", 1 },
      { "--help", 0 }
    };
    for (int i = 1; i < argc; ++i)
    {
      const std::string name = argv[i];
      const auto        found = arity.find(name);
      if (found == arity.end())
      {
        Fail("unknown option '" + name + "' (--help lists the options)");
      }
      std::vector<std::string> values;
      for (int k = 0; k < found->second; ++k)
      {
        if (++i >= argc)
        {
          Fail("option " + name + " needs " + std::to_string(found->second) + " value(s)");
        }
        values.emplace_back(argv[i]);
      }
      m_Values[name] = values;
    }
  }

  bool
  Has(const std::string & name) const
  {
    return m_Values.count(name) > 0;
  }

  std::string
  Text(const std::string & name, const std::string & fallback, size_t k = 0) const
  {
    return Has(name) ? m_Values.at(name)[k] : fallback;
  }

  double
  Number(const std::string & name, double fallback, size_t k = 0) const
  {
    if (!Has(name))
    {
      return fallback;
    }
    const std::string & text = m_Values.at(name)[k];
    char *              end = nullptr;
    const double        value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(value))
    {
      Fail("option " + name + ": '" + text + "' is not a number");
    }
    return value;
  }

  unsigned int
  Count(const std::string & name, unsigned int fallback, size_t k = 0) const
  {
    const double value = Number(name, fallback, k);
    if (value < 1 || value != std::floor(value) || value > 1e6)
    {
      Fail("option " + name + ": expected a whole number >= 1, got " + m_Values.at(name)[k]);
    }
    return static_cast<unsigned int>(value);
  }

private:
  std::map<std::string, std::vector<std::string>> m_Values;
};

stempdf::ShellPDFModel
ReadPDFTable(const std::string & path)
{
  std::ifstream file(path);
  if (!file)
  {
    Fail("cannot open the G(r) file '" + path + "'");
  }
  std::vector<double> r, g;
  std::string         line;
  size_t              number = 0;
  while (std::getline(file, line))
  {
    ++number;
    if (line.empty() || line[0] == '#' || std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '"')
    {
      continue; // comment or header
    }
    for (char & c : line)
    {
      c = (c == ',' || c == ';' || c == '\t') ? ' ' : c;
    }
    std::istringstream row(line);
    double             x, y;
    if (!(row >> x >> y))
    {
      Fail("'" + path + "' line " + std::to_string(number) + ": expected two numbers r (A), G (1/A^2)");
    }
    r.push_back(x);
    g.push_back(y);
  }
  try
  {
    return stempdf::ShellPDFModel::FromTable(r, g);
  }
  catch (const itk::ExceptionObject & e)
  {
    Fail("'" + path + "': " + e.GetDescription());
  }
}

void
WriteDataset(hid_t file, const std::string & name, const std::vector<double> & values, const std::vector<hsize_t> & shape)
{
  const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
  const hid_t link = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(link, 1);
  const hid_t dataset = H5Dcreate2(file, name.c_str(), H5T_IEEE_F64LE, space, link, H5P_DEFAULT, H5P_DEFAULT);
  if (dataset < 0 || H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
  {
    Fail("could not write dataset " + name + " to the ground-truth file");
  }
  H5Dclose(dataset);
  H5Pclose(link);
  H5Sclose(space);
}

std::vector<double>
MapValues(const stempdf::MapImage * map)
{
  const auto n = map->GetBufferedRegion().GetNumberOfPixels();
  return std::vector<double>(map->GetBufferPointer(), map->GetBufferPointer() + n);
}

/** G(r) as the analysis sees it: 8 pi integral_{0.25}^{1.6} s (S - 1) sin(2 pi s r) ds. */
std::vector<double>
BandLimitedG(const std::vector<double> & s, const std::vector<double> & S, const std::vector<double> & r)
{
  std::vector<double> g(r.size(), 0.0);
  const double        ds = s[1] - s[0];
  for (size_t i = 0; i < r.size(); ++i)
  {
    double sum = 0.0;
    for (size_t k = 0; k < s.size(); ++k)
    {
      if (s[k] >= 0.25 - 1e-12 && s[k] <= 1.6 + 1e-12)
      {
        const double edge = (std::abs(s[k] - 0.25) < 1e-9 || std::abs(s[k] - 1.6) < 1e-9) ? 0.5 : 1.0;
        sum += edge * s[k] * (S[k] - 1.0) * std::sin(2.0 * Pi * s[k] * r[i]);
      }
    }
    g[i] = 8.0 * Pi * sum * ds;
  }
  return g;
}

/** Position of the maximum of y(x) in [lo, hi], refined by a parabola. */
double
PeakPosition(const std::vector<double> & x, const std::vector<double> & y, double lo, double hi)
{
  size_t best = 0;
  for (size_t i = 1; i + 1 < x.size(); ++i)
  {
    if (x[i] >= lo && x[i] <= hi && (best == 0 || y[i] > y[best]))
    {
      best = i;
    }
  }
  const double denominator = y[best - 1] - 2.0 * y[best] + y[best + 1];
  const double shift = denominator < 0.0 ? 0.5 * (y[best - 1] - y[best + 1]) / denominator : 0.0;
  return x[best] + shift * (x[1] - x[0]);
}

void
CheckNotThere(const std::string & path, bool force)
{
  if (!force && std::filesystem::exists(path))
  {
    Fail("'" + path + "' exists; choose another --out or pass --force to replace it");
  }
}
} // namespace

int
main(int argc, char ** argv)
{
  const Options options(argc, argv);
  if (options.Has("--help") || argc == 1)
  {
    std::cout << Usage;
    return argc == 1 ? 2 : 0;
  }
  if (!options.Has("--out"))
  {
    Fail("--out PATH is required (--help lists the options)");
  }
  const std::string stem = options.Text("--out", "");
  const std::string format = options.Text("--format", "h5");
  if (format != "h5" && format != "mib" && format != "both")
  {
    Fail("--format is '" + format + "'; expected h5, mib or both");
  }
  const bool force = options.Has("--force");
  const bool writeH5 = format != "mib", writeMIB = format != "h5";
  for (const std::string suffix : { "_truth.json", "_truth.h5", "_pdfs.csv", "_profiles.csv" })
  {
    CheckNotThere(stem + suffix, force);
  }
  if (writeH5)
  {
    CheckNotThere(stem + ".h5", force);
  }
  if (writeMIB)
  {
    CheckNotThere(stem + ".mib", force);
  }
  const auto folder = std::filesystem::path(stem).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
  {
    Fail("the folder of --out, '" + folder.string() + "', does not exist");
  }

  auto simulator = Simulator::New();
  simulator->SetScanSize({ { options.Count("--scan", 128, 0), options.Count("--scan", 128, 1) } });
  simulator->SetScanStep(options.Number("--step", 1.2));
  simulator->SetDetectorSize({ { options.Count("--detector", 256, 0), options.Count("--detector", 256, 1) } });
  simulator->SetPixelSize(options.Number("--pixel-size", 0.01433));
  simulator->SetBeamEnergy(options.Number("--energy", 300.0));
  simulator->SetCenter(Simulator::PointType{ { options.Number("--center", 131.3, 0), options.Number("--center", 124.7, 1) } });
  simulator->SetEllipseRatio(options.Number("--ellipse", 1.02, 0));
  simulator->SetEllipseAngle(options.Number("--ellipse", 30.0, 1));
  simulator->SetDose(options.Number("--dose", 20.0));
  simulator->SetSaturationCount(static_cast<unsigned int>(options.Number("--saturation", 4095)));
  simulator->SetBeamStop(options.Has("--beam-stop"));
  simulator->SetDeadPixelFraction(options.Number("--dead", 1e-3));
  simulator->SetHotPixelFraction(options.Number("--hot", 2e-4));
  simulator->SetComposition(options.Text("--composition", "Fe85.2Si0.5B9.5P4Cu0.8"));
  simulator->SetDomainSize(options.Number("--domain-size", 5.5));
  simulator->SetSolidFraction(options.Number("--solid-fraction", 0.47));
  simulator->SetNoiseWeight(options.Number("--noise-weight", 0.05));
  simulator->SetThicknessVariation(options.Number("--thickness-variation", 0.2));
  simulator->SetSeed(static_cast<std::uint64_t>(options.Number("--seed", 1)));
  try
  {
    simulator->SetScatteringFactors(
      stempdf::ScatteringFactorTableFromString(options.Text("--scattering-factors", "kirkland")));
  }
  catch (const itk::ExceptionObject & e)
  {
    Fail(e.GetDescription());
  }
  if (options.Has("--type1-pdf"))
  {
    simulator->SetStructuralType(0, ReadPDFTable(options.Text("--type1-pdf", "")));
  }
  if (options.Has("--type2-pdf"))
  {
    simulator->SetStructuralType(1, ReadPDFTable(options.Text("--type2-pdf", "")));
  }

  const auto start = std::chrono::steady_clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  try
  {
    std::cout << "stempdf-simulate: rendering " << simulator->GetScanSize() << " patterns of "
              << simulator->GetDetectorSize() << " px ..." << std::flush;
    simulator->Update();
    std::cout << " " << seconds() << " s\n";
    if (writeH5)
    {
      auto io = stempdf::HDF5DatasetImageIO::New();
      io->SetScanStep(simulator->GetScanStep());
      io->SetDetectorPixelSize(simulator->GetPixelSize());
      io->SetBeamEnergy(simulator->GetBeamEnergy());
      auto writer = itk::ImageFileWriter<Simulator::OutputImageType>::New();
      writer->SetImageIO(io);
      writer->SetFileName(stem + ".h5");
      writer->SetInput(simulator->GetOutput());
      writer->Update();
      std::cout << "stempdf-simulate: wrote " << stem << ".h5 (" << seconds() << " s)\n";
    }
    if (writeMIB)
    {
      auto writer = itk::ImageFileWriter<Simulator::OutputImageType>::New();
      writer->SetImageIO(stempdf::MIBImageIO::New());
      writer->SetFileName(stem + ".mib");
      writer->SetInput(simulator->GetOutput());
      writer->Update();
      std::cout << "stempdf-simulate: wrote " << stem << ".mib (" << seconds() << " s)\n";
    }
  }
  catch (const itk::ExceptionObject & e)
  {
    Fail(e.GetDescription());
  }

  // Ground truth: curves.
  const auto &        s = simulator->GetSGrid();
  std::vector<double> r;
  for (double x = 0.0; x <= 20.0 + 1e-9; x += 0.01)
  {
    r.push_back(x);
  }
  const char *                       names[3] = { "liquid_like", "solid_like", "noise" };
  std::array<std::vector<double>, 3> modelG, analysedG;
  nlohmann::json                     types = nlohmann::json::array();
  for (unsigned int j = 0; j < 3; ++j)
  {
    const auto & model = simulator->GetStructuralType(j);
    modelG[j] = model.G(r);
    analysedG[j] = BandLimitedG(s, simulator->GetStructureFactor(j), r);
    const auto first = model.FindPeak(1.0, 3.2);
    types.push_back({ { "name", names[j] },
                      { "first_peak_A", first.Position },
                      { "first_peak_fwhm_A", first.FWHM },
                      { "first_peak_s0.25-1.6_A", PeakPosition(r, analysedG[j], 1.0, 3.2) },
                      { "mean_fraction", simulator->GetMeanFractions()[j] } });
  }
  {
    std::ofstream pdfs(stem + "_pdfs.csv");
    pdfs << "r_A,G_liquid_like,G_solid_like,G_noise,G_liquid_like_s0.25-1.6,G_solid_like_s0.25-1.6,G_noise_s0.25-1.6\n";
    for (size_t i = 0; i < r.size(); ++i)
    {
      pdfs << r[i] << "," << modelG[0][i] << "," << modelG[1][i] << "," << modelG[2][i] << "," << analysedG[0][i] << ","
           << analysedG[1][i] << "," << analysedG[2][i] << "\n";
    }
    std::ofstream profiles(stem + "_profiles.csv");
    profiles << "s_invA,I_liquid_like,I_solid_like,I_noise,S_liquid_like,S_solid_like,S_noise,mean_f,mean_f2,background\n";
    const auto & f = simulator->GetCompositionFactors();
    for (size_t i = 0; i < s.size(); ++i)
    {
      profiles << s[i] << "," << simulator->GetIntensityPerAtom(0)[i] << "," << simulator->GetIntensityPerAtom(1)[i]
               << "," << simulator->GetIntensityPerAtom(2)[i] << "," << simulator->GetStructureFactor(0)[i] << ","
               << simulator->GetStructureFactor(1)[i] << "," << simulator->GetStructureFactor(2)[i] << ","
               << f.MeanF[i] << "," << f.MeanFSquared[i] << "," << simulator->GetBackground()[i] << "\n";
    }
  }

  // Ground truth: maps and curves in HDF5.
  {
    const std::string path = stem + "_truth.h5";
    const hid_t       file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0)
    {
      Fail("cannot create '" + path + "'");
    }
    const hsize_t nx = simulator->GetScanSize()[0], ny = simulator->GetScanSize()[1];
    for (unsigned int j = 0; j < 3; ++j)
    {
      WriteDataset(file, std::string("/maps/fraction_") + names[j], MapValues(simulator->GetFractionMap(j)), { ny, nx });
      WriteDataset(file, std::string("/pdf/G_") + names[j], modelG[j], { r.size() });
      WriteDataset(file, std::string("/pdf/G_") + names[j] + "_s0.25-1.6", analysedG[j], { r.size() });
      WriteDataset(file, std::string("/profiles/I_") + names[j], simulator->GetIntensityPerAtom(j), { s.size() });
      WriteDataset(file, std::string("/profiles/S_") + names[j], simulator->GetStructureFactor(j), { s.size() });
    }
    WriteDataset(file, "/maps/thickness", MapValues(simulator->GetThicknessMap()), { ny, nx });
    WriteDataset(file, "/maps/atom_count", MapValues(simulator->GetAtomCountMap()), { ny, nx });
    WriteDataset(file, "/pdf/r", r, { r.size() });
    WriteDataset(file, "/profiles/s", s, { s.size() });
    WriteDataset(file, "/profiles/mean_f", simulator->GetCompositionFactors().MeanF, { s.size() });
    WriteDataset(file, "/profiles/mean_f2", simulator->GetCompositionFactors().MeanFSquared, { s.size() });
    WriteDataset(file, "/profiles/background", simulator->GetBackground(), { s.size() });
    const auto *        mask = simulator->GetDetectorMask();
    const auto          pixels = mask->GetBufferedRegion().GetNumberOfPixels();
    std::vector<double> maskValues(mask->GetBufferPointer(), mask->GetBufferPointer() + pixels);
    WriteDataset(file, "/detector/mask", maskValues,
                 { simulator->GetDetectorSize()[1], simulator->GetDetectorSize()[0] });
    WriteDataset(file, "/detector/s", simulator->GetPixelS(),
                 { simulator->GetDetectorSize()[1], simulator->GetDetectorSize()[0] });
    H5Fclose(file);
  }

  // Ground truth: parameters and scalars.
  const auto     means = simulator->GetMeanFractions();
  nlohmann::json truth = {
    { "generator", "stempdf-simulate" },
    { "command", [&] {
        std::string line;
        for (int i = 0; i < argc; ++i)
        {
          line += (i ? " " : "") + std::string(argv[i]);
        }
        return line;
      }() },
    { "parameters",
      { { "scan", { simulator->GetScanSize()[0], simulator->GetScanSize()[1] } },
        { "scan_step_nm", simulator->GetScanStep() },
        { "detector", { simulator->GetDetectorSize()[0], simulator->GetDetectorSize()[1] } },
        { "pixel_size_invA", simulator->GetPixelSize() },
        { "beam_energy_kV", simulator->GetBeamEnergy() },
        { "center_px", { simulator->GetCenter()[0], simulator->GetCenter()[1] } },
        { "ellipse_ratio", simulator->GetEllipseRatio() },
        { "ellipse_angle_deg", simulator->GetEllipseAngle() },
        { "composition", simulator->GetComposition() },
        { "scattering_factors", stempdf::ToString(simulator->GetScatteringFactors()) },
        { "domain_size_nm", simulator->GetDomainSize() },
        { "solid_fraction", simulator->GetSolidFraction() },
        { "noise_weight", simulator->GetNoiseWeight() },
        { "thickness_variation", simulator->GetThicknessVariation() },
        { "dose", simulator->GetDose() },
        { "direct_beam_radius_invA", simulator->GetDirectBeamRadius() },
        { "saturation_count", simulator->GetSaturationCount() },
        { "beam_stop", simulator->GetBeamStop() },
        { "dead_pixel_fraction", simulator->GetDeadPixelFraction() },
        { "hot_pixel_fraction", simulator->GetHotPixelFraction() },
        { "seed", simulator->GetSeed() } } },
    { "results",
      { { "mean_fractions", { { "liquid_like", means[0] }, { "solid_like", means[1] }, { "noise", means[2] } } },
        { "solid_fraction_of_two_types", means[1] / (means[0] + means[1]) },
        { "realised_domain_size_nm", simulator->GetRealisedDomainSize() },
        { "domain_size_definition", "FWHM of the radial autocorrelation of the solid-like fraction map" },
        { "count_scale_per_A2", simulator->GetCountScale() },
        { "types", types } } },
    { "files",
      { { "detector", writeH5 ? stem + ".h5" : stem + ".mib" },
        { "truth_h5", stem + "_truth.h5" },
        { "pdfs_csv", stem + "_pdfs.csv" },
        { "profiles_csv", stem + "_profiles.csv" } } },
    { "seconds", seconds() }
  };
  std::ofstream(stem + "_truth.json") << truth.dump(2) << "\n";
  std::cout << "stempdf-simulate: ground truth in " << stem << "_truth.json / _truth.h5 / _pdfs.csv / _profiles.csv ("
            << seconds() << " s in all)\n";
  return 0;
}
