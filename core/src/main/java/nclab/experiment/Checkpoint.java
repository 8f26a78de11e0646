package nclab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.io.NpyArray;
import nclab.io.Npz;

/**
 * The state a run continues from, stored as {@code checkpoint.npz}: {@code x} (the flat parameter vector),
 * {@code step} (int64[1], optimiser steps taken), {@code rows} (int64[1], metrics.csv data rows written up
 * to and including this step), {@code elapsed} (float64[1], wall seconds so far) and one
 * {@code opt.<name>} float64 vector per entry of {@link nclab.optim.Optimizer#state()}.
 *
 * @param x              parameters after {@code step} steps
 * @param optimizerState the optimiser's state at that point
 * @param step           optimiser steps taken
 * @param rows           metrics rows logged up to and including {@code step}
 * @param elapsedSeconds wall-clock seconds spent on the run up to this point (all sessions)
 */
public record Checkpoint(double[] x, Map<String, double[]> optimizerState, long step, int rows, double elapsedSeconds) {
    private static final String OPT = "opt.";

    /** Writes the checkpoint atomically. */
    public void write(Path file) {
        Map<String, Object> arrays = new LinkedHashMap<>();
        arrays.put("x", x);
        arrays.put("step", new long[] {step});
        arrays.put("rows", new long[] {rows});
        arrays.put("elapsed", new double[] {elapsedSeconds});
        optimizerState.forEach((name, v) -> arrays.put(OPT + name, v));
        Npz.write(file, arrays);
    }

    /** Reads a checkpoint written by {@link #write}. */
    public static Checkpoint read(Path file) {
        Map<String, NpyArray> arrays = Npz.read(file);
        for (String key : new String[] {"x", "step", "rows", "elapsed"}) {
            InvalidInputException.require(arrays.containsKey(key), file + ": not a checkpoint (no '" + key + "' array)");
        }
        Map<String, double[]> state = new LinkedHashMap<>();
        arrays.forEach((name, a) -> {
            if (name.startsWith(OPT)) {
                state.put(name.substring(OPT.length()), a.toVector());
            }
        });
        return new Checkpoint(arrays.get("x").toVector(), state, arrays.get("step").toLongVector()[0],
                Math.toIntExact(arrays.get("rows").toLongVector()[0]), arrays.get("elapsed").toVector()[0]);
    }
}
