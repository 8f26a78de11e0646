package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.RunData;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.io.Npy;
import nclab.linalg.Linalg;
import nclab.theory.ReluUfmGeometry;

/**
 * Seed 001 (Dang et al. 2024) Sec. 5.2, Figs. 1 and 3: a 6-layer ReLU MLP without classifier bias trained with
 * cross-entropy, classifier decay λ_W and feature decay λ_H on an imbalanced subset with sizes
 * [100, 100, 200, 200, 300, 300, 400, 400, 500, 500], via {@code nclab train} (quick: real Fashion-MNIST, width
 * 256, 150 epochs; paper: CIFAR-10, width 1024, 4000 epochs).
 *
 * <p>Plotted: the paper's metrics of Sec. 5.1 against epochs, NC1 = (1/K) tr(Σ_W Σ_B⁺) (eq. 19, Σ_B about the
 * sample-weighted global mean of Sec. 3: column {@code nc1_pinv_weighted}), NC2 = ‖W/‖W‖ − W_t/‖W_t‖‖_F with
 * W_t row k = K√n_k h_kᵀ − Σ_m √n_m h_mᵀ (eq. 20, {@code relu_nc2}), NC3 = ‖Z/‖Z‖ − Z_t/‖Z_t‖‖_F with Z = W H̄ and
 * Z_t[j][k] = M_k(δ_jk − 1/K) (eq. 21, {@code relu_nc3}); the normalised distances to the Theorem 1 geometry
 * ({@code dist_relu_ufm_*}); and the heat maps of the final class-mean Gram H̄ᵀH̄ (Fig. 3) next to the Gram that
 * Theorem 1 predicts, diag(‖h_k‖²) of eq. 9. The last-epoch NC1, NC2, NC3 and the Gram are recomputed here from
 * the exported {@code features.npy}, {@code labels.npy}, {@code W.npy}, independently of the metrics code.
 */
public final class ReluUfmMlp implements Reproduction {
    static final int[] SIZES = {100, 100, 200, 200, 300, 300, 400, 400, 500, 500};
    static final double LAMBDA_W = 1e-4;
    static final double LAMBDA_H = 1e-5;

    /**
     * Theorem 1's λ_H for this run: nclab train adds (λ_h/2)·mean_i ‖h_i‖², which is the UFM penalty (λ_H/2)·‖H‖_F²
     * with λ_H = λ_h/N (the same conversion the train metrics use).
     */
    static double ufmLambdaH() {
        return LAMBDA_H / ClassSizes.of(SIZES).total();
    }
    static final String CURVES_CSV = "relu_ufm_mlp_curves.csv";
    static final String GRAM_CSV = "relu_ufm_mlp_gram.csv";
    static final List<String> CURVE_COLUMNS = List.of("epoch", "NC1", "NC2", "NC3", "dist_relu_ufm_classifier",
            "dist_relu_ufm_embedding", "dist_relu_ufm_logits", "dist_relu_ufm_mean", "dist_etf_mean", "train_acc");
    /** Number of smallest classes (n = 100) before the separator of the heat maps. */
    static final int MINORITY_CLASSES = 2;

    @Override
    public String id() {
        return "relu-ufm-mlp";
    }

    @Override
    public String paper() {
        return "001";
    }

    @Override
    public String figure() {
        return "Figs. 1, 3";
    }

    @Override
    public String description() {
        return "6-layer ReLU MLP (no classifier bias, classifier decay lambda_W, feature decay lambda_H) on an imbalanced"
                + " subset [100,100,...,500,500]: the paper's NC1/NC2/NC3 (eqs. 19-21) and the distance to Theorem 1 vs epochs,"
                + " and the final class-mean Gram H^T H next to Theorem 1's";
    }

