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
import nclab.theory.LayerPeeledGeometry;

/**
 * Seed 003, Figs. 2 and 3: the average cosine between minority classifiers of the Layer-Peeled Model
 * (eq. 15, solved as its convex nuclear-norm form, spec 003 §3) against the imbalance ratio R, for
 * (K_A, K_B) = (3, 7), (5, 5), (7, 3), E_W = 1, E_H = 5. Minority Collapse (Theorem 5) shows as the cosine
 * reaching 1 at a finite R_0; past a second threshold the minority classifiers are exactly zero and the
 * cosine is undefined (0/0; not plotted, CSV {@code NaN}, {@code minority_zero = 1}).
 *
 * <p>Two cosines, both in the CSV and the plot: {@code minorityCosine} (the true mean pairwise cosine of
 * the minority classifiers w_i, the quantity the paper defines) and {@code minorityCosineGramRows} (the
 * authors' public code: cosines between rows K+i of the 2K×2K Gram X = [[H̄ᵀH̄, Zᵀ], [Z, WWᵀ]]).
 */
public final class LpmMinorityCosineVsR implements Reproduction {
    static final int[][] SPLITS = {{3, 7}, {5, 5}, {7, 3}};
    static final double E_W = 1;
    static final double E_H = 5;
    static final int N_A = 100_000;
    static final String CSV = "lpm_minority_cosine.csv";
    static final List<String> COLUMNS = List.of("K_A", "K_B", "R", "minority_cos_true", "minority_cos_gram_rows",
            "minority_zero", "relative_gap", "converged");
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    @Override
    public String id() {
        return "lpm-minority-cosine-vs-r";
    }

    @Override
    public String paper() {
        return "003";
    }

    @Override
    public String figure() {
        return "Figs. 2, 3";
    }

    @Override
    public String description() {
        return "Layer-Peeled Model average minority-classifier cosine vs R for K_A = 3, 5, 7 (true cosine and the authors'"
                + " Gram-row variant). The paper's Fig. 3 caption defines the true classifier cosine (minorityCosine); the"
                + " authors' public code, which drew the figures, computes minorityCosineGramRows, so the published curves are"
                + " expected to follow the Gram-row variant mid-transition. Both agree at R = 1, at collapse (1) and on R_0, so"
                + " which one the printed curves show is open (spec 003 §7 item 1)";
    }

    /** Grid sizes: quick 12, paper 40 log-spaced values from 1 to 1000. */
    static int points(Profile profile) {
        return profile == Profile.QUICK ? 12 : 40;
    }

