#!/usr/bin/python3
"""VirtualDetector at paper scale (128 x 128 scan, 256 x 256 px uint16 = 2 GiB),
STEMPDF side by side with NumPy in one run.

    /usr/bin/python3 bench/run_virtual_detector.py [--build build] [--repetitions 5]

NumPy is timed three ways: the vectorised boolean-mask sum a NumPy user writes
(data[:, :, mask].sum(-1)); a matrix-vector product per scan row (patterns cast
to float32, BLAS), the fastest NumPy form we found; and the per-position loop of py4DSTEM's
get_virtual_image (sum of pattern * mask at every scan position, here on a
sub-block and scaled, since the full loop takes minutes). The memory-bandwidth
reference is NumPy's sum of the whole 2 GiB array (one read pass).
Prints a Markdown table for docs/performance.md; times are medians.
"""
import argparse
import os
import platform
import statistics
import time

import numpy as np

import gbench

SCAN, DET = 128, 256
CASES = {"bright field (d < 12 px)": (0, 12), "annular dark field (30 <= d < 90 px)": (30, 90),
         "whole detector (d < 400 px)": (0, 400)}


def median_time(function, repetitions):
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stempdf_times(build, repetitions):
    return gbench.median_times(build, "bench_virtual_detector", (), repetitions,
                               key=lambda run_name: tuple(int(v) for v in run_name.split("/")[1:3]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()

    ours, context = stempdf_times(args.build, args.repetitions)

    rng = np.random.default_rng(42)
    data = rng.integers(0, 1001, size=(SCAN, SCAN, DET, DET), dtype=np.uint16)
    gib = data.nbytes / 2**30
    read_pass = median_time(lambda: data.sum(dtype=np.uint64), args.repetitions)
    y, x = np.mgrid[0:DET, 0:DET]
    d = np.hypot(x - (DET - 1) / 2, y - (DET - 1) / 2)

    rows = []
    for label, (inner, outer) in CASES.items():
        mask = (d >= inner) & (d < outer)
        vectorised = median_time(lambda: data[:, :, mask].sum(axis=-1, dtype=np.uint64), args.repetitions)
        weights = mask.astype(np.float64)
        flat = mask.ravel().astype(np.float32)
        matvec = median_time(lambda: [data[j].reshape(SCAN, DET * DET).astype(np.float32) @ flat
                                      for j in range(SCAN)], args.repetitions)
        block = 16  # rows of the scan looped over; scaled to the whole scan
        loop = median_time(lambda: [[np.sum(data[j, i] * weights) for i in range(SCAN)]
                                    for j in range(block)], max(1, args.repetitions // 2)) * SCAN / block
        t = ours[(inner, outer)]
        rows.append((label, int(mask.sum()), t, vectorised, matvec, loop))

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{context.get('num_cpus')} CPUs seen by Google Benchmark, NumPy {np.__version__}")
    print(f"data: {SCAN} x {SCAN} scan, {DET} x {DET} px uint16 ({gib:.1f} GiB); "
          f"one NumPy read pass over it (data.sum): {read_pass:.3f} s = {gib / read_pass:.1f} GiB/s")
    print()
    print("| virtual detector | pixels | STEMPDF (s) | NumPy mask sum (s) | NumPy matvec (s) "
          "| py4DSTEM-style loop (s) | speed-up vs fastest NumPy |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, pixels, t, vec, mv, loop in rows:
        best = min(vec, mv, loop)
        print(f"| {label} | {pixels} | {t:.4f} | {vec:.3f} | {mv:.3f} | {loop:.2f} | {best / t:.1f}x |")


if __name__ == "__main__":
    main()
