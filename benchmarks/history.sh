#!/usr/bin/env bash
# Hourly pipeline after days of history. Prints figures; asserts nothing.
# Usage: benchmarks/history.sh [USERS] [DAYS,DAYS,...] [LIMIT_SECONDS]
#   (default 10k users, after 1, 30 and 365 days of summaries, each run stopped after 600 s)
# Generates one hour (Tuesday 2026-11-24T15) into a lake, runs the hourly pipeline on it, then
# synthesises the summaries of every earlier hour (copies of the hour's own) and runs the hour
# again in a fresh JVM for each history length: wall time and peak memory.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_java warn -Xmx4g -- io.streamify.bench.HistoryBenchmark "${1:-10000}" "${2:-1,30,365}" \
  "${3:-600}"
