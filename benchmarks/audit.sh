#!/usr/bin/env bash
# streamify audit benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/audit.sh [USERS] [DAY]   (default 100000 users, 2026-11-24, a Tuesday)
# Generates the day into a local broker, streams it into a lake, loads it into DuckDB with the
# hourly catch-up, then times the audit (every Kafka offset, the lake, the warehouse) next to
# DuckDB SQL counting rows and distinct events per table and hour from the same Parquet.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_java error -Xmx3g -- io.streamify.bench.AuditBenchmark "${1:-100000}" "${2:-2026-11-24}"
