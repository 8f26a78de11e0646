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
import nclab.experiment.RunDirectory;
import nclab.io.Npz;
import nclab.metrics.GeometryDistance.Distances;
import nclab.optim.NuclearNormCeSolution;
import nclab.optim.NuclearNormCrossEntropy;
import nclab.theory.ClassGeometry;

/**
 * Seed 000, Fig. 5 (and App. F, Fig. 9): the unconstrained-features model L(WᵀH)/n trained by SGD without
 * regularisation (batch 4, constant lr 0.4, k = 4, (R, 1/2)-STEP with n ≈ 400). By Theorem 1 and the implicit bias
 * of gradient descent on separable CE, the direction of the iterates approaches the UF-SVM (2) solutions, i.e.
 * the SELI geometry (Definition 3); convergence is logarithmically slow. Plotted: the normalised Frobenius
 * distances (Sec. 5) of the classifier Gram WWᵀ, the class-mean Gram MMᵀ and the logits WMᵀ to SELI and to the
 * simplex ETF against epochs, one run per R, each an ordinary {@code nclab solve} run (model {@code ufm}).
 *
 * <p>Extra series (App. F): Fig. 9, the same model with weight decay λ/n = 1e-3 on both factors (lr 1, k = 4,
 * R = 10, n_min = 1), whose limit is the λ-SELI geometry of the eq. (7) minimiser Ẑ_λ at λ = n·1e-3 (Theorem 2),
 * not SELI (Prop. 1); and the model with a classifier bias (the paper's theory has none), R = 10.
 */
public final class SeliUfmSgd implements Reproduction {
    static final int K = 4;
    static final double RHO = 0.5;
    static final int D = 16;
    static final double LR = 0.4;
    static final int BATCH = 4;
    static final double INIT_SCALE = 0.1;
    static final long SEED = 1;
    /** Fig. 9: weight decay λ/n on W and H (mean loss), lr 1, R = 10, n_min = 1. */
    static final double WD = 1e-3;
    static final double WD_LR = 1;
    static final String CSV = "seli_ufm_sgd.csv";
    static final String FINAL_CSV = "seli_ufm_sgd_final.csv";
    static final List<String> COLUMNS = List.of("variant", "R", "n", "step", "epoch", "dist_seli_classifier", "dist_etf_classifier",
            "dist_seli_embedding", "dist_etf_embedding", "dist_seli_logits", "dist_etf_logits", "sel_dist", "nc1", "min_margin");
    static final List<String> FINAL_COLUMNS = List.of("variant", "R", "n", "epochs", "dist_seli_classifier",
            "dist_etf_classifier", "dist_seli_embedding", "dist_etf_embedding", "dist_seli_logits", "sel_dist",
            "dist_lambda_seli_classifier", "dist_lambda_seli_embedding", "dist_lambda_seli_logits");
    /** Final-epoch bound on the classifier and embedding distances to SELI at R = 10 (quick), set from measurement. */
    static final double QUICK_R10_BOUND = 0.15;
    /** Final-epoch bound on the distances to the ETF at R = 1 (quick), set from measurement. */
    static final double QUICK_R1_BOUND = 0.05;
    /** Final-epoch bound on the distances of the weight-decay run to λ-SELI, set from measurement. */
    static final double LAMBDA_SELI_BOUND = 5e-3;
    private static final String[] COLOURS = {"#7f7f7f", "#2ca02c", "#1f77b4", "#d62728"};

    /** Which model a run trains: 0 = plain CE (Fig. 5), 1 = weight decay (Fig. 9), 2 = with bias. */
    enum Variant {
        PLAIN, WEIGHT_DECAY, BIAS
    }

    /** One run: variant, R and n_min. */
    record RunSpec(Variant variant, int r, int nMin) {
        String name() {
            return switch (variant) {
                case PLAIN -> "fig5-R" + r;
                case WEIGHT_DECAY -> "fig9-wd-R" + r;
                case BIAS -> "bias-R" + r;
            };
        }

