// Being written (issue 3): read throughput of the mib reader.
#include <benchmark/benchmark.h>
BENCHMARK_MAIN();
