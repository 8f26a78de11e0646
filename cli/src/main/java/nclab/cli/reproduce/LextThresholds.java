package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.theory.LExtendedGeometry;

/**
 * Seed 004 (Liu, arXiv 2411.17278), the collapse thresholds of Theorems 4.1–4.3: direction k of the L-extended UFM
 * with MSE is active iff L²·N·(N·Πλ)^{1/L} &lt; κ_k²·(L−1)^{(L−1)/L} (the paper's sentence after Thm 4.3 has the sign
 * reversed; spec 004 §2.5). With all L+1 regularisation strengths multiplied by a scale, direction k vanishes at the
 * critical scale s_c,k = (a*_L/a_k)^{L/(L+1)} ({@link LExtendedGeometry#criticalScales()}); continuously for L = 1
 * (singular value thresholding), abruptly for L ≥ 2 (Lemma A.2: x jumps from ≥ (L−1)^{1/L} to 0).
 *
 * <p>Two sweeps, each for L = 1, 2, 3, solved by full-batch GD from the model's default start at scales t·s_c:
 * <ul>
 *   <li>with bias, toy sizes n = [200, 100, 50, 20] (spec §2.10), across s_c of κ_2: the second singular value of
 *       A = W_L⋯W_1;</li>
 *   <li>without bias (Thm 4.1, App. C: κ_k = √n_k, U = V = I), across s_c of the smallest class: its classifier
 *       (row 4 of A) and its class mean vanish — minority collapse.</li>
 * </ul>
 * At each scale the best of the seeds (lowest objective) is kept; for L ≥ 2 just above the threshold GD can stop at a
 * metastable nonzero local minimum (spec §2.10), which the CSV shows as f − f* &gt; 0.
 */
public final class LextThresholds implements Reproduction {
    static final int[] TOY = {200, 100, 50, 20};
    static final int D = 64;
    /** Base λ_W = λ_H (scaled by t·s_c). */
    static final double LAMBDA0 = 0.01;
    static final int[] LAYERS = {1, 2, 3};
    static final String CSV = "lext_thresholds.csv";
    static final String THEORY_CSV = "lext_thresholds_theory.csv";
    /** Absolute tolerance on the swept singular value / norm (values 0.3–5; GD converges to ~1e−10 here). */
    static final double SV_TOL = 1e-5;
    /** Relative tolerance on f − f*. */
    static final double OBJECTIVE_TOL = 1e-8;
    static final double BELOW = 0.85;
    static final double ABOVE = 1.15;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    @Override
    public String id() {
        return "lext-thresholds";
    }

    @Override
    public String paper() {
        return "004";
    }

    @Override
    public String figure() {
        return "Theorems 4.1-4.3 (thresholds), Lemma A.2";
    }

    @Override
    public String description() {
        return "Minority collapse thresholds of the L-extended UFM with MSE: all regularisation strengths scaled across the"
                + " critical scale where a direction vanishes (bias, toy sizes: the 2nd singular value of W_L...W_1) or where"
                + " the smallest class's classifier vanishes (no bias), for L = 1 (continuous) and L = 2, 3 (abrupt jump),"
                + " GD markers vs theory lines";
    }

    static double[] scales(Profile profile) {
        return profile == Profile.QUICK ? new double[] {0.5, BELOW, 0.95, ABOVE, 1.5}
                : new double[] {0.3, 0.5, 0.7, BELOW, 0.95, 0.97, 1.03, 1.05, ABOVE, 1.3, 1.5};
    }

    static long steps(Profile profile) {
        return profile == Profile.QUICK ? 8000 : 30000;
    }

    static int seeds(Profile profile) {
        return profile == Profile.QUICK ? 1 : 3;
    }

    static double lr(int layers) {
        return layers == 1 ? 1.0 : 0.5;
    }

    /** The swept direction (0-based): κ_2 with a bias, the smallest class (κ_4 = √20) without. */
    static int direction(boolean bias) {
        return bias ? 1 : TOY.length - 1;
    }

