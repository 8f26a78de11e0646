package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.RunData;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.io.Npy;
import nclab.metrics.GeometryDistance;
import nclab.theory.SeliGeometry;

/**
 * Seed 000, Sec. 5.3 / App. G: deep networks trained with CE on (R, 1/2)-STEP-imbalanced real Fashion-MNIST
 * (classes 0–4 majorities, bias-free classifier). Figs. 2 and 6: distances of the classifier Gram WWᵀ, the
 * class-balanced-centred class-mean Gram and the logits to SELI (Definition 3) and to the simplex ETF against
 * epochs; Fig. 7 (and Fig. 14): the norm ratios ‖w_maj‖/‖w_min‖ and ‖μ̃_maj‖/‖μ̃_min‖ against epochs with the SELI
 * predictions (Cor. 2.4 / Lemma 3.1, {@link SeliGeometry#normRatioClassifiers()}) as lines; Fig. 13: NC1; Tables 2
 * and 3: the first logged epoch with zero training error and the balanced test error (total, majority, minority).
 * Each run is an ordinary {@code nclab train} run ({@link ReproRuns#train}).
 *
 * <p>Quick profile: the MLP of {@code configs/seli-quick.yaml} (4×512, UFM-style decay on the classifier and its
 * input, 120 epochs) on 2 750 training images for R ∈ {1, 10} (the paper's fixed-n rule: n_min = n/(5(R+1))).
 * Paper profile: ResNet-18 and VGG-13, R ∈ {1, 5, 10, 100}, n = 25 250, SGD with momentum 0.9, weight decay 5e-4,
 * batch 128, lr 0.1 ×0.1 at epochs 120 and 240, 350 epochs (GPU).
 */
public final class SeliDeepStep implements Reproduction {
    static final int K = 10;
    static final double RHO = 0.5;
    static final String CSV = "seli_deep_step.csv";
    static final String TABLE_CSV = "seli_deep_step_table.csv";
    static final List<String> COLUMNS = List.of("model", "R", "epoch", "dist_seli_classifier", "dist_etf_classifier",
            "dist_seli_embedding", "dist_etf_embedding", "dist_seli_logits", "dist_etf_logits", "norm_ratio_W", "norm_ratio_M",
            "seli_norm_ratio_W", "seli_norm_ratio_M", "nc1", "train_acc", "test_acc");
    static final List<String> TABLE_COLUMNS = List.of("model", "R", "n_min", "n", "epochs", "dist_seli_classifier",
            "dist_etf_classifier", "dist_seli_embedding", "dist_etf_embedding", "dist_seli_logits", "dist_etf_logits",
            "norm_ratio_W", "seli_norm_ratio_W", "norm_ratio_M", "seli_norm_ratio_M", "nc1_first", "nc1_last",
            "zero_train_error_epoch", "test_error_total", "test_error_majority", "test_error_minority");
    static final String GRAM_CSV = "seli_deep_step_grams.csv";
    /** matrix: 0 = measured final classifier Gram, 1 = SELI's; both Frobenius-normalised. */
    static final List<String> GRAM_COLUMNS = List.of("model", "R", "matrix", "row", "col", "value");
    /** Total training images of the quick profile (that of configs/seli-quick.yaml at R = 10). */
    static final int QUICK_N = 2750;
    /** Total training images of the paper (Sec. 5.3): 100·50·5 + 50·5. */
    static final int PAPER_N = 25250;
    /** NC1 must fall by at least this factor from the initialisation to the end. */
    static final double NC1_FALL = 10;
    /** R = 1: bound on |dSELI − dETF| (the two references coincide, so only rounding separates them). */
    static final double BALANCED_TOLERANCE = 1e-9;
    private static final String[] COLOURS = {"#7f7f7f", "#2ca02c", "#1f77b4", "#d62728"};
    private static final String[] MODELS = {"mlp", "resnet18", "vgg13"};

    /** One trained network: model name, R and the STEP sizes (10 classes, ρ = 1/2, majorities first). */
    record RunSpec(String model, int r, int nMin) {
        String name() {
            return model + "-R" + r;
        }

        ClassSizes sizes() {
            return ClassSizes.step(K, r, RHO, nMin);
        }
    }

    @Override
    public String id() {
        return "seli-deep-step";
    }

    @Override
    public String paper() {
        return "000";
    }