        ClassSizes sizes() {
            return ClassSizes.step(K, r, RHO, nMin);
        }
    }

    @Override
    public String id() {
        return "seli-ufm-sgd";
    }

    @Override
    public String paper() {
        return "000";
    }

    @Override
    public String figure() {
        return "Fig. 5, App. F Fig. 9";
    }

    @Override
    public String description() {
        return "UFM trained by SGD (batch 4, lr 0.4, no regularisation), k = 4, n ~ 400: distances of classifiers, embeddings"
                + " and logits to SELI and to the ETF vs epochs, per R; App. F: weight decay (limit lambda-SELI) and bias variants";
    }

    /** Epochs: quick 10⁴, paper 10⁵ (spec 000 §7.3 reads the OCR "10°" as 10⁵). */
    static long epochs(Profile profile) {
        return profile == Profile.QUICK ? 10_000 : 100_000;
    }

    /** The runs: R = 1, 10, 100 (quick) or 1, 5, 10, 100 (paper) with n ≈ 400, then the App. F variants at R = 10. */
    static List<RunSpec> runs(Profile profile) {
        List<RunSpec> runs = new ArrayList<>();
        if (profile == Profile.QUICK) {
            runs.add(new RunSpec(Variant.PLAIN, 1, 100));
            runs.add(new RunSpec(Variant.PLAIN, 10, 18));
            runs.add(new RunSpec(Variant.PLAIN, 100, 2));
        } else {
            runs.add(new RunSpec(Variant.PLAIN, 1, 100));
            runs.add(new RunSpec(Variant.PLAIN, 5, 33));
            runs.add(new RunSpec(Variant.PLAIN, 10, 18));
            runs.add(new RunSpec(Variant.PLAIN, 100, 2));
        }
        runs.add(new RunSpec(Variant.WEIGHT_DECAY, 10, 1));
        runs.add(new RunSpec(Variant.BIAS, 10, 18));
        return runs;
    }

