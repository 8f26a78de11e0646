package nclab.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (momentum) gradient update on a range of entries, as a probe (does the update produce only finite
 * numbers? nothing is written) and a commit (writes exactly the probed numbers: same expressions, same
 * order, so a successful probe guarantees finite results). Probes sum candidate·0, which is 0 for finite
 * candidates and NaN otherwise, with four accumulators so the loop is not latency bound.
 */
final class Steps {
    private Steps() {
    }

    /** 0 if every candidate of the update on [from, to) is finite, else NaN. */
    static double probe(Momentum.Kind kind, double[] x, double[] g, double[] v, double mu, double eta, int from, int to) {
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        int i = from;
        switch (kind) {
            case NONE -> {
                for (; i + 3 < to; i += 4) {
                    p0 += (x[i] - eta * g[i]) * 0.0;
                    p1 += (x[i + 1] - eta * g[i + 1]) * 0.0;
                    p2 += (x[i + 2] - eta * g[i + 2]) * 0.0;
                    p3 += (x[i + 3] - eta * g[i + 3]) * 0.0;
                }
                for (; i < to; i++) {
                    p0 += (x[i] - eta * g[i]) * 0.0;
                }
            }
            case HEAVY_BALL -> {
                for (; i < to; i++) {
                    double vn = mu * v[i] + g[i];
                    double c = (x[i] - eta * vn) * 0.0 + vn * 0.0;
                    switch (i & 3) {
                        case 0 -> p0 += c;
                        case 1 -> p1 += c;
                        case 2 -> p2 += c;
                        default -> p3 += c;
                    }
                }
            }
            case NESTEROV -> {
                for (; i < to; i++) {
                    double vn = mu * v[i] + g[i];
                    double c = (x[i] - eta * (g[i] + mu * vn)) * 0.0 + vn * 0.0;
                    switch (i & 3) {
                        case 0 -> p0 += c;
                        case 1 -> p1 += c;
                        case 2 -> p2 += c;
                        default -> p3 += c;
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        return (p0 + p1) + (p2 + p3);
    }

    /** Writes the update on [from, to) (x and, with momentum, v). */
    static void commit(Momentum.Kind kind, double[] x, double[] g, double[] v, double mu, double eta, int from, int to) {
        switch (kind) {
            case NONE -> {
                for (int i = from; i < to; i++) {
                    x[i] = x[i] - eta * g[i];
                }
            }
            case HEAVY_BALL -> {
                for (int i = from; i < to; i++) {
                    double vn = mu * v[i] + g[i];
                    v[i] = vn;
                    x[i] = x[i] - eta * vn;
                }
            }
            case NESTEROV -> {
                for (int i = from; i < to; i++) {
                    double vn = mu * v[i] + g[i];
                    v[i] = vn;
                    x[i] = x[i] - eta * (g[i] + mu * vn);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * Step counter and first objective value, as every optimiser keeps them: the loss check of step t+1 compares
     * with the first value (the first step compares with itself), and both are saved as state entries
     * {@code steps} and {@code startLoss}.
     */
    static final class Progress {
        private long steps;
        private double startLoss = Double.NaN;

        /** Steps taken so far. */
        long steps() {
            return steps;
        }

        /** {@link DivergenceGuard#checkLoss} for the next step's value. */
        void checkLoss(DivergenceGuard guard, double value) {
            guard.checkLoss(steps + 1, value, steps == 0 ? value : startLoss);
        }

        /** A number such that {@link #checkLoss} accepts every finite value ≤ it for the next step (+∞: all). */
        double lossLimit(DivergenceGuard guard) {
            return steps == 0 ? Double.POSITIVE_INFINITY : guard.limit(startLoss);
        }

        /** Records a committed step with objective value {@code value}. */
        void advance(double value) {
            if (steps == 0) {
                startLoss = value;
            }
            steps = steps + 1;
        }

        /** A fresh ordered state map holding {@code steps} and {@code startLoss}. */
        Map<String, double[]> state() {
            Map<String, double[]> m = new LinkedHashMap<>();
            m.put("steps", scalar(steps));
            m.put("startLoss", scalar(startLoss));
            return m;
        }

        void restore(Map<String, double[]> state) {
            steps = (long) entry(state, "steps", 1)[0];
            startLoss = entry(state, "startLoss", 1)[0];
        }
    }

    /** {@link Progress#state()} plus, when momentum is on, a copy of the velocity as entry {@code velocity}. */
    static Map<String, double[]> momentumState(Progress progress, Momentum momentum, double[] velocity) {
        Map<String, double[]> m = progress.state();
        if (momentum.enabled()) {
            m.put("velocity", velocity.clone());
        }
        return m;
    }

    /** Inverse of {@link #momentumState}: restores the progress and, when momentum is on, the velocity. */
    static void restoreMomentumState(Map<String, double[]> state, Progress progress, Momentum momentum, double[] velocity) {
        progress.restore(state);
        if (momentum.enabled()) {
            restoreInto(state, "velocity", velocity);
        }
    }

    /** Copies the restored entry {@code key} (checked to have target's length) into {@code target}. */
    static void restoreInto(Map<String, double[]> state, String key, double[] target) {
        System.arraycopy(entry(state, key, target.length), 0, target, 0, target.length);
    }

    static double[] scalar(double v) {
        return new double[] {v};
    }

    /** Reads a restored entry, checking its presence and length. */
    static double[] entry(Map<String, double[]> state, String key, int length) {
        double[] v = state.get(key);
        if (v == null || v.length != length) {
            throw new IllegalArgumentException("optimizer state entry '" + key + "' must have length " + length
                    + ", got " + (v == null ? "none" : String.valueOf(v.length)));
        }
        return v;
    }
}
