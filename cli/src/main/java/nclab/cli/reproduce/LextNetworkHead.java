package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.RunData;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.io.Npy;
import nclab.linalg.Linalg;
import nclab.theory.ClassGeometry;
import nclab.theory.LExtendedGeometry;

/**
 * Seed 004 (Liu, arXiv 2411.17278), Sec. 5, Figs. 1–2 (bias case): an MLP feature extractor followed by a linear head
 * and a classifier with bias, trained with MSE, weight decay on the classifier and feature decay, on real
 * Fashion-MNIST with the paper's CIFAR-10 class sizes {500, 500, 400, 400, 300, 300, 200, 200, 100, 100}, via
 * {@code nclab train}. Plotted against epochs: the distances of the last-layer geometry to the L-extended prediction
 * ({@code dist_lext_*} of metrics.csv) and NC1; and, at the end, the singular values of E = H̄·D of the last-layer
 * class means against the closed form.
 *
 * <p>Loss normalisation (spec 004 §4.3): nclab's objective (1/B)Σ½‖Wh_i + b − e_{y_i}‖² + (λ_H^train/2)·mean_i‖h_i‖²
 * plus decay λ_W on W is eq. (4.2) with λ_W and λ_H = λ_H^train/N. nclab puts the feature decay on the classifier's
 * input h = z_L (the output of the last head layer), so the network's last layer (W, b, z_L) is exactly eq. (4.2)
 * with the backbone and head as the feature extractor; the comparison is therefore with the L = 1 (Theorem 4.2)
 * prediction at every head depth. (Theorem 4.3 for a deep head needs the feature decay on the backbone output z_0,
 * which nclab train does not offer.) The classifier bias is decayed by λ_W too (the paper: λ_b = 0).
 */
public final class LextNetworkHead implements Reproduction {
    static final int[] SIZES = {500, 500, 400, 400, 300, 300, 200, 200, 100, 100};
    static final String CSV = "lext_network_head.csv";
    static final String SV_CSV = "lext_network_head_sv.csv";
    /** Final dist_lext_logits must fall below this (quick measured 0.30 and 0.23, docs/reproductions.md). */
    static final double LOGITS_TOL = 0.4;
    /** ... and below its epoch-0 value divided by this factor (quick measured 4.7 and 6.1). */
    static final double FALL_FACTOR = 3;
    /** NC1 must fall by this factor from epoch 0 to the end (quick measured 520 and 2400). */
    static final double NC1_FACTOR = 100;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    @Override
    public String id() {
        return "lext-network-head";
    }

    @Override
    public String paper() {
        return "004";
    }

    @Override
    public String figure() {
        return "Sec. 5, Figs. 1-2";
    }

    @Override
    public String description() {
        return "MLP + linear head + classifier with bias, MSE loss with weight and feature decay, on Fashion-MNIST with the"
                + " paper's CIFAR-10 class sizes: distance of the last-layer geometry to the L-extended UFM prediction and NC1"
                + " vs epochs per head depth, and the singular values of the class means (E = Hbar D) vs the closed form";
    }

    /** Head layers: quick L = 1 (no head) and a 2-layer linear head; paper: the paper's L = 1, 3, 6. */
    static int[] heads(Profile profile) {
        return profile == Profile.QUICK ? new int[] {0, 2} : new int[] {0, 2, 5};
    }

