#!/usr/bin/env bash
# The register-only peak of fused multiply-adds on one and two threads (bench/c/fma_peak.c), and the time the
# full-batch step's 79.4 M multiply-adds at (512, 10, 5000) need at that rate: the arithmetic minimum that
# docs/linalg.md sets against the memory-bandwidth floor. The lowest of 7 rounds (the noise only adds time).
#
#   bench/fma_peak.sh        (needs gcc with OpenMP; x86-64 with AVX2 and FMA)
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O2 -fopenmp -o "$out/fma_peak" c/fma_peak.c
"$out/fma_peak"
