#!/usr/bin/env bash
# Stream pipeline benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/stream.sh [USERS] [HOURS] [extra pipeline options...]
#   (default 400000 users for 2 hours from 2026-11-23T10:00, a Monday: ~0.5M events)
# Fills a local broker with the generated period, then measures a plain KafkaConsumer that parses with
# the same parser and writes hour-partitioned Parquet, and the Beam pipeline on the DirectRunner,
# until every event is in the lake. JVM heap bounded at 2 GiB.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -q -B -DskipTests -Dstreamify.skipLib=true install >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
users=${1:-400000}
[ $# -gt 0 ] && shift
hours=${1:-2}
[ $# -gt 0 ] && shift
extra=("$@")
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "pipelines/target/test-classes:pipelines/target/classes:$(cat "$cp_file")" \
  io.streamify.bench.StreamBenchmark "$users" "$hours" ${extra[@]+"${extra[@]}"}
