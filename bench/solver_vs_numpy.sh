#!/usr/bin/env bash
# Issue 3's solver-step ratios, measured side by side: JMH SolverStepBenchmark (Java, float64) against
# bench/solver_step_numpy.py (NumPy float64, the same steps), alternately for ROUNDS rounds.
#
#   bench/solver_vs_numpy.sh [ROUNDS]      (default 3)
#
# One statistic on both sides: the lowest mean over blocks of steps of about 20 ms, for about 2 s per step kind,
# that is JMH's lowest 20-ms iteration (100 per benchmark, after 3 s of warm-up) and timeit's lowest repeat (blocks
# of about 20 ms for about 2 s), as the noise of a shared machine only ever adds time (timeit's advice). Short
# blocks, because on this shared 2-core machine the mean over one second varies by 30-60 % between minutes while
# the lowest short block does not. Prints every round and the median over rounds of each time and of the ratio
# NumPy / Java.
# Build first:  mvn -B -q -o -ntp install -DskipTests -pl core && mvn -B -q -o -ntp package -pl bench -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
JAR=bench/target/benchmarks.jar
[[ -f "$JAR" ]] || { echo "missing $JAR: build it first (see the header of $0)" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "load before: $(uptime)"
for ((i = 1; i <= ROUNDS; i++)); do
    java -jar "$JAR" "SolverStepBenchmark.(fullBatchStep|sgdStep)" -wi 3 -w 1 -i 100 -r 20ms -rf json -rff "$OUT/jmh$i.json" \
        > "$OUT/jmh$i.log" 2>&1
    python3 bench/solver_step_numpy.py > "$OUT/numpy$i.txt"
done
echo "load after: $(uptime)"
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {"full-batch step (64, 4, 400)": ("fullBatchStep", "64x4x400", "fullBatchStep d=64 K=4 N=400"),
        "full-batch step (512, 10, 5000)": ("fullBatchStep", "512x10x5000", "fullBatchStep d=512 K=10 N=5000"),
        "SGD step, batch 4, (64, 4)": ("sgdStep", "64x4x400", "sgdStep d=64 K=4 N=400 batch=4")}
table = {name: [] for name in rows}
for r in range(1, rounds + 1):
    jmh = json.load(open(f"{out}/jmh{r}.json"))
    numpy = open(f"{out}/numpy{r}.txt").read()
    for name, (bench, shape, label) in rows.items():
        run = next(b for b in jmh if b["benchmark"].endswith(bench) and b["params"]["shape"] == shape)
        java = min(v for fork in run["primaryMetric"]["rawData"] for v in fork)
        ref = float(re.search(re.escape(label) + r": ([0-9.]+) us", numpy).group(1))
        table[name].append((java, ref))
        print(f"round {r}  {name:32s} java {java:10.2f} us  numpy {ref:10.2f} us  ratio {ref / java:6.1f}x")
print()
for name, vals in table.items():
    java = statistics.median(v[0] for v in vals)
    ref = statistics.median(v[1] for v in vals)
    ratio = statistics.median(v[1] / v[0] for v in vals)
    print(f"median  {name:32s} java {java:10.2f} us  numpy {ref:10.2f} us  ratio {ratio:6.1f}x")
PY
