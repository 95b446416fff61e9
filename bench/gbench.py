"""What the bench/run_*.py drivers share: running one of the Google Benchmark
binaries of build/bin with repetitions and reading its medians back, and the
rows of their Markdown tables."""
import json
import os
import platform
import subprocess


def median_times(build, binary, arguments=(), repetitions=5, env=None, key=None):
    """Run build/bin/BINARY with `arguments` and --benchmark_repetitions (the
    aggregates only, as JSON). Returns ({key(run_name): median real time in
    s}, the report's context); `key` defaults to the benchmark's name (the
    run name up to its first "/"). The benchmarks report milliseconds."""
    run = subprocess.run([os.path.join(build, "bin", binary), *arguments, f"--benchmark_repetitions={repetitions}",
                          "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True, env=env)
    report = json.loads(run.stdout)
    if key is None:
        def key(run_name):
            return run_name.split("/")[0]
    times = {}
    for entry in report["benchmarks"]:
        if entry.get("aggregate_name") == "median":
            times[key(entry["run_name"])] = entry["real_time"] / 1000.0  # ms -> s
    return times, report["context"]


def machine(context):
    """The start of a driver's "machine:" line: architecture, cores and what
    Google Benchmark saw (its report's context)."""
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores ({context.get('num_cpus')} CPUs seen by Google "
            f"Benchmark, {context.get('mhz_per_cpu')} MHz)")


def print_rows(times, labels, rate, ratio, ratio_format):
    """One Markdown row `| label | seconds | rate | ratio x |` for every
    benchmark of `labels` ({name: label}, in that order) found in `times`;
    rate(t) and ratio(t) of its median time t."""
    for name, label in labels.items():
        if name in times:
            t = times[name]
            print(f"| {label} | {t:.3f} | {rate(t):,.0f} | {ratio(t):{ratio_format}}x |")
