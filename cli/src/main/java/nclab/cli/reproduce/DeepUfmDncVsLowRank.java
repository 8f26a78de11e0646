package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.RunData;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.theory.DeepUfmGeometry;
import nclab.theory.DeepUfmThresholds;

/**
 * Seed 002 (Garrod &amp; Keating), Fig. 1: the deep linear UFM (Eq. 1, K = 10, n = 5, d = 70, L = 2,
 * λ = 2⁻¹⁰) solved by full-batch gradient descent (lr 0.5) from random initialisations. Seeds 1, 2, … are
 * solved until one run has reached deep neural collapse and one the low-rank "pairs" solution of Eq. (5); their
 * loss curves are drawn against the closed-form optimal losses of both structures ({@link DeepUfmGeometry}:
 * ℓ*_DNC = min_α log(1+(K−1)e^{−α}) + ((L+1)λ/2)(K−1)(α√n)^{2/(L+1)}, ℓ*_pairs likewise), and their final
 * class-mean logit matrices are drawn as heat maps (a simplex vs 2×2 blocks).
 *
 * <p>Checks: Theorem 1 (the pairs solution beats DNC for K ≥ 6, L = 2) in closed form and in the solved runs;
 * the solved losses equal the closed forms; the class-mean logit matrices have rank K−1 (DNC, Proposition 1)
 * and ⌈K/2⌉ (pairs), with the singular values α* (×9) and 2β* (×5) of the closed-form optimal scales.
 */
public final class DeepUfmDncVsLowRank implements Reproduction {
    static final int K = 10;
    static final int N = 5;
    static final int D = 70;
    static final int LAYERS = 2;
    static final double LAMBDA = 0x1p-10;
    static final double LR = 0.5;
    static final String CSV_LOSS = "deep_ufm_fig1_loss.csv";
    static final String CSV_RUNS = "deep_ufm_fig1_runs.csv";
    static final String CSV_LOGITS = "deep_ufm_fig1_mean_logits.csv";
    /**
     * Tolerance on |solved loss − closed form| (absolute; the loss is ≈ 0.08; measured gaps ≈ 1e-15 after 60 000
     * steps; the nearest other structures differ by ≥ 1.4e-3, spec 002 §7.1).
     */
    static final double LOSS_TOLERANCE = 1e-8;
    /** Relative tolerance on the singular values of the class-mean logit matrix (measured ≈ 1e-13). */
    static final double SV_TOLERANCE = 1e-6;

    @Override
    public String id() {
        return "deep-ufm-dnc-vs-low-rank";
    }

    @Override
    public String paper() {
        return "002";
    }

    @Override
    public String figure() {
        return "Fig. 1";
    }

    @Override
    public String description() {
        return "deep linear UFM (K = 10, n = 5, d = 70, L = 2, lambda = 2^-10) solved by GD from random initialisations until"
                + " one run reaches DNC (quick: searched at d = 140) and one the low-rank pairs solution (Eq. 5): loss curves"
                + " against the closed-form optimal losses of both, and the final class-mean logit matrices";
    }

    /** GD steps per run: quick 60 000 (|grad| < 1e-6 by ~40k, spec 002 §7.3), paper 200 000. */
    static long steps(Profile profile) {
        return profile == Profile.QUICK ? 60_000 : 200_000;
    }

