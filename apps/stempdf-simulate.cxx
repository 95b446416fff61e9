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

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
using Simulator = stempdf::AmorphousScanSimulator;
constexpr double Pi = 3.14159265358979323846;

[[noreturn]] void
Fail(const std::string & message)
{
  std::cerr << "stempdf-simulate: error: " << message << "\n";
  std::exit(2);
}

/** How an option's values are read: Options::Has (Flag), Text, Number or Count. */
enum class OptionType
{
  Flag,
  Text,
  Number,
  Count // a whole number >= 1
};

/** One command-line option. Each is declared once, in OptionTable; the
 *  parser, the accessors of Options and the --help text all come from it. */
struct OptionSpec
{
  const char * Section; // the --help heading this option starts, or nullptr
  const char * Name;
  OptionType   Type;
  const char * Values;  // names of its values in --help, one word each ("NX NY"): as many as the option takes
  const char * Default; // the default values as typed on the command line, one word each; "" for none
                        // (text, read like a given value: --help shows the very default that is used)
  const char * Help;    // --help text, "{default}" standing for the default, else " (default ...)" is
                        // appended when there is one; nullptr: not listed
};

const OptionSpec OptionTable[] = {
  { "Output", "--out", OptionType::Text, "PATH", "",
    "output stem: writes PATH.h5 / PATH.mib and PATH_truth.* (required)" },
  { nullptr, "--format", OptionType::Text, "h5|mib|both", "h5", "detector file format" },
  { nullptr, "--force", OptionType::Flag, "", "", "replace existing output files" },
  { "Scan and detector", "--scan", OptionType::Count, "NX NY", "128 128", "scan positions" },
  { nullptr, "--step", OptionType::Number, "NM", "1.2", "scan step in nm" },
  { nullptr, "--detector", OptionType::Count, "KX KY", "256 256", "detector pixels" },
  { nullptr, "--pixel-size", OptionType::Number, "S", "0.01433", "1/A per pixel, s = 1/d" },
  { nullptr, "--energy", OptionType::Number, "KV", "300", "beam energy in kV" },
  { nullptr, "--center", OptionType::Number, "X Y", "131.3 124.7", "pattern centre in pixels" },
  { nullptr, "--ellipse", OptionType::Number, "RATIO DEG", "1.02 30",
    "elliptical distortion: axis ratio and major-axis angle" },
  { nullptr, "--dose", OptionType::Number, "COUNTS", "20",
    "mean counts per pixel of the mean pattern for 0.25 <= s <= 1.6" },
  { nullptr, "--saturation", OptionType::Number, "COUNTS", "4095", "largest count" },
  { nullptr, "--beam-stop", OptionType::Flag, "", "", "add a beam stop" },
  { nullptr, "--dead", OptionType::Number, "FRACTION", "0.001", "dead-pixel fraction" },
  { nullptr, "--hot", OptionType::Number, "FRACTION", "0.0002", "hot-pixel fraction" },
  { "Material", "--composition", OptionType::Text, "FORMULA", "Fe85.2Si0.5B9.5P4Cu0.8",
    "e.g. {default} (default) or Cu64.5Zr35.5" },
  { nullptr, "--scattering-factors", OptionType::Text, "kirkland|lobato", "kirkland", "" },
  { nullptr, "--type1-pdf", OptionType::Text, "FILE", "", "G(r) of the liquid-like type from a CSV of r (A), G (1/A^2)" },
  { nullptr, "--type2-pdf", OptionType::Text, "FILE", "", "G(r) of the solid-like type, likewise" },
  { nullptr, "--domain-size", OptionType::Number, "NM", "5.5", "domain size of the fraction maps" },
  { nullptr, "--solid-fraction", OptionType::Number, "F", "0.47", "mean solid-like fraction of the two types" },
  { nullptr, "--noise-weight", OptionType::Number, "W", "0.05", "largest fraction of the third \"noise\" pattern" },
  { nullptr, "--thickness-variation", OptionType::Number, "V", "0.2", "relative thickness variation" },
  { nullptr, "--seed", OptionType::Number, "N", "1", "random seed" },
  { nullptr, "--help", OptionType::Flag, "", "", nullptr },
};

