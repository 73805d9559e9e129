#!/usr/bin/env bash
# Hourly pipeline benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/hourly.sh [USERS] [HOUR]   (default 1M users, 2026-11-24T15: ~200k events)
# Generates the hour into a lake laid out as the stream pipeline writes it, then times the hourly
# pipeline in a fresh JVM (DirectRunner, into a new DuckDB warehouse) and DuckDB SQL building
# comparable tables over the same lake.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -q -B -DskipTests -Dstreamify.skipLib=true install >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "pipelines/target/test-classes:pipelines/target/classes:$(cat "$cp_file")" \
  io.streamify.bench.HourlyBenchmark "$@"