    /** The train config (keys of {@code nclab train}) of one run. */
    static Map<String, Object> config(Profile profile, int headLayers) {
        boolean quick = profile == Profile.QUICK;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", "fashion-mnist");
        c.put("sizes", java.util.Arrays.stream(SIZES).boxed().toList());
        c.put("test_per_class", quick ? 300 : 1000);
        c.put("model", "mlp");
        c.put("depth", 6);
        c.put("width", quick ? 256 : 2048);
        c.put("bias", true);
        c.put("head_layers", headLayers);
        c.put("head_activation", "linear");
        c.put("loss", "mse");
        c.put("optimizer", "adam");
        c.put("lr", quick ? 1e-3 : 1e-4);
        c.put("weight_decay", 0.0);
        c.put("lambda_w", 1e-4);
        c.put("lambda_h", 1e-4);
        c.put("schedule", "constant");
        c.put("epochs", quick ? 60 : 12000);
        c.put("batch", 128);
        c.put("seed", 1);
        c.put("log_points", quick ? 10 : 30);
        return c;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        Map<String, Object> c = config(profile, heads(profile)[0]);
        s.put("dataset", "fashion-mnist (real; the paper used CIFAR-10 and EMNIST, not installable here)");
        s.put("class_sizes", java.util.Arrays.toString(SIZES) + " (the paper's CIFAR-10 subset, N = 3000)");
        s.put("network", "MLP depth 6, width " + c.get("width") + ", ReLU, no batch norm; linear head of "
                + java.util.Arrays.toString(heads(profile)) + " d x d layers (L = head + 1 linear layers), classifier with bias");
        s.put("loss", "mse = (1/B) sum 1/2 ||z - e_y||^2 + (lambda_h/2) mean ||h||^2 (h = classifier input)");
        s.put("optimizer", "Adam lr " + c.get("lr") + ", constant, batch 128, " + c.get("epochs") + " epochs, seed 1");
        s.put("decay", "lambda_w = 1e-4 on classifier W and b; lambda_h = 1e-4 (feature decay); weight_decay 0 on the"
                + " backbone and head ([DTO+23]'s --sep_decay; the paper is silent)");
        s.put("prediction", "LExtendedGeometry L = 1 with bias, lambda_W = 1e-4, lambda_H = 1e-4 / N (spec 004 §4.3)");
        return s;
    }

    /** The prediction nclab train's objective corresponds to: eq. (4.2) with λ_W and λ_H = λ_H^train / N. */
    static LExtendedGeometry prediction(Map<String, Object> config) {
        ClassSizes sizes = ClassSizes.of(((List<?>) config.get("sizes")).stream().mapToInt(o -> ((Number) o).intValue())
                .toArray());
        double lw = ((Number) config.get("lambda_w")).doubleValue();
        double lh = ((Number) config.get("lambda_h")).doubleValue() / sizes.total();
        return LExtendedGeometry.of(sizes, 1, lw, lh, true);
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (int h : heads(profile)) {
            configs.add(config(profile, h));
        }
        return run(configs, outDir);
    }

    /** Trains (or reuses) each config and compares it with the prediction. */
    Result run(List<Map<String, Object>> configs, Path outDir) {
        TidyCsv curves = new TidyCsv(List.of("head_layers", "epoch", "nc1", "dist_lext_classifier", "dist_lext_mean",
                "dist_lext_logits", "train_acc"));
        TidyCsv svs = new TidyCsv(List.of("head_layers", "k", "svE_measured", "svE_pred", "svE_ratio_measured",
                "svE_ratio_pred", "svE_ratio_equal_norm", "svW_measured", "svW_pred"));
        List<Check> checks = new ArrayList<>();
        for (Map<String, Object> cfg : configs) {
            int head = ((Number) cfg.get("head_layers")).intValue();
            RunData run = ReproRuns.train(cfg, outDir.resolve("runs").resolve("head" + head));
            double[] epoch = run.column("epoch");
            double[] nc1 = run.column("nc1_pinv");
            double[] dc = run.column("dist_lext_classifier");
            double[] dm = run.column("dist_lext_mean");
            double[] dl = run.column("dist_lext_logits");
            double[] acc = run.column("train_acc");
            for (int i = 0; i < epoch.length; i++) {
                curves.add(head, epoch[i], nc1[i], dc[i], dm[i], dl[i], acc[i]);
            }
            LExtendedGeometry g = prediction(cfg);
            Final f = Final.read(run.dir(), g.sizes());
            double[] svPred = g.featureSingularValues();
            double[] wPred = g.productSingularValues();
            double[] etf = equalNormRatios(g.sizes());
            double worstRatio = 0;
            for (int k = 0; k < svPred.length; k++) {
                double ratio = f.svE()[k] / f.svE()[0];
                double ratioPred = svPred[k] / svPred[0];
                if (svPred[k] > 0) {
                    worstRatio = Math.max(worstRatio, Math.abs(ratio - ratioPred));
                }
                svs.add(head, k + 1, f.svE()[k], svPred[k], ratio, ratioPred, etf[k], f.svW()[k], wPred[k]);
            }
            int last = epoch.length - 1;
            String tag = "L = " + (head + 1) + " (head " + head + "), epoch " + (long) epoch[last];
            checks.addAll(decisiveChecks(tag, dl[0], dl[last], nc1[0], nc1[last]));
            double worstEtf = 0;
            for (int k = 0; k < svPred.length; k++) {
                if (svPred[k] > 0) {
                    worstEtf = Math.max(worstEtf, Math.abs(f.svE()[k] / f.svE()[0] - etf[k]));
                }
            }
            checks.add(new Check(tag + ": normalised singular values sv_k(Hbar D)/sv_1 of the last-layer class means vs"
                    + " Theorem 4.2 (informational: the quick run has not reached the regularised optimum; for comparison the"
                    + " same error against equal-norm simplex class means)", "closed form (lext, L = 1, lambda_H = lambda_h/N)",
                    "max |error| vs lext " + TidyCsv.fmt(worstRatio) + "; vs equal-norm ETF means " + TidyCsv.fmt(worstEtf),
                    "—", true));
            checks.add(new Check(tag + ": distance to the prediction with the spec §4.3 normalisation (lambda_H = lambda_h/N),"
                    + " recomputed from features.npy/W.npy; informational", "—",
                    "classifier " + TidyCsv.fmt(f.distClassifier(g)) + ", mean " + TidyCsv.fmt(f.distMean(g)) + ", logits "
                            + TidyCsv.fmt(f.distLogits(g)) + " (metrics.csv: " + TidyCsv.fmt(dc[last]) + ", "
                            + TidyCsv.fmt(dm[last]) + ", " + TidyCsv.fmt(dl[last]) + ")", "—", true));
        }
        Path curveFile = curves.write(outDir.resolve(CSV));
        Path svFile = svs.write(outDir.resolve(SV_CSV));
        return new Result(charts(curves, svs, configs), checks, List.of(curveFile, svFile));
    }

