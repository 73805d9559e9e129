#!/usr/bin/env bash
# Stream pipeline soak run. Prints a line a minute; asserts nothing.
# Usage: benchmarks/stream-soak.sh [MINUTES] [USERS] [SPEED] [extra pipeline options...]
#   (default 60 minutes, 2.5M users at 60x real time: about 25k events/s, with the daily cycle)
# The generator (its own JVM) feeds a local broker in accelerated mode while the stream pipeline
# runs on the DirectRunner with a 2 GiB heap; each minute: rates produced/read/written, the
# backlog, heap in use and live after the last old-generation collection.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
minutes=${1:-60}; [ $# -gt 0 ] && shift
users=${1:-2500000}; [ $# -gt 0 ] && shift
speed=${1:-60}; [ $# -gt 0 ] && shift
bench_java error -Xmx2g -- io.streamify.bench.StreamSoak "$minutes" "$users" "$speed" "$@"
