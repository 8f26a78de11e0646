package nclab.cli.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import nclab.InvalidInputException;
import nclab.cli.report.RunData;
import nclab.data.ClassSizes;
import nclab.dl.train.TrainConfig;
import nclab.experiment.RunDirectory;
import nclab.io.Npy;
import nclab.theory.LayerPeeledGeometry;

/**
 * What the deep seed-003 reproductions read from one finished {@code nclab train} run of a K_A/K_B split
 * (majority classes 0..K_A−1), and the Layer-Peeled prediction at that run's measured energies.
 *
 * <p>From {@code W.npy} (the classifier, K×d; the bias is ignored as in the paper): the average cosine
 * between minority classifiers (mean over pairs i ≠ j ≥ K_A of cos(w_i, w_j), Figs. 4, 6), the same for the
 * majority, and the norm variation Std/Avg of ‖w_k‖ over the minority classes (population std, Table 1).
 * The classes K_A..K−1 are taken by index, so R = 1 (balanced sizes, where {@code metrics.csv} names no
 * minority class) is measured the same way as R &gt; 1.
 *
 * <p>Energies, as {@code nclab train}'s {@code lpm} comparison (docs/metrics.md): E_W = (1/K) Σ_k ‖w_k‖²,
 * E_H = (1/K) Σ_k ‖μ_k − μ_G‖² with μ_G the sample-weighted mean of the training features (after
 * oversampling). The prediction solves the Layer-Peeled Model (eq. 7, with oversampling eq. 18) at the run's
 * (K_A, K_B, R, w_r) and these E_W, E_H ({@link LayerPeeledGeometry}) with the full iteration budget.
 *
 * <p>Test accuracies (Fig. 5, Table 2, Table 4): overall, and the mean of the per-class accuracies over the
 * majority / minority classes (equal numbers of test images per class, so this is Σ correct / Σ images of
 * the group).
 *
 * @param kA                 majority classes
 * @param kB                 minority classes
 * @param nA                 majority images per class
 * @param r                  imbalance ratio n_A/n_B
 * @param oversample         w_r
 * @param minorityCosine     measured average minority-classifier cosine
 * @param majorityCosine     measured average majority-classifier cosine
 * @param normVariation      Std/Avg of the minority classifier norms
 * @param eW                 measured E_W
 * @param eH                 measured E_H
 * @param lpmMinorityCosine  Layer-Peeled prediction of the minority cosine at (eW, eH); NaN when its minority
 *                           classifiers are zero (0/0)
 * @param lpmRelativeGap     relative duality gap of that solve
 * @param lpmConverged       whether that solve converged
 * @param trainAccuracy      final training accuracy
 * @param testAccuracy       final test accuracy, all classes
 * @param testMajority       final test accuracy on the majority classes
 * @param testMinority       final test accuracy on the minority classes
 * @param runDir             the run directory
 */
