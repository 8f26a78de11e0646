#!/usr/bin/env bash
# Training and measurement throughput of `nclab train` on this machine (CPU unless libtorch has CUDA).
# For each network: 3 epochs on N synthetic 28x28 images (batch 128), then reads metrics.csv:
#   train samples/s = N * epochs / seconds_train (epochs 1..3, so the first epoch's warm-up is included),
#   metric pass     = seconds_metrics / number of logged epochs (feature pass over N + test pass + all metrics).
# Usage: bench/train_throughput.sh [N]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
per=$((N / 10))
sizes=$(printf "$per,%.0s" {1..10}); sizes=${sizes%,}
out=$(mktemp -d)
run() { # name, extra flags...
  local name=$1; shift
  ./nclab train --dataset synthetic --sizes "$sizes" --test-per-class 100 --epochs 3 --log-every 1 \
    --schedule constant --lr 0.01 --batch 128 --no-progress --out "$out/$name" "$@" >/dev/null
  python3 - "$out/$name/metrics.csv" "$name" "$N" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n, last = int(sys.argv[3]), rows[-1]
train = float(last["seconds_train"]); epochs = int(float(last["epoch"]))
metric = float(last["seconds_metrics"]) / (len(rows) - 1)  # the last row's own pass is not in its column
print(f"{sys.argv[2]:<28} train {n * epochs / train:8.0f} samples/s   metric pass {metric:6.2f} s for {n} train + 1000 test images")
PY
}
run "mlp 6x1024" --model mlp --depth 6 --width 1024
run "resnet18 (width 1/4)" --model resnet18 --width-multiplier 0.25
run "resnet18 (full, 11.2M)" --model resnet18 --width-multiplier 1
rm -rf "$out"
