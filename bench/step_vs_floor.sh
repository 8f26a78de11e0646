#!/usr/bin/env bash
# Issue 3's "within 2x of the memory-bandwidth floor" figure, measured in pairs: JMH MemoryBandwidthBenchmark
# .readTwiceTwoThreads (reading H twice, rows in two halves on the two cores) and SolverStepBenchmark.fullBatchStep
# at (d, K, N) = (512, 10, 5000), one after the other, ROUNDS times. Both sides take the same statistic, the lowest
# 20-ms block of 100 (after 3 s of warm-up), since the noise of this shared machine only ever adds time; pairing
# them matters because the floor itself swings by 1.5x between minutes (the shared L3 and memory of the host).
# Prints each round's floor, step and ratio, the median ratio, and the ratio of the lowest step to the lowest floor.
# With "thp", both JVMs run with -XX:+UseTransparentHugePages, as ./nclab runs `solve` where the kernel offers them
# (both sides faster: the floor more than the step).
#
#   bench/step_vs_floor.sh [ROUNDS] [thp]      (default 5 rounds, default pages)
#
# Build first:  mvn -B -q -o -ntp install -DskipTests -pl core && mvn -B -q -o -ntp package -pl bench -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
JVM_ARGS=()
if [[ "${2:-}" == thp ]]; then
    # the command line's -jvmArgsAppend replaces the benchmarks' own, so their module flags are repeated
    modules="--add-modules=jdk.incubator.vector -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"
    JVM_ARGS=(-jvmArgsAppend "$modules -XX:+UseTransparentHugePages")
elif [[ -n "${2:-}" ]]; then
    echo "unknown option ${2}: the second argument is thp or nothing" >&2
    exit 2
fi
JAR=bench/target/benchmarks.jar
[[ -f "$JAR" ]] || { echo "missing $JAR: build it first (see the header of $0)" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "pages: ${2:-default}; load before: $(uptime)"
for ((i = 1; i <= ROUNDS; i++)); do
    java -jar "$JAR" "MemoryBandwidthBenchmark.readTwiceTwoThreads$" ${JVM_ARGS[@]+"${JVM_ARGS[@]}"} \
        -wi 3 -w 1 -i 100 -r 20ms \
        -rf json -rff "$OUT/floor$i.json" > "$OUT/floor$i.log" 2>&1
    java -jar "$JAR" "SolverStepBenchmark.fullBatchStep$" -p shape=512x10x5000 ${JVM_ARGS[@]+"${JVM_ARGS[@]}"} \
        -wi 3 -w 1 -i 100 -r 20ms \
        -rf json -rff "$OUT/step$i.json" > "$OUT/step$i.log" 2>&1
done
echo "load after: $(uptime)"
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def lowest(path):
    runs = json.load(open(path))
    if not runs:
        sys.exit(f"no result in {path}; its log:\n" + open(path[:-len("json")] + "log").read()[-3000:])
    return min(v for fork in runs[0]["primaryMetric"]["rawData"] for v in fork)
pairs = [(lowest(f"{out}/floor{r}.json"), lowest(f"{out}/step{r}.json")) for r in range(1, rounds + 1)]
for r, (floor, step) in enumerate(pairs, 1):
    print(f"round {r}  floor {floor / 1000:6.3f} ms  step {step / 1000:6.3f} ms  step/floor {step / floor:5.2f}")
print(f"median step/floor {statistics.median(s / f for f, s in pairs):5.2f}")
floor, step = min(f for f, _ in pairs), min(s for _, s in pairs)
print(f"lowest floor {floor / 1000:6.3f} ms, lowest step {step / 1000:6.3f} ms: {step / floor:5.2f}")
PY