/** The words of `text`, split at spaces. */
std::vector<std::string>
Words(const std::string & text)
{
  std::istringstream       stream(text);
  std::vector<std::string> words;
  for (std::string word; stream >> word;)
  {
    words.push_back(word);
  }
  return words;
}

/** The option named `name` in OptionTable, or nullptr. */
const OptionSpec *
FindOption(const std::string & name)
{
  for (const OptionSpec & spec : OptionTable)
  {
    if (name == spec.Name)
    {
      return &spec;
    }
  }
  return nullptr;
}

/** --help: the options of OptionTable under their headings. */
std::string
Usage()
{
  std::ostringstream out;
  out << "usage: stempdf-simulate --out DIR/NAME [options]\n\n";
  for (const OptionSpec & spec : OptionTable)
  {
    if (spec.Help == nullptr)
    {
      continue;
    }
    if (spec.Section != nullptr)
    {
      out << spec.Section << "\n";
    }
    std::string       help = spec.Help;
    const std::string placeholder = "{default}";
    const auto        at = help.find(placeholder);
    if (at != std::string::npos)
    {
      help.replace(at, placeholder.size(), spec.Default);
    }
    else if (*spec.Default != '\0')
    {
      help += std::string(" (default ") + spec.Default + ")";
    }
    const std::string synopsis = std::string(spec.Name) + (*spec.Values != '\0' ? " " : "") + spec.Values;
    out << "  " << std::left << std::setw(21) << synopsis << "  " << help << "\n";
  }
  return out.str();
}

/** Command-line options as name -> values, read by the types of OptionTable;
 *  an option not given has its default. Values are converted when asked for,
 *  so a bad one is reported only where the program uses it. */
class Options
{
public:
  Options(int argc, char ** argv)
  {
    for (int i = 1; i < argc; ++i)
    {
      const std::string  name = argv[i];
      const OptionSpec * spec = FindOption(name);
      if (spec == nullptr)
      {
        Fail("unknown option '" + name + "' (--help lists the options)");
      }
      const size_t             arity = Words(spec->Values).size();
      std::vector<std::string> values;
      for (size_t k = 0; k < arity; ++k)
      {
        if (++i >= argc)
        {
          Fail("option " + name + " needs " + std::to_string(arity) + " value(s)");
        }
        values.emplace_back(argv[i]);
      }
      m_Values[name] = values;
    }
  }

  bool
  Has(const std::string & name) const
  {
    Spec(name);
    return m_Values.count(name) > 0;
  }

  std::string
  Text(const std::string & name, size_t k = 0) const
  {
    return Value(Spec(name, OptionType::Text), k);
  }

  double
  Number(const std::string & name, size_t k = 0) const
  {
    return ParseNumber(Spec(name, OptionType::Number), k);
  }

  unsigned int
  Count(const std::string & name, size_t k = 0) const
  {
    const OptionSpec & spec = Spec(name, OptionType::Count);
    const double       value = ParseNumber(spec, k);
    if (value < 1 || value != std::floor(value) || value > 1e6)
    {
      Fail("option " + name + ": expected a whole number >= 1, got " + Value(spec, k));
    }
    return static_cast<unsigned int>(value);
  }

private:
  /** The table's entry of `name`: a name that is not there is a mistake in this program. */
  static const OptionSpec &
  Spec(const std::string & name)
  {
    const OptionSpec * spec = FindOption(name);
    if (spec == nullptr)
    {
      throw std::logic_error("stempdf-simulate: option " + name + " is not in the option table");
    }
    return *spec;
  }

  /** Likewise, and it must be read as the table's type says. */
  static const OptionSpec &
  Spec(const std::string & name, OptionType type)
  {
    const OptionSpec & spec = Spec(name);
    if (spec.Type != type)
    {
      throw std::logic_error("stempdf-simulate: option " + name + " is read as another type than the option table's");
    }
    return spec;
  }

