#ifndef bench_main_h
#define bench_main_h

// What the mains of the benchmarks share: taking their own options off the
// command line (the rest goes to Google Benchmark), writing the float64
// files the drivers compare, and running the benchmarks.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace stempdf_bench
{
/** One of a benchmark's own command-line options. A Name ending in '='
 *  ("--mib_file=") takes the rest of its argument as the value; otherwise the
 *  option is the whole argument and takes the next one as the value, or no
 *  value when HasValue is false. Take receives the value ("" when none). */
struct Option
{
  std::string                              Name;
  std::function<void(const std::string &)> Take;
  bool                                     HasValue = true;
};

/** Hands each argument of argv[1..argc) that is one of `options` to it and
 *  returns argv[0] and all others, in order, for benchmark::Initialize. An
 *  option that takes the next argument but is the last one is passed on. */
inline std::vector<char *>
TakeOptions(int argc, char ** argv, const std::vector<Option> & options)
{
  std::vector<char *> rest{ argv[0] };
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    bool              taken = false;
    for (const Option & option : options)
    {
      if (option.Name.back() == '=')
      {
        taken = arg.compare(0, option.Name.size(), option.Name) == 0;
        if (taken)
        {
          option.Take(arg.substr(option.Name.size()));
        }
      }
      else if (arg == option.Name && !option.HasValue)
      {
        taken = true;
        option.Take("");
      }
      else if (arg == option.Name && i + 1 < argc)
      {
        taken = true;
        option.Take(argv[++i]);
      }
      if (taken)
      {
        break;
      }
    }
    if (!taken)
    {
      rest.push_back(argv[i]);
    }
  }
  return rest;
}

/** A binary file of float64 values, one array after the other, for a
 *  driver to read with np.fromfile. */
class Float64File
{
public:
  explicit Float64File(const std::string & path)
    : m_Path(path)
    , m_Out(path, std::ios::binary)
  {}

  void
  Write(const double * values, std::size_t count)
  {
    m_Out.write(reinterpret_cast<const char *>(values), static_cast<std::streamsize>(count * sizeof(double)));
  }

  /** Throws std::runtime_error("cannot write PATH") when a write failed. */
  void
  Check() const
  {
    if (!m_Out)
    {
      throw std::runtime_error("cannot write " + m_Path);
    }
  }

private:
  std::string   m_Path;
  std::ofstream m_Out;
};

/** benchmark::Initialize on `arguments` (argv[0] first); with
 *  rejectUnrecognized, false when arguments neither it nor the benchmark
 *  took are left (Google Benchmark has reported them). */
inline bool
InitializeBenchmarks(std::vector<char *> & arguments, bool rejectUnrecognized = false)
{
  int count = static_cast<int>(arguments.size());
  benchmark::Initialize(&count, arguments.data());
  return !(rejectUnrecognized && benchmark::ReportUnrecognizedArguments(count, arguments.data()));
}

/** Runs the registered benchmarks and shuts Google Benchmark down; main's exit status (0). */
inline int
RunBenchmarks()
{
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/** The rest of a main: prepare() (make or load the data, write what the
 *  driver compares), then the benchmarks with `arguments` (argv[0] first).
 *  An exception from prepare() is printed as "NAME: what" and gives the exit
 *  status 1. */
inline int
PrepareAndRun(const char * name, std::vector<char *> arguments, const std::function<void()> & prepare)
{
  try
  {
    prepare();
  }
  catch (const std::exception & e)
  {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
  InitializeBenchmarks(arguments);
  return RunBenchmarks();
}
} // namespace stempdf_bench

#endif
