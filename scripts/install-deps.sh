#!/usr/bin/env bash
# Installs what splitbench needs from Debian's packages; does nothing when all is there.
# Usage: scripts/install-deps.sh [--bench|--build]
#   --bench   adds the tools the benchmark scripts compare with
#   --build   only what building the binaries needs (the Containerfile's build stage): no test tools
set -euo pipefail

mode=${1:-}
case "$mode" in
  ""|--bench|--build) ;;
  *) echo "usage: scripts/install-deps.sh [--bench|--build]" >&2; exit 2 ;;
esac

packages=(
  cmake ninja-build g++ ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libfmt-dev catch2 libbenchmark-dev libtomlplusplus-dev zlib1g-dev
)
if [[ "$mode" != "--build" ]]; then
  packages+=(clang libclang-rt-14-dev valgrind python3 python3-matplotlib libbenchmark-tools iproute2)
fi
if [[ "$mode" == "--bench" ]]; then
  packages+=(wrk nginx-light)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Tools the tests check splitbench's output with, each installed only where its command is missing
# (a newer node or kubectl from elsewhere serves as well): COMMAND:PACKAGE.
tools=(node:nodejs npm:npm kubectl:kubernetes-client promtool:prometheus docker-compose:docker-compose)
[[ "$mode" == "--build" ]] && tools=()
for t in "${tools[@]}"; do
  command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