    /** The two pass/fail checks of one run: the logits distance to the prediction falls, NC1 falls. */
    static List<Check> decisiveChecks(String tag, double distStart, double distEnd, double nc1Start, double nc1End) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(tag + ": the class-mean logits approach the L-extended prediction (dist_lext_logits,"
                + " Sec. 5: NC metrics decrease toward 0)", "<= " + LOGITS_TOL + " and <= epoch-0 value / " + FALL_FACTOR
                + " (" + TidyCsv.fmt(distStart) + ")", TidyCsv.fmt(distEnd), LOGITS_TOL + "; factor " + FALL_FACTOR,
                distEnd <= LOGITS_TOL && distEnd <= distStart / FALL_FACTOR));
        checks.add(new Check(tag + ": NC1 falls (within-class variability collapse, Sec. 5)", "NC1(end) <= NC1(0) / "
                + NC1_FACTOR + " = " + TidyCsv.fmt(nc1Start / NC1_FACTOR), TidyCsv.fmt(nc1End), "factor " + NC1_FACTOR,
                nc1End <= nc1Start / NC1_FACTOR));
        return checks;
    }

    /**
     * sv_k(E)/sv_1 for equal-norm simplex class means (H̄ rows = rows of I − 11ᵀ/K), centred by the sample-weighted
     * mean like the measured means, E = D·H̄: the spectrum of the balanced-geometry alternative.
     */
    static double[] equalNormRatios(ClassSizes sizes) {
        int k = sizes.k();
        double n = sizes.total();
        double[][] m = new double[k][k];
        double[] global = new double[k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < k; j++) {
                m[c][j] = (c == j ? 1 : 0) - 1.0 / k;
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < k; j++) {
                global[j] += sizes.count(c) * m[c][j] / n;
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < k; j++) {
                m[c][j] = Math.sqrt(sizes.count(c)) * (m[c][j] - global[j]);
            }
        }
        double[] s = Final.pad(Linalg.singularValues(Linalg.matrix(m)), k);
        double top = s[0];
        return java.util.Arrays.stream(s).map(v -> v / top).toArray();
    }

    /**
     * The end of a train run, from its features.npy (classifier inputs), labels.npy, W.npy and b.npy: sample-weighted
     * centred class means M̃ (the bias model has h_G = 0 at the optimum), singular values of E = M̃ᵀD and of W.
     */
    record Final(double[][] w, double[][] centredMeans, double[] svE, double[] svW) {
        static Final read(Path dir, ClassSizes sizes) {
            double[][] h = Npy.read(dir.resolve("features.npy")).toMatrix();
            int[] y = Npy.read(dir.resolve("labels.npy")).toIntVector();
            double[][] w = Npy.read(dir.resolve("W.npy")).toMatrix();
            int k = sizes.k();
            int d = h[0].length;
            double[][] means = new double[k][d];
            int[] count = new int[k];
            for (int i = 0; i < h.length; i++) {
                count[y[i]]++;
                for (int j = 0; j < d; j++) {
                    means[y[i]][j] += h[i][j];
                }
            }
            double[] global = new double[d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    means[c][j] /= count[c];
                    global[j] += means[c][j] * count[c] / h.length;
                }
            }
            double[][] eT = new double[k][d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    means[c][j] -= global[j];
                    eT[c][j] = Math.sqrt(count[c]) * means[c][j];
                }
            }
            return new Final(w, means, pad(Linalg.singularValues(Linalg.matrix(eT)), k),
                    pad(Linalg.singularValues(Linalg.matrix(w)), k));
        }

        static double[] pad(double[] s, int k) {
            return java.util.Arrays.copyOf(s, k);
        }

        double distClassifier(LExtendedGeometry g) {
            return LextSolvedRun.normalisedDistance(gram(w, w), g.geometry().classifierGram());
        }

        double distMean(LExtendedGeometry g) {
            return LextSolvedRun.normalisedDistance(gram(centredMeans, centredMeans), g.geometry().meanGram());
        }

        double distLogits(LExtendedGeometry g) {
            ClassGeometry p = g.geometry();
            return LextSolvedRun.normalisedDistance(gram(w, centredMeans), p.logits());
        }

        private static double[][] gram(double[][] a, double[][] b) {
            return Linalg.array(Linalg.multiplyTransB(Linalg.matrix(a), Linalg.matrix(b)));
        }
    }

    private static double[] select(TidyCsv csv, String col, int head) {
        return csv.column(col, Map.of("head_layers", (double) head));
    }

    static List<LineChart> charts(TidyCsv curves, TidyCsv svs, List<Map<String, Object>> configs) {
        List<LineChart> charts = new ArrayList<>();
        List<Series> dist = new ArrayList<>();
        List<Series> nc1 = new ArrayList<>();
        List<Series> sv = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            int head = ((Number) configs.get(i).get("head_layers")).intValue();
            String c = COLOURS[i % COLOURS.length];
            String l = "L=" + (head + 1);
            double[] ep = select(curves, "epoch", head);
            dist.add(Series.markers(l + " logits", ep, select(curves, "dist_lext_logits", head), c).withDash(Series.Dash.SOLID));
            dist.add(Series.markers(l + " classifier Gram", ep, select(curves, "dist_lext_classifier", head), c)
                    .withDash(Series.Dash.DASHED));
            dist.add(Series.markers(l + " mean Gram", ep, select(curves, "dist_lext_mean", head), c).withDash(Series.Dash.DOTTED));
            nc1.add(Series.markers(l + " NC1", ep, select(curves, "nc1", head), c).withDash(Series.Dash.SOLID));
            double[] k = select(svs, "k", head);
            if (i == 0) {
                sv.add(Series.line("Theorem 4.2 (lext L = 1)", k, select(svs, "svE_ratio_pred", head), "#000000"));
                sv.add(Series.line("equal-norm simplex means (balanced geometry)", k, select(svs, "svE_ratio_equal_norm", head),
                        "#7f7f7f").withDash(Series.Dash.DASHED));
            }
            sv.add(Series.markers(l + " measured", k, select(svs, "svE_ratio_measured", head), c));
        }
        add(charts, Plots.lineChart("dist-lext", "Distance to the L-extended UFM prediction vs epoch", "epoch",
                "normalised Frobenius distance", true, dist, "dist_lext_* of metrics.csv (last layer: classifier W, classifier"
                        + " inputs h, bias model, sample-weighted centring). Markers: measured at logged epochs."));
        add(charts, Plots.lineChart("nc1", "NC1 vs epoch", "epoch", "NC1 = tr(Sw Sb^+)/K", true, nc1,
                "Within-class variability of the classifier inputs."));
        add(charts, Plots.lineChart("sv-class-means", "Singular values of the last-layer class means E = Hbar D (normalised)",
                "k", "sv_k / sv_1", false, sv, "Line: closed form of Theorem 4.2 with lambda_W = lambda_w, lambda_H = lambda_h/N"
                        + " (kappa_k of (I - n1^T/N)D); markers: final features of each network, centred by the sample mean."));
        return charts;
    }

    private static void add(List<LineChart> charts, LineChart chart) {
        if (chart != null) {
            charts.add(chart);
        }
    }
}
