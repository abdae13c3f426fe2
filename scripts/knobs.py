#!/usr/bin/python3
"""Each resilience knob of the split against the fault scenario: one table.

  scripts/knobs.py [--results DIR] [--scenario FILE]

Runs the fault scenario (bench/scenarios/faults.toml) against the split once per knob setting --
its peer timeout alone (the scenario's default), a circuit breaker after 5 failures in a row
(open 1 s), and 2 retries with jittered back-off of calls safe to repeat -- and prints, per fault
and knob, each route's availability in the fault window and its p99 during it, as Markdown. A
report holds one setting of each deployment; this sets three side by side. Each run's own report
stays in DIR.

Needs a Release build (scripts/bench.sh builds one). About 1 minute a knob.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin", "splitbench")
KNOBS = [
    ("peer timeout alone", []),
    ("breaker after 5 failures, open 1 s", ["--set", "deployment.breaker_failures=5"]),
    ("2 retries, within the retry budget", ["--set", "deployment.peer_retries=2"]),
]


def run(scenario, results, extra):
    done = subprocess.run([BIN, "run", "--scenario", scenario, "--deployment", "split", "--set", "repetitions=1", "--results", results, *extra],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        print(f"knobs.py: splitbench run failed (exit {done.returncode}): {done.stderr.strip()}", file=sys.stderr)
        sys.exit(2 if done.returncode == 2 else 1)
    with open(os.path.join(os.path.realpath(os.path.join(results, "latest")), "report.json")) as f:
        return json.load(f)


def cell(route):
    p99 = route["p99_during_us"]
    p99_text = f"{p99 / 1e6:.2f} s" if p99 >= 1e6 else f"{p99 / 1e3:.1f} ms" if p99 >= 1e3 else f"{p99:.0f} µs"
    return f"{route['availability'] * 100:.1f}%, {p99_text}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=None, help="where the runs go (default: a temporary directory)")
    parser.add_argument("--scenario", default=os.path.join(ROOT, "bench", "scenarios", "faults.toml"))
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        print("knobs.py: build first (scripts/bench.sh)", file=sys.stderr)
        return 2
    results = args.results or tempfile.mkdtemp(prefix="splitbench-knobs-")
    reports = []
    for i, (name, extra) in enumerate(KNOBS):
        report = run(args.scenario, os.path.join(results, f"knob{i + 1}"), extra)
        reports.append((name, report))
        print(f"ran: {name} ({report['build']['commit'][:12]})", file=sys.stderr, flush=True)
    faults = reports[0][1]["deployments"]["split"]["faults"]
    routes = list(faults[0]["routes"]) if faults else []
    print("| fault | knob | " + " | ".join(routes) + " |")
    print("|---|---|" + "---|" * len(routes))
    for i, fault in enumerate(faults):
        for name, report in reports:
            measured = report["deployments"]["split"]["faults"]
            if i >= len(measured) or measured[i]["spec"] != fault["spec"]:
                print(f"| `{fault['spec']}` | {name} | " + " | ".join("–" for _ in routes) + " |")
                continue
            print(f"| `{fault['spec']}` | {name} | " + " | ".join(cell(measured[i]["routes"][r]) for r in routes) + " |")
    print(f"\ncells: answered well in the fault window, p99 during it; reports: {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
