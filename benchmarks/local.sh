#!/usr/bin/env bash
# The whole local stack, non-interactive. Prints figures; asserts nothing.
# Usage: benchmarks/local.sh [USERS] [SPEED] [HOURS] [STACK OPTIONS...]
#   (default: streamify local's defaults, 5,000 users at 60x, for 2 simulated hours)
# Runs `streamify local --hours HOURS` (3 GiB heap, the launcher's default) in a fresh data folder
# and prints its summary: when the first hour reached the warehouse, the generator's rate, how long
# after the generator finished the last hour was loaded (the stack keeping up), events per topic
# produced vs in the warehouse, and the peak memory of the stack and the broker.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
users=${1:-5000}
speed=${2:-60}
hours=${3:-2}
shift $(( $# > 3 ? 3 : $# ))
data=$(mktemp -d "${TMPDIR:-/tmp}/streamify-local-bench.XXXXXX")
trap 'rm -rf "$data"' EXIT
echo "benchmark: streamify local, $users users at ${speed}x for $hours simulated hours" >&2
"$root/streamify" local --users "$users" --speed "$speed" --hours "$hours" --port 0 \
  --data "$data" "$@"
