package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.RunData;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.theory.DeepUfmGeometry;

/**
 * Seed 002 (Garrod &amp; Keating), Figs. 2 and 5: how often full-batch gradient descent on the deep linear UFM
 * (K = 10, n = 5, L = 2, lr 0.5) from random initialisations ends at deep neural collapse, against the width d
 * and the regularisation λ, and the mean rank of the class-mean logit matrix it ends at. The paper: "DNC is
 * unlikely at small widths but becomes increasingly probable as the network widens" (Theorem 5: the DNC solution
 * set has the larger dimension for large d) and "the probability of DNC tends to increase as regularization
 * decreases"; Fig. 5: the rank grows with d and as λ decreases.
 *
 * <p>Each run is an {@code nclab solve} run ({@link ReproRuns#solve}); its structure is read from its final
 * parameters ({@link DeepUfmRuns}): DNC = rank K−1 with a simplex class-mean logit matrix.
 */
public final class DeepUfmPrevalence implements Reproduction {
    static final int K = 10;
    static final int N = 5;
    static final int LAYERS = 2;
    static final double LR = 0.5;
    static final String CSV_RUNS = "deep_ufm_prevalence_runs.csv";
    static final String CSV_SUMMARY = "deep_ufm_prevalence.csv";
    /** |loss − ℓ*_DNC| allowed for a run labelled DNC. */
    static final double LOSS_TOLERANCE = 1e-5;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    /** Widths d. */
    static int[] widths(Profile profile) {
        return profile == Profile.QUICK ? new int[] {10, 35, 140} : new int[] {10, 20, 35, 70, 140};
    }

    /** Regularisation strengths λ. */
    static double[] lambdas(Profile profile) {
        return profile == Profile.QUICK ? new double[] {0x1p-8, 0x1p-10}
                : new double[] {0x1p-6, 0x1p-8, 0x1p-10, 0x1p-12, 0x1p-14};
    }

    /** Seeds per (d, λ). */
    static int seeds(Profile profile) {
        return profile == Profile.QUICK ? 3 : 10;
    }

    /** GD steps of a run at λ: quick 40 000; paper 200 000 for λ ≥ 2⁻¹⁰, 10⁶ below (convergence time grows like 1/λ). */
    static long steps(Profile profile, double lambda) {
        if (profile == Profile.QUICK) {
            return 40_000;
        }
        return lambda >= 0x1p-10 ? 200_000 : 1_000_000;
    }

    @Override
    public String id() {
        return "deep-ufm-prevalence";
    }

    @Override
    public String paper() {
        return "002";
    }

    @Override
    public String figure() {
        return "Figs. 2, 5";
    }

