#!/usr/bin/env bash
# The cluster path on one machine: the monolith and the split each on a host of its own (a
# network namespace with its own address from 198.18.0.0/24 and its own TCP stack, joined to the
# others by veth pairs to a bridge), started there by `splitbench up`, and measured from a third
# host as a driver pod measures a cluster's deployments:
#   1. `splitbench run --target ... --metrics ...`: the whole comparison, CPU and memory read
#      from every process's /metrics;
#   2. two drivers, each `splitbench load --shard I/2 --start-at T` of one schedule at RATE, merged
#      by `splitbench merge`, beside one driver at RATE.
#
#   sudo scripts/multihost.sh [splitbench run options...]    e.g. --set repetitions=3
#
# Needs root and a built tree (scripts/bench.sh builds one). Everything it makes is named
# sbm-<its pid>-*; it removes all of it when it ends, however it ends, and the leftovers of a run
# that was killed (SIGKILL leaves no chance) when it next starts. Environment: RATE (default 2000),
# SECONDS_OF_LOAD (default 10), ROUTE (default /api/products/1).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "multihost: network namespaces need root" >&2; exit 2; }
bin=$PWD/build/bin
[[ -x $bin/splitbench ]] || { echo "multihost: build first (scripts/bench.sh)" >&2; exit 2; }
rate=${RATE:-2000} duration=${SECONDS_OF_LOAD:-10} route=${ROUTE:-/api/products/1}

prefix="sbm-$$-"
remove() {  # every process inside, then the namespace (its veth ends and the bridge go with it)
  local ns=$1
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns delete "$ns" 2>/dev/null || true
}
for ns in $(ip netns list | awk '{print $1}' | grep '^sbm-' || true); do
  owner=${ns#sbm-}; owner=${owner%%-*}
  kill -0 "$owner" 2>/dev/null || remove "$ns"
done
made=() ups=()
cleanup() {
  # splitbench up stops its own processes on SIGTERM; then nothing is left in the namespaces but them.
  for pid in "${ups[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${ups[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i=${#made[@]}-1; i>=0; i--)); do remove "${made[i]}"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "${prefix}br"; made+=("${prefix}br")
ip -n "${prefix}br" link add br0 type bridge
ip -n "${prefix}br" link set br0 up
n=2
for host in monolith split driver; do
  ns=$prefix$host
  ip netns add "$ns"; made+=("$ns")
  ip -n "$ns" link add eth0 type veth peer name "v$n" netns "${prefix}br"
  ip -n "$ns" addr add "198.18.0.$n/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "${prefix}br" link set "v$n" master br0
  ip -n "${prefix}br" link set "v$n" up
  n=$((n + 1))
done

work=$(mktemp -d /tmp/splitbench-multihost-XXXXXX)
declare -A address=([monolith]=198.18.0.2 [split]=198.18.0.3)
declare -A metrics
for d in monolith split; do
  mkdir -p "$work/$d"
  ip netns exec "$prefix$d" "$bin/splitbench" up --deployment "$d" --listen "${address[$d]}:8080" --json "$work/$d.json" \
    --log-dir "$work/$d" > "$work/$d.out" 2>&1 &
  ups+=($!)
  for _ in $(seq 100); do [[ -s $work/$d.json ]] && break; sleep 0.1; done
  [[ -s $work/$d.json ]] || { cat "$work/$d.out" >&2; exit 1; }
  metrics[$d]=$(python3 -c 'import json,sys; print(",".join("http://" + p["address"] for p in json.load(open(sys.argv[1]))["processes"]))' "$work/$d.json")
  echo "multihost: $d up on ${address[$d]}:8080 in namespace $prefix$d"
done

in_driver() { ip netns exec "${prefix}driver" "$@"; }
echo "multihost: 1. splitbench run from the driver's host"
in_driver "$bin/splitbench" run --target monolith=http://198.18.0.2:8080 --target split=http://198.18.0.3:8080 \
  --metrics "monolith=${metrics[monolith]}" --metrics "split=${metrics[split]}" "$@"

echo "multihost: 2. two shards of one schedule at $rate req/s for ${duration}s, merged, beside one driver at $rate req/s"
for d in monolith split; do
  url="http://${address[$d]}:8080$route"
  start=$(( $(date +%s) + 3 ))
  drivers=()
  for shard in 0 1; do
    in_driver "$bin/splitbench" load --rate "$rate" --duration "${duration}s" --shard "$shard/2" --start-at "$start" \
      --json "$work/$d-shard$shard.json" "$url" > "$work/$d-shard$shard.out" 2>&1 &
    drivers+=($!)
  done
  wait "${drivers[@]}"
  "$bin/splitbench" merge "$work/$d-shard0.json" "$work/$d-shard1.json" --json "$work/$d-merged.json" > /dev/null
  in_driver "$bin/splitbench" load --rate "$rate" --duration "${duration}s" --json "$work/$d-one.json" "$url" > /dev/null 2>&1
  python3 - "$d" "$work/$d-merged.json" "$work/$d-one.json" <<'PY'
import json, sys
name, merged, one = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def row(label, r):
    l = r["latency_us"]
    print(f"  {name:8} {label:16} requests {r['requests']:>7}  p50 {l['p50']:8.1f} µs  p99 {l['p99']:9.1f} µs  p99.9 {l['p999']:9.1f} µs  errors {r['errors']}")
row("2 shards merged", merged)
row("1 driver", one)
PY
done
echo "multihost: files in $work"
