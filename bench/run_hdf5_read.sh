#!/usr/bin/env bash
# Read throughput of stempdf::HDF5DatasetImageIO on a paper-scale scan
# (128 x 128 positions x 256 x 256 uint16 = 2 GiB, contiguous, warm page
# cache), side by side with `cat file > /dev/null` and with h5py, the tool
# users would otherwise use. Prints GB/s (1 GB = 1e9 bytes) and ratios;
# docs/format-hdf5.md records the numbers.
#
#   bench/run_hdf5_read.sh [BUILD_DIR]      (default: build-hdf5, then build)
#
# Needs: the bench_hdf5_read target built in BUILD_DIR
# (cmake --build BUILD_DIR --target bench_hdf5_read), Debian's python3-h5py
# for the h5py column (apt-get install python3-h5py; skipped if missing).
# The file is $STEMPDF_BENCH_HDF5_FILE (default
# /tmp/stempdf_bench_hdf5_128x128x256x256_u16.h5), written by the benchmark
# with HDF5DatasetImageIO if missing. Every timing is the median of 5 runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-}"
if [[ -z "$build" ]]; then
  for candidate in "$root/build-hdf5" "$root/build"; do
    if [[ -x "$candidate/bin/bench_hdf5_read" ]]; then
      build="$candidate"
      break
    fi
  done
fi
bench="${build:-$root/build}/bin/bench_hdf5_read"
if [[ ! -x "$bench" ]]; then
  echo "error: $bench not found; build it with: cmake --build ${build:-$root/build} --target bench_hdf5_read" >&2
  exit 1
fi
file="${STEMPDF_BENCH_HDF5_FILE:-/tmp/stempdf_bench_hdf5_128x128x256x256_u16.h5}"
export STEMPDF_BENCH_HDF5_FILE="$file"
python=/usr/bin/python3 # Debian's interpreter, with Debian's python3-h5py
runs=5

"$bench" --make-file-only
bytes=$(stat -c %s "$file")

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
warm() { cat "$file" > /dev/null; cat "$file" > /dev/null; }

echo "machine : $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
  "$(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, Linux $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file    : $file ($bytes bytes)"

# cat: the page cache's speed limit for a reader that keeps reusing a small buffer.
warm
cat_ns=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  cat "$file" > /dev/null
  end=$(date +%s%N)
  cat_ns+=($((end - start)))
done
cat_median=$(median "${cat_ns[@]}")

# Our benchmark (Google Benchmark, median of 5 repetitions).
warm
bench_json=$(mktemp)
trap 'rm -f "$bench_json"' EXIT
"$bench" --benchmark_repetitions="$runs" --benchmark_report_aggregates_only=true \
  --benchmark_format=json > "$bench_json"

# h5py: a new array per read (what d[()] does), and read_direct into one reused array.
h5py_fresh=""
h5py_reused=""
if "$python" -c 'import h5py' 2> /dev/null; then
  warm
  read -r h5py_fresh h5py_reused < <("$python" - "$file" "$runs" << 'EOF'
import statistics, sys, time
import h5py, numpy as np
path, runs = sys.argv[1], int(sys.argv[2])
with h5py.File(path, "r") as f:
    d = f["/data/stempdf_scan/data"]
    fresh = []
    for _ in range(runs):
        t = time.perf_counter(); a = d[()]; fresh.append(time.perf_counter() - t); del a
    b = np.zeros(d.shape, d.dtype)
    reused = []
    for _ in range(runs):
        t = time.perf_counter(); d.read_direct(b); reused.append(time.perf_counter() - t)
print(b.nbytes / statistics.median(fresh) / 1e9, b.nbytes / statistics.median(reused) / 1e9)
EOF
  )
else
  echo "note    : h5py missing; install Debian's python3-h5py (apt-get install python3-h5py) for that column"
fi

"$python" - "$bench_json" "$bytes" "$cat_median" "$h5py_fresh" "$h5py_reused" << 'EOF'
import json, sys
bench_json, size, cat_ns, h5py_fresh, h5py_reused = sys.argv[1:6]
size, cat_ns = int(size), int(cat_ns)
cat = size / cat_ns  # bytes per ns = GB/s
medians = {}
for b in json.load(open(bench_json))["benchmarks"]:
    if b.get("aggregate_name") == "median":
        medians[b["run_name"].split("/")[0]] = b["bytes_per_second"] / 1e9
rows = [("cat file > /dev/null", cat)]
labels = {
    "BM_ImageFileReader": "itk::ImageFileReader + HDF5DatasetImageIO (whole scan)",
    "BM_PatternFieldImageFileReader": "stempdf::PatternFieldImageFileReader + IO (whole scan)",
    "BM_ReaderStreamed8": "PatternFieldImageFileReader, 8 pieces of 16 rows",
    "BM_ImageIORead": "HDF5DatasetImageIO::Read into a reused buffer",
    "BM_NewBufferFirstTouch": "ceiling: allocate + first write of a new 2 GiB buffer",
}
for key, label in labels.items():
    if key in medians:
        rows.append((label, medians[key]))
if h5py_fresh:
    rows.append(("h5py d[()] (new array)", float(h5py_fresh)))
    rows.append(("h5py read_direct into a reused array", float(h5py_reused)))
print()
print(f"{'what (median of 5)':58} {'GB/s':>7} {'vs cat':>7}")
for label, gbs in rows:
    print(f"{label:58} {gbs:7.2f} {gbs / cat:6.0%}")
if h5py_fresh and "BM_PatternFieldImageFileReader" in medians:
    print()
    print(f"ours / h5py, new buffer per read   : {medians['BM_PatternFieldImageFileReader'] / float(h5py_fresh):.2f}"
          f"  (ImageFileReader: {medians.get('BM_ImageFileReader', 0) / float(h5py_fresh):.2f})")
    print(f"ours / h5py, reused buffer         : {medians['BM_ImageIORead'] / float(h5py_reused):.2f}")
EOF
