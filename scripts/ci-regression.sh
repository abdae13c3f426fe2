#!/usr/bin/env bash
# The performance regression gate, for CI after the tests.
#
#   scripts/ci-regression.sh [splitbench run options]     e.g. --inject-latency pricing=300us
#
# 1. Instructions per operation of the micro suite (callgrind) against
#    results/baseline/instructions.json, at a tight threshold: counts do not move with load.
# 2. The `ci` scenario (8 paired repetitions of both deployments) against
#    results/baseline/ci/report.json with `splitbench compare`: Mann-Whitney U over the
#    repetitions, Holm-corrected across figures, and a wide threshold, since wall-clock figures
#    drift between runs on a shared machine. A regression must show in a second run too before
#    the gate fails: a real one repeats, noise rarely does twice.
#
# Exit status 0: no regression; 1: a confirmed regression; 2: the gate could not run.
# Thresholds: SPLITBENCH_INSTRUCTIONS_THRESHOLD (percent, default 2) and
# SPLITBENCH_WALLCLOCK_THRESHOLD (percent; default: the ci scenario's gate.threshold, 100). With GITHUB_STEP_SUMMARY set, the
# comparison's Markdown is appended there.
set -uo pipefail
cd "$(dirname "$0")/.."

instructions_threshold=${SPLITBENCH_INSTRUCTIONS_THRESHOLD:-2}
threshold_args=()
threshold_text="gate.threshold of bench/scenarios/ci.toml"
if [[ -n ${SPLITBENCH_WALLCLOCK_THRESHOLD:-} ]]; then
  threshold_args=(--threshold "$SPLITBENCH_WALLCLOCK_THRESHOLD")
  threshold_text="${SPLITBENCH_WALLCLOCK_THRESHOLD}%"
fi
bin=build/bin
[[ -x $bin/splitbench && -x $bin/splitbench-micro ]] || { echo "ci-regression: build first (scripts/test.sh)" >&2; exit 2; }

echo "== instructions per operation (threshold +${instructions_threshold}%)"
/usr/bin/python3 scripts/instructions.py --threshold "$instructions_threshold"
status=$?
[[ $status -eq 0 ]] || { echo "ci-regression: instruction counts: status $status"; exit "$status"; }

work=$(mktemp -d /tmp/splitbench-ci-XXXXXX)
trap 'rm -rf "$work"' EXIT
compare_once() {
  local attempt=$1
  shift  # the rest are splitbench run options
  echo "== wall clock, run $attempt: scenario ci against results/baseline/ci (threshold: $threshold_text)"
  "$bin/splitbench" run --scenario bench/scenarios/ci.toml --results "$work/$attempt" "$@" > "$work/run-$attempt.log" 2>&1 || {
    cat "$work/run-$attempt.log"; echo "ci-regression: the ci scenario did not run"; return 2; }
  tail -n 4 "$work/run-$attempt.log"
  "$bin/splitbench" compare results/baseline/ci/report.json "$work/$attempt/latest" "${threshold_args[@]}" --format md \
    > "$work/compare-$attempt.md"
  local s=$?
  cat "$work/compare-$attempt.md"
  [[ -n ${GITHUB_STEP_SUMMARY:-} ]] && cat "$work/compare-$attempt.md" >> "$GITHUB_STEP_SUMMARY"
  return $s
}
compare_once 1 "$@"
status=$?
if [[ $status -eq 1 ]]; then
  echo "== a regression was flagged: confirming with a second run"
  compare_once 2 "$@"
  status=$?
fi
case $status in
  0) echo "ci-regression: no regression" ;;
  1) echo "ci-regression: REGRESSION, confirmed by a second run" ;;
  *) echo "ci-regression: the comparison could not be made" ;;
esac
exit "$status"
