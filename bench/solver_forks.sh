#!/usr/bin/env bash
# Fresh-JVM check of the solver steps: C2 (JDK 17) compiles the Vector API kernels differently from one JVM to the
# next (its inlining follows the profile it happens to see), and a kernel that runs out of C2's node budget boxes
# its vectors: the step then allocates and runs about 4x slower in that JVM only. This runs FORKS fresh JVMs of
# SolverStepBenchmark (JMH with its allocation profiler) and prints, per fork, the lowest 20-ms block and the bytes
# allocated per step; it exits 1 when a fork allocates or takes more than twice the median fork.
#
#   bench/solver_forks.sh [FORKS]      (default 10)
#
# Build first:  mvn -B -q -o -ntp install -DskipTests -pl core && mvn -B -q -o -ntp package -pl bench -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
FORKS=${1:-10}
JAR=bench/target/benchmarks.jar
[[ -f "$JAR" ]] || { echo "missing $JAR: build it first (see the header of $0)" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
java -jar "$JAR" "SolverStepBenchmark.(fullBatchStep|sgdStep)" -p shape=64x4x400 -f "$FORKS" -wi 3 -w 1 -i 20 -r 20ms \
    -prof gc -rf json -rff "$OUT/forks.json" > "$OUT/jmh.log" 2>&1
python3 - "$OUT/forks.json" <<'PY'
import json, statistics, sys
bad = False
for run in json.load(open(sys.argv[1])):
    name = run["benchmark"].rsplit(".", 1)[1]
    times = [min(fork) for fork in run["primaryMetric"]["rawData"]]
    alloc = run["secondaryMetrics"].get("·gc.alloc.rate.norm", {}).get("rawData", [[0.0]] * len(times))
    per_fork = [max(fork) for fork in alloc]
    median = statistics.median(times)
    for i, (t, a) in enumerate(zip(times, per_fork), 1):
        flag = t > 2 * median or a > 1.0
        bad |= flag
        print(f"{name:14s} fork {i:2d}: {t:9.2f} us  {a:8.1f} B/step{'   <-- boxed or slow' if flag else ''}")
    print(f"{name:14s} median of {len(times)} forks: {median:.2f} us")
sys.exit(1 if bad else 0)
PY
