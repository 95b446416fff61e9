// NMF of a G(r) cube: NonnegativeMatrixFactorization on the matrix that
// bench/run_nmf.py gives scikit-learn, side by side (docs/performance.md).
//
//   bench_nmf --matrix FILE.h5 [--out RESULT.h5] [--target F]
//             [--algorithm hals|mu|anls] [--initialization spa|nndsvd|nndsvda|random]
//             [--constraint sum-to-one|none] [--rank K] [--compression Q]
//             [--replicates R] [--max-iterations N] [benchmark flags]
//
// FILE.h5 holds the dataset /V (positions x r, float64, already shifted to
// be >= 0). Every repetition is one whole run with the default parameters
// (the paper's scheme: 5 replicates of 5 iterations, then up to 1000) on 2
// threads; the counters give the final objective f = ||V - W H||^2 / 2 (the
// same as scikit-learn's) and the iterations. --out writes W, H and the
// objective history of the last run for the driver to compare.
//
// --target F adds BM_NMFToTarget: the time to reach an objective <= F (e.g.
// scikit-learn's final one). The long run is cut at the first iteration whose
// objective (the compressed estimate) is <= F; the run so cut is timed, and
// its exact final objective must be <= F too (else the cut moves on by 10 %).
#include "bench_main.h"
#include "stempdfNonnegativeMatrixFactorization.h"

#include "itkMultiThreaderBase.h"

#include <benchmark/benchmark.h>
#include <hdf5.h>

#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
std::vector<double> g_Matrix;
hsize_t             g_Rows = 0, g_Cols = 0;
stempdf::NMFParameters g_Parameters;
stempdf::NMFResult     g_Last;
double                 g_Target = 0.0;

void
ReadMatrix(const std::string & file)
{
  const hid_t h5 = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (h5 < 0)
    throw std::runtime_error("bench_nmf: cannot open " + file);
  const hid_t set = H5Dopen2(h5, "/V", H5P_DEFAULT);
  if (set < 0)
    throw std::runtime_error("bench_nmf: " + file + " has no dataset /V");
  const hid_t space = H5Dget_space(set);
  hsize_t     dims[2] = { 0, 0 };
  if (H5Sget_simple_extent_ndims(space) != 2)
    throw std::runtime_error("bench_nmf: /V must be 2-D (positions x r)");
  H5Sget_simple_extent_dims(space, dims, nullptr);
  g_Rows = dims[0];
  g_Cols = dims[1];
  g_Matrix.resize(g_Rows * g_Cols);
  H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, g_Matrix.data());
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(h5);
}

void
WriteDataset(hid_t file, const char * name, const double * data, hsize_t rows, hsize_t cols)
{
  const hsize_t dims[2] = { rows, cols };
  const hid_t   space = H5Screate_simple(2, dims, nullptr);
  const hid_t   set = H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(set);
  H5Sclose(space);
}

void
WriteResult(const std::string & file)
{
  const hid_t h5 = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  // Row-major copies of Eigen's column-major factors.
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w = g_Last.W, h = g_Last.H;
  WriteDataset(h5, "/W", w.data(), w.rows(), w.cols());
  WriteDataset(h5, "/H", h.data(), h.rows(), h.cols());
  WriteDataset(h5, "/objective", g_Last.Objective.data(), g_Last.Objective.size(), 1);
  H5Fclose(h5);
}

/** The matrix read from the file, on 2 threads. */
stempdf::DenseShiftedMatrix
MatrixOnTwoThreads()
{
  auto threader = itk::MultiThreaderBase::New();
  threader->SetMaximumNumberOfThreads(2);
  threader->SetNumberOfWorkUnits(2);
  stempdf::DenseShiftedMatrix v(g_Matrix.data(), g_Rows, g_Cols, g_Cols, 0, 0.0);
  v.SetMultiThreader(threader);
  return v;
}