    /** Seeds tried at most (1, 2, …), stopping once both structures were reached. */
    static int maxSeeds(Profile profile) {
        return profile == Profile.QUICK ? 12 : 40;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "deep linear UFM, Eq. (1) (nclab solve model deep-ufm, relu false)");
        s.put("K", K);
        s.put("n_per_class", N);
        s.put("d", D + " (paper); the DNC run: d = " + dncWidth(profile) + (profile == Profile.QUICK
                ? " in quick, where most seeds reach DNC (at d = 70 about 1 in 10 does, spec 002 §7.3; the closed-form"
                        + " losses do not depend on d >= K)" : ""));
        s.put("L", LAYERS);
        s.put("lambda", "2^-10 = " + LAMBDA);
        s.put("optimizer", "full-batch gradient descent, lr " + LR + ", no momentum (paper: GD, lr 0.5)");
        s.put("steps", steps(profile) + " per run (paper silent; spec 002 §7.3: 1e5 safe, 2e5 clean)");
        s.put("initialisation", "torch-like: W_l ~ U(-1/sqrt(d), 1/sqrt(d)), H ~ N(0,1), scale 1 (paper silent)");
        s.put("seeds", "1, 2, ... up to " + maxSeeds(profile) + " at each width, stopping once one run reached the pairs"
                + " solution (d = " + D + ") and one DNC (d = " + dncWidth(profile) + ")");
        s.put("structure", "rank = #{sigma_i > 1e-3 sigma_1} of the K x K class-mean logit matrix; DNC: rank K-1 and ETF"
                + " distance <= " + DeepUfmRuns.DNC_ETF_TOLERANCE + "; pairs: rank K/2 and classes paired as in Eq. (5)");
        s.put("closed_forms", "nclab.theory.DeepUfmGeometry (reduced loss of Lemma 1, optimal scale by grid + Brent)");
        return s;
    }

    /** The outcome of every run tried, in seed order. */
    record Scan(List<DeepUfmRuns.Outcome> outcomes, DeepUfmRuns.Outcome dnc, DeepUfmRuns.Outcome pairs) {
    }

    /**
     * Width of the search for the DNC run: the paper's d = 70 in the paper profile; d = 140 in quick, where GD
     * reaches DNC from most seeds (3 of the first 4 measured) while at d = 70 about 1 seed in 10 does (spec 002
     * §7.3; seeds 1-9 gave none here), more runs than the quick budget holds. The closed-form losses do not depend
     * on d ≥ K (Lemma 1).
     */
    static int dncWidth(Profile profile) {
        return profile == Profile.QUICK ? 140 : D;
    }

    /**
     * Solves seeds 1, 2, … (at most {@code maxSeeds}) at width {@code pairsWidth} until one run reached the pairs
     * solution and at width {@code dncWidth} until one reached DNC (one scan when the widths are equal).
     */
    static Scan scan(Path outDir, int pairsWidth, int dncWidth, long steps, int maxSeeds) {
        List<DeepUfmRuns.Outcome> all = new ArrayList<>();
        DeepUfmRuns.Outcome dnc = null;
        DeepUfmRuns.Outcome pairs = null;
        for (int seed = 1; seed <= maxSeeds && pairs == null; seed++) {
            DeepUfmRuns.Outcome o = solve(outDir, pairsWidth, steps, seed);
            all.add(o);
            pairs = o.isPairs() ? o : null;
            if (dnc == null && o.isDnc() && dncWidth == pairsWidth) {
                dnc = o;
            }
        }
        for (int seed = 1; seed <= maxSeeds && dnc == null; seed++) {
            DeepUfmRuns.Outcome o = solve(outDir, dncWidth, steps, seed);
            if (!all.contains(o)) {
                all.add(o);
            }
            dnc = o.isDnc() ? o : null;
        }
        return new Scan(all, dnc, pairs);
    }

    private static DeepUfmRuns.Outcome solve(Path outDir, int d, long steps, int seed) {
        Map<String, Object> config = DeepUfmRuns.config(K, N, d, LAYERS, LAMBDA, false, null, LR, steps, seed, 40);
        RunData run = ReproRuns.solve(config,
                outDir.resolve("runs").resolve("d" + d + "-steps" + steps + "-seed" + seed));
        return DeepUfmRuns.outcome(run, K, N, LAYERS, false);
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        DeepUfmGeometry theory = DeepUfmGeometry.of(ClassSizes.balanced(K, N), LAYERS, LAMBDA);
        Scan scan = scan(outDir, D, dncWidth(profile), steps(profile), maxSeeds(profile));
        List<Path> files = new ArrayList<>();
        files.add(writeRuns(scan, theory, outDir.resolve(CSV_RUNS)));
        TidyCsv loss = new TidyCsv(List.of("run", "seed", "step", "loss", "dnc_closed_form", "pairs_closed_form"));
        List<Series> series = new ArrayList<>();
        List<HeatMap> maps = new ArrayList<>();
        TidyCsv logits = new TidyCsv(List.of("run", "seed", "row_class", "col_class", "mean_logit"));
        double[] allSteps = new double[0];
        int runIndex = 0;
        for (DeepUfmRuns.Outcome o : new DeepUfmRuns.Outcome[] {scan.dnc(), scan.pairs()}) {
            runIndex++;
            if (o == null) {
                continue;
            }
            String name = (o.isDnc() ? "DNC" : "low-rank (pairs)") + ", d = " + o.run().config().get("d");
            double[] x = o.run().x();
            double[] y = o.run().column("loss");
            long seed = seedOf(o);
            for (int i = 0; i < x.length; i++) {
                loss.add(runIndex, seed, x[i], y[i], theory.dnc().loss(), theory.lowRank().loss());
            }
            series.add(Series.line("GD run, seed " + seed + ", ends at " + name, x, y, o.isDnc() ? "#1f77b4" : "#d62728")
                    .withMarkers(true));
            allSteps = x.length > allSteps.length ? x : allSteps;
            double[][] m = o.meanLogits();
            for (int i = 0; i < K; i++) {
                for (int c = 0; c < K; c++) {
                    logits.add(runIndex, seed, i, c, m[i][c]);
                }
            }
            int[] order = o.isPairs() ? pairOrder(m) : identityOrder(K);
            double[][] shown = new double[K][K];
            for (int i = 0; i < K; i++) {
                for (int c = 0; c < K; c++) {
                    shown[i][c] = m[order[i]][order[c]];
                }
            }
            maps.add(new HeatMap(o.isDnc() ? "mean-logits-dnc" : "mean-logits-low-rank",
                    "Class-mean logits, " + name + " run (seed " + seed + ")", shown, 0,
                    "Entry [i][c]: mean logit of class i over the samples of class c, after " + (long) x[x.length - 1]
                            + " GD steps; rank " + o.rank() + ", ETF distance " + TidyCsv.fmt(o.etfDistance()) + "."
                            + (o.isPairs() ? " Classes drawn in the order " + java.util.Arrays.toString(order)
                                    + " so that partners are adjacent (the CSV keeps the class order)." : "")));
        }
        double[] xs = {1, allSteps.length > 0 ? allSteps[allSteps.length - 1] : steps(profile)};
        series.add(Series.line("DNC closed form " + TidyCsv.fmt(theory.dnc().loss()), xs,
                new double[] {theory.dnc().loss(), theory.dnc().loss()}, "#1f77b4").withDash(Series.Dash.DASHED));
        series.add(Series.line("pairs (Eq. 5) closed form " + TidyCsv.fmt(theory.lowRank().loss()), xs,
                new double[] {theory.lowRank().loss(), theory.lowRank().loss()}, "#d62728").withDash(Series.Dash.DASHED));
        files.add(loss.write(outDir.resolve(CSV_LOSS)));
        files.add(logits.write(outDir.resolve(CSV_LOGITS)));
        List<LineChart> charts = new ArrayList<>();
        LineChart chart = Plots.lineChart("loss", "Deep linear UFM, K = 10, n = 5, d = 70, L = 2, lambda = 2^-10", "GD step",
                "loss", true, series, "Lines with markers: the loss of a GD run that ends at DNC and of one that ends at the"
                        + " low-rank pairs solution; dashed: the optimal losses of both structures in closed form (Lemma 1 reduced loss).");
        if (chart != null) {
            charts.add(chart);
        }
        return new Result(charts, maps, checks(theory, scan), files);
    }

    static int[] identityOrder(int k) {
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = i;
        }
        return o;
    }

    /** Classes reordered so that each class is followed by its partner (the most negative logit of its column). */
    static int[] pairOrder(double[][] logits) {
        int k = logits.length;
        boolean[] placed = new boolean[k];
        int[] order = new int[k];
        int n = 0;
        for (int c = 0; c < k; c++) {
            if (placed[c]) {
                continue;
            }
            placed[c] = true;
            order[n++] = c;
            int partner = -1;
            for (int i = 0; i < k; i++) {
                if (!placed[i] && (partner < 0 || logits[i][c] < logits[partner][c])) {
                    partner = i;
                }
            }
            if (partner >= 0 && logits[partner][c] < 0) {
                placed[partner] = true;
                order[n++] = partner;
            }
        }
        return order;
    }

    private static long seedOf(DeepUfmRuns.Outcome o) {
        return (long) Double.parseDouble(String.valueOf(o.run().config().get("seed")));
    }

    private static Path writeRuns(Scan scan, DeepUfmGeometry theory, Path file) {
        TidyCsv csv = new TidyCsv(List.of("d", "seed", "final_loss", "rank", "etf_distance", "is_dnc", "is_pairs",
                "sv_1", "sv_K_minus_1", "dnc_closed_form", "pairs_closed_form"));
        for (DeepUfmRuns.Outcome o : scan.outcomes()) {
            double[] sv = o.singularValues();
            csv.add(Double.parseDouble(String.valueOf(o.run().config().get("d"))), seedOf(o), o.loss(), o.rank(), o.etfDistance(), o.isDnc() ? 1 : 0, o.isPairs() ? 1 : 0, sv[0],
                    sv[K - 2], theory.dnc().loss(), theory.lowRank().loss());
        }
        return csv.write(file);
    }

    /** The checks of Fig. 1 (package-private for tests: a wrong outcome must fail them). */
    static List<Check> checks(DeepUfmGeometry theory, Scan scan) {
        List<Check> checks = new ArrayList<>();
        double dncLoss = theory.dnc().loss();
        double pairsLoss = theory.lowRank().loss();
        checks.add(new Check("Theorem 1: for K = 10, L = 2 (K >= 6) no DNC solution is a global minimum"
                + " (m 2^(2/(L+1)) < 2m - 1, m = K/2)", "true", String.valueOf(DeepUfmThresholds.theorem1(K, LAYERS)), "—",
                DeepUfmThresholds.theorem1(K, LAYERS)));
        checks.add(new Check("closed form: the pairs solution (Eq. 5) has a lower optimal loss than DNC (spec 002 §7.1:"
                + " 0.080013 < 0.090662)", "pairs < DNC", TidyCsv.fmt(pairsLoss) + " < " + TidyCsv.fmt(dncLoss), "—",
                pairsLoss < dncLoss));
        String tried = scan.outcomes().size() + " seeds tried: " + describe(scan.outcomes());
        checks.add(new Check("GD from random initialisations reaches both DNC and the pairs solution (paper Fig. 1)",
                "one run of each", tried, "—", scan.dnc() != null && scan.pairs() != null));
        if (scan.dnc() == null || scan.pairs() == null) {
            return checks;
        }
        DeepUfmRuns.Outcome d = scan.dnc();
        DeepUfmRuns.Outcome p = scan.pairs();
        checks.add(new Check("solved: the low-rank run ends below the DNC run", "pairs < DNC",
                TidyCsv.fmt(p.loss()) + " < " + TidyCsv.fmt(d.loss()), "—", p.loss() < d.loss()));
        checks.add(new Check("solved DNC loss = closed-form optimal DNC loss", TidyCsv.fmt(dncLoss), TidyCsv.fmt(d.loss()),
                "abs " + LOSS_TOLERANCE, Math.abs(d.loss() - dncLoss) <= LOSS_TOLERANCE));
        checks.add(new Check("solved pairs loss = closed-form optimal pairs loss", TidyCsv.fmt(pairsLoss),
                TidyCsv.fmt(p.loss()), "abs " + LOSS_TOLERANCE, Math.abs(p.loss() - pairsLoss) <= LOSS_TOLERANCE));
        checks.add(new Check("DNC run: class-mean logit matrix has rank K - 1 and is a simplex (Definition 2)",
                "rank 9, ETF distance 0", "rank " + d.rank() + ", ETF distance " + TidyCsv.fmt(d.etfDistance()),
                "ETF distance <= 1e-6", d.rank() == K - 1 && d.etfDistance() <= 1e-6));
        checks.add(new Check("pairs run: class-mean logit matrix has rank K/2 (Eq. 5)", "rank 5", "rank " + p.rank(), "exact",
                p.rank() == K / 2));
        // Z = alpha* S (x) 1^T has class-mean logit matrix alpha* S, singular values alpha* (x K-1);
        // pairs: beta* (I (x) B), singular values 2 beta* (x K/2)
        checks.add(svCheck("DNC run: the K - 1 nonzero singular values of the class-mean logits equal the optimal scale alpha*",
                theory.dnc().scale(), d.singularValues(), K - 1));
        checks.add(svCheck("pairs run: the K/2 nonzero singular values of the class-mean logits equal 2 beta*",
                2 * theory.lowRank().scale(), p.singularValues(), K / 2));
        return checks;
    }

    private static Check svCheck(String claim, double predicted, double[] sv, int count) {
        double worst = 0;
        for (int i = 0; i < count; i++) {
            worst = Math.max(worst, Math.abs(sv[i] - predicted) / predicted);
        }
        double next = count < sv.length ? sv[count] : 0;
        return new Check(claim, TidyCsv.fmt(predicted) + " (x" + count + "), then 0",
                TidyCsv.fmt(sv[0]) + " .. " + TidyCsv.fmt(sv[count - 1]) + ", next " + TidyCsv.fmt(next),
                "relative " + SV_TOLERANCE + "; next <= 1e-3 sigma_1",
                worst <= SV_TOLERANCE && next <= DeepUfmRuns.RANK_REL_TOL * sv[0]);
    }

    static String describe(List<DeepUfmRuns.Outcome> outcomes) {
        List<String> parts = new ArrayList<>();
        for (DeepUfmRuns.Outcome o : outcomes) {
            parts.add("d = " + o.run().config().get("d") + " seed " + seedOf(o) + ": " + o.structure() + " (" + String.format(java.util.Locale.ROOT, "%.6f", o.loss()) + ")");
        }
        return String.join("; ", parts);
    }
}
