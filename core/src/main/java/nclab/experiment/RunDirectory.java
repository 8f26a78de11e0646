package nclab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import nclab.InvalidInputException;
import nclab.io.Json;
import nclab.io.Npz;
import nclab.model.ParameterLayout;

/**
 * The files of one run, all written atomically:
 * <ul>
 *   <li>{@code config.yaml} — the resolved {@link SolveConfig};</li>
 *   <li>{@code provenance.json} — {@link Provenance};</li>
 *   <li>{@code metrics.csv} — one row per logged step ({@link StepMetrics}, {@link MetricsLog});</li>
 *   <li>{@code checkpoint.npz} — {@link Checkpoint}, while the run is unfinished;</li>
 *   <li>{@code final.npz} — every parameter block by name (W K×d, H N×d, b K×1, W1..WL), float64;</li>
 *   <li>{@code summary.json} — status ({@code completed} | {@code diverged}), message, steps, epochs, wall
 *       time and the final metrics row; its presence marks a finished run.</li>
 * </ul>
 */
public final class RunDirectory {
    public static final String CONFIG = "config.yaml";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINT = "checkpoint.npz";
    public static final String FINAL = "final.npz";
    public static final String SUMMARY = "summary.json";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} (and parents) for a new run; fails if it already holds a run. */
    public static RunDirectory create(Path dir) {
        InvalidInputException.require(!Files.exists(dir.resolve(CONFIG)), "run directory " + dir
                + " already holds a run; use --resume " + dir + " to continue it, or choose another --out");
        InvalidInputException.require(!Files.exists(dir) || Files.isDirectory(dir), dir + " exists and is not a directory");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    /** Opens the directory of an existing run (it must hold config.yaml). */
    public static RunDirectory open(Path dir) {
        InvalidInputException.require(Files.isDirectory(dir), "run directory " + dir + " does not exist");
        InvalidInputException.require(Files.isRegularFile(dir.resolve(CONFIG)), dir + " is not a run directory (no " + CONFIG + ")");
        return new RunDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public void writeConfig(SolveConfig config) {
        config.write(file(CONFIG));
    }

    public SolveConfig readConfig() {
        return SolveConfig.read(file(CONFIG));
    }

    public void writeProvenance(Map<String, Object> provenance) {
        Json.write(file(PROVENANCE), provenance);
    }

    /** The provenance map, or an empty one when the file is missing. */
    public Map<String, Object> readProvenance() {
        return Files.exists(file(PROVENANCE)) ? new LinkedHashMap<>(Json.read(file(PROVENANCE))) : new LinkedHashMap<>();
    }

    public void writeCheckpoint(Checkpoint checkpoint) {
        checkpoint.write(file(CHECKPOINT));
    }

    public Optional<Checkpoint> readCheckpoint() {
        return Files.exists(file(CHECKPOINT)) ? Optional.of(Checkpoint.read(file(CHECKPOINT))) : Optional.empty();
    }

    public void deleteCheckpoint() {
        try {
            Files.deleteIfExists(file(CHECKPOINT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(CHECKPOINT) + ": " + e.getMessage(), e);
        }
    }

    /** Writes every block of {@code x} as a float64 matrix, byte-reproducibly. */
    public void writeFinal(ParameterLayout layout, double[] x) {
        Npz.write(file(FINAL), layout.unpack(x));
    }

    public void writeSummary(Map<String, Object> summary) {
        Json.write(file(SUMMARY), summary);
    }

    public boolean finished() {
        return Files.exists(file(SUMMARY));
    }

    public Map<String, Object> readSummary() {
        return Json.read(file(SUMMARY));
    }
}
