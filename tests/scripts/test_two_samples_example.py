"""docs/examples/two_samples.py as a user runs it (pvbatch, into a new folder):
NMF on simulated sample A, MLLS of A's basis on A and B. The solid-like
populations it prints are within 0.1 of the simulator's true solid-like share
of the two types, B's exceeds A's by at least 0.1, the figure is written, and a
missing plugin gives a message and a non-zero exit."""
import os
import re
import shutil
import subprocess
import tempfile

import stempdf_testing as t

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(ROOT, "docs", "examples", "two_samples.py")
# The example takes a build folder; the one ctest built (bin/stempdf-simulate, lib/.../STEMPDF.so).
build = os.path.dirname(os.path.dirname(os.environ["STEMPDF_SIMULATE"]))
t.check(os.path.samefile(os.path.join(build, "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so"),
                         os.environ["STEMPDF_PLUGIN"]), f"the plugin under test is in the build folder {build}")
work = tempfile.mkdtemp(prefix="stempdf-two-samples-")


def example(*args):
    run = subprocess.run([os.environ["PVBATCH"], EXAMPLE, *args], env=t.subprocess_env(), capture_output=True,
                         text=True, timeout=240)
    return run.returncode, run.stdout + run.stderr


out = os.path.join(work, "out")
code, log = example("--build", build, "--out", out)
print(log)
t.check(code == 0, f"the example runs (exit {code})")
t.check(os.path.getsize(os.path.join(out, "two_samples.png")) > 0, "two_samples.png is written")

# Rows: sample, type, component, mean fraction, area fraction, true share.
rows = {(m[0], m[1]): [float(v) for v in m[3:]] for m in
        re.findall(r"^([AB])\s+(solid-like|liquid-like)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", log, re.M)}
t.check(len(rows) == 4, f"the population table has both types of both samples: {sorted(rows)}")
mean_a, area_a, truth_a = rows["A", "solid-like"]
mean_b, area_b, truth_b = rows["B", "solid-like"]
t.check(abs(mean_a - truth_a) <= 0.1, f"A: solid-like mean fraction {mean_a} within 0.1 of the truth {truth_a}")
t.check(abs(mean_b - truth_b) <= 0.1, f"B: solid-like mean fraction {mean_b} within 0.1 of the truth {truth_b}")
t.check(mean_b - mean_a >= 0.1, f"B's solid-like population exceeds A's by at least 0.1 ({mean_b} - {mean_a})")
t.check(abs(rows["A", "liquid-like"][0] + mean_a - 1) < 0.002, "the two types' mean fractions add up to 1")

code, log = example("--build", os.path.join(work, "no-build"), "--out", os.path.join(work, "o2"))
t.check(code != 0 and "the STEMPDF plugin is missing" in log, f"a missing plugin is reported: {log.strip()[-300:]}")
shutil.rmtree(work)
print("two_samples example checks passed")
