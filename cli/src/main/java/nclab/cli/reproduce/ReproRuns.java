package nclab.cli.reproduce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import nclab.cli.report.RunData;
import nclab.dl.train.DeepTrainer;
import nclab.dl.train.TrainConfig;
import nclab.dl.train.TrainProgress;
import nclab.experiment.Progress;
import nclab.experiment.RunDirectory;
import nclab.experiment.SolveConfig;
import nclab.experiment.SolveRunner;
import nclab.experiment.StandardRegistry;

/**
 * The run directories a reproduction makes: {@code nclab solve} and {@code nclab train} runs executed in this
 * process, written under the reproduction's output directory like any other run (config.yaml, provenance.json,
 * metrics.csv, final.npz, summary.json), so that {@code nclab report} and {@code nclab analyze} work on them too.
 *
 * <p>A directory that already holds a finished run is read, not recomputed; one that holds an unfinished run
 * (a reproduction killed midway) is resumed from its checkpoint. Since every run is deterministic for its
 * config and seed, the numbers are those of an uninterrupted run.
 */
final class ReproRuns {
    private ReproRuns() {
    }

    /**
     * Runs (or reuses, or resumes) the solve config given as key → value (the keys of {@code nclab solve}'s YAML,
     * e.g. {@code model, sizes, d, lambda_w, optimizer, lr, epochs, seed}) in {@code dir}.
     */
    static RunData solve(Map<String, ?> config, Path dir) {
        if (!finished(dir)) {
            SolveRunner runner = new SolveRunner(StandardRegistry.create()).progress(Progress.Listener.NONE);
            if (Files.isRegularFile(dir.resolve(RunDirectory.CONFIG))) {
                runner.resume(dir);
            } else {
                Map<String, Object> map = new LinkedHashMap<>(config);
                map.put("out", dir.toString());
                runner.start(SolveConfig.fromMap(map, "reproduction " + dir.getFileName()), dir);
            }
        }
        return RunData.read(dir);
    }

    /**
     * Trains (or reuses, or resumes) the train config given as key → value (the keys of {@code nclab train}'s
     * YAML, e.g. {@code dataset, step, model, epochs, lr, seed}) in {@code dir}.
     */
    static RunData train(Map<String, ?> config, Path dir) {
        if (!finished(dir)) {
            if (Files.isRegularFile(dir.resolve(RunDirectory.CONFIG))) {
                DeepTrainer.resume(dir, TrainProgress.Listener.NONE);
            } else {
                Map<String, Object> map = new LinkedHashMap<>(config);
                map.put("out", dir.toString());
                DeepTrainer.start(TrainConfig.fromMap(map, "reproduction " + dir.getFileName()), dir,
                        TrainProgress.Listener.NONE);
            }
        }
        return RunData.read(dir);
    }

    private static boolean finished(Path dir) {
        return Files.isRegularFile(dir.resolve(RunDirectory.SUMMARY));
    }
}