void
BM_NMF(benchmark::State & state)
{
  stempdf::DenseShiftedMatrix v = MatrixOnTwoThreads();
  stempdf::NonnegativeMatrixFactorization nmf;
  nmf.SetParameters(g_Parameters);
  for (auto _ : state)
  {
    g_Last = nmf.Run(v);
  }
  state.counters["objective"] = g_Last.FinalObjective;
  state.counters["compressed_iterations"] = g_Last.CompressedIterations;
  state.counters["refinement_iterations"] = g_Last.RefinementIterations;
  state.counters["best_replicate"] = g_Last.BestReplicate;
}
/** Iterations of the long run that reach g_Target (0: never). */
unsigned int
IterationsToTarget(stempdf::DenseShiftedMatrix & v)
{
  stempdf::NonnegativeMatrixFactorization nmf;
  nmf.SetParameters(g_Parameters);
  const stempdf::NMFResult full = nmf.Run(v);
  for (std::size_t i = 0; i < full.Objective.size(); ++i)
  {
    if (full.Objective[i] <= g_Target)
    {
      return static_cast<unsigned int>(i + 1);
    }
  }
  return 0;
}

void
BM_NMFToTarget(benchmark::State & state)
{
  stempdf::DenseShiftedMatrix v = MatrixOnTwoThreads();
  unsigned int iterations = IterationsToTarget(v);
  if (iterations == 0)
  {
    state.SkipWithError("the target objective is never reached");
    return;
  }
  stempdf::NMFParameters cut = g_Parameters;
  stempdf::NMFResult     result;
  for (;;)
  {
    cut.MaxIterations = iterations;
    stempdf::NonnegativeMatrixFactorization nmf;
    nmf.SetParameters(cut);
    result = nmf.Run(v);
    if (result.FinalObjective <= g_Target || iterations >= g_Parameters.MaxIterations)
      break;
    iterations = std::min(g_Parameters.MaxIterations, iterations + std::max(1u, iterations / 10));
  }
  stempdf::NonnegativeMatrixFactorization nmf;
  nmf.SetParameters(cut);
  for (auto _ : state)
  {
    result = nmf.Run(v);
  }
  state.counters["objective"] = result.FinalObjective;
  state.counters["target"] = g_Target;
  state.counters["long_run_iterations"] = iterations;
}
} // namespace

int
main(int argc, char ** argv)
{
  std::string         matrix, out;
  std::vector<char *> rest = stempdf_bench::TakeOptions(
    argc,
    argv,
    { { "--matrix", [&](const std::string & value) { matrix = value; } },
      { "--out", [&](const std::string & value) { out = value; } },
      { "--target", [](const std::string & value) { g_Target = std::stod(value); } },
      { "--algorithm",
        [](const std::string & name) {
          g_Parameters.Algorithm = name == "mu"     ? stempdf::NMFAlgorithm::MultiplicativeUpdate
                                   : name == "anls" ? stempdf::NMFAlgorithm::AlternatingNNLS
                                                    : stempdf::NMFAlgorithm::HALS;
        } },
      { "--compression", [](const std::string & value) { g_Parameters.CompressionRank = std::stoul(value); } },
      { "--initialization",
        [](const std::string & name) {
          g_Parameters.Initialization = name == "nndsvd"    ? stempdf::NMFInitialization::NNDSVD
                                        : name == "nndsvda" ? stempdf::NMFInitialization::NNDSVDA
                                        : name == "random"  ? stempdf::NMFInitialization::Random
                                                            : stempdf::NMFInitialization::SuccessiveProjection;
        } },
      { "--constraint",
        [](const std::string & name) {
          g_Parameters.WeightConstraint =
            name == "none" ? stempdf::NMFWeightConstraint::None : stempdf::NMFWeightConstraint::SumToOne;
        } },
      { "--rank", [](const std::string & value) { g_Parameters.Rank = std::stoul(value); } },
      { "--replicates", [](const std::string & value) { g_Parameters.Replicates = std::stoul(value); } },
      { "--max-iterations", [](const std::string & value) { g_Parameters.MaxIterations = std::stoul(value); } } });
  if (matrix.empty())
  {
    std::cerr << "bench_nmf: --matrix FILE.h5 (dataset /V) is required\n";
    return 2;
  }
  ReadMatrix(matrix);
  stempdf_bench::InitializeBenchmarks(rest);
  benchmark::RegisterBenchmark("BM_NMF", BM_NMF)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
  if (g_Target > 0.0)
  {
    benchmark::RegisterBenchmark("BM_NMFToTarget", BM_NMFToTarget)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1)
      ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  if (!out.empty())
    WriteResult(out);
  return 0;
}
