#!/usr/bin/python3
"""PairDistribution on the paper-scale cube (128 x 128 positions x 94 phi(s)
samples over 0.25-1.6 1/A -> 1001 G(r) samples over 0-10 A), STEMPDF side by
side with NumPy in one run.

    /usr/bin/python3 bench/run_pair_distribution.py [--build build] [--repetitions 5]

1. STEMPDF: bench_pair_distribution (Google Benchmark, 2 threads): the ITK
   filter updated again (kernel kept, output reused), a new filter each time
   (kernel built, new output), with g(r) as well, and the product alone (one
   BLAS call; its threads are the BLAS's).
2. NumPy, the same formula vectorised: the kernel K = 8 pi ds sin(2 pi s r)
   as one (s x r) array and one matrix product phi @ K (NumPy's BLAS; 2
   threads allowed through OPENBLAS_NUM_THREADS / OMP_NUM_THREADS if that BLAS
   has threads), with a new output array each time and into a preallocated
   one.
Checks that both give the same G on the first 64 positions, reports which BLAS
NumPy has loaded, and prints seconds, ratios and a Markdown table for
docs/performance.md. Times are medians of --repetitions runs.
"""
import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "2")
import numpy as np  # noqa: E402  (after the thread settings)

import gbench  # noqa: E402

POSITIONS, S_SAMPLES, R_SAMPLES = 128 * 128, 94, 1001
S0, S1, DR = 0.25, 1.6, 0.01


def stempdf_run(build, repetitions, sample):
    return gbench.median_times(build, "bench_pair_distribution", ["--sample", sample], repetitions)


def grids():
    ds = (S1 - S0) / S_SAMPLES
    s = S0 + (np.arange(S_SAMPLES) + 0.5) * ds
    r = np.arange(R_SAMPLES) * DR
    return s, r, ds


def kernel(s, r, ds):
    """K (s x r): G = phi @ K."""
    return 8.0 * np.pi * ds * np.sin(2.0 * np.pi * np.outer(s, r))


def numpy_run(repetitions):
    s, r, ds = grids()
    phi = np.random.default_rng(7).uniform(-1.0, 1.0, (POSITIONS, S_SAMPLES))
    new, into = [], []
    out = np.empty((POSITIONS, R_SAMPLES))
    np.matmul(phi, kernel(s, r, ds), out=out)  # warm up
    for _ in range(repetitions):
        start = time.perf_counter()
        G = phi @ kernel(s, r, ds)
        new.append(time.perf_counter() - start)
        del G
        K = kernel(s, r, ds)
        start = time.perf_counter()
        np.matmul(phi, K, out=out)
        into.append(time.perf_counter() - start)
    return statistics.median(new), statistics.median(into)


def blas_in_use():
    """The BLAS/LAPACK shared objects this process has loaded (after a product)."""
    np.ones((64, 64)) @ np.ones((64, 64))
    libraries = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path).lower()
            if path.startswith("/") and any(key in name for key in ("blas", "lapack", "mkl", "blis")):
                libraries.add(os.path.realpath(path))
    return sorted(libraries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    repetitions = max(5, args.repetitions)

    with tempfile.TemporaryDirectory() as work:
        sample = os.path.join(work, "sample.bin")
        ours, context = stempdf_run(args.build, repetitions, sample)
        raw = np.fromfile(sample, dtype=np.float64)
    n = 64
    phi = raw[: n * S_SAMPLES].reshape(n, S_SAMPLES)
    theirs = raw[n * S_SAMPLES: n * (S_SAMPLES + R_SAMPLES)].reshape(n, R_SAMPLES)
    s_used = raw[n * (S_SAMPLES + R_SAMPLES): n * (S_SAMPLES + R_SAMPLES) + S_SAMPLES]
    r_used = raw[n * (S_SAMPLES + R_SAMPLES) + S_SAMPLES:]
    s, r, ds = grids()
    reference = phi @ kernel(s, r, ds)
    difference = float(np.max(np.abs(theirs - reference)) / np.max(np.abs(reference)))
    grid_offset = max(float(np.max(np.abs(s_used - s))), float(np.max(np.abs(r_used - r))))

    numpy_new, numpy_into = numpy_run(repetitions)
    blas = blas_in_use()

    print(f"{gbench.machine(context)}, NumPy {np.__version__}, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"NumPy's BLAS (loaded): {', '.join(blas) if blas else 'none found'}")
    print(f"data: {POSITIONS} positions x {S_SAMPLES} s samples ({S0}-{S1} 1/A) -> {R_SAMPLES} r samples "
          f"(0-{(R_SAMPLES - 1) * DR:g} A), random phi; medians of {repetitions}")
    print(f"values: largest difference STEMPDF vs NumPy on {n} positions {difference:.1e} of max |G| "
          f"(grids agree within {grid_offset:.1e})")
    print()
    print("| code | time for the cube (s) | positions/s | vs NumPy |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| NumPy: kernel + `phi @ K` (new output) | {numpy_new:.3f} | {POSITIONS / numpy_new:,.0f} | 1x |")
    print(f"| NumPy: `np.matmul(phi, K, out=G)` (kernel built, output reused) | {numpy_into:.3f} | "
          f"{POSITIONS / numpy_into:,.0f} | {numpy_new / numpy_into:.1f}x |")
    labels = {"BM_PairDistributionNewFilter": "STEMPDF PairDistribution, new filter (kernel + new output, 2 threads)",
              "BM_PairDistribution": "**STEMPDF PairDistribution** updated again (output reused, 2 threads)",
              "BM_PairDistributionWithG": "STEMPDF PairDistribution + g(r) (2 threads)",
              "BM_SineTransformApply": "STEMPDF SineTransform::Apply alone (one call: the BLAS threads)"}
    gbench.print_rows(ours, labels, lambda t: POSITIONS / t, lambda t: numpy_new / t, ".1f")
    print()
    print(f"ratio, like for like: new output {numpy_new / ours['BM_PairDistributionNewFilter']:.1f}x "
          f"({ours['BM_PairDistributionNewFilter']:.3f} s vs NumPy {numpy_new:.3f} s); output reused "
          f"{numpy_into / ours['BM_PairDistribution']:.1f}x ({ours['BM_PairDistribution']:.3f} s vs NumPy "
          f"{numpy_into:.3f} s)")


if __name__ == "__main__":
    main()
