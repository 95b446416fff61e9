// Being written (issue 3): read throughput of the hdf5 reader.
#include <benchmark/benchmark.h>
BENCHMARK_MAIN();