  /** Value k of the option as given, else its default. */
  std::string
  Value(const OptionSpec & spec, size_t k) const
  {
    const auto given = m_Values.find(spec.Name);
    if (given != m_Values.end())
    {
      return given->second.at(k);
    }
    return Words(spec.Default).at(k);
  }

  double
  ParseNumber(const OptionSpec & spec, size_t k) const
  {
    const std::string text = Value(spec, k);
    char *            end = nullptr;
    const double      value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(value))
    {
      Fail("option " + std::string(spec.Name) + ": '" + text + "' is not a number");
    }
    return value;
  }

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

/** The pixels of a map or mask, as doubles. */
template <typename TImage>
std::vector<double>
PixelValues(const TImage * image)
{
  const auto n = image->GetBufferedRegion().GetNumberOfPixels();
  return std::vector<double>(image->GetBufferPointer(), image->GetBufferPointer() + n);
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

/** Where the results go. */
struct Outputs
{
  std::string Stem;
  bool        WriteH5 = false;
  bool        WriteMIB = false;
};

/** --out and --format, checked before the (long) simulation: no file is
 *  replaced without --force, and the folder must exist. */
Outputs
ChooseOutputs(const Options & options)
{
  if (!options.Has("--out"))
  {
    Fail("--out PATH is required (--help lists the options)");
  }
  Outputs outputs;
  outputs.Stem = options.Text("--out");
  const std::string & stem = outputs.Stem;
  const std::string   format = options.Text("--format");
  if (format != "h5" && format != "mib" && format != "both")
  {
    Fail("--format is '" + format + "'; expected h5, mib or both");
  }
  const bool force = options.Has("--force");
  outputs.WriteH5 = format != "mib";
  outputs.WriteMIB = format != "h5";
  for (const std::string suffix : { "_truth.json", "_truth.h5", "_pdfs.csv", "_profiles.csv" })
  {
    CheckNotThere(stem + suffix, force);
  }
  if (outputs.WriteH5)
  {
    CheckNotThere(stem + ".h5", force);
  }
  if (outputs.WriteMIB)
  {
    CheckNotThere(stem + ".mib", force);
  }
  const auto folder = std::filesystem::path(stem).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
  {
    Fail("the folder of --out, '" + folder.string() + "', does not exist");
  }
  return outputs;
}

/** The simulator set up from the options (a bad value fails here, in the
 *  order of the setters). */
Simulator::Pointer
ConfigureSimulator(const Options & options)
{
  auto simulator = Simulator::New();
  simulator->SetScanSize({ { options.Count("--scan", 0), options.Count("--scan", 1) } });
  simulator->SetScanStep(options.Number("--step"));
  simulator->SetDetectorSize({ { options.Count("--detector", 0), options.Count("--detector", 1) } });
  simulator->SetPixelSize(options.Number("--pixel-size"));
  simulator->SetBeamEnergy(options.Number("--energy"));
  simulator->SetCenter(Simulator::PointType{ { options.Number("--center", 0), options.Number("--center", 1) } });
  simulator->SetEllipseRatio(options.Number("--ellipse", 0));
  simulator->SetEllipseAngle(options.Number("--ellipse", 1));
  simulator->SetDose(options.Number("--dose"));
  simulator->SetSaturationCount(static_cast<unsigned int>(options.Number("--saturation")));
  simulator->SetBeamStop(options.Has("--beam-stop"));
  simulator->SetDeadPixelFraction(options.Number("--dead"));
  simulator->SetHotPixelFraction(options.Number("--hot"));
  simulator->SetComposition(options.Text("--composition"));
  simulator->SetDomainSize(options.Number("--domain-size"));
  simulator->SetSolidFraction(options.Number("--solid-fraction"));
  simulator->SetNoiseWeight(options.Number("--noise-weight"));
  simulator->SetThicknessVariation(options.Number("--thickness-variation"));
  simulator->SetSeed(static_cast<std::uint64_t>(options.Number("--seed")));
  try
  {
    simulator->SetScatteringFactors(stempdf::ScatteringFactorTableFromString(options.Text("--scattering-factors")));
  }
  catch (const itk::ExceptionObject & e)
  {
    Fail(e.GetDescription());
  }
  if (options.Has("--type1-pdf"))
  {
    simulator->SetStructuralType(0, ReadPDFTable(options.Text("--type1-pdf")));
  }
  if (options.Has("--type2-pdf"))
  {
    simulator->SetStructuralType(1, ReadPDFTable(options.Text("--type2-pdf")));
  }
  return simulator;
}

/** Seconds since the simulation started, for the progress lines. */
class Stopwatch
{
public:
  double
  Seconds() const
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_Start).count();
  }

