#!/usr/bin/env bash
# Stream pipeline soak run. Prints a line a minute; asserts nothing.
# Usage: benchmarks/stream-soak.sh [MINUTES] [USERS] [SPEED] [extra pipeline options...]
#   (default 60 minutes, 2.5M users at 60x real time: about 25k events/s, with the daily cycle)
# The generator (its own JVM) feeds a local broker in accelerated mode while the stream pipeline
# runs on the DirectRunner with a 2 GiB heap; each minute: rates produced/read/written, the
# backlog, heap in use and live after the last old-generation collection.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -q -B -DskipTests -Dstreamify.skipLib=true install >&2
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
minutes=${1:-60}; [ $# -gt 0 ] && shift
users=${1:-2500000}; [ $# -gt 0 ] && shift
speed=${1:-60}; [ $# -gt 0 ] && shift
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "pipelines/target/test-classes:pipelines/target/classes:$(cat "$cp_file")" \
  io.streamify.bench.StreamSoak "$minutes" "$users" "$speed" "$@"