    /** The {@code nclab train} config: quick = configs/relu-ufm-quick.yaml, paper = configs/relu-ufm.yaml. */
    static Map<String, Object> trainConfig(Profile profile) {
        Map<String, Object> c = new LinkedHashMap<>();
        boolean quick = profile == Profile.QUICK;
        c.put("dataset", quick ? "fashion-mnist" : "cifar10");
        if (!quick) {
            c.put("data_dir", "data/cifar-10-batches-bin");
        }
        c.put("sizes", Arrays.stream(SIZES).boxed().toList());
        if (quick) {
            c.put("test_per_class", 300);
        }
        c.put("model", "mlp");
        c.put("depth", 6);
        c.put("width", quick ? 256 : 1024);
        c.put("bias", false);
        c.put("optimizer", "sgd");
        c.put("lr", quick ? 0.02 : 1e-4);
        c.put("momentum", quick ? 0.9 : 0.0);
        c.put("weight_decay", 0);
        c.put("lambda_w", LAMBDA_W);
        c.put("lambda_h", LAMBDA_H);
        c.put("epochs", quick ? 150 : 4000);
        c.put("milestones", List.of(quick ? 100 : 2000));
        c.put("batch", 32);
        c.put("seed", 1);
        c.put("log_points", quick ? 16 : 40);
        return c;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("train_config", trainConfig(profile));
        s.put("source", profile == Profile.QUICK ? "configs/relu-ufm-quick.yaml (150 epochs, lr /10 at 100), log_points 16 instead of 8"
                : "configs/relu-ufm.yaml (the paper's Sec. 5.2 setting; CIFAR-10 binary batches in data_dir)");
        s.put("dataset_note", "the paper uses CIFAR-10; quick uses real Fashion-MNIST (no CIFAR-10 here), class c gets SIZES[c]");
        s.put("NC1", "eq. 19, (1/K) tr(Sigma_W Sigma_B^+), Sigma_W /N, Sigma_B /K about the sample-weighted global mean (Sec. 3;"
                + " spec 001 §4) = metrics column nc1_pinv_weighted");
        s.put("NC2", "eq. 20 = relu_nc2; NC3: eq. 21 with Z = W H-bar (K x K) and M_k of eq. 6 at lambda_w, lambda_h = relu_nc3");
        s.put("gram", "uncentred class means H-bar^T H-bar of the final features (features.npy), divided by its largest entry;"
                + " prediction diag(||h_k||^2) of eq. 9 likewise");
        s.put("lambda_note", "lambda_h is the per-sample (batch-mean) feature decay of nclab train; Theorem 1 is evaluated at"
                + " lambda_W = lambda_w and lambda_H = lambda_h/N, the UFM penalty (lambda_H/2)||H||_F^2 it equals (as the train"
                + " metrics do); the paper does not say how its feature decay is normalised");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        Map<String, Object> config = trainConfig(profile);
        RunData run = ReproRuns.train(config, outDir.resolve("runs").resolve("mlp"));
        Final last = Final.read(run.dir(), ClassSizes.of(SIZES), LAMBDA_W, ufmLambdaH());
        TidyCsv curves = curves(run);
        TidyCsv gram = new TidyCsv(List.of("row", "col", "gram_measured", "gram_theorem1", "cosine_measured"));
        double[][] measured = last.normalisedGram();
        double[][] predicted = last.predictedGram();
        double[][] cos = last.meanCosines();
        for (int i = 0; i < SIZES.length; i++) {
            for (int j = 0; j < SIZES.length; j++) {
                gram.add(i, j, measured[i][j], predicted[i][j], cos[i][j]);
            }
        }
        List<Path> files = List.of(curves.write(outDir.resolve(CURVES_CSV)), gram.write(outDir.resolve(GRAM_CSV)));
        List<HeatMap> maps = List.of(
                new HeatMap("gram-measured", "Final class-mean Gram H^T H (MLP, normalised by its largest entry)", measured,
                        MINORITY_CLASSES, "Uncentred means of the post-ReLU features of the last epoch. Classes in order of size"
                        + " [100,100,200,...,500]; the lines separate the two smallest classes."),
                new HeatMap("gram-theorem1", "Theorem 1 class-mean Gram diag(||h_k||^2), normalised", predicted, MINORITY_CLASSES,
                        "Orthogonal means (Thm 1b); minority means longer (eq. 9, lambda_w = 1e-4, lambda_h = 1e-5)."),
                new HeatMap("cosine-measured", "Final class-mean cosines (MLP)", cos, MINORITY_CLASSES,
                        "cos(h_k, h_l) of the uncentred means; Theorem 1: identity."));
        return new Result(charts(curves), maps, checks(run, last), files);
    }

