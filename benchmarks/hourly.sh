#!/usr/bin/env bash
# Hourly pipeline benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/hourly.sh [USERS] [HOUR] [CONFIG]
#   (default 1M users, the Tuesday 2026-11-24T15 peak hour, eventsim's example config from
#   fixtures/eventsim: about 370k events in the hour)
# Generates the hour into a lake laid out as the stream pipeline writes it, then times the hourly
# pipeline in a fresh JVM (DirectRunner, into a new DuckDB warehouse) and DuckDB SQL building
# comparable tables over the same lake.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_java warn -Xmx4g -- io.streamify.bench.HourlyBenchmark "${1:-1000000}" "${2:-2026-11-24T15}" \
  "${3:-$root/fixtures/eventsim/example-config.json}"
