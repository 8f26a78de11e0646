package nclab.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import nclab.experiment.RunDirectory;
import nclab.io.Json;

/**
 * Reads the outcome of a finished run from its {@code summary.json} (written by {@code nclab solve} and
 * {@code nclab train}): status, message, wall seconds and the final metrics row ({@code final_metrics} of
 * solve, {@code final} of train).
 */
public final class RunSummaries {
    private RunSummaries() {
    }

    /** The outcome recorded in {@code dir/summary.json}, empty when the run has not finished (or it is unreadable). */
    public static Optional<RunOutcome> read(Path dir) {
        Path file = dir.resolve(RunDirectory.SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, Object> s;
        try {
            s = Json.read(file);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Object row = s.get("final_metrics") instanceof Map<?, ?> ? s.get("final_metrics") : s.get("final");
        @SuppressWarnings("unchecked")
        Map<String, Object> finalRow = row instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        double seconds = s.get("wall_seconds") instanceof Number n ? n.doubleValue() : Double.NaN;
        String status = String.valueOf(s.getOrDefault("status", RunOutcome.FAILED));
        return Optional.of(new RunOutcome(status, String.valueOf(s.getOrDefault("message", "")), finalRow, seconds));
    }

    /** Whether {@code dir} holds a run that finished (completed or diverged: rerunning it gives the same result). */
    public static boolean finished(Path dir) {
        return read(dir).map(o -> o.completed() || RunOutcome.DIVERGED.equals(o.status())).orElse(false);
    }
}