    static LExtendedGeometry geometry(int layers, boolean bias, double t) {
        ClassSizes sizes = ClassSizes.of(TOY);
        double sc = LExtendedGeometry.of(sizes, layers, LAMBDA0, LAMBDA0, bias).criticalScales()[direction(bias)];
        return LExtendedGeometry.of(sizes, layers, LAMBDA0 * sc * t, LAMBDA0 * sc * t, bias);
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "L-extended UFM, MSE, eq. (4.3) (nclab solve model lext), lambda_b = 0");
        s.put("class_sizes", java.util.Arrays.toString(TOY) + " (spec 004 §2.10 toy)");
        s.put("layers", "1, 2, 3");
        s.put("lambda", "lambda_W = lambda_H = " + LAMBDA0 + " * s_c * t (our base value; one lambda for all layers, c = 1);"
                + " s_c = critical scale of kappa_2 (bias) / of the smallest class (no bias)");
        s.put("t", java.util.Arrays.toString(scales(profile)));
        s.put("d", D);
        s.put("optimizer", "full-batch GD, lr 1.0 (L = 1) / 0.5 (L >= 2), " + steps(profile) + " steps, seeds 1.."
                + seeds(profile) + " (lowest objective kept)");
        s.put("initialisation", "nclab lext default N(0, (1.6/sqrt(d))^2), b = 0");
        s.put("checks", "at t = " + BELOW + " and t = " + ABOVE + " on both sides of each threshold");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        return run(outDir, scales(profile), LAYERS, steps(profile), seeds(profile));
    }

    /** The run for given scales t (must include {@link #BELOW} and {@link #ABOVE}), layer counts, GD steps and seeds. */
    Result run(Path outDir, double[] ts, int[] layerCounts, long steps, int seeds) {
        TidyCsv csv = new TidyCsv(List.of("L", "bias", "t", "lambda", "seed", "swept_gd", "swept_pred", "f_gd", "f_star",
                "mean_norm_gd", "mean_norm_pred"));
        List<Check> checks = new ArrayList<>();
        for (boolean bias : new boolean[] {true, false}) {
            for (int layers : layerCounts) {
                double[] below = null;
                double[] above = null;
                for (double t : ts) {
                    LExtendedGeometry g = geometry(layers, bias, t);
                    double lambda = g.lambdaH();
                    LextSolvedRun best = null;
                    long bestSeed = 0;
                    for (long seed = 1; seed <= seeds; seed++) {
                        var cfg = LextSolvedRun.config(g.sizes(), layers, bias, lambda, lambda, D, lr(layers), steps, seed);
                        LextSolvedRun m = LextSolvedRun.solve(cfg, outDir.resolve("runs")
                                .resolve((bias ? "bias" : "nobias") + "-L" + layers + "-t" + TidyCsv.fmt(t).replaceAll("0+$", "")
                                        + "-seed" + seed));
                        if (best == null || m.objective() < best.objective()) {
                            best = m;
                            bestSeed = seed;
                        }
                    }
                    double swept = swept(best, bias);
                    double sweptPred = sweptPrediction(g, bias);
                    double meanNorm = bias ? Double.NaN : Math.sqrt(Math.max(0, best.meanGram()[TOY.length - 1][TOY.length - 1]));
                    double meanPred = bias ? Double.NaN
                            : Math.sqrt(Math.max(0, g.geometry().meanGram()[TOY.length - 1][TOY.length - 1]));
                    csv.add(layers, bias ? 1 : 0, t, lambda, bestSeed, swept, sweptPred, best.objective(), g.objective(),
                            meanNorm, meanPred);
                    double[] point = {swept, sweptPred, Math.abs(best.objective() - g.objective()) / g.objective(), meanNorm};
                    if (t == BELOW) {
                        below = point;
                    } else if (t == ABOVE) {
                        above = point;
                    }
                }
                checks.addAll(pointChecks(layers, bias, below, above));
            }
        }
        Path file = csv.write(outDir.resolve(CSV));
        TidyCsv theory = theoryCurves(layerCounts);
        Path theoryFile = theory.write(outDir.resolve(THEORY_CSV));
        return new Result(charts(csv, theory, layerCounts), checks, List.of(file, theoryFile));
    }

    /** With a bias: the second singular value of A; without: the norm of the smallest class's classifier (row 4 of A). */
    static double swept(LextSolvedRun m, boolean bias) {
        return bias ? m.productSv()[1] : Math.sqrt(Math.max(0, m.classifierGram()[TOY.length - 1][TOY.length - 1]));
    }

    static double sweptPrediction(LExtendedGeometry g, boolean bias) {
        // bias-free: U = I, so row k of A has norm sv_k(A) in class order
        return g.productSingularValues()[direction(bias)];
    }

    /** The checks on both sides of one threshold: point = {swept_gd, swept_pred, |f − f*|/f*, mean norm}. */
    static List<Check> pointChecks(int layers, boolean bias, double[] below, double[] above) {
        String what = bias ? "sv_2(W_L...W_1), toy sizes with bias" : "||w_4|| (smallest class, n = 20), no bias";
        String tag = "L = " + layers + ": " + what;
        List<Check> checks = new ArrayList<>();
        boolean activeOk = below[1] > 0 && Math.abs(below[0] - below[1]) <= SV_TOL && below[2] <= OBJECTIVE_TOL;
        checks.add(new Check(tag + " at t = " + BELOW + " s_c (below the threshold): active, equal to the closed form; GD reaches f*",
                TidyCsv.fmt(below[1]), TidyCsv.fmt(below[0]) + " (|f-f*|/f* = " + TidyCsv.fmt(below[2]) + ")",
                SV_TOL + " abs; f: " + OBJECTIVE_TOL + " rel", activeOk));
        boolean collapsedOk = above[1] == 0 && above[0] <= SV_TOL && above[2] <= OBJECTIVE_TOL
                && (bias || above[3] <= SV_TOL);
        checks.add(new Check(tag + " at t = " + ABOVE + " s_c (above the threshold): collapsed to 0"
                + (bias ? "" : " together with its class mean") + "; GD reaches f*", "0",
                TidyCsv.fmt(above[0]) + (bias ? "" : " (||hbar_4|| = " + TidyCsv.fmt(above[3]) + ")") + " (|f-f*|/f* = "
                        + TidyCsv.fmt(above[2]) + ")", SV_TOL + " abs; f: " + OBJECTIVE_TOL + " rel", collapsedOk));
        return checks;
    }

    /** Closed forms on a fine grid of t (the jump for L ≥ 2 shows as a vertical step). */
    static TidyCsv theoryCurves(int[] layerCounts) {
        TidyCsv t = new TidyCsv(List.of("L", "bias", "t", "swept_pred", "x"));
        for (boolean bias : new boolean[] {true, false}) {
            for (int layers : layerCounts) {
                for (int i = 0; i <= 240; i++) {
                    double s = 0.25 + i * (1.6 - 0.25) / 240;
                    LExtendedGeometry g = geometry(layers, bias, s);
                    t.add(layers, bias ? 1 : 0, s, sweptPrediction(g, bias), g.x()[direction(bias)]);
                }
            }
        }
        return t;
    }

    private static double[] select(TidyCsv csv, String col, int layers, boolean bias) {
        return csv.column(col, Map.of("L", (double) layers, "bias", bias ? 1.0 : 0.0));
    }

    static List<LineChart> charts(TidyCsv solved, TidyCsv theory, int[] layerCounts) {
        List<LineChart> charts = new ArrayList<>();
        for (boolean bias : new boolean[] {true, false}) {
            List<Series> series = new ArrayList<>();
            for (int layers : layerCounts) {
                String c = COLOURS[layers - 1];
                series.add(Series.line("L=" + layers + " theory", select(theory, "t", layers, bias),
                        select(theory, "swept_pred", layers, bias), c));
                series.add(Series.markers("L=" + layers + " GD", select(solved, "t", layers, bias),
                        select(solved, "swept_gd", layers, bias), c));
            }
            String y = bias ? "sv_2(W_L...W_1)" : "||w_4|| (class n = 20)";
            LineChart chart = Plots.lineChart(bias ? "threshold-bias" : "minority-collapse-nobias",
                    bias ? "With bias, n = [200,100,50,20]: second singular value of W_L...W_1 across its threshold"
                            : "No bias, n = [200,100,50,20]: smallest-class classifier norm across its threshold",
                    "t = scale / s_c", y, false, series,
                    "All lambdas (lambda_W = lambda_H) = " + LAMBDA0 + " s_c t, s_c = critical scale of "
                            + (bias ? "kappa_2" : "kappa_4 = sqrt(20)") + " for each L. Lines: closed form (L = 1 falls"
                            + " continuously to 0 at t = 1; L = 2, 3 jump, Lemma A.2); markers: GD (d = " + D + ").");
            if (chart != null) {
                charts.add(chart);
            }
        }
        return charts;
    }
}
