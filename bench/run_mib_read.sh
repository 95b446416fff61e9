#!/usr/bin/env bash
# Read throughput of stempdf::MIBImageIO against `cat` on the same file, from
# a warm page cache (docs/format-mib.md records the numbers).
#
#   bench/run_mib_read.sh [path/to/bench_mib_read]
#
# Environment:
#   STEMPDF_MIB_BENCH_FILE  the MIB file (default /tmp/stempdf_bench_128x128_256x256_u16.mib;
#                           made with MIBImageIO's writer when missing: 128 x 128 x 256 x 256 U16, 2 GiB)
#   BENCH_FILTER            Google Benchmark filter (default: all benchmarks of bench_mib_read)
#   REPETITIONS             repetitions of each timing (default 5; medians are reported)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="${1:-}"
if [[ -z "$bench" ]]; then
  for candidate in "$here/../build-mib/bin/bench_mib_read" "$here/../build/bin/bench_mib_read"; do
    if [[ -x "$candidate" ]]; then bench="$candidate"; break; fi
  done
fi
if [[ -z "$bench" || ! -x "$bench" ]]; then
  echo "run_mib_read.sh: no bench_mib_read binary; build it (cmake --build <build> --target bench_mib_read)" \
       "and pass its path" >&2
  exit 1
fi
file="${STEMPDF_MIB_BENCH_FILE:-/tmp/stempdf_bench_128x128_256x256_u16.mib}"
repetitions="${REPETITIONS:-5}"
filter="${BENCH_FILTER:-.}"
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3

if [[ ! -f "$file" ]]; then
  echo "== making $file with MIBImageIO's writer"
  "$bench" --mib_file="$file" --benchmark_filter='^$' > /dev/null
fi
bytes=$(stat -c %s "$file")

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;" \
     "L2 $(lscpu | awk -F: '/L2 cache/ {gsub(/^ +/, "", $2); print $2}');" \
     "memory $(free -g | awk '/Mem:/ {print $2}') GiB; kernel $(uname -r)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $file ($bytes bytes)"

echo "== warming the page cache"
cat "$file" > /dev/null
cat "$file" > /dev/null

echo "== cat $file > /dev/null ($repetitions times)"
times=()
for ((i = 0; i < repetitions; ++i)); do
  start=$(date +%s%N)
  cat "$file" > /dev/null
  end=$(date +%s%N)
  times+=($(( end - start )))
done
cat_ns=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')

echo "== $bench ($repetitions repetitions)"
json="$(mktemp /tmp/bench_mib_read.XXXXXX.json)"
trap 'rm -f "$json"' EXIT
"$bench" --mib_file="$file" --benchmark_filter="$filter" --benchmark_repetitions="$repetitions" \
  --benchmark_report_aggregates_only=true --benchmark_out="$json" --benchmark_out_format=json >&2

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$json" "$bytes" "$cat_ns" <<'EOF'
import json
import sys

path, size, cat_ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cat = size / (cat_ns * 1e-9) / 1e9
print()
print("%-32s %10s %10s" % ("median (warm page cache)", "GB/s", "of cat"))
print("%-32s %10.2f %9.0f%%" % ("cat file > /dev/null", cat, 100.0))
for b in json.load(open(path))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    rate = b["bytes_per_second"] / 1e9
    name = b["run_name"].replace("/real_time", "")
    print("%-32s %10.2f %9.0f%%" % (name, rate, 100.0 * rate / cat))
print("(GB = 1e9 bytes; every rate counts the whole file, frame headers included)")
EOF
