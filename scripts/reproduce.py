#!/usr/bin/python3
"""Does the default run reproduce? Runs it N times back to back and prints the spread.

  scripts/reproduce.py [--runs N] [--compare] [--results DIR] [--scenario FILE]

For each run: added p50 and p99 with their 95% intervals, the CPU ratio and the throughput
ratio. Then the spread: each figure's distance from the median of the runs (the aim: within
±15% for added p50, CPU ratio and throughput ratio, the last its one bound where a side's capacity
was unbounded), whether added p99 kept its sign, and
whether each run's interval covers the other runs' medians.

With --compare it also runs what makes default reports comparable: `splitbench compare` of
every pair of the runs (each should exit 0), then one run with --inject-latency pricing=300us
compared against each of them (each should exit 1).

--scenario runs another scenario the same way (e.g. bench/scenarios/ci.toml, the regression
gate's); figures it does not measure are left out.

Needs a Release build (scripts/bench.sh builds one). Takes about 2 minutes a run.
"""
import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin", "splitbench")
SCENARIO = None  # the built-in default


def run_default(results, extra=()):
    scenario = ["--scenario", SCENARIO] if SCENARIO else []
    subprocess.run([BIN, "run", *scenario, "--results", results, *extra], check=True, stdout=subprocess.DEVNULL)
    path = os.path.realpath(os.path.join(results, "latest"))
    with open(os.path.join(path, "report.json")) as f:
        return path, json.load(f)


def figures(report):
    o = report["answer"]["overall"]
    return {
        "added p50 (µs)": (o["added_p50_us"], o["added_p50_us_ci95"]),
        "added p99 (µs)": (o["added_p99_us"], o["added_p99_us_ci95"]),
        "CPU ratio": (o["cpu_ratio"], o["cpu_ratio_ci95"]),
        "throughput ratio": throughput_ratio(o),
    }


def throughput_ratio(overall):
    """The ratio with its bounds; where one side's capacity is unbounded, only a bound exists and
    it stands for the ratio (as the report prints it)."""
    value, bounds = overall.get("throughput_ratio"), overall.get("throughput_ratio_bounds")
    lo, hi = bounds or (None, None)
    if lo is None and hi is not None:
        return hi, bounds
    if hi is None and lo is not None:
        return lo, bounds
    return value, bounds


def compare(base, new):
    return subprocess.run([BIN, "compare", base, new], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--results", default=None, help="where the runs go (default: a temporary directory)")
    parser.add_argument("--scenario", default=None, help="a scenario file (default: the built-in default)")
    args = parser.parse_args()
    global SCENARIO
    SCENARIO = args.scenario
    if not os.access(BIN, os.X_OK):
        print("reproduce.py: build first (scripts/bench.sh)", file=sys.stderr)
        return 2
    results = args.results or tempfile.mkdtemp(prefix="splitbench-reproduce-")
    runs = []
    for i in range(args.runs):
        path, report = run_default(os.path.join(results, f"run{i + 1}"))
        runs.append((path, report))
        f = figures(report)
        print(f"run {i + 1} ({report['build']['commit'][:12]}): " +
              "; ".join(f"{k} {v} {ci}" for k, (v, ci) in f.items()), flush=True)

    print("\nspread over the runs (each run's distance from the median of the runs):")
    all_ok = True
    for key in figures(runs[0][1]):
        values = [figures(r)[key][0] for _, r in runs]
        if all(v is None for v in values):
            continue  # not measured by this scenario
        if any(v is None for v in values):
            print(f"  {key}: missing in a run: {values}")
            all_ok = False
            continue
        mid = statistics.median(values)
        spread = [(v / mid - 1) * 100 if mid else float("nan") for v in values]
        covered = []
        for i, (_, r) in enumerate(runs):
            lo, hi = figures(r)[key][1] or (None, None)
            others = [values[j] for j in range(len(runs)) if j != i]
            covered.append(all((lo is None or lo <= x) and (hi is None or x <= hi) for x in others))
        line = f"  {key}: median {mid:.3g}; " + ", ".join(f"{s:+.1f}%" for s in spread)
        line += f"; intervals covering the other runs' figures: {sum(covered)} of {len(runs)}"
        if key == "added p99 (µs)":
            line += "; sign " + ("kept" if all(v > 0 for v in values) or all(v < 0 for v in values) else "CHANGED")
        elif any(abs(s) > 15 for s in spread):
            line += "  (beyond ±15%)"
            all_ok = False
        print(line)

    if args.compare:
        print("\nsplitbench compare of every pair of runs (0 expected):")
        pairs = list(itertools.permutations(range(len(runs)), 2))
        codes = [compare(runs[a][0], runs[b][0]) for a, b in pairs]
        for (a, b), c in zip(pairs, codes):
            print(f"  run {a + 1} -> run {b + 1}: exit {c}")
        path, _ = run_default(os.path.join(results, "injected"), ["--inject-latency", "pricing=300us"])
        print("a run with --inject-latency pricing=300us compared with each run (1 expected):")
        for i, (base, _) in enumerate(runs):
            print(f"  run {i + 1} -> injected: exit {compare(base, path)}")
    print(f"\nreports: {results}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