    static TidyCsv curves(RunData run) {
        TidyCsv csv = new TidyCsv(CURVE_COLUMNS);
        double[] epoch = run.x();
        String[] source = {"nc1_pinv_weighted", "relu_nc2", "relu_nc3", "dist_relu_ufm_classifier", "dist_relu_ufm_embedding",
            "dist_relu_ufm_logits", "dist_relu_ufm_mean", "dist_etf_mean", "train_acc"};
        double[][] cols = new double[source.length][];
        for (int c = 0; c < source.length; c++) {
            cols[c] = run.column(source[c]);
        }
        for (int r = 0; r < epoch.length; r++) {
            double[] row = new double[source.length + 1];
            row[0] = epoch[r];
            for (int c = 0; c < source.length; c++) {
                row[c + 1] = cols[c][r];
            }
            csv.add(row);
        }
        return csv;
    }

    static List<LineChart> charts(TidyCsv curves) {
        double[] e = curves.column("epoch");
        List<LineChart> charts = new ArrayList<>();
        charts.add(Plots.lineChart("a-nc-metrics", "(a) NC1, NC2, NC3 of Sec. 5.1 vs epoch (Fig. 1)", "epoch", "metric", true,
                List.of(Series.line("NC1 (eq. 19)", e, curves.column("NC1"), "#1f77b4").withMarkers(true),
                        Series.line("NC2 (eq. 20)", e, curves.column("NC2"), "#d62728").withMarkers(true),
                        Series.line("NC3 (eq. 21)", e, curves.column("NC3"), "#2ca02c").withMarkers(true)),
                "Measured on the whole training subset at log-spaced epochs. NC2 tests eq. 10 (classifier from the class means),"
                        + " NC3 the logit pattern of eqs. 11-12 with the M_k of eq. 6."));
        charts.add(Plots.lineChart("b-distance-to-theorem1", "(b) normalised distance to the Theorem 1 geometry vs epoch",
                "epoch", "normalised Frobenius distance", false,
                List.of(Series.line("classifier Gram WW^T", e, curves.column("dist_relu_ufm_classifier"), "#1f77b4").withMarkers(true),
                        Series.line("class-mean Gram H^T H (uncentred)", e, curves.column("dist_relu_ufm_embedding"), "#d62728")
                                .withMarkers(true),
                        Series.line("logits W H", e, curves.column("dist_relu_ufm_logits"), "#2ca02c").withMarkers(true),
                        Series.line("mean of the three", e, curves.column("dist_relu_ufm_mean"), "#000000").withMarkers(true),
                        Series.line("simplex ETF, mean of three (centred means)", e, curves.column("dist_etf_mean"), "#7f7f7f")
                                .withDash(Series.Dash.DASHED)),
                "||A/||A|| - B/||B|| ||_F between the measured and the predicted matrices (nclab analyze's TheoryComparison)."));
        return charts;
    }

