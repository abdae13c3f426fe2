#!/usr/bin/env bash
# Installs the test suite's npm tools (tests/npm/package.json, every version pinned by its lock
# file) into tests/npm/node_modules; does nothing when they are there at those versions.
# The tests read splitbench's output with them: hdr-histogram-js decodes its histograms and
# interval logs, kubernetes-models validates the Kubernetes objects `splitbench deploy` renders,
# read from YAML with yaml.
set -euo pipefail
cd "$(dirname "$0")/../tests/npm"
stamp=node_modules/.installed-lock.json  # the lock file these modules were installed from
cmp -s package-lock.json "$stamp" 2>/dev/null && exit 0
echo "npm-tools: installing hdr-histogram-js, kubernetes-models and yaml into tests/npm/node_modules"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