    @Override
    public String figure() {
        return "Figs. 2, 6, 7, 13; Tables 2, 3";
    }

    @Override
    public String description() {
        return "Deep network on STEP-imbalanced Fashion-MNIST: classifier/embedding/logit distances to SELI and ETF and norm"
                + " ratios vs epochs (SELI predictions as lines), NC1, zero-train-error epoch and balanced test errors";
    }

    /** n_min = round(n / (5(R + 1))) so that every R has (about) the same n (Sec. 5.3's rule, spec 000 §7.5). */
    static int nMin(int total, int r) {
        return (int) Math.round(total / (K * RHO * (r + 1.0)));
    }

    /** The runs of a profile. */
    static List<RunSpec> runs(Profile profile) {
        List<RunSpec> runs = new ArrayList<>();
        if (profile == Profile.QUICK) {
            for (int r : new int[] {1, 10}) {
                runs.add(new RunSpec("mlp", r, nMin(QUICK_N, r)));
            }
        } else {
            for (String model : new String[] {"resnet18", "vgg13"}) {
                for (int r : new int[] {1, 5, 10, 100}) {
                    runs.add(new RunSpec(model, r, nMin(PAPER_N, r)));
                }
            }
        }
        return runs;
    }

    /** The {@code nclab train} config of a run. */
    static Map<String, Object> config(RunSpec run, Profile profile) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", "fashion-mnist");
        c.put("step", List.of(K, run.r(), RHO, run.nMin()));
        if (profile == Profile.QUICK) {
            // configs/seli-quick.yaml
            c.put("test_per_class", 300);
            c.put("model", "mlp");
            c.put("depth", 4);
            c.put("width", 512);
            c.put("bias", false);
            c.put("optimizer", "sgd");
            c.put("lr", 0.05);
            c.put("momentum", 0.9);
            c.put("weight_decay", 0);
            c.put("lambda_w", 5.0e-4);
            c.put("lambda_h", 5.0e-4);
            c.put("epochs", 120);
            c.put("milestones", List.of(80, 105));
            c.put("batch", 128);
            c.put("seed", 1);
            c.put("log_points", 8);
        } else {
            c.put("model", run.model());
            c.put("bias", false);
            c.put("optimizer", "sgd");
            c.put("lr", 0.1);
            c.put("momentum", 0.9);
            c.put("weight_decay", 5.0e-4);
            c.put("epochs", 350);
            c.put("milestones", List.of(120, 240));
            c.put("batch", 128);
            c.put("seed", 1);
            c.put("log_points", 40);
        }
        return c;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("dataset", "fashion-mnist (real images; Debian dataset-fashion-mnist), K = 10, STEP rho = 1/2, classes 0-4 majorities");
        List<String> runs = new ArrayList<>();
        for (RunSpec r : runs(profile)) {
            runs.add(r.name() + ": R = " + r.r() + ", n_min = " + r.nMin() + ", n = " + r.sizes().total());
        }
        s.put("runs", runs);
        s.put("n_rule", "n_min = round(n/(5(R+1))) with n = " + (profile == Profile.QUICK ? QUICK_N + " (quick)" : PAPER_N
                + " (paper, Sec. 5.3)") + "; rounding not given by the paper");
        Map<String, Object> example = config(runs(profile).get(runs(profile).size() - 1), profile);
        example.remove("step");
        s.put("train_config", example);
        if (profile == Profile.QUICK) {
            s.put("why", "configs/seli-quick.yaml: an MLP on 2 CPU cores; UFM-style decay lambda_w = lambda_h = 5e-4 on the classifier"
                    + " and its input (the ridge UFM whose minimisers approach SELI as lambda -> 0), none on the backbone");
        } else {
            s.put("why", "the paper's Sec. 5.3 / App. G settings (ResNet-18, VGG-13 with batch norm, no FC bias, no augmentation;"
                    + " zero-error epoch from log-spaced logging, 40 points)");
        }
        s.put("test", "balanced test split (" + (profile == Profile.QUICK ? "300 images per class" : "all 1000 per class") + ")");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        List<RunSpec> specs = runs(profile);
        List<RunData> data = new ArrayList<>();
        for (RunSpec spec : specs) {
            data.add(ReproRuns.train(config(spec, profile), outDir.resolve("runs").resolve(spec.name())));
        }
        return result(specs, data, outDir);
    }

    /** CSVs, charts and checks of finished runs (package-private so that tests can feed tiny runs). */
    static Result result(List<RunSpec> specs, List<RunData> data, Path outDir) {
        TidyCsv csv = new TidyCsv(COLUMNS);
        TidyCsv table = new TidyCsv(TABLE_COLUMNS);
        for (int i = 0; i < specs.size(); i++) {
            RunSpec spec = specs.get(i);
            RunData d = data.get(i);
            SeliGeometry seli = SeliGeometry.of(spec.sizes());
            double model = modelCode(spec.model());
            double[] epoch = d.column("epoch");
            for (int row = 0; row < epoch.length; row++) {
                csv.add(model, spec.r(), epoch[row], at(d, "dist_seli_classifier", row), at(d, "dist_etf_classifier", row),
                        at(d, "dist_seli_embedding", row), at(d, "dist_etf_embedding", row), at(d, "dist_seli_logits", row),
                        at(d, "dist_etf_logits", row), at(d, "norm_ratio_W", row), at(d, "norm_ratio_M", row),
                        seli.normRatioClassifiers(), seli.normRatioEmbeddings(), at(d, "nc1_pinv", row), at(d, "train_acc", row),
                        at(d, "test_acc", row));
            }
            double[] errors = testErrors(d, spec.sizes());
            table.add(model, spec.r(), spec.nMin(), spec.sizes().total(), epoch[epoch.length - 1], last(d, "dist_seli_classifier"),
                    last(d, "dist_etf_classifier"), last(d, "dist_seli_embedding"), last(d, "dist_etf_embedding"),
                    last(d, "dist_seli_logits"), last(d, "dist_etf_logits"), last(d, "norm_ratio_W"), seli.normRatioClassifiers(),
                    last(d, "norm_ratio_M"), seli.normRatioEmbeddings(), d.column("nc1_pinv")[0], last(d, "nc1_pinv"),
                    zeroErrorEpoch(d), errors[0], errors[1], errors[2]);
        }
        Path file = csv.write(outDir.resolve(CSV));
        Path tableFile = table.write(outDir.resolve(TABLE_CSV));
        TidyCsv grams = new TidyCsv(GRAM_COLUMNS);
        List<HeatMap> maps = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Path w = data.get(i).dir().resolve("W.npy");
            if (specs.get(i).r() > 1 && java.nio.file.Files.isRegularFile(w)) {
                maps.addAll(heatMaps(specs.get(i), Npy.read(w).toMatrix(), grams));
            }
        }
        Path gramFile = grams.write(outDir.resolve(GRAM_CSV));
        return new Result(charts(specs, data), maps, checks(specs, data), List.of(file, tableFile, gramFile));
    }

    /**
     * Heat maps of the final Frobenius-normalised classifier Gram WWᵀ (from the run's W.npy) next to SELI's, with the
     * majority/minority separator; entries written to {@code grams} (matrix 0 = measured, 1 = SELI).
     */
    static List<HeatMap> heatMaps(RunSpec spec, double[][] w, TidyCsv grams) {
        int k = w.length;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int q = 0; q < w[i].length; q++) {
                    g[i][j] += w[i][q] * w[j][q];
                }
            }
        }
        double[][][] m = {GeometryDistance.unitFrobenius(g),
            GeometryDistance.unitFrobenius(SeliGeometry.of(spec.sizes()).geometry().classifierGram())};
        String[] what = {"measured (final W of " + spec.name() + ")", "SELI prediction, R = " + spec.r()};
        List<HeatMap> maps = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    grams.add(modelCode(spec.model()), spec.r(), q, i, j, m[q][i][j]);
                }
            }
            maps.add(new HeatMap("gram-W-" + spec.name() + (q == 0 ? "-measured" : "-seli"), "Classifier Gram W W^T, " + what[q],
                    m[q], spec.sizes().majorityClasses().length, "Divided by its Frobenius norm; classes 0-4 majorities. Matrix in "
                            + GRAM_CSV + "."));
        }
        return maps;
    }

    /** Model code of the CSVs: index in mlp, resnet18, vgg13. */
    static int modelCode(String model) {
        return List.of(MODELS).indexOf(model);
    }

    private static double at(RunData d, String column, int row) {
        return d.has(column) ? d.column(column)[row] : Double.NaN;
    }

    private static double last(RunData d, String column) {
        return d.has(column) ? d.lastFinite(column) : Double.NaN;
    }

    /** Table 2: the first logged epoch with training accuracy 1 (NaN if never); an upper bound when logging is sparse. */
    static double zeroErrorEpoch(RunData d) {
        double[] acc = d.column("train_acc");
        double[] epoch = d.column("epoch");
        for (int i = 0; i < acc.length; i++) {
            if (acc[i] >= 1) {
                return epoch[i];
            }
        }
        return Double.NaN;
    }

    /**
     * Table 3: balanced test error in % at the last logged epoch, total (mean of the per-class errors), majority and
     * minority (mean over the group's classes).
     */
    static double[] testErrors(RunData d, ClassSizes sizes) {
        double total = 0;
        for (int c = 0; c < sizes.k(); c++) {
            total += 1 - last(d, "test_acc_" + c);
        }
        return new double[] {100 * total / sizes.k(), groupError(d, sizes.majorityClasses()), groupError(d, sizes.minorityClasses())};
    }

    private static double groupError(RunData d, int[] classes) {
        if (classes.length == 0) {
            return Double.NaN;
        }
        double e = 0;
        for (int c : classes) {
            e += 1 - last(d, "test_acc_" + c);
        }
        return 100 * e / classes.length;
    }

    private static List<LineChart> charts(List<RunSpec> specs, List<RunData> data) {
        List<LineChart> charts = new ArrayList<>();
        String[][] quantities = {{"classifier", "classifiers W W^T"}, {"embedding", "centred class means M M^T"},
                {"logits", "logits W M^T"}};
        for (String[] q : quantities) {
            List<Series> s = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                RunSpec spec = specs.get(i);
                RunData d = data.get(i);
                String c = colour(i);
                double[] ep = d.column("epoch");
                s.add(Series.line(spec.name() + " to SELI", ep, d.column("dist_seli_" + q[0]), c).withMarkers(true));
                s.add(Series.line(spec.name() + " to ETF", ep, d.column("dist_etf_" + q[0]), c).withDash(Series.Dash.DASHED));
            }
            charts.add(Plots.lineChart("fig2-" + q[0], "Figs. 2/6: " + q[1] + ", distance to SELI (solid) and ETF (dashed)", "epoch",
                    "normalised Frobenius distance", false, s, "STEP-imbalanced Fashion-MNIST, rho = 1/2. At R = 1 SELI = ETF."
                            + ("logits".equals(q[0]) ? " The class-level SEL logits are I - 11^T/k for every R: one reference." : "")));
        }
        for (String[] q : new String[][] {{"W", "classifiers ||w_maj|| / ||w_min||", "normRatioClassifiers"},
                {"M", "centred means ||mu_maj|| / ||mu_min||", "normRatioEmbeddings"}}) {
            List<Series> s = new ArrayList<>();
            double[] all = new double[0];
            for (int i = 0; i < specs.size(); i++) {
                RunSpec spec = specs.get(i);
                RunData d = data.get(i);
                String c = colour(i);
                double[] ep = d.column("epoch");
                all = ep;
                SeliGeometry seli = SeliGeometry.of(spec.sizes());
                double predicted = "W".equals(q[0]) ? seli.normRatioClassifiers() : seli.normRatioEmbeddings();
                if (spec.r() > 1) {
                    s.add(Series.markers(spec.name() + " measured", ep, d.column("norm_ratio_" + q[0]), c));
                    s.add(Series.line(spec.name() + " SELI prediction", ep, constant(ep.length, predicted), c));
                }
            }
            if (all.length > 0) {
                s.add(Series.line("ETF prediction (1)", all, constant(all.length, 1), "#000000").withDash(Series.Dash.DASHED));
            }
            charts.add(Plots.lineChart("fig7-norm-ratio-" + q[0], "Fig. 7/14: norm ratio of " + q[1], "epoch", "ratio", false, s,
                    "Markers: measured mean over (majority, minority) pairs (App. G.1.4); solid: SELI prediction; dashed: ETF."
                            + " Balanced runs (R = 1) have no minority classes and are not drawn."));
        }
        List<Series> nc1 = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RunData d = data.get(i);
            nc1.add(Series.line(specs.get(i).name(), d.column("epoch"), d.column("nc1_pinv"), colour(i)).withMarkers(true));
        }
        charts.add(Plots.lineChart("fig13-nc1", "Fig. 13: NC1 = tr(Sigma_W Sigma_B^+)/K", "epoch", "NC1", true, nc1,
                "Training set, class-balanced centring (docs/metrics.md)."));
        return charts;
    }

    /** A constant series over the logged epochs (drawn as a line on whatever x scale the chart chooses). */
    private static double[] constant(int n, double value) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static List<Check> checks(List<RunSpec> specs, List<RunData> data) {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RunSpec spec = specs.get(i);
            RunData d = data.get(i);
            double[] ep = d.column("epoch");
            String at = spec.name() + ", epoch " + (long) ep[ep.length - 1];
            double sw = last(d, "dist_seli_classifier");
            double ew = last(d, "dist_etf_classifier");
            double[] nc1 = d.column("nc1_pinv");
            double fall = nc1[0] / last(d, "nc1_pinv");
            checks.add(new Check(at + ": neural collapse, NC1 falls during training (Fig. 13)", ">= " + (int) NC1_FALL + "x",
                    TidyCsv.fmt(nc1[0]) + " -> " + TidyCsv.fmt(last(d, "nc1_pinv")) + " (" + TidyCsv.fmt(fall) + "x)",
                    ">= " + (int) NC1_FALL + "x", fall >= NC1_FALL));
            double zero = zeroErrorEpoch(d);
            checks.add(new Check(at + ": the network reaches zero training error (Table 2; the paper's runs train past it)",
                    "train accuracy 1", Double.isNaN(zero) ? "never (last " + TidyCsv.fmt(last(d, "train_acc")) + ")"
                            : "first logged at epoch " + (long) zero, "exact", !Double.isNaN(zero)));
            if (spec.r() == 1) {
                double dev = 0;
                for (String q : List.of("classifier", "embedding", "logits")) {
                    dev = Math.max(dev, Math.abs(last(d, "dist_seli_" + q) - last(d, "dist_etf_" + q)));
                }
                checks.add(new Check(at + ": balanced, SELI = ETF (Cor. 1.3): distances to both equal (classifier, embedding, logits)",
                        "equal", "max |dSELI - dETF| = " + TidyCsv.fmt(dev), String.valueOf(BALANCED_TOLERANCE),
                        dev <= BALANCED_TOLERANCE));
            } else {
                checks.add(new Check(at + ": classifiers closer to SELI than to the ETF (Figs. 2/6, Table of Sec. 5.3)",
                        "SELI < ETF", TidyCsv.fmt(sw) + " < " + TidyCsv.fmt(ew), "strict", sw < ew));
                double sm = last(d, "dist_seli_embedding");
                double em = last(d, "dist_etf_embedding");
                checks.add(new Check(at + ": centred class means closer to SELI than to the ETF (Figs. 2/6)", "SELI < ETF",
                        TidyCsv.fmt(sm) + " < " + TidyCsv.fmt(em), "strict", sm < em));
                SeliGeometry seli = SeliGeometry.of(spec.sizes());
                double rm = last(d, "norm_ratio_M");
                double pm = seli.normRatioEmbeddings();
                checks.add(new Check(at + ": ||mu_maj||/||mu_min|| moves from 1 (ETF) towards the SELI prediction (Fig. 14)",
                        "SELI " + TidyCsv.fmt(pm) + " (ETF 1)", TidyCsv.fmt(rm), "|r - SELI| < |r - 1|",
                        Math.abs(rm - pm) < Math.abs(rm - 1)));
                double[] errors = testErrors(d, spec.sizes());
                checks.add(new Check(at + ": balanced test error is higher on minority than on majority classes (Table 3)",
                        "minority > majority", TidyCsv.fmt(errors[2]) + " % > " + TidyCsv.fmt(errors[1]) + " %", "strict",
                        errors[2] > errors[1]));
                double rw = last(d, "norm_ratio_W");
                double pw = seli.normRatioClassifiers();
                checks.add(new Check(at + ": ||w_maj||/||w_min|| moves from 1 (ETF) towards the SELI prediction (Fig. 7)",
                        "SELI " + TidyCsv.fmt(pw) + " (ETF 1)", TidyCsv.fmt(rw), "|r - SELI| < |r - 1|",
                        Math.abs(rw - pw) < Math.abs(rw - 1)));
            }
        }
        return checks;
    }
}
