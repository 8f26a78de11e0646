#!/usr/bin/env python3
"""Writes a synthetic last-layer feature set with neural-collapse structure, for benchmarking
`analyze` (Java) against bench/analyze_numpy.py.

    python3 bench/make_features.py OUT_DIR [--n 60000] [--d 512] [--k 10] [--noise 0.5]
                                   [--ratio 1] [--seed 0]

Writes into OUT_DIR:
  features.npy  N x d float32, C order   h_i = s * mu_{y_i} + noise * eps_i,  eps_i ~ N(0, I_d / d)
  labels.npy    N int64 class labels in [0, K), shuffled
  W.npy         K x d float32 classifier   w_k = mu_k + 0.05 * noise * xi_k

mu_k are the rows of a simplex equiangular tight frame (unit norm, cosines -1/(K-1)) embedded in R^d by
a random orthonormal basis, so the class means are collapsed up to sampling noise. With --ratio R > 1 the
first K/2 classes get R times as many samples as the others (step imbalance); default balanced.

For balanced classes the expected NC1 = tr(Sigma_W Sigma_B^+)/K is about (K-1)^2 noise^2 / (K d)
(Sigma_W ~ noise^2 I/d, Sigma_B has K-1 eigenvalues 1/(K-1)); the script prints it as a check.
Deterministic for a given seed.
"""
import argparse
import os
import time

import numpy as np


def simplex_etf(k, d, rng):
    """K x d matrix whose rows are unit vectors with pairwise cosines -1/(K-1)."""
    m = np.sqrt(k / (k - 1)) * (np.eye(k) - np.ones((k, k)) / k)  # K x K, rows unit norm
    basis, _ = np.linalg.qr(rng.standard_normal((d, k)))  # d x K orthonormal columns
    return m @ basis.T


def class_counts(n, k, ratio):
    if ratio == 1:
        counts = np.full(k, n // k)
    else:
        majors = k // 2
        minor = int(n // (majors * ratio + (k - majors)))
        if minor < 1:
            raise SystemExit(f"--ratio {ratio} leaves minority classes empty at N = {n}")
        counts = np.array([int(round(minor * ratio))] * majors + [minor] * (k - majors), dtype=np.int64)
    counts[0] += n - counts.sum()
    return counts


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--n", type=int, default=60000)
    p.add_argument("--d", type=int, default=512)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--noise", type=float, default=0.5)
    p.add_argument("--ratio", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.k < 2 or a.d < a.k or a.n < a.k:
        p.error("need K >= 2, d >= K and N >= K")

    t0 = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    means = simplex_etf(a.k, a.d, rng)
    counts = class_counts(a.n, a.k, a.ratio)
    labels = np.repeat(np.arange(a.k), counts)
    rng.shuffle(labels)

    features = np.empty((a.n, a.d), dtype=np.float32)
    chunk = 8192
    for start in range(0, a.n, chunk):
        y = labels[start:start + chunk]
        eps = rng.standard_normal((len(y), a.d)) / np.sqrt(a.d)
        features[start:start + chunk] = means[y] + a.noise * eps
    w = (means + 0.05 * a.noise * rng.standard_normal(means.shape) / np.sqrt(a.d)).astype(np.float32)

    np.save(os.path.join(a.out_dir, "features.npy"), features)
    np.save(os.path.join(a.out_dir, "labels.npy"), labels.astype(np.int64))
    np.save(os.path.join(a.out_dir, "W.npy"), w)
    print(f"wrote {a.out_dir}: features {features.shape} float32, labels {labels.shape} int64, W {w.shape} float32")
    print(f"class counts: {counts.tolist()}")
    if a.ratio == 1:
        print(f"expected NC1 ~ {(a.k - 1) ** 2 * a.noise ** 2 / (a.k * a.d):.6g}")
    print(f"seconds: {time.perf_counter() - t0:.3f}")


if __name__ == "__main__":
    main()
