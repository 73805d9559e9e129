# Sourced by the pipeline benchmarks: builds the project (no tests) and runs a benchmark class
# from the pipelines' test classes. Usage: bench_java LOG_LEVEL JVM_OPTION... -- MAIN_CLASS ARGS...
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./mvnw -q -B -DskipTests -Dstreamify.skipLib=true install >&2
bench_cp_file=$(mktemp)
trap 'rm -f "$bench_cp_file"' EXIT
./mvnw -q -B -pl pipelines dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$bench_cp_file" >&2

bench_java() {
  local level=$1 jvm=()
  shift
  while [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  shift
  java "${jvm[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel="$level" \
    -cp "pipelines/target/test-classes:pipelines/target/classes:$(cat "$bench_cp_file")" "$@"
}