    @Override
    public String description() {
        return "frequency of deep neural collapse, and mean rank of the class-mean logits, reached by GD on the deep linear"
                + " UFM (K = 10, n = 5, L = 2) from random initialisations, against width d and lambda";
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "deep linear UFM, Eq. (1) (nclab solve model deep-ufm)");
        s.put("K", K);
        s.put("n_per_class", N);
        s.put("L", LAYERS);
        s.put("d", java.util.Arrays.toString(widths(profile)) + " (paper's grid lost in the text, spec 002 §6)");
        List<String> l = new ArrayList<>();
        for (double lambda : lambdas(profile)) {
            l.add(lambdaText(lambda));
        }
        s.put("lambda", String.join(", ", l) + " (paper's grid lost)");
        s.put("seeds", seeds(profile) + " per (d, lambda): seeds 1.." + seeds(profile) + " (paper: 10 runs)");
        s.put("optimizer", "full-batch gradient descent, lr " + LR + " (paper)");
        s.put("steps", profile == Profile.QUICK ? "40000 per run" : "200000 per run (1e6 for lambda < 2^-10)");
        s.put("initialisation", "torch-like: W_l ~ U(-1/sqrt(d), 1/sqrt(d)), H ~ N(0,1), scale 1 (paper silent)");
        s.put("dnc_label", "rank K-1 = 9 of the class-mean logit matrix (sigma_i > 1e-3 sigma_1) and ETF distance <= "
                + DeepUfmRuns.DNC_ETF_TOLERANCE + " (paper silent on its threshold)");
        return s;
    }

    static String lambdaText(double lambda) {
        return "2^" + Math.round(Math.log(lambda) / Math.log(2));
    }

    /** One solved run of the grid. */
    record Point(int d, double lambda, int seed, DeepUfmRuns.Outcome outcome, double dncLoss, double pairsLoss) {
    }

    /** Runs solved at a time (each run is single-threaded; the quick budget assumes the 2 cores of a laptop). */
    static int workers() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Solves (or reuses) every run of the grid, {@link #workers()} at a time; the result is in grid order. */
    static List<Point> solveGrid(Path outDir, int[] widths, double[] lambdas, int seeds, Profile profile) {
        List<java.util.concurrent.Callable<Point>> tasks = new ArrayList<>();
        for (double lambda : lambdas) {
            DeepUfmGeometry theory = DeepUfmGeometry.of(ClassSizes.balanced(K, N), LAYERS, lambda);
            for (int d : widths) {
                for (int seed = 1; seed <= seeds; seed++) {
                    Map<String, Object> config = DeepUfmRuns.config(K, N, d, LAYERS, lambda, false, null, LR,
                            steps(profile, lambda), seed, 20);
                    String name = String.format(Locale.ROOT, "lambda%s-d%d-steps%d-seed%d", lambdaText(lambda).replace("^", ""), d,
                            steps(profile, lambda), seed);
                    Path dir = outDir.resolve("runs").resolve(name);
                    int width = d;
                    int s = seed;
                    tasks.add(() -> new Point(width, lambda, s,
                            DeepUfmRuns.outcome(ReproRuns.solve(config, dir), K, N, LAYERS, false),
                            theory.dnc().loss(), theory.lowRank().loss()));
                }
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers());
        try {
            List<Point> points = new ArrayList<>();
            for (java.util.concurrent.Future<Point> f : pool.invokeAll(tasks)) {
                points.add(f.get());
            }
            return points;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while solving the prevalence grid", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Share of DNC runs and mean rank at one (d, λ) (NaN when there is no run). */
    record Cell(int d, double lambda, int runs, int dnc, int pairs, double meanRank) {
        double frequency() {
            return runs == 0 ? Double.NaN : dnc / (double) runs;
        }
    }

    static Cell cell(List<Point> points, int d, double lambda) {
        int runs = 0;
        int dnc = 0;
        int pairs = 0;
        double rank = 0;
        for (Point p : points) {
            if (p.d() == d && p.lambda() == lambda) {
                runs++;
                dnc += p.outcome().isDnc() ? 1 : 0;
                pairs += p.outcome().isPairs() ? 1 : 0;
                rank += p.outcome().rank();
            }
        }
        return new Cell(d, lambda, runs, dnc, pairs, runs == 0 ? Double.NaN : rank / runs);
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        int[] widths = widths(profile);
        double[] lambdas = lambdas(profile);
        List<Point> points = solveGrid(outDir, widths, lambdas, seeds(profile), profile);
        TidyCsv runs = new TidyCsv(List.of("d", "lambda", "seed", "final_loss", "rank", "etf_distance", "is_dnc", "is_pairs",
                "dnc_closed_form", "pairs_closed_form"));
        for (Point p : points) {
            DeepUfmRuns.Outcome o = p.outcome();
            runs.add(p.d(), p.lambda(), p.seed(), o.loss(), o.rank(), o.etfDistance(), o.isDnc() ? 1 : 0,
                    o.isPairs() ? 1 : 0, p.dncLoss(), p.pairsLoss());
        }
        TidyCsv summary = new TidyCsv(List.of("d", "lambda", "runs", "dnc_runs", "pairs_runs", "p_dnc", "mean_rank"));
        List<Series> freq = new ArrayList<>();
        List<Series> rank = new ArrayList<>();
        for (int li = 0; li < lambdas.length; li++) {
            double[] x = new double[widths.length];
            double[] f = new double[widths.length];
            double[] r = new double[widths.length];
            for (int di = 0; di < widths.length; di++) {
                Cell c = cell(points, widths[di], lambdas[li]);
                summary.add(c.d(), c.lambda(), c.runs(), c.dnc(), c.pairs(), c.frequency(), c.meanRank());
                x[di] = widths[di];
                f[di] = c.frequency();
                r[di] = c.meanRank();
            }
            String colour = COLOURS[li % COLOURS.length];
            freq.add(Series.markers("lambda = " + lambdaText(lambdas[li]), x, f, colour).withDash(Series.Dash.DOTTED));
            rank.add(Series.markers("lambda = " + lambdaText(lambdas[li]), x, r, colour).withDash(Series.Dash.DOTTED));
        }
        double[] ends = {widths[0], widths[widths.length - 1]};
        rank.add(Series.line("K - 1 = 9 (DNC)", ends, new double[] {K - 1, K - 1}, "#7f7f7f").withDash(Series.Dash.DASHED));
        rank.add(Series.line("K/2 = 5 (pairs, Eq. 5)", ends, new double[] {K / 2.0, K / 2.0}, "#7f7f7f")
                .withDash(Series.Dash.DASH_DOT));
        List<LineChart> charts = new ArrayList<>();
        int n = seeds(profile);
        addChart(charts, Plots.lineChart("p-dnc-vs-width", "Empirical probability of DNC vs width d (K = 10, n = 5, L = 2)",
                "width d", "fraction of runs ending at DNC", false, freq, "Markers: the share of the " + n
                        + " GD runs (seeds 1.." + n + ") per (d, lambda) whose class-mean logit matrix is a rank-9 simplex."));
        addChart(charts, Plots.lineChart("rank-vs-width", "Mean rank of the converged class-mean logits vs width d",
                "width d", "mean rank", false, rank, "Markers: mean over the " + n
                        + " runs per (d, lambda) of the numerical rank (sigma_i > 1e-3 sigma_1) of the class-mean logit matrix."
                        + " Ranks 6-8 are mixtures of a restricted simplex and pairs (paper App. D)."));
        List<Path> files = List.of(runs.write(outDir.resolve(CSV_RUNS)), summary.write(outDir.resolve(CSV_SUMMARY)));
        return new Result(charts, checks(points, widths, lambdas), files);
    }

    private static void addChart(List<LineChart> charts, LineChart chart) {
        if (chart != null) {
            charts.add(chart);
        }
    }

    /** Pooled share of DNC runs over all λ at width d. */
    static double pooledByWidth(List<Point> points, int d) {
        int runs = 0;
        int dnc = 0;
        for (Point p : points) {
            if (p.d() == d) {
                runs++;
                dnc += p.outcome().isDnc() ? 1 : 0;
            }
        }
        return runs == 0 ? Double.NaN : dnc / (double) runs;
    }

    /** Pooled share of DNC runs over all d at λ. */
    static double pooledByLambda(List<Point> points, double lambda) {
        int runs = 0;
        int dnc = 0;
        for (Point p : points) {
            if (p.lambda() == lambda) {
                runs++;
                dnc += p.outcome().isDnc() ? 1 : 0;
            }
        }
        return runs == 0 ? Double.NaN : dnc / (double) runs;
    }

    /** Pooled mean rank over all d at λ. */
    static double meanRankByLambda(List<Point> points, double lambda) {
        int runs = 0;
        double rank = 0;
        for (Point p : points) {
            if (p.lambda() == lambda) {
                runs++;
                rank += p.outcome().rank();
            }
        }
        return runs == 0 ? Double.NaN : rank / runs;
    }

    /** The checks (package-private: tests feed wrong outcomes and expect failures). */
    static List<Check> checks(List<Point> points, int[] widths, double[] lambdas) {
        List<Check> checks = new ArrayList<>();
        int dMin = widths[0];
        int dMax = widths[widths.length - 1];
        double pMin = pooledByWidth(points, dMin);
        double pMax = pooledByWidth(points, dMax);
        checks.add(new Check("DNC is unlikely at small width (paper Sec. 4, Fig. 2): share of DNC runs at d = " + dMin
                + " (= K), all lambda pooled", "<= 0.25", TidyCsv.fmt(pMin), "<= 0.25", pMin <= 0.25));
        checks.add(new Check("DNC becomes more probable as the network widens (Fig. 2, Theorem 5): share at d = " + dMax
                + " minus share at d = " + dMin + ", all lambda pooled", ">= 0.25", TidyCsv.fmt(pMax - pMin), ">= 0.25",
                pMax - pMin >= 0.25));
        double rMin = meanRank(points, dMin);
        double rMax = meanRank(points, dMax);
        checks.add(new Check("the rank of the solution found increases with width (Fig. 5 left): mean rank at d = " + dMax
                + " minus at d = " + dMin, "> 0.5", TidyCsv.fmt(rMax - rMin), "> 0.5", rMax - rMin > 0.5));
        int bad = 0;
        double worst = 0;
        int dncRuns = 0;
        for (Point p : points) {
            if (p.outcome().isDnc()) {
                dncRuns++;
                double gap = Math.abs(p.outcome().loss() - p.dncLoss());
                worst = Math.max(worst, gap);
                bad += gap <= LOSS_TOLERANCE ? 0 : 1;
            }
        }
        checks.add(new Check("every run labelled DNC has the closed-form optimal DNC loss of its lambda (Lemma 1)",
                "|loss - l*_DNC| <= " + LOSS_TOLERANCE, dncRuns + " DNC runs, worst gap " + TidyCsv.fmt(worst), "abs "
                        + LOSS_TOLERANCE, dncRuns > 0 && bad == 0));
        double lambdaLo = lambdas[lambdas.length - 1];
        double lambdaHi = lambdas[0];
        StringBuilder ranks = new StringBuilder();
        for (double lambda : lambdas) {
            ranks.append(ranks.length() == 0 ? "" : ", ").append(lambdaText(lambda)).append(": ")
                    .append(String.format(Locale.ROOT, "%.2f", meanRankByLambda(points, lambda)));
        }
        checks.add(new Check("lower regularisation gives higher ranks (Fig. 5 right): mean rank at lambda = "
                + lambdaText(lambdaLo) + " >= at " + lambdaText(lambdaHi) + ", all d pooled", ">=", ranks.toString(), "—",
                meanRankByLambda(points, lambdaLo) >= meanRankByLambda(points, lambdaHi)));
        double pLo = pooledByLambda(points, lambdaLo);
        double pHi = pooledByLambda(points, lambdaHi);
        checks.add(new Check("the probability of DNC tends to increase as regularisation decreases (Fig. 2 right): share of"
                + " DNC runs at lambda = " + lambdaText(lambdaLo) + " >= at " + lambdaText(lambdaHi) + ", all d pooled", ">=",
                TidyCsv.fmt(pLo) + " vs " + TidyCsv.fmt(pHi), "—", pLo >= pHi));
        return checks;
    }

    private static double meanRank(List<Point> points, int d) {
        int runs = 0;
        double rank = 0;
        for (Point p : points) {
            if (p.d() == d) {
                runs++;
                rank += p.outcome().rank();
            }
        }
        return runs == 0 ? Double.NaN : rank / runs;
    }
}
