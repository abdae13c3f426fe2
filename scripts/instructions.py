#!/usr/bin/python3
"""Instructions per operation of the micro suite, counted by valgrind's callgrind, against a
committed baseline. Instruction counts do not change with machine load, so a tight threshold
holds even on a noisy shared machine. They are blind to system calls and network time: the
HTTP path is gated by `splitbench compare` on wall-clock figures instead.

  scripts/instructions.py                  compare with results/baseline/instructions.json
  scripts/instructions.py --update         write that baseline from this build
  scripts/instructions.py --threshold 2    percent an operation may grow (default 2)

Exit status: 0 nothing grew beyond the threshold, 1 something did, 2 unusable (no valgrind, no
build, a baseline from another compiler).
"""
import argparse
import glob
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICRO = os.path.join(ROOT, "build", "bin", "splitbench-micro")
BASELINE = os.path.join(ROOT, "results", "baseline", "instructions.json")
ITERATIONS = 2000


def fail(message):
    print(f"instructions.py: {message}", file=sys.stderr)
    sys.exit(2)


def compiler():
    out = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0] if out else "unknown"


def count():
    if not os.path.exists(MICRO):
        fail(f"{MICRO} is missing; build first (scripts/test.sh --quick)")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "callgrind.out")
        run = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--callgrind-out-file={out}",
                              MICRO, "--instructions", str(ITERATIONS)], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"valgrind failed:\n{run.stderr[-2000:]}")
        counts = {}
        for path in glob.glob(out + "*"):
            text = open(path).read()
            trigger = re.search(r"^desc: Trigger: Client Request: (\S+)", text, re.M)
            total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if trigger and total:
                counts[trigger.group(1)] = int(total.group(1)) / ITERATIONS
        if not counts:
            fail("callgrind wrote no per-operation dumps")
        return counts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--update", action="store_true")
    p.add_argument("--threshold", type=float, default=2.0)
    args = p.parse_args()
    counts = count()
    doc = {"schema": "splitbench.instructions/1", "iterations": ITERATIONS, "compiler": compiler(),
           "machine": platform.machine(), "instructions_per_operation": {k: round(v, 1) for k, v in sorted(counts.items())}}
    if args.update:
        os.makedirs(os.path.dirname(BASELINE), exist_ok=True)
        tmp = BASELINE + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        os.replace(tmp, BASELINE)
        print(f"instructions.py: wrote {BASELINE} ({len(counts)} operations)")
        return 0
    try:
        base = json.load(open(BASELINE))
    except (OSError, ValueError) as e:
        fail(f"cannot read the baseline {BASELINE}: {e}")
    if base.get("schema") != doc["schema"]:
        fail(f"baseline schema {base.get('schema')!r} is not {doc['schema']!r}")
    if base.get("compiler") != doc["compiler"]:
        fail(f"the baseline was counted with another compiler ({base.get('compiler')}, not {doc['compiler']}): "
             "counts are only comparable from the same one; run --update")
    regressed = []
    print(f"instructions per operation (callgrind, {ITERATIONS} iterations each), threshold +{args.threshold:g}%:")
    print(f"  {'operation':<30} {'baseline':>12} {'now':>12} {'change':>8}")
    for name, now in sorted(counts.items()):
        before = base["instructions_per_operation"].get(name)
        if before is None:
            print(f"  {name:<30} {'–':>12} {now:>12.1f}   new")
            continue
        change = (now / before - 1) * 100
        flag = ""
        if change > args.threshold:
            flag = "  REGRESSED"
            regressed.append(name)
        print(f"  {name:<30} {before:>12.1f} {now:>12.1f} {change:>+7.2f}%{flag}")
    for name in sorted(set(base["instructions_per_operation"]) - set(counts)):
        print(f"  {name:<30} gone from the suite")
    if regressed:
        print(f"instructions.py: {len(regressed)} operation(s) grew beyond +{args.threshold:g}%: {', '.join(regressed)}")
        return 1
    print("instructions.py: no operation grew beyond the threshold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