    /** The paper's claims as checks, from the run's metrics and the recomputed last epoch. */
    static List<Check> checks(RunData run, Final last) {
        List<Check> checks = new ArrayList<>();
        double nc1First = run.firstFinite("nc1_pinv_weighted");
        double nc1Last = run.lastFinite("nc1_pinv_weighted");
        checks.add(new Check("NC1 (eq. 19) decreases during training (Fig. 1: NC1 -> 0)", "last <= first / 10",
                TidyCsv.fmt(nc1First) + " -> " + TidyCsv.fmt(nc1Last) + " (x" + TidyCsv.fmt(nc1First / nc1Last) + ")", "10x",
                nc1Last <= nc1First / 10));
        double dThm = Final.distance(last.normalisedGram(), last.predictedGram());
        double dEtf = Final.distance(last.normalisedGram(), Final.etfGram(SIZES.length));
        double dOf = Final.distance(last.normalisedGram(), Linalg.array(Linalg.identity(SIZES.length)));
        checks.add(new Check("final class-mean Gram H^T H is closer to Theorem 1 (diag ||h_k||^2) than to the simplex-ETF Gram"
                + " I - 11^T/K (Fig. 3)", "dist(G, Thm 1) < dist(G, ETF)", TidyCsv.fmt(dThm) + " vs " + TidyCsv.fmt(dEtf),
                "strict", dThm < dEtf));
        checks.add(new Check("final class-mean Gram H^T H is closer to Theorem 1 than to the equal-norm orthogonal frame I"
                + " (the balanced optimum, Cor. 1): the imbalance shows in the norms", "dist(G, Thm 1) < dist(G, I)",
                TidyCsv.fmt(dThm) + " vs " + TidyCsv.fmt(dOf), "strict", dThm < dOf));
        double ratio = last.minorityToMajorityNormRatio();
        double ratioPred = last.predictedMinorityToMajorityNormRatio();
        checks.add(new Check("minority class means are longer than majority ones (eq. 9 / Cor. 2: ||h_k||^2 ~ M_k/sqrt(n_k)):"
                + " mean ||h||^2 of the n = 100 classes / that of the n = 500 classes", TidyCsv.fmt(ratioPred) + " (> 1)",
                TidyCsv.fmt(ratio), "> 1", ratio > 1));
        checks.add(new Check("features are non-negative (post-ReLU, the H >= 0 of eq. 4)", "min h_ij >= 0",
                TidyCsv.fmt(last.minFeature()), "exact", last.minFeature() >= 0));
        double[] files = {last.nc1(), last.nc2(), last.nc3()};
        double[] metrics = {nc1Last, run.lastFinite("relu_nc2"), run.lastFinite("relu_nc3")};
        double dev = 0;
        for (int i = 0; i < 3; i++) {
            dev = Math.max(dev, Math.abs(files[i] - metrics[i]) / Math.max(1e-12, Math.abs(files[i])));
        }
        checks.add(new Check("last-epoch NC1, NC2, NC3 recomputed here from features.npy, labels.npy, W.npy (eqs. 19-21) equal"
                + " the metrics columns nc1_pinv_weighted, relu_nc2, relu_nc3", TidyCsv.fmt(files[0]) + ", " + TidyCsv.fmt(files[1])
                + ", " + TidyCsv.fmt(files[2]), TidyCsv.fmt(metrics[0]) + ", " + TidyCsv.fmt(metrics[1]) + ", "
                + TidyCsv.fmt(metrics[2]), "1e-6 relative", dev <= 1e-6));
        return checks;
    }