record LpmDeepMeasurement(int kA, int kB, int nA, double r, int oversample, double minorityCosine,
                          double majorityCosine, double normVariation, double eW, double eH,
                          double lpmMinorityCosine, double lpmRelativeGap, boolean lpmConverged,
                          double trainAccuracy, double testAccuracy, double testMajority, double testMinority,
                          Path runDir) {

    /** The ids whose runs are shared: each looks for a finished run of the same config in the others' directories. */
    static final List<String> SHARING_IDS = List.of("lpm-deep-minority-collapse", "lpm-test-accuracy", "lpm-oversampling");

    /**
     * Trains (or reuses) the run of this setup in {@code runsDir} and measures it. When {@code runsDir} has no such
     * run but a sibling reproduction directory (…/&lt;id&gt;/runs/&lt;name&gt; for the ids of {@link #SHARING_IDS},
     * e.g. the default runs/reproduce/&lt;id&gt;) holds a finished run of the identical config, that run is copied
     * instead of trained again.
     */
    static LpmDeepMeasurement train(LpmDeepSetup setup, int kA, int kB, int nA, double r, int oversample, Path runsDir) {
        String name = setup.runName(kA, kB, nA, r, oversample);
        Map<String, Object> config = setup.config(kA, kB, nA, r, oversample);
        Path dir = runsDir.resolve(name);
        if (!Files.exists(dir)) {
            Path sibling = finishedSibling(runsDir, name, config);
            if (sibling != null) {
                copyRun(sibling, dir);
            }
        }
        RunData run = ReproRuns.train(config, dir);
        InvalidInputException.require("completed".equals(run.status()),
                dir + ": training did not complete (status " + run.status() + ": " + run.message() + ")");
        return measure(run, kA, kB, nA, r, oversample);
    }

    /** A finished run named {@code name} of the same config in a sibling id's runs directory, or null. */
    static Path finishedSibling(Path runsDir, String name, Map<String, Object> config) {
        Path out = runsDir.toAbsolutePath().normalize().getParent();
        Path parent = out == null ? null : out.getParent();
        if (parent == null) {
            return null;
        }
        Map<String, Object> wanted = TrainConfig.fromMap(config, "reproduction " + name).toMap();
        wanted.remove("out");
        for (String id : SHARING_IDS) {
            Path candidate = parent.resolve(id).resolve("runs").resolve(name);
            if (candidate.equals(runsDir.toAbsolutePath().normalize().resolve(name))
                    || !Files.isRegularFile(candidate.resolve(RunDirectory.SUMMARY))
                    || !Files.isRegularFile(candidate.resolve(RunDirectory.CONFIG))) {
                continue;
            }
            try {
                Map<String, Object> found = TrainConfig.read(candidate.resolve(RunDirectory.CONFIG)).toMap();
                found.remove("out");
                if (found.equals(wanted) && "completed".equals(RunData.read(candidate).status())) {
                    return candidate;
                }
            } catch (RuntimeException e) {
                // not a readable finished run: train our own
            }
        }
        return null;
    }

    /** Copies a run directory (files only, one level) to {@code target} via a temporary name, then renames it. */
    static void copyRun(Path source, Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".copying");
        try {
            if (Files.exists(tmp)) {
                try (Stream<Path> old = Files.list(tmp)) {
                    for (Path f : old.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(tmp);
            }
            Files.createDirectories(tmp);
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f)) {
                        Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("copying run " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Measures a finished run directory. */
    static LpmDeepMeasurement measure(RunData run, int kA, int kB, int nA, double r, int oversample) {
        Path dir = run.dir();
        double[][] w = Npy.read(dir.resolve("W.npy")).toMatrix();
        double[][] h = Npy.read(dir.resolve("features.npy")).toMatrix();
        int[] labels = Npy.read(dir.resolve("labels.npy")).toIntVector();
        int k = kA + kB;
        InvalidInputException.require(w.length == k, dir + ": W.npy has " + w.length + " rows, expected K = " + k);
        int[] minority = IntStream.range(kA, k).toArray();
        int[] majority = IntStream.range(0, kA).toArray();
        double[][] gram = gram(w);
        double eW = 0;
        for (int i = 0; i < k; i++) {
            eW += gram[i][i] / k;
        }
        double eH = centredMeanEnergy(h, labels, k);
        ClassSizes sizes = ClassSizes.majorityMinority(kA, kB, nA, r);
        LayerPeeledGeometry lpm = LayerPeeledGeometry.solve(sizes, eW, eH, oversample);
        double lpmCos = LayerPeeledGeometry.meanPairwiseCosine(lpm.geometry().classifierGram(), minority);
        double[] perClass = new double[k];
        for (int c = 0; c < k; c++) {
            perClass[c] = run.lastFinite("test_acc_" + c);
        }
        return new LpmDeepMeasurement(kA, kB, nA, r, oversample, meanCosine(gram, minority), meanCosine(gram, majority),
                normVariation(gram, minority), eW, eH, lpmCos, lpm.certificate().relativeGap(),
                lpm.certificate().converged(), run.lastFinite("train_acc"), run.lastFinite("test_acc"),
                mean(perClass, majority), mean(perClass, minority), dir);
    }

    static double[][] gram(double[][] w) {
        double[][] g = new double[w.length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                double s = 0;
                for (int c = 0; c < w[i].length; c++) {
                    s += w[i][c] * w[j][c];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    /** Mean of cos(w_i, w_j) over pairs i ≠ j of {@code classes}, from the Gram; NaN for fewer than two classes. */
    static double meanCosine(double[][] gram, int[] classes) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < classes.length; a++) {
            for (int b = a + 1; b < classes.length; b++) {
                int i = classes[a];
                int j = classes[b];
                sum += gram[i][j] / Math.sqrt(gram[i][i] * gram[j][j]);
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** Population std / mean of ‖w_k‖ over {@code classes} (Table 1). */
    static double normVariation(double[][] gram, int[] classes) {
        double[] n = new double[classes.length];
        double mean = 0;
        for (int a = 0; a < classes.length; a++) {
            n[a] = Math.sqrt(gram[classes[a]][classes[a]]);
            mean += n[a] / classes.length;
        }
        double var = 0;
        for (double v : n) {
            var += (v - mean) * (v - mean) / classes.length;
        }
        return Math.sqrt(var) / mean;
    }

    /** (1/K) Σ_k ‖μ_k − μ_G‖², μ_G the sample-weighted mean of the rows of h. */
    static double centredMeanEnergy(double[][] h, int[] labels, int k) {
        InvalidInputException.require(h.length == labels.length,
                "features have " + h.length + " rows but there are " + labels.length + " labels");
        int d = h[0].length;
        double[][] mu = new double[k][d];
        double[] global = new double[d];
        int[] n = new int[k];
        for (int i = 0; i < h.length; i++) {
            n[labels[i]]++;
            for (int c = 0; c < d; c++) {
                mu[labels[i]][c] += h[i][c];
                global[c] += h[i][c] / h.length;
            }
        }
        double e = 0;
        for (int j = 0; j < k; j++) {
            InvalidInputException.require(n[j] > 0, "class " + j + " has no training features");
            for (int c = 0; c < d; c++) {
                double x = mu[j][c] / n[j] - global[c];
                e += x * x / k;
            }
        }
        return e;
    }

    private static double mean(double[] v, int[] idx) {
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.length;
    }
}
