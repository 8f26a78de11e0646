#!/usr/bin/env bash
# End-to-end wall clock of `nclab analyze` (JVM start included) against the NumPy float64 reference
# (interpreter start, numpy import and loading included) on the same 60000 x 512 float32 features.
#
#   bench/analyze_vs_numpy.sh [DATA_DIR] [RUNS]      (defaults: /tmp/feat, 3)
#
# Generates DATA_DIR with bench/make_features.py if it is missing, runs each side RUNS times alternately,
# prints every time, the medians and the ratio NumPy / nclab. nclab runs through the launcher ./nclab with its
# JVM flags and class-data-sharing archive (as a user runs it); one untimed run first builds the jar if it is
# stale and writes the archive (a one-time cost after each build). Build the jar first:
#   mvn -B -q -o -ntp install -DskipTests -pl core,cli
# The machine load (uptime) is printed before and after: on a shared machine compare medians of quiet runs.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/feat}
RUNS=${2:-3}
JAR=cli/target/nclab.jar
[[ -f "$JAR" ]] || { echo "missing $JAR: build it first (see the header of $0)" >&2; exit 1; }
if [[ ! -f "$DIR/features.npy" || ! -f "$DIR/labels.npy" || ! -f "$DIR/W.npy" ]]; then
    python3 bench/make_features.py "$DIR"
fi
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
./nclab analyze --features "$DIR/features.npy" --labels "$DIR/labels.npy" --weights "$DIR/W.npy" --json > /dev/null
echo "load before: $(uptime)"
java_times=()
numpy_times=()
for ((i = 1; i <= RUNS; i++)); do
    t0=$(now)
    ./nclab analyze --features "$DIR/features.npy" --labels "$DIR/labels.npy" --weights "$DIR/W.npy" \
        --json > /dev/null
    t1=$(now)
    out=$(python3 bench/analyze_numpy.py "$DIR")
    t2=$(now)
    jt=$(echo "$t1 - $t0" | bc -l)
    nt=$(echo "$t2 - $t1" | bc -l)
    java_times+=("$jt")
    numpy_times+=("$nt")
    printf 'run %d: nclab %.3f s   numpy %.3f s (%s, %s)\n' "$i" "$jt" "$nt" \
        "$(echo "$out" | grep '^load seconds')" "$(echo "$out" | grep '^compute seconds')"
done
jm=$(median "${java_times[@]}")
nm=$(median "${numpy_times[@]}")
printf 'median nclab analyze: %.3f s\nmedian numpy        : %.3f s\nratio numpy / nclab : %.2fx\n' \
    "$jm" "$nm" "$(echo "$nm / $jm" | bc -l)"
echo "load after: $(uptime)"
