#!/usr/bin/env bash
# Stream pipeline benchmark. Prints figures; asserts nothing.
# Usage: benchmarks/stream.sh [USERS] [HOURS] [extra pipeline options...]
#   (default 1M users for 2 hours from 2026-11-23T10:00, a Monday: ~1M events)
# Fills a local broker with the generated period, then runs, each in a fresh JVM (-Xmx2g) reading
# every event and writing hour-partitioned Parquet: a plain KafkaConsumer with the same parser,
# the Beam pipeline on the DirectRunner, and the seed's Spark Structured Streaming job
# (benchmarks/spark-peer, built here: Spark from Maven Central, never on the product's classpath).
# Set STREAMIFY_NO_SPARK=1 to leave the Spark job out.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
users=${1:-1000000}
[ $# -gt 0 ] && shift
hours=${1:-2}
[ $# -gt 0 ] && shift
extra=("$@")
spark=()
if [ -z "${STREAMIFY_NO_SPARK:-}" ]; then
  ./mvnw -q -B -s benchmarks/spark-peer/maven-settings.xml -f benchmarks/spark-peer/pom.xml package \
    -DskipTests >&2
  spark=("-Dstreamify.sparkPeer=benchmarks/spark-peer/target/classes:benchmarks/spark-peer/target/lib/*")
fi
bench_java error -Xmx2g ${spark[@]+"${spark[@]}"} -- io.streamify.bench.StreamBenchmark "$users" "$hours" \
  ${extra[@]+"${extra[@]}"}