private:
  std::chrono::steady_clock::time_point m_Start = std::chrono::steady_clock::now();
};

/** Writes the simulated scan to `path` through `io`. */
void
WriteScanFile(Simulator * simulator, itk::ImageIOBase * io, const std::string & path)
{
  auto writer = itk::ImageFileWriter<Simulator::OutputImageType>::New();
  writer->SetImageIO(io);
  writer->SetFileName(path);
  writer->SetInput(simulator->GetOutput());
  writer->Update();
}

/** Renders the patterns and writes the detector file(s), with progress lines. */
void
RenderAndWriteScan(Simulator * simulator, const Outputs & outputs, const Stopwatch & clock)
{
  const std::string & stem = outputs.Stem;
  try
  {
    std::cout << "stempdf-simulate: rendering " << simulator->GetScanSize() << " patterns of "
              << simulator->GetDetectorSize() << " px ..." << std::flush;
    simulator->Update();
    std::cout << " " << clock.Seconds() << " s\n";
    if (outputs.WriteH5)
    {
      auto io = stempdf::HDF5DatasetImageIO::New();
      io->SetScanStep(simulator->GetScanStep());
      io->SetDetectorPixelSize(simulator->GetPixelSize());
      io->SetBeamEnergy(simulator->GetBeamEnergy());
      WriteScanFile(simulator, io, stem + ".h5");
      std::cout << "stempdf-simulate: wrote " << stem << ".h5 (" << clock.Seconds() << " s)\n";
    }
    if (outputs.WriteMIB)
    {
      WriteScanFile(simulator, stempdf::MIBImageIO::New(), stem + ".mib");
      std::cout << "stempdf-simulate: wrote " << stem << ".mib (" << clock.Seconds() << " s)\n";
    }
  }
  catch (const itk::ExceptionObject & e)
  {
    Fail(e.GetDescription());
  }
}

/** The three structural types, in the simulator's order. */
const char * const TypeNames[3] = { "liquid_like", "solid_like", "noise" };

/** The types' G(r) on r = 0 .. 20 A: the model's and the one the analysis
 *  can see (s in 0.25 .. 1.6 1/A), and their scalars for the JSON. */
struct TruthCurves
{
  std::vector<double>                R;
  std::array<std::vector<double>, 3> ModelG, AnalysedG;
  nlohmann::json                     Types = nlohmann::json::array();
};

TruthCurves
ComputeTruthCurves(const Simulator & simulator)
{
  TruthCurves curves;
  for (double x = 0.0; x <= 20.0 + 1e-9; x += 0.01)
  {
    curves.R.push_back(x);
  }
  const auto & r = curves.R;
  for (unsigned int j = 0; j < 3; ++j)
  {
    const auto & model = simulator.GetStructuralType(j);
    curves.ModelG[j] = model.G(r);
    curves.AnalysedG[j] = BandLimitedG(simulator.GetSGrid(), simulator.GetStructureFactor(j), r);
    const auto first = model.FindPeak(1.0, 3.2);
    curves.Types.push_back({ { "name", TypeNames[j] },
                             { "first_peak_A", first.Position },
                             { "first_peak_fwhm_A", first.FWHM },
                             { "first_peak_s0.25-1.6_A", PeakPosition(r, curves.AnalysedG[j], 1.0, 3.2) },
                             { "mean_fraction", simulator.GetMeanFractions()[j] } });
  }
  return curves;
}

