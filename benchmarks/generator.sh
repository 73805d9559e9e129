#!/usr/bin/env bash
# Generator benchmarks. Prints figures (wall time with JVM start-up, events/s, peak memory);
# asserts nothing. Usage: benchmarks/generator.sh [--quick]   (--quick: skip the 10M-user run)
#
# 1. eventsim's anchor workload: example-config.json, 1M users, growth rate 10, one simulated
#    Sunday (2026-11-22), file output; three runs. eventsim itself: 2.43M events in 65-68 s,
#    3.2 GiB peak (docs/build-facts.md).
# 2. 10M users for one day (eventsim stalls at 2-3M users).
# 3. Into a real local Kafka broker: 1M users for one day.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
config="$root/fixtures/eventsim/example-config.json"
[ -f "$config" ] || { echo "benchmark: $config not found" >&2; exit 2; }
quick=${1:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/streamify-bench.XXXXXX")
kafka_pid=
cleanup() {
  [ -n "$kafka_pid" ] && kill "$kafka_pid" 2>/dev/null && wait "$kafka_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$root/streamify" generate --help >/dev/null   # build once, outside the timings

run() {
  local label=$1; shift
  rm -rf "$work/out"
  local t0 t1 summary
  t0=$(date +%s%N)
  summary=$("$root/streamify" generate "$@" 2>&1 >/dev/null | grep 'wrote' || true)
  t1=$(date +%s%N)
  printf '%-34s wall %6.2f s | %s\n' "$label" "$(echo "($t1 - $t0) / 1000000000" | bc -l)" \
    "${summary#streamify generate: }"
}

echo "== generator, $(nproc) cores, $(java -version 2>&1 | head -1)"
for i in 1 2 3; do
  run "1M users, Sunday, files (run $i)" -n 1000000 --growth-rate 10 --start 2026-11-22 \
    -c "$config" -o "$work/out"
done
if [ "$quick" != "--quick" ]; then
  JAVA_OPTS="-Xmx4g" run "10M users, one day, files" -n 10000000 --growth-rate 10 \
    --start 2026-11-22 -c "$config" -o "$work/out"
fi

"$root/streamify" kafka --port 0 --data "$work/kafka" > "$work/kafka.addr" 2> "$work/kafka.log" &
kafka_pid=$!
for _ in $(seq 1 120); do [ -s "$work/kafka.addr" ] && break; sleep 0.5; done
bootstrap=$(head -1 "$work/kafka.addr")
[ -n "$bootstrap" ] || { echo "benchmark: the local broker did not start" >&2; cat "$work/kafka.log" >&2; exit 1; }
run "1M users, Sunday, Kafka" -n 1000000 --growth-rate 10 --start 2026-11-22 -c "$config" \
  --sink kafka -b "$bootstrap" --partitions 4