    /**
     * The last epoch of a run, read from {@code features.npy}, {@code labels.npy}, {@code W.npy} and evaluated here.
     *
     * @param sizes    class sizes
     * @param w        classifier K×d
     * @param means    uncentred class means K×d
     * @param nc1      eq. 19 with the sample-weighted global mean
     * @param nc2      eq. 20
     * @param nc3      eq. 21 with M_k of eq. 6
     * @param minFeature smallest feature entry
     * @param theory   the Theorem 1 prediction at (λ_W, λ_H)
     */
    record Final(ClassSizes sizes, double[][] w, double[][] means, double nc1, double nc2, double nc3, double minFeature,
                 ReluUfmGeometry theory) {

        static Final read(Path dir, ClassSizes sizes, double lambdaW, double lambdaH) {
            double[][] h = Npy.read(dir.resolve("features.npy")).toMatrix();
            int[] labels = Npy.read(dir.resolve("labels.npy")).toIntVector();
            double[][] w = Npy.read(dir.resolve("W.npy")).toMatrix();
            return of(h, labels, w, ReluUfmGeometry.of(sizes, lambdaW, lambdaH));
        }

        static Final of(double[][] h, int[] labels, double[][] w, ReluUfmGeometry theory) {
            int k = w.length;
            int d = w[0].length;
            int n = h.length;
            int[] counts = new int[k];
            double[][] means = new double[k][d];
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                counts[labels[i]]++;
                for (int j = 0; j < d; j++) {
                    means[labels[i]][j] += h[i][j];
                    min = Math.min(min, h[i][j]);
                }
            }
            double[] global = new double[d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    global[j] += means[c][j] / n;
                    means[c][j] /= counts[c];
                }
            }
            // eq. 19: Σ_W = (1/N) Σ (h_i − h_{y_i})(h_i − h_{y_i})ᵀ, Σ_B = (1/K) Σ_k (h_k − h_G)(h_k − h_G)ᵀ
            DMatrixRMaj sw = new DMatrixRMaj(d, d);
            double[] e = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    e[j] = h[i][j] - means[labels[i]][j];
                }
                for (int a = 0; a < d; a++) {
                    double ea = e[a] / n;
                    for (int b = 0; b < d; b++) {
                        sw.data[a * d + b] += ea * e[b];
                    }
                }
            }
            DMatrixRMaj sb = new DMatrixRMaj(d, d);
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < d; a++) {
                    double ea = (means[c][a] - global[a]) / k;
                    for (int b = 0; b < d; b++) {
                        sb.data[a * d + b] += ea * (means[c][b] - global[b]);
                    }
                }
            }
            DMatrixRMaj prod = Linalg.multiply(sw, Linalg.pinv(sb, Linalg.DEFAULT_REL_TOL));
            double trace = 0;
            for (int a = 0; a < d; a++) {
                trace += prod.get(a, a);
            }
            // eq. 20: W_t row k = K √n_k h_k − Σ_m √n_m h_m
            double[] sum = new double[d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += Math.sqrt(counts[c]) * means[c][j];
                }
            }
            double[][] wt = new double[k][d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    wt[c][j] = k * Math.sqrt(counts[c]) * means[c][j] - sum[j];
                }
            }
            // eq. 21: Z = W H̄ (Z[j][c] = w_jᵀ h_c), Z_t[j][c] = M_c (δ_jc − 1/K)
            double[] m = theory.m();
            double[][] z = new double[k][k];
            double[][] zt = new double[k][k];
            for (int j = 0; j < k; j++) {
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int t = 0; t < d; t++) {
                        s += w[j][t] * means[c][t];
                    }
                    z[j][c] = s;
                    zt[j][c] = m[c] * ((j == c ? 1.0 : 0.0) - 1.0 / k);
                }
            }
            return new Final(theory.sizes(), w, means, trace / k, distance(w, wt), distance(z, zt), min, theory);
        }

        /** Uncentred class-mean Gram H̄ᵀH̄ divided by its largest entry. */
        double[][] normalisedGram() {
            int k = means.length;
            double[][] g = new double[k][k];
            double max = 0;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double s = 0;
                    for (int j = 0; j < means[a].length; j++) {
                        s += means[a][j] * means[b][j];
                    }
                    g[a][b] = s;
                    max = Math.max(max, Math.abs(s));
                }
            }
            return scale(g, max);
        }

        /** Mean ‖h_k‖² over the smallest classes divided by that over the largest classes. */
        double minorityToMajorityNormRatio() {
            double[][] g = normalisedGram();
            return groupMean(ReluUfmSolution.diagonal(g), sizes.minorityClasses())
                    / groupMean(ReluUfmSolution.diagonal(g), sizes.majorityClasses());
        }

        /** The same ratio of Theorem 1 (eq. 9). */
        double predictedMinorityToMajorityNormRatio() {
            double[] h2 = theory.featureNormsSquared();
            return groupMean(h2, sizes.minorityClasses()) / groupMean(h2, sizes.majorityClasses());
        }

        private static double groupMean(double[] v, int[] classes) {
            double s = 0;
            for (int c : classes) {
                s += v[c];
            }
            return s / classes.length;
        }

        /** Cosines between the uncentred class means. */
        double[][] meanCosines() {
            double[][] g = normalisedGram();
            double[][] c = new double[g.length][g.length];
            for (int a = 0; a < g.length; a++) {
                for (int b = 0; b < g.length; b++) {
                    c[a][b] = g[a][b] / Math.sqrt(g[a][a] * g[b][b]);
                }
            }
            return c;
        }

        /** Theorem 1's Gram diag(‖h_k‖²) (eq. 9) divided by its largest entry. */
        double[][] predictedGram() {
            double[] h2 = theory.featureNormsSquared();
            double[][] g = new double[h2.length][h2.length];
            double max = 0;
            for (int c = 0; c < h2.length; c++) {
                g[c][c] = h2[c];
                max = Math.max(max, h2[c]);
            }
            return scale(g, max);
        }

        static double[][] etfGram(int k) {
            double[][] s = new double[k][k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    s[a][b] = (a == b ? 1.0 : 0.0) - 1.0 / k;
                }
            }
            return s;
        }

        private static double[][] scale(double[][] g, double max) {
            double[][] out = new double[g.length][];
            for (int a = 0; a < g.length; a++) {
                out[a] = new double[g[a].length];
                for (int b = 0; b < g[a].length; b++) {
                    out[a][b] = max > 0 ? g[a][b] / max : Double.NaN;
                }
            }
            return out;
        }

        /** ‖A/‖A‖_F − B/‖B‖_F‖_F (NaN when either is 0). */
        static double distance(double[][] a, double[][] b) {
            return nclab.metrics.GeometryDistance.normalisedFrobenius(a, b);
        }
    }
}