/** <stem>_pdfs.csv (the G(r) curves) and <stem>_profiles.csv (the curves over s). */
void
WriteTruthTables(const Simulator & simulator, const TruthCurves & curves, const std::string & stem)
{
  const auto &  r = curves.R;
  const auto &  modelG = curves.ModelG;
  const auto &  analysedG = curves.AnalysedG;
  std::ofstream pdfs(stem + "_pdfs.csv");
  pdfs << "r_A,G_liquid_like,G_solid_like,G_noise,G_liquid_like_s0.25-1.6,G_solid_like_s0.25-1.6,G_noise_s0.25-1.6\n";
  for (size_t i = 0; i < r.size(); ++i)
  {
    pdfs << r[i] << "," << modelG[0][i] << "," << modelG[1][i] << "," << modelG[2][i] << "," << analysedG[0][i] << ","
         << analysedG[1][i] << "," << analysedG[2][i] << "\n";
  }
  const auto &  s = simulator.GetSGrid();
  std::ofstream profiles(stem + "_profiles.csv");
  profiles << "s_invA,I_liquid_like,I_solid_like,I_noise,S_liquid_like,S_solid_like,S_noise,mean_f,mean_f2,background\n";
  const auto & f = simulator.GetCompositionFactors();
  for (size_t i = 0; i < s.size(); ++i)
  {
    profiles << s[i] << "," << simulator.GetIntensityPerAtom(0)[i] << "," << simulator.GetIntensityPerAtom(1)[i] << ","
             << simulator.GetIntensityPerAtom(2)[i] << "," << simulator.GetStructureFactor(0)[i] << ","
             << simulator.GetStructureFactor(1)[i] << "," << simulator.GetStructureFactor(2)[i] << "," << f.MeanF[i]
             << "," << f.MeanFSquared[i] << "," << simulator.GetBackground()[i] << "\n";
  }
}

/** <stem>_truth.h5: the maps, the curves and the detector mask. */
void
WriteTruthHDF5(const Simulator & simulator, const TruthCurves & curves, const std::string & stem)
{
  const std::string path = stem + "_truth.h5";
  const hid_t       file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0)
  {
    Fail("cannot create '" + path + "'");
  }
  const auto &  r = curves.R;
  const auto &  s = simulator.GetSGrid();
  const hsize_t nx = simulator.GetScanSize()[0], ny = simulator.GetScanSize()[1];
  for (unsigned int j = 0; j < 3; ++j)
  {
    const std::string name = TypeNames[j];
    WriteDataset(file, "/maps/fraction_" + name, PixelValues(simulator.GetFractionMap(j)), { ny, nx });
    WriteDataset(file, "/pdf/G_" + name, curves.ModelG[j], { r.size() });
    WriteDataset(file, "/pdf/G_" + name + "_s0.25-1.6", curves.AnalysedG[j], { r.size() });
    WriteDataset(file, "/profiles/I_" + name, simulator.GetIntensityPerAtom(j), { s.size() });
    WriteDataset(file, "/profiles/S_" + name, simulator.GetStructureFactor(j), { s.size() });
  }
  WriteDataset(file, "/maps/thickness", PixelValues(simulator.GetThicknessMap()), { ny, nx });
  WriteDataset(file, "/maps/atom_count", PixelValues(simulator.GetAtomCountMap()), { ny, nx });
  WriteDataset(file, "/pdf/r", r, { r.size() });
  WriteDataset(file, "/profiles/s", s, { s.size() });
  WriteDataset(file, "/profiles/mean_f", simulator.GetCompositionFactors().MeanF, { s.size() });
  WriteDataset(file, "/profiles/mean_f2", simulator.GetCompositionFactors().MeanFSquared, { s.size() });
  WriteDataset(file, "/profiles/background", simulator.GetBackground(), { s.size() });
  const hsize_t kx = simulator.GetDetectorSize()[0], ky = simulator.GetDetectorSize()[1];
  WriteDataset(file, "/detector/mask", PixelValues(simulator.GetDetectorMask()), { ky, kx });
  WriteDataset(file, "/detector/s", simulator.GetPixelS(), { ky, kx });
  H5Fclose(file);
}