    /** The {@code nclab solve} config of one run. */
    static Map<String, Object> config(RunSpec run, long epochs, int logPoints) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", "ufm");
        c.put("step", List.of(K, run.r(), RHO, run.nMin()));
        c.put("d", D);
        if (run.variant() == Variant.WEIGHT_DECAY) {
            c.put("lambda_w", WD);
            c.put("lambda_h", WD);
        }
        if (run.variant() == Variant.BIAS) {
            c.put("bias", true);
        }
        c.put("init_scale", INIT_SCALE);
        c.put("optimizer", "sgd");
        c.put("lr", run.variant() == Variant.WEIGHT_DECAY ? WD_LR : LR);
        c.put("batch", BATCH);
        c.put("epochs", epochs);
        c.put("seed", SEED);
        c.put("log_points", logPoints);
        return c;
    }

    static int logPoints(Profile profile) {
        return profile == Profile.QUICK ? 40 : 100;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "ufm: (1/n) L(W^T H), no regularisation, no bias (nclab solve, model ufm)");
        s.put("k", K);
        s.put("rho", RHO);
        List<String> runs = new ArrayList<>();
        for (RunSpec r : runs(profile)) {
            runs.add(r.name() + ": R = " + r.r() + ", n_min = " + r.nMin() + ", n = " + r.sizes().total());
        }
        s.put("runs", runs);
        s.put("n", "about 400 (n_min = 100, 33, 18, 2 for R = 1, 5, 10, 100; spec 000 §7.3)");
        s.put("d", D + " (paper silent; any d >= k-1)");
        s.put("init_scale", INIT_SCALE + " (std of the Gaussian initialisation; paper silent)");
        s.put("optimizer", "sgd, batch " + BATCH + ", constant lr " + LR + ", no momentum, sampling without replacement");
        s.put("epochs", epochs(profile) + (profile == Profile.QUICK ? " (paper: 10^5)" : " (OCR '10°' read as 10^5)"));
        s.put("log_points", logPoints(profile) + " log-spaced epochs");
        s.put("seed", SEED);
        s.put("variant_fig9", "weight decay lambda_w = lambda_h = " + WD + " (lambda/n of the paper), lr " + WD_LR
                + ", batch " + BATCH + " (paper silent on the batch), R = 10, n_min = 1 (n = 22); lambda-SELI from eq. (7) at"
                + " lambda = n·" + WD + " = 0.022");
        s.put("variant_bias", "as fig5-R10 with a trainable classifier bias (bias: true)");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        long epochs = epochs(profile);
        List<RunSpec> specs = runs(profile);
        List<RunData> data = new ArrayList<>();
        for (RunSpec spec : specs) {
            data.add(ReproRuns.solve(config(spec, epochs, logPoints(profile)), outDir.resolve("runs").resolve(spec.name())));
        }
        TidyCsv csv = new TidyCsv(COLUMNS);
        TidyCsv fin = new TidyCsv(FINAL_COLUMNS);
        List<Distances> lambdaSeli = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RunSpec spec = specs.get(i);
            RunData d = data.get(i);
            long n = spec.sizes().total();
            double[] x = epochs(d);
            for (int row = 0; row < x.length; row++) {
                csv.add(spec.variant().ordinal(), spec.r(), n, d.x()[row], x[row], at(d, "dist_seli_classifier", row),
                        at(d, "dist_etf_classifier", row), at(d, "dist_seli_embedding", row), at(d, "dist_etf_embedding", row),
                        at(d, "dist_seli_logits", row), at(d, "dist_etf_logits", row), at(d, "sel_dist", row),
                        at(d, "nc1_pinv", row), at(d, "min_margin", row));
            }
            Distances ls = spec.variant() == Variant.WEIGHT_DECAY ? lambdaSeliDistances(spec, d.dir())
                    : new Distances(Double.NaN, Double.NaN, Double.NaN);
            lambdaSeli.add(ls);
            fin.add(spec.variant().ordinal(), spec.r(), n, x[x.length - 1], last(d, "dist_seli_classifier"),
                    last(d, "dist_etf_classifier"), last(d, "dist_seli_embedding"), last(d, "dist_etf_embedding"),
                    last(d, "dist_seli_logits"), last(d, "sel_dist"), ls.classifier(), ls.embedding(), ls.logits());
        }
        Path file = csv.write(outDir.resolve(CSV));
        Path finalFile = fin.write(outDir.resolve(FINAL_CSV));
        return new Result(charts(specs, data), checks(specs, data, lambdaSeli, profile), List.of(file, finalFile));
    }

    /**
     * The logged steps in (fractional) epochs: step / ⌈n/batch⌉ (the solve run's first column is the optimiser step;
     * its integer {@code epoch} column would stack the early logs, several per epoch, at one x).
     */
    static double[] epochs(RunData d) {
        double[] step = d.x();
        double[] whole = d.column("epoch");
        // steps per epoch = ⌈n/batch⌉, read off the last row (logged at the end of the last epoch)
        double n = step[step.length - 1] / whole[whole.length - 1];
        double[] e = new double[step.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = step[i] / n;
        }
        return e;
    }

    private static double at(RunData d, String column, int row) {
        return d.has(column) ? d.column(column)[row] : Double.NaN;
    }

    private static double last(RunData d, String column) {
        double[] c = d.column(column);
        return c[c.length - 1];
    }

    /**
     * Distances of the final W, H of a weight-decay run (final.npz) to the λ-SELI geometry: the eq. (8) factors of
     * the eq. (7) minimiser at λ = n·√(λ_Wλ_H) (mean loss, {@link NuclearNormCrossEntropy#solveMeanLoss}).
     */
    static Distances lambdaSeliDistances(RunSpec spec, Path runDir) {
        var arrays = Npz.read(runDir.resolve(RunDirectory.FINAL));
        double[][] w = arrays.get("W").toMatrix();
        double[][] h = arrays.get("H").toMatrix();
        ClassSizes sizes = spec.sizes();
        NuclearNormCeSolution sol = NuclearNormCrossEntropy.solveMeanLoss(sizes, WD, NuclearNormCrossEntropy.Options.defaults());
        return Distances.between(ClassGeometry.fromVectors(w, classMeans(h, sizes)), sol.geometry());
    }

    /** Class means of the rows of H (samples ordered by class). */
    static double[][] classMeans(double[][] h, ClassSizes sizes) {
        double[][] m = new double[sizes.k()][h[0].length];
        int i = 0;
        for (int c = 0; c < sizes.k(); c++) {
            for (long s = 0; s < sizes.count(c); s++, i++) {
                for (int j = 0; j < h[i].length; j++) {
                    m[c][j] += h[i][j] / sizes.count(c);
                }
            }
        }
        return m;
    }

    private static List<LineChart> charts(List<RunSpec> specs, List<RunData> data) {
        List<LineChart> charts = new ArrayList<>();
        String[][] quantities = {{"classifier", "classifiers W^T W"}, {"embedding", "class-mean embeddings M^T M"}};
        for (String[] q : quantities) {
            List<Series> s = new ArrayList<>();
            int plain = 0;
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).variant() != Variant.PLAIN) {
                    continue;
                }
                String c = COLOURS[plain++ % COLOURS.length];
                RunData d = data.get(i);
                String r = "R=" + specs.get(i).r();
                s.add(Series.line(r + " to SELI", epochs(d), d.column("dist_seli_" + q[0]), c).withMarkers(true));
                s.add(Series.line(r + " to ETF", epochs(d), d.column("dist_etf_" + q[0]), c).withDash(Series.Dash.DASHED));
            }
            charts.add(Plots.lineChart("fig5-" + q[0], "Fig. 5: " + q[1] + ", distance to SELI (solid) and ETF (dashed)", "epoch",
                    "normalised Frobenius distance", true, s, "SGD, batch 4, lr 0.4, no regularisation, k = 4, n ~ 400."
                            + " At R = 1 SELI = ETF and the two curves coincide."));
        }
        List<Series> logits = new ArrayList<>();
        int plain = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).variant() != Variant.PLAIN) {
                continue;
            }
            String c = COLOURS[plain++ % COLOURS.length];
            RunData d = data.get(i);
            logits.add(Series.line("R=" + specs.get(i).r() + " class logits W^T M", epochs(d), d.column("dist_seli_logits"), c)
                    .withMarkers(true));
            logits.add(Series.line("R=" + specs.get(i).r() + " sample logits vs SEL matrix", epochs(d), d.column("sel_dist"), c)
                    .withDash(Series.Dash.DOTTED));
        }
        charts.add(Plots.lineChart("fig5-logits", "Fig. 5: logits, distance to SELI (= ETF for class-level logits)", "epoch",
                "normalised Frobenius distance", true, logits, "The class-level SEL logits are I - 11^T/k for every R, so SELI and"
                        + " ETF give one reference; dotted: all n x k logits against the SEL matrix (sel_dist)."));
        List<Series> variants = new ArrayList<>();
        String[] vc = {"#9467bd", "#8c564b"};
        int v = 0;
        for (int i = 0; i < specs.size(); i++) {
            RunSpec spec = specs.get(i);
            if (spec.variant() == Variant.PLAIN) {
                continue;
            }
            RunData d = data.get(i);
            String c = vc[v++ % vc.length];
            variants.add(Series.line(spec.name() + " classifiers to SELI", epochs(d), d.column("dist_seli_classifier"), c)
                    .withMarkers(true));
            variants.add(Series.line(spec.name() + " classifiers to ETF", epochs(d), d.column("dist_etf_classifier"), c)
                    .withDash(Series.Dash.DASHED));
            variants.add(Series.line(spec.name() + " embeddings to SELI", epochs(d), d.column("dist_seli_embedding"), c)
                    .withDash(Series.Dash.DOTTED));
        }
        charts.add(Plots.lineChart("appF-variants", "App. F: weight decay (Fig. 9) and bias variants, R = 10", "epoch",
                "normalised Frobenius distance", true, variants, "fig9-wd: weight decay 1e-3 on W and H, lr 1, n = 22; its limit is"
                        + " lambda-SELI (final distances in seli_ufm_sgd_final.csv and the checks), which stays away from SELI (Prop. 1)."
                        + " bias: fig5-R10 with a classifier bias."));
        return charts;
    }

    static List<Check> checks(List<RunSpec> specs, List<RunData> data, List<Distances> lambdaSeli, Profile profile) {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RunSpec spec = specs.get(i);
            RunData d = data.get(i);
            double sw = last(d, "dist_seli_classifier");
            double ew = last(d, "dist_etf_classifier");
            double sm = last(d, "dist_seli_embedding");
            double em = last(d, "dist_etf_embedding");
            double[] ep = epochs(d);
            String at = spec.name() + ", epoch " + Math.round(ep[ep.length - 1]);
            switch (spec.variant()) {
                case PLAIN -> {
                    if (spec.r() == 1) {
                        double same = Math.max(Math.abs(sw - ew), Math.abs(sm - em));
                        checks.add(new Check(at + ": balanced, SELI = ETF (Cor. 1.3): both distances equal", "equal",
                                "|dSELI - dETF| = " + TidyCsv.fmt(same), "1e-9", same <= 1e-9));
                        checks.add(new Check(at + ": balanced run is near the ETF (classifiers, embeddings)", "-> 0",
                                TidyCsv.fmt(ew) + ", " + TidyCsv.fmt(em), "<= " + QUICK_R1_BOUND,
                                Math.max(ew, em) <= QUICK_R1_BOUND));
                    } else {
                        checks.add(new Check(at + ": closer to SELI than to the ETF (Fig. 5), classifiers and embeddings",
                                "SELI < ETF", "classifiers " + TidyCsv.fmt(sw) + " < " + TidyCsv.fmt(ew) + ", embeddings "
                                        + TidyCsv.fmt(sm) + " < " + TidyCsv.fmt(em), "strict", sw < ew && sm < em));
                        double first = d.column("dist_seli_classifier")[1];
                        checks.add(new Check(at + ": the classifier distance to SELI decreases during training", "decreasing",
                                TidyCsv.fmt(first) + " (first logged epoch) -> " + TidyCsv.fmt(sw), "strict", sw < first));
                        if (spec.r() == 10) {
                            checks.add(new Check(at + ": near SELI (classifiers, embeddings)", "-> 0", TidyCsv.fmt(sw) + ", "
                                    + TidyCsv.fmt(sm), "<= " + QUICK_R10_BOUND, Math.max(sw, sm) <= QUICK_R10_BOUND));
                        }
                    }
                }
                case WEIGHT_DECAY -> {
                    Distances l = lambdaSeli.get(i);
                    double worst = Math.max(l.classifier(), Math.max(l.embedding(), l.logits()));
                    checks.add(new Check(at + ": with weight decay the run converges to lambda-SELI, the eq. (7)/(8) minimiser"
                            + " (Theorem 2, Fig. 9)", "-> 0", TidyCsv.fmt(l.classifier()) + ", " + TidyCsv.fmt(l.embedding()) + ", "
                                    + TidyCsv.fmt(l.logits()), "<= " + LAMBDA_SELI_BOUND, worst <= LAMBDA_SELI_BOUND));
                    checks.add(new Check(at + ": ... and not to SELI (Prop. 1): SELI distance stays > 0 but below the ETF's",
                            "0 < dSELI < dETF", "classifiers " + TidyCsv.fmt(sw) + " (ETF " + TidyCsv.fmt(ew) + ")", "> 10x the"
                                    + " lambda-SELI distance", sw > 10 * l.classifier() && sw < ew));
                }
                case BIAS -> checks.add(new Check(at + ": with a bias (App. F variant), classifiers still closer to SELI than ETF",
                        "SELI < ETF", TidyCsv.fmt(sw) + " < " + TidyCsv.fmt(ew), "strict", sw < ew));
                default -> throw new IllegalStateException();
            }
        }
        return checks;
    }
}
