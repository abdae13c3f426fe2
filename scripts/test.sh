#!/usr/bin/env bash
# Builds splitbench and runs every test through ctest.
#
#   scripts/test.sh           the release build's suite, then the same suite under
#                             AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer,
#                             then a short run of each libFuzzer target
#   scripts/test.sh --quick   the release build's suite only
#
# SPLITBENCH_FUZZ_SECONDS sets how long each fuzz target runs (default 30).
#
# Installs what is missing first (scripts/install-deps.sh, and the npm tools some tests read
# splitbench's output with: scripts/npm-tools.sh). Builds go to build/, build-asan/ and
# build-tsan/; binaries land in build/bin/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh
scripts/npm-tools.sh

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
jobs=$(nproc)

suite() {
  local preset=$1 dir=$2
  echo "== ${preset}: configure and build"
  cmake --preset "$preset" "${launcher[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== ${preset}: tests"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300
}

suite release build
if [[ $quick -eq 0 ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  suite asan build-asan
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  suite tsan build-tsan
  echo "== fuzz: libFuzzer targets, ${SPLITBENCH_FUZZ_SECONDS:-30}s each"
  cmake --preset fuzz "${launcher[@]}" >/dev/null
  cmake --build build-fuzz -j "$jobs" --target splitbench-fuzz-request splitbench-fuzz-codec
  for target in request codec; do
    mkdir -p "build-fuzz/corpus/$target"
    build-fuzz/bin/splitbench-fuzz-$target -max_total_time="${SPLITBENCH_FUZZ_SECONDS:-30}" -print_final_stats=1 \
      "build-fuzz/corpus/$target" "fuzz/corpus/$target" 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==[0-9]+==ERROR|SUMMARY)" || true
    [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "fuzz: splitbench-fuzz-$target found a crash (see above)"; exit 1; }
  done
fi
echo "== all test suites passed"