/** The command line, as the JSON records it. */
std::string
CommandLine(int argc, char ** argv)
{
  std::string line;
  for (int i = 0; i < argc; ++i)
  {
    line += (i ? " " : "") + std::string(argv[i]);
  }
  return line;
}

/** <stem>_truth.json: every parameter and scalar result. */
void
WriteTruthJSON(const Simulator &   simulator,
               const TruthCurves & curves,
               const Outputs &     outputs,
               const std::string & command,
               double              seconds)
{
  const std::string & stem = outputs.Stem;
  const auto          means = simulator.GetMeanFractions();
  nlohmann::json      truth = {
    { "generator", "stempdf-simulate" },
    { "command", command },
    { "parameters",
      { { "scan", { simulator.GetScanSize()[0], simulator.GetScanSize()[1] } },
        { "scan_step_nm", simulator.GetScanStep() },
        { "detector", { simulator.GetDetectorSize()[0], simulator.GetDetectorSize()[1] } },
        { "pixel_size_invA", simulator.GetPixelSize() },
        { "beam_energy_kV", simulator.GetBeamEnergy() },
        { "center_px", { simulator.GetCenter()[0], simulator.GetCenter()[1] } },
        { "ellipse_ratio", simulator.GetEllipseRatio() },
        { "ellipse_angle_deg", simulator.GetEllipseAngle() },
        { "composition", simulator.GetComposition() },
        { "scattering_factors", stempdf::ToString(simulator.GetScatteringFactors()) },
        { "domain_size_nm", simulator.GetDomainSize() },
        { "solid_fraction", simulator.GetSolidFraction() },
        { "noise_weight", simulator.GetNoiseWeight() },
        { "thickness_variation", simulator.GetThicknessVariation() },
        { "dose", simulator.GetDose() },
        { "direct_beam_radius_invA", simulator.GetDirectBeamRadius() },
        { "saturation_count", simulator.GetSaturationCount() },
        { "beam_stop", simulator.GetBeamStop() },
        { "dead_pixel_fraction", simulator.GetDeadPixelFraction() },
        { "hot_pixel_fraction", simulator.GetHotPixelFraction() },
        { "seed", simulator.GetSeed() } } },
    { "results",
      { { "mean_fractions", { { "liquid_like", means[0] }, { "solid_like", means[1] }, { "noise", means[2] } } },
        { "solid_fraction_of_two_types", means[1] / (means[0] + means[1]) },
        { "realised_domain_size_nm", simulator.GetRealisedDomainSize() },
        { "domain_size_definition", "FWHM of the radial autocorrelation of the solid-like fraction map" },
        { "count_scale_per_A2", simulator.GetCountScale() },
        { "types", curves.Types } } },
    { "files",
      { { "detector", outputs.WriteH5 ? stem + ".h5" : stem + ".mib" },
        { "truth_h5", stem + "_truth.h5" },
        { "pdfs_csv", stem + "_pdfs.csv" },
        { "profiles_csv", stem + "_profiles.csv" } } },
    { "seconds", seconds }
  };
  std::ofstream(stem + "_truth.json") << truth.dump(2) << "\n";
}
} // namespace

int
main(int argc, char ** argv)
{
  const Options options(argc, argv);
  if (options.Has("--help") || argc == 1)
  {
    std::cout << Usage();
    return argc == 1 ? 2 : 0;
  }
  const Outputs   outputs = ChooseOutputs(options);
  const auto      simulator = ConfigureSimulator(options);
  const Stopwatch clock;
  RenderAndWriteScan(simulator, outputs, clock);
  const TruthCurves curves = ComputeTruthCurves(*simulator);
  WriteTruthTables(*simulator, curves, outputs.Stem);
  WriteTruthHDF5(*simulator, curves, outputs.Stem);
  WriteTruthJSON(*simulator, curves, outputs, CommandLine(argc, argv), clock.Seconds());
  std::cout << "stempdf-simulate: ground truth in " << outputs.Stem
            << "_truth.json / _truth.h5 / _pdfs.csv / _profiles.csv (" << clock.Seconds() << " s in all)\n";
  return 0;
}
