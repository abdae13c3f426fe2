#!/usr/bin/env bash
# Builds splitbench (Release) and runs the default comparison of monolith and split: a few
# minutes at most on 2 cores. Its report lands in results/runs/<id>/ and results/latest.
#
#   scripts/bench.sh [splitbench run options...]     e.g. --set compare.rate=800
#
# Installs what is missing first (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset release "${launcher[@]}" >/dev/null
cmake --build build -j "$(nproc)" --target splitbench splitbench-monolith splitbench-service
if [[ $# -eq 0 ]]; then
  build/bin/splitbench
else
  build/bin/splitbench run "$@"
fi
