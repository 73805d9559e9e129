#!/usr/bin/env bash
# Stream pipeline benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/stream.sh [USERS] [HOURS] [extra pipeline options...]
#   (default 400000 users for 2 hours from 2026-11-23T10:00, a Monday: ~0.5M events)
# Fills a local broker with the generated period, then measures a plain KafkaConsumer that parses with
# the same parser and writes hour-partitioned Parquet, and the Beam pipeline on the DirectRunner,
# until every event is in the lake. JVM heap bounded at 2 GiB.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
users=${1:-400000}
[ $# -gt 0 ] && shift
hours=${1:-2}
[ $# -gt 0 ] && shift
extra=("$@")
bench_java error -Xmx2g -- io.streamify.bench.StreamBenchmark "$users" "$hours" ${extra[@]+"${extra[@]}"}
