#!/usr/bin/env python3
"""NumPy float64 reference for SolverStepBenchmark (issue 3): the same UFM steps, timed with timeit.

full-batch ridge-CE GD step at (d, K, N) = (64, 4, 400) and (512, 10, 5000); SGD step with batch 4 at
(d, K) = (64, 4), N = 400 (seed 000 Fig. 5).  Prints microseconds per step: the lowest mean over blocks of about
20 ms (wall clock; with --cpu, process CPU time).  Not part of the product.
"""
import sys
import time
import timeit

import numpy as np


def make(d, k, n, seed=1):
    rng = np.random.default_rng(seed)
    w = 0.1 * rng.standard_normal((k, d))
    h = 0.1 * rng.standard_normal((n, d))
    y = np.repeat(np.arange(k), n // k)
    onehot = np.eye(k)[y]
    return w, h, y, onehot


def full_batch_step(w, h, onehot, lr=1e-3, lam_w=5e-4, lam_h=5e-4):
    n = h.shape[0]
    z = h @ w.T                                   # N x K logits
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    s = p.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(s[:, 0]) - z[onehot.astype(bool)]) \
        + 0.5 * lam_w * np.sum(w * w) + 0.5 * lam_h * np.sum(h * h)
    g = (p / s - onehot) / n
    gw = g.T @ h + lam_w * w
    gh = g @ w + lam_h * h
    w -= lr * gw
    h -= lr * gh
    return loss


def sgd_step(w, h, onehot, idx, lr=0.4):
    hb = h[idx]
    z = hb @ w.T
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    s = p.sum(axis=1, keepdims=True)
    yb = onehot[idx]
    loss = np.mean(np.log(s[:, 0]) - z[yb.astype(bool)])
    g = (p / s - yb) / len(idx)
    gw = g.T @ hb
    gh = g @ w
    w -= lr * gw
    h[idx] = hb - lr * gh
    return loss


TIMER = time.process_time if "--cpu" in sys.argv else time.perf_counter
#: Length of one timed block of steps; the statistic is the lowest block mean (see per_step_us).
BLOCK_S = 0.02
#: Time spent measuring each step kind.
BUDGET_S = 2.0


def per_step_us(fn):
    """Lowest mean over blocks of about BLOCK_S seconds, for about BUDGET_S seconds (timeit's advice: the minimum,
    since a shared machine only ever adds time); the same statistic as bench/solver_vs_numpy.sh takes from JMH."""
    calls, start = 0, TIMER()
    while calls < 3 or TIMER() - start < 0.2:  # warm up and estimate one call
        fn()
        calls += 1
    once = max((TIMER() - start) / calls, 1e-7)
    number = max(1, round(BLOCK_S / once))
    repeat = max(20, round(BUDGET_S / (number * once)))
    best = min(timeit.repeat(fn, number=number, repeat=repeat, timer=TIMER))
    return 1e6 * best / number


def main():
    for d, k, n in [(64, 4, 400), (512, 10, 5000)]:
        w, h, _, onehot = make(d, k, n)
        us = per_step_us(lambda: full_batch_step(w, h, onehot))
        print(f"numpy fullBatchStep d={d} K={k} N={n}: {us:.2f} us/step")
    w, h, _, onehot = make(64, 4, 400)
    rng = np.random.default_rng(3)
    perm = rng.permutation(400)
    state = {"t": 0}

    def step():
        t = state["t"] % 100
        if t == 0:
            perm[:] = rng.permutation(400)
        state["t"] += 1
        return sgd_step(w, h, onehot, perm[4 * t:4 * t + 4])

    print(f"numpy sgdStep d=64 K=4 N=400 batch=4: {per_step_us(step):.2f} us/step")


if __name__ == "__main__":
    main()