    /** The R grid actually used: n_B = round(N_A / R) for log-spaced R, so R = N_A / n_B exactly. */
    static double[] grid(Profile profile) {
        double[] target = TidyCsv.logGrid(1, 1000, points(profile));
        double[] r = new double[target.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = N_A / (double) Math.round(N_A / target[i]);
        }
        return r;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "Layer-Peeled Model eq. 15 as the nuclear-norm program (nclab.theory.LayerPeeledGeometry)");
        s.put("splits_K_A_K_B", "(3,7), (5,5), (7,3)");
        s.put("E_W", E_W + " (paper silent for Figs. 2/3; value of the authors' code for Fig. 3, spec 003 §7 item 2)");
        s.put("E_H", E_H + " (same source; only E_W*E_H matters)");
        s.put("n_A", N_A + " (our choice: only n_A/n_B matters; large so that R = n_A/n_B is close to the log grid)");
        s.put("R_grid", points(profile) + " log-spaced values in [1, 1000], R = n_A/round(n_A/R)");
        s.put("oversample", 1);
        s.put("solver", "accelerated projected gradient, gap tolerance " + LayerPeeledGeometry.GAP_TOLERANCE
                + ", at most " + LayerPeeledGeometry.MAX_ITERATIONS + " iterations");
        s.put("cosines", "minority_cos_true = mean cos(w_i, w_j) over minority pairs;"
                + " minority_cos_gram_rows = authors' public code (rows of the 2K x 2K Gram)");
        s.put("which_matches_paper", "caption: true cosine; authors' code (which drew the figure): Gram-row variant;"
                + " open, spec 003 §7 item 1 (they agree at R = 1, at collapse and on R_0)");
        return s;
    }

    static LayerPeeledGeometry solve(int kA, int kB, double r) {
        return LayerPeeledGeometry.solve(ClassSizes.majorityMinority(kA, kB, N_A, r), E_W, E_H, 1);
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        double[] rs = grid(profile);
        TidyCsv csv = new TidyCsv(COLUMNS);
        int unconverged = 0;
        double worstGap = 0;
        for (int[] split : SPLITS) {
            for (double r : rs) {
                LayerPeeledGeometry g = solve(split[0], split[1], r);
                var cert = g.certificate();
                worstGap = Math.max(worstGap, cert.relativeGap());
                unconverged += cert.converged() ? 0 : 1;
                // at R = 1 the sizes are balanced and ClassSizes names no minority class: use the split's classes K_A+1..K
                double trueCos = r == 1 ? meanMinorityCosine(g, split[0]) : g.minorityCosine();
                csv.add(split[0], split[1], r, trueCos, g.minorityCosineGramRows(), g.minorityCollapsed() ? 1 : 0,
                        cert.relativeGap(), cert.converged() ? 1 : 0);
            }
        }
        Path file = csv.write(outDir.resolve(CSV));
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("every LPM solve of the grid converged (Frank-Wolfe relative gap <= "
                + LayerPeeledGeometry.CONVERGED_RELATIVE_GAP + ")", "0 unconverged", unconverged + " unconverged, worst relative gap "
                + TidyCsv.fmt(worstGap), "—", unconverged == 0));
        checks.addAll(pointChecks());
        return new Result(List.of(chart(csv, rs)), checks, List.of(file));
    }

    private static LineChart chart(TidyCsv csv, double[] rs) {
        double[] ka = csv.column("K_A");
        double[] trueCos = csv.column("minority_cos_true");
        double[] rowCos = csv.column("minority_cos_gram_rows");
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < SPLITS.length; s++) {
            int kA = SPLITS[s][0];
            double[] t = new double[rs.length];
            double[] g = new double[rs.length];
            int n = 0;
            for (int i = 0; i < ka.length; i++) {
                if (ka[i] == kA) {
                    t[n] = trueCos[i];
                    g[n++] = rowCos[i];
                }
            }
            series.add(Series.line("K_A=" + kA + " minorityCosine (true)", rs, t, COLOURS[s]));
            series.add(Series.line("K_A=" + kA + " minorityCosineGramRows (public code)", rs, g, COLOURS[s]).withDash(Series.Dash.DASHED));
        }
        double[] etf = new double[rs.length];
        java.util.Arrays.fill(etf, -1.0 / 9);
        series.add(Series.line("-1/(K-1) = -1/9 (ETF, eq. 10)", rs, etf, "#7f7f7f").withDash(Series.Dash.DASH_DOT));
        return Plots.lineChart("minority-cosine", "LPM average minority-classifier cosine, E_W = 1, E_H = 5", "R",
                "average cosine", false, series, "Solid: true classifier cosine; dashed: authors' Gram-row variant."
                        + " At R = 1 (balanced) the true cosine uses classes K_A+1..K; the Gram-row variant is undefined there (library: no minority classes)."
                        + " Where the minority classifiers are exactly zero (e.g. K_A = 7 past R ~ 5.7) the cosine is 0/0 and not drawn.");
    }

    /** Checks at single points, each solved afresh, evaluated from the Gram matrix here, and failing when unconverged. */
    static List<Check> pointChecks() {
        List<Check> checks = new ArrayList<>();
        LayerPeeledGeometry g10 = solve(5, 5, 10);
        double c10 = meanMinorityCosine(g10, 5);
        checks.add(new Check("(5,5), R = 10: average minority cosine (pitfalls.md, projected-gradient reference)", "0.517496",
                TidyCsv.fmt(c10), "1e-5", Math.abs(c10 - 0.517496) <= 1e-5 && converged(g10)));
        for (int[] split : SPLITS) {
            LayerPeeledGeometry g1 = solve(split[0], split[1], 1);
            double c1 = meanMinorityCosine(g1, split[0]);
            checks.add(new Check("(" + split[0] + "," + split[1] + "), R = 1: balanced, simplex ETF cosine -1/(K-1) (Theorem 1)",
                    TidyCsv.fmt(-1.0 / 9), TidyCsv.fmt(c1), "1e-6", Math.abs(c1 + 1.0 / 9) <= 1e-6 && converged(g1)));
        }
        LayerPeeledGeometry g100 = solve(5, 5, 100);
        double c100 = meanMinorityCosine(g100, 5);
        checks.add(new Check("(5,5), R = 100: Minority Collapse, cosine 1 (Theorem 5)", "1", TidyCsv.fmt(c100), "1e-6",
                Math.abs(c100 - 1) <= 1e-6 && converged(g100)));
        LayerPeeledGeometry g7 = LayerPeeledGeometry.solve(ClassSizes.majorityMinority(7, 3, 7000, 7), E_W, E_H, 1);
        LayerPeeledGeometry g4 = solve(7, 3, 4);
        double n7 = minorityNorm(g7, 7);
        double n4 = minorityNorm(g4, 7);
        checks.add(new Check("(7,3), R = 7: minority classifiers are exactly zero (second threshold R ~ 5.7, pitfalls.md)",
                "mean ||w_min|| = 0", TidyCsv.fmt(n7), "1e-6", n7 <= 1e-6 && converged(g7)));
        checks.add(new Check("(7,3), R = 4: minority classifiers are not zero (below R ~ 5.7)", "mean ||w_min|| > 0",
                TidyCsv.fmt(n4), "> 1e-3", n4 > 1e-3 && converged(g4)));
        return checks;
    }

    /** Whether the solve's certificate says converged (a point check fails on an unconverged solve). */
    private static boolean converged(LayerPeeledGeometry g) {
        return g.certificate().converged();
    }

    /** Mean pairwise cosine of the minority classifiers, from the classifier Gram. */
    static double meanMinorityCosine(LayerPeeledGeometry g, int kA) {
        double[][] w = g.geometry().classifierGram();
        int[] min = java.util.stream.IntStream.range(kA, g.sizes().k()).toArray();
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < min.length; a++) {
            for (int b = a + 1; b < min.length; b++) {
                sum += w[min[a]][min[b]] / Math.sqrt(w[min[a]][min[a]] * w[min[b]][min[b]]);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** Mean norm of the minority classifiers, from the diagonal of the classifier Gram. */
    static double minorityNorm(LayerPeeledGeometry g, int kA) {
        double[][] w = g.geometry().classifierGram();
        int[] min = java.util.stream.IntStream.range(kA, g.sizes().k()).toArray();
        double sum = 0;
        for (int i : min) {
            sum += Math.sqrt(Math.max(0, w[i][i]));
        }
        return sum / min.length;
    }
}
