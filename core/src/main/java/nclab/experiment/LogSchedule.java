package nclab.experiment;

import java.util.Arrays;
import java.util.TreeSet;

import nclab.InvalidInputException;

/**
 * The optimiser steps at which a run logs a metrics row. Log-spaced (the papers plot against log-scaled
 * epochs): step 0 and the distinct values of round(T^{i/(P−1)}) for i = 0..P−1, which include 1 and T;
 * or linear: 0, e, 2e, ... and always T. Depends only on the config, so a resumed run logs the same steps.
 */
public final class LogSchedule {
    private final long[] steps;

    private LogSchedule(long[] steps) {
        this.steps = steps;
    }

    /** Log-spaced schedule of at most {@code points} + 1 steps in [0, total]. */
    public static LogSchedule logSpaced(long total, int points) {
        InvalidInputException.require(total >= 1, "a run needs at least 1 step, got " + total);
        InvalidInputException.require(points >= 2, "log_points must be >= 2, got " + points);
        TreeSet<Long> s = new TreeSet<>();
        s.add(0L);
        double logT = Math.log(total);
        for (int i = 0; i < points; i++) {
            long step = Math.round(Math.exp(logT * i / (points - 1)));
            s.add(Math.min(total, Math.max(1, step)));
        }
        s.add(total);
        return new LogSchedule(s.stream().mapToLong(Long::longValue).toArray());
    }

    /** Every {@code every} steps from 0, plus the last step. */
    public static LogSchedule every(long total, long every) {
        InvalidInputException.require(total >= 1, "a run needs at least 1 step, got " + total);
        InvalidInputException.require(every >= 1, "log_every must be >= 1, got " + every);
        TreeSet<Long> s = new TreeSet<>();
        for (long step = 0; step <= total; step += every) {
            s.add(step);
            if (step > total - every) {
                break;
            }
        }
        s.add(total);
        return new LogSchedule(s.stream().mapToLong(Long::longValue).toArray());
    }

    /** The schedule a config asks for ({@code log_every} if given, else {@code log_points} log-spaced). */
    public static LogSchedule of(SolveConfig config) {
        return config.logEvery() != null ? every(config.totalSteps(), config.logEvery())
                : logSpaced(config.totalSteps(), config.logPoints());
    }

    /** The logged steps, increasing. */
    public long[] steps() {
        return steps.clone();
    }

    /** Number of logged steps. */
    public int size() {
        return steps.length;
    }

    /** The i-th logged step. */
    public long step(int i) {
        return steps[i];
    }

    /** Index of the first logged step &gt; {@code step} (= {@link #size()} when none). */
    public int indexAfter(long step) {
        int i = Arrays.binarySearch(steps, step);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
