#!/usr/bin/env python3
"""NumPy reference for the neural-collapse metrics of nclab's `analyze` command, in float64, timed.

    python3 bench/analyze_numpy.py DIR      (reads DIR/features.npy, DIR/labels.npy, DIR/W.npy)

Conventions (metric-conventions.md, "recommended project convention"):
  mu_k     class means; mu_G = unweighted mean of the class means (class-balanced centring)
  Sigma_W  = (1/N) sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T          (pooled, divided by N)
  Sigma_B  = (1/K) sum_k (mu_k - mu_G)(mu_k - mu_G)^T
  NC1      = tr(Sigma_W Sigma_B^+) / K, pseudo-inverse of the symmetric Sigma_B through its
             eigendecomposition, eigenvalues below 1e-10 * largest treated as zero
  NC1_quot = tr Sigma_W / tr Sigma_B
  NC2 (for centred means M~ = mu_k - mu_G and for classifier rows W):
      norm_cov = std/mean of the row norms (equinorm)
      cos_std  = std of the off-diagonal cosines, cos_shift = mean |cos + 1/(K-1)| (equiangularity)
      etf_err  = || G/||G||_F - (I - 11^T/K)/sqrt(K-1) ||_F with G the Gram matrix
  NC3      = || W/||W||_F - M~/||M~||_F ||_F^2   (self-duality, Papyan's W_M_dist)
Prints the metrics and the seconds spent loading and computing.
"""
import json
import os
import sys
import time

import numpy as np

REL_TOL = 1e-10


def sym_pinv(a, rel_tol=REL_TOL):
    vals, vecs = np.linalg.eigh(a)
    keep = vals > rel_tol * max(vals.max(), 0.0)
    inv = np.zeros_like(vals)
    inv[keep] = 1.0 / vals[keep]
    return (vecs * inv) @ vecs.T


def nc2(rows):
    k = rows.shape[0]
    norms = np.linalg.norm(rows, axis=1)
    unit = rows / norms[:, None]
    cos = unit @ unit.T
    off = cos[~np.eye(k, dtype=bool)]
    gram = rows @ rows.T
    target = (np.eye(k) - np.ones((k, k)) / k) / np.sqrt(k - 1)
    return {
        "norm_cov": float(norms.std() / norms.mean()),
        "cos_std": float(off.std()),
        "cos_shift": float(np.abs(off + 1.0 / (k - 1)).mean()),
        "etf_err": float(np.linalg.norm(gram / np.linalg.norm(gram) - target)),
    }


def analyze(h, labels, w):
    n, d = h.shape
    k = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=k)
    if np.any(counts == 0):
        raise SystemExit(f"labels: class(es) {np.flatnonzero(counts == 0).tolist()} have no samples")
    means = np.stack([h[labels == c].mean(axis=0) for c in range(k)])
    mu_g = means.mean(axis=0)
    centred_h = h - means[labels]
    sigma_w = centred_h.T @ centred_h / n
    m_tilde = means - mu_g
    sigma_b = m_tilde.T @ m_tilde / k
    nc1 = float(np.trace(sigma_w @ sym_pinv(sigma_b)) / k)
    nc1_quot = float(np.trace(sigma_w) / np.trace(sigma_b))
    w_unit = w / np.linalg.norm(w)
    m_unit = m_tilde / np.linalg.norm(m_tilde)
    return {
        "n": n, "d": d, "k": k, "counts": counts.tolist(),
        "nc1": nc1, "nc1_quot": nc1_quot,
        "nc2_means": nc2(m_tilde), "nc2_classifier": nc2(w),
        "nc3_w_m_dist": float(np.linalg.norm(w_unit - m_unit) ** 2),
    }


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    directory = sys.argv[1]
    t0 = time.perf_counter()
    h = np.load(os.path.join(directory, "features.npy")).astype(np.float64)
    labels = np.load(os.path.join(directory, "labels.npy")).astype(np.int64)
    w = np.load(os.path.join(directory, "W.npy")).astype(np.float64)
    if h.ndim != 2 or labels.shape != (h.shape[0],) or w.ndim != 2 or w.shape[1] != h.shape[1]:
        raise SystemExit(f"shapes do not fit: features {h.shape}, labels {labels.shape}, W {w.shape}")
    t1 = time.perf_counter()
    result = analyze(h, labels, w)
    t2 = time.perf_counter()
    if w.shape[0] != result["k"]:
        raise SystemExit(f"W has {w.shape[0]} rows but labels name {result['k']} classes")
    print(json.dumps(result, indent=2))
    print(f"load seconds: {t1 - t0:.3f}")
    print(f"compute seconds: {t2 - t1:.3f}")
    print(f"total seconds: {t2 - t0:.3f}")


if __name__ == "__main__":
    main()
