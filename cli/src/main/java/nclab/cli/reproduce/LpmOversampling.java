package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.theory.LayerPeeledGeometry;

/**
 * Seed 003, Fig. 6, Table 2 and Proposition 1: oversampling the minority classes w_r times (eq. 17) restores
 * their geometry and their test accuracy.
 *
 * <p>Theory: by Proposition 1 the Layer-Peeled Model with oversampling (eq. 18) at ratio R and rate w_r has
 * the minimizers of the model at ratio R/w_r (class weights π_B ∝ w_r n_B). Checked three ways: (a) the
 * oversampled solve equals an independent solve at R/w_r at several points (E_W = 1, E_H = 5, (K_A, K_B) =
 * (5, 5)); (b) at w_r = R the model is balanced, so Theorem 1's closed form holds (cosine −1/(K−1), optimum
 * log(1 + (K−1) e^{−K√(E_W E_H)/(K−1)})); (c) a per-example projected-gradient solve of eq. 18 with
 * duplicated minority examples ({@link LpmOversampledSampleLevel}, no class-level reduction) gives the
 * class-level optimum and minority cosine at R/w_r.
 *
 * <p>Deep: networks trained on Fashion-MNIST at a large R without (w_r = 1) and with oversampling; the minority
 * cosine should fall and the minority test accuracy rise. Quick: the 4×512 MLP, K_A = 5, n_A = 600, R = 100,
 * w_r ∈ {1, 10, 100} (the w_r = 1 run is {@code lpm-deep-minority-collapse}'s R = 100 run). Paper: VGG11 and
 * ResNet18, K_A ∈ {3, 5, 7}, n_A = 6000, R = 1000, w_r ∈ {1, 10, 100, 1000}.
 */
public final class LpmOversampling implements Reproduction {
    static final int K = 10;
    static final int KA_THEORY = 5;
    static final double E_W = 1;
    static final double E_H = 5;
    /** Majority size of the theory solves (only ratios matter; large so that n_A/(R/w) is whole). */
    static final int N_A_THEORY = 100_000;
    static final double THEORY_R = 100;
    static final int[] THEORY_W = {1, 2, 4, 5, 10, 20, 25, 50, 100};
    static final String THEORY_CSV = "lpm_oversampling_theory.csv";
    static final String DEEP_CSV = "lpm_oversampling_deep.csv";
    static final List<String> THEORY_COLUMNS = List.of("R", "w_r", "R_eff", "minority_cos_oversampled", "minority_cos_at_R_eff",
            "objective_oversampled", "objective_at_R_eff", "rel_gap_oversampled", "rel_gap_at_R_eff");
    static final List<String> DEEP_COLUMNS = List.of("network", "K_A", "n_A", "R", "w_r", "minority_cos", "lpm_minority_cos",
            "E_W", "E_H", "lpm_rel_gap", "test_acc", "test_acc_majority", "test_acc_minority", "train_acc");
    /** Tolerance of the equal-solve comparison (a): both solves stop at gap 1e-12 relative. */
    static final double EQUAL_TOLERANCE = 1e-6;
    /** Per-example (c): cosine tolerance (measured deviation 3e-7 at 20 000 steps) and relative objective tolerance. */
    static final double SAMPLE_COS_TOLERANCE = 1e-5;
    static final double SAMPLE_OBJECTIVE_TOLERANCE = 1e-7;
    /** Deep: required fall of the minority cosine (absolute) and rise of the minority test accuracy (strictly above; see the docs). */
    static final double COSINE_FALL_MARGIN = 0.2;
    static final double ACCURACY_GAIN_MARGIN = 0;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    /** One network's oversampling runs. */
    record Panel(LpmDeepSetup setup, int[] kAs, int nA, double r, int[] ws) {
    }

    @Override
    public String id() {
        return "lpm-oversampling";
    }

    @Override
    public String paper() {
        return "003";
    }

    @Override
    public String figure() {
        return "Fig. 6, Table 2, Prop. 1";
    }

    @Override
    public String description() {
        return "Oversampling the minority classes w_r times: Layer-Peeled theory (Proposition 1, LPM at R with w_r = LPM at"
                + " R/w_r; checked against independent solves, Theorem 1 and a per-example solve of eq. 18) and networks"
                + " trained on Fashion-MNIST at a large R without and with oversampling (minority cosine, test accuracy)";
    }

    static List<Panel> panels(Profile profile) {
        if (profile == Profile.QUICK) {
            return List.of(new Panel(LpmDeepSetup.quick(), new int[] {5}, 600, 100, new int[] {1, 10, 100}));
        }
        List<Panel> p = new ArrayList<>();
        for (String model : List.of("vgg11", "resnet18")) {
            p.add(new Panel(LpmDeepSetup.paper(model), new int[] {3, 5, 7}, 6000, 1000, new int[] {1, 10, 100, 1000}));
        }
        return p;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("theory_model", "Layer-Peeled Model with oversampling, eq. 18 (LayerPeeledGeometry.solve(sizes, E_W, E_H, w_r))");
        s.put("theory_split", "(K_A, K_B) = (5, 5), E_W = 1, E_H = 5 (as lpm-minority-cosine-vs-r; only E_W*E_H matters)");
        s.put("theory_R", THEORY_R + ", w_r in " + Arrays.toString(THEORY_W) + "; R/w_r solved with n_A = " + N_A_THEORY
                + ", n_B = n_A w_r / R");
        s.put("per_example_solver", "projected gradient on eq. 18 with one feature per example, p = 2K, random start, "
                + LpmOversampledSampleLevel.STEPS + " steps: (5,5) n_A = 40, n_B = 2, w_r = 2 (R_eff = 10) and"
                + " n_A = 30, n_B = 2, w_r = 5 (R_eff = 3)");
        List<Panel> panels = panels(profile);
        Panel first = panels.get(0);
        s.putAll(first.setup().describe());
        s.put("networks", panels.stream().map(p -> p.setup().model()).toList());
        s.put("K_A", Arrays.toString(first.kAs()) + ", K_B = 10 - K_A");
        s.put("n_A", first.nA());
        s.put("R", LpmDeepMinorityCollapse.fmtR(first.r()) + " (n_B = n_A / R)");
        s.put("w_r", Arrays.toString(first.ws()) + " (train key oversample: each minority image repeated w_r times, eq. 17)");
        s.put("lpm_prediction", "LayerPeeledGeometry at (K_A, K_B, R, w_r) and the run's measured E_W, E_H (features of the"
                + " oversampled training set, sample-weighted centring)");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        List<Check> checks = new ArrayList<>();
        List<LineChart> charts = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        theory(outDir, checks, charts, files);
        deep(panels(profile), outDir, profile == Profile.QUICK, checks, charts, files);
        return new Result(charts, checks, files);
    }

    static LayerPeeledGeometry solve(double r, int w) {
        return LayerPeeledGeometry.solve(ClassSizes.majorityMinority(KA_THEORY, K - KA_THEORY, N_A_THEORY, r), E_W, E_H, w);
    }

    static double minorityCosine(LayerPeeledGeometry g) {
        return LayerPeeledGeometry.meanPairwiseCosine(g.geometry().classifierGram(),
                java.util.stream.IntStream.range(KA_THEORY, K).toArray());
    }

    /** Theory part: the curve over w_r, and checks (a), (b), (c). */
    static void theory(Path outDir, List<Check> checks, List<LineChart> charts, List<Path> files) {
        TidyCsv csv = new TidyCsv(THEORY_COLUMNS);
        double worstCos = 0;
        double worstObjective = 0;
        boolean allConverged = true;
        for (int w : THEORY_W) {
            LayerPeeledGeometry over = solve(THEORY_R, w);
            LayerPeeledGeometry plain = solve(THEORY_R / w, 1);
            double cOver = minorityCosine(over);
            double cPlain = minorityCosine(plain);
            csv.add(THEORY_R, w, THEORY_R / w, cOver, cPlain, over.objective(), plain.objective(),
                    over.certificate().relativeGap(), plain.certificate().relativeGap());
            worstCos = Math.max(worstCos, Math.abs(cOver - cPlain));
            worstObjective = Math.max(worstObjective, Math.abs(over.objective() - plain.objective()) / plain.objective());
            allConverged &= over.certificate().converged() && plain.certificate().converged();
        }
        files.add(csv.write(outDir.resolve(THEORY_CSV)));
        checks.add(new Check("Proposition 1: LPM with oversampling w_r at R = " + LpmDeepMinorityCollapse.fmtR(THEORY_R)
                + " equals an independent solve at R/w_r, w_r in " + Arrays.toString(THEORY_W)
                + " (largest difference of minority cosine; of objective, relative)", "0", TidyCsv.fmt(worstCos) + "; "
                + TidyCsv.fmt(worstObjective), EQUAL_TOLERANCE + "; " + EQUAL_TOLERANCE + " (both converged)",
                worstCos <= EQUAL_TOLERANCE && worstObjective <= EQUAL_TOLERANCE && allConverged));
        checks.addAll(theoryPointChecks());
        double[] ws = Arrays.stream(THEORY_W).asDoubleStream().toArray();
        double[] etf = new double[ws.length];
        Arrays.fill(etf, -1.0 / (K - 1));
        List<Series> series = List.of(
                Series.line("LPM with oversampling w_r at R = 100", ws, csv.column("minority_cos_oversampled"), COLOURS[0]),
                Series.markers("LPM without oversampling at R/w_r (Proposition 1)", ws, csv.column("minority_cos_at_R_eff"), COLOURS[1]),
                Series.line("-1/(K-1) = -1/9", ws, etf, "#7f7f7f").withDash(Series.Dash.DASH_DOT));
        LineChart chart = Plots.lineChart("lpm-oversampling-theory", "Layer-Peeled Model, (K_A, K_B) = (5, 5), R = 100, E_W = 1,"
                        + " E_H = 5: average minority cosine vs oversampling rate", "w_r", "average cosine", false, series,
                "Line: the oversampled model (eq. 18). Markers: independent solves of the plain model at R/w_r. At w_r = 100"
                        + " the model is balanced (-1/9).");
        if (chart != null) {
            charts.add(chart);
        }
    }

    /** Checks (b) and (c) and an independent reference at R/w_r = 10; each fails when its solve did not converge. */
    static List<Check> theoryPointChecks() {
        List<Check> checks = new ArrayList<>();
        LayerPeeledGeometry full = solve(THEORY_R, (int) THEORY_R);
        double cFull = minorityCosine(full);
        double lStar = Math.log(1 + (K - 1) * Math.exp(-K * Math.sqrt(E_W * E_H) / (K - 1)));
        boolean ok = full.certificate().converged();
        checks.add(new Check("w_r = R = 100: oversampled model is balanced, minority cosine -1/(K-1) (Prop. 1 + Theorem 1)",
                TidyCsv.fmt(-1.0 / (K - 1)), TidyCsv.fmt(cFull), "1e-6", Math.abs(cFull + 1.0 / (K - 1)) <= 1e-6 && ok));
        checks.add(new Check("w_r = R = 100: optimum equals Theorem 1's log(1 + (K-1) exp(-K sqrt(E_W E_H)/(K-1)))",
                TidyCsv.fmt(lStar), TidyCsv.fmt(full.objective()), "1e-9 relative",
                Math.abs(full.objective() - lStar) <= 1e-9 * lStar && ok));
        LayerPeeledGeometry ten = solve(THEORY_R, 10);
        double c10 = minorityCosine(ten);
        checks.add(new Check("R = 100, w_r = 10: minority cosine equals the plain model's at R = 10 (pitfalls.md projected-gradient"
                + " reference 0.517496)", "0.517496", TidyCsv.fmt(c10), "1e-5",
                Math.abs(c10 - 0.517496) <= 1e-5 && ten.certificate().converged()));
        checks.add(sampleLevelCheck(5, 5, 40, 2, 2, 1));
        checks.add(sampleLevelCheck(5, 5, 30, 2, 5, 2));
        return checks;
    }

    /** (c): the per-example solve of eq. 18 against the class-level solve at R/w_r = n_A/(w_r n_B). */
    static Check sampleLevelCheck(int kA, int kB, int nA, int nB, int w, long seed) {
        LpmOversampledSampleLevel s = LpmOversampledSampleLevel.solve(kA, kB, nA, nB, w, E_W, E_H,
                LpmOversampledSampleLevel.STEPS, seed);
        LayerPeeledGeometry c = LayerPeeledGeometry.solve(ClassSizes.of(sizes(kA, kB, nA, nB * w)), E_W, E_H, 1);
        double cc = LayerPeeledGeometry.meanPairwiseCosine(c.geometry().classifierGram(),
                java.util.stream.IntStream.range(kA, kA + kB).toArray());
        double dCos = Math.abs(s.minorityCosine() - cc);
        double dObj = Math.abs(s.objective() - c.objective()) / c.objective();
        return new Check("Proposition 1, per example: eq. 18 with n_A = " + nA + ", n_B = " + nB + ", w_r = " + w
                + " (each example its own feature, projected gradient) matches the class-level LPM at R/w_r = "
                + LpmDeepMinorityCollapse.fmtR(nA / (double) (nB * w)) + " (minority cosine; objective)",
                TidyCsv.fmt(cc) + "; " + TidyCsv.fmt(c.objective()), TidyCsv.fmt(s.minorityCosine()) + "; "
                + TidyCsv.fmt(s.objective()), SAMPLE_COS_TOLERANCE + "; " + SAMPLE_OBJECTIVE_TOLERANCE + " relative",
                dCos <= SAMPLE_COS_TOLERANCE && dObj <= SAMPLE_OBJECTIVE_TOLERANCE && c.certificate().converged());
    }

    private static int[] sizes(int kA, int kB, int nA, int nB) {
        int[] n = new int[kA + kB];
        for (int i = 0; i < n.length; i++) {
            n[i] = i < kA ? nA : nB;
        }
        return n;
    }

    /** Deep part: the oversampling runs of every panel. */
    static void deep(List<Panel> panels, Path outDir, boolean quickChecks, List<Check> checks, List<LineChart> charts,
                     List<Path> files) {
        TidyCsv csv = new TidyCsv(DEEP_COLUMNS);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            double[] ws = Arrays.stream(panel.ws()).asDoubleStream().toArray();
            List<Series> cos = new ArrayList<>();
            List<Series> acc = new ArrayList<>();
            for (int s = 0; s < panel.kAs().length; s++) {
                int kA = panel.kAs()[s];
                List<LpmDeepMeasurement> ms = new ArrayList<>();
                for (int w : panel.ws()) {
                    LpmDeepMeasurement m = LpmDeepMeasurement.train(panel.setup(), kA, K - kA, panel.nA(), panel.r(), w,
                            outDir.resolve("runs"));
                    ms.add(m);
                    csv.add(p, kA, panel.nA(), panel.r(), w, m.minorityCosine(), m.lpmMinorityCosine(), m.eW(), m.eH(),
                            m.lpmRelativeGap(), m.testAccuracy(), m.testMajority(), m.testMinority(), m.trainAccuracy());
                }
                String colour = COLOURS[s % COLOURS.length];
                cos.add(Series.markers("K_A=" + kA + " measured", ws, LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::minorityCosine), colour));
                cos.add(Series.line("K_A=" + kA + " LPM at measured E_W, E_H", ws,
                        LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::lpmMinorityCosine), colour).withDash(Series.Dash.DASHED));
                acc.add(Series.markers("K_A=" + kA + " minority", ws, LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::testMinority), colour));
                acc.add(Series.markers("K_A=" + kA + " overall", ws, LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::testAccuracy), colour)
                        .withDash(Series.Dash.DOTTED));
                if (quickChecks) {
                    checks.addAll(deepChecks(panel.setup().model(), kA, ms));
                }
            }
            String model = panel.setup().model();
            String r = LpmDeepMinorityCollapse.fmtR(panel.r());
            LineChart c1 = Plots.lineChart("oversampling-cosine-" + model, "Fashion-MNIST, " + model + ", R = " + r
                            + ": average minority-classifier cosine vs oversampling rate", "w_r", "average cosine", false, cos,
                    "Markers: measured (final classifier). Dashed: Layer-Peeled Model with oversampling at each run's measured E_W, E_H.");
            LineChart c2 = Plots.lineChart("oversampling-test-accuracy-" + model, "Fashion-MNIST, " + model + ", R = " + r
                            + ": test accuracy vs oversampling rate (Table 2)", "w_r", "test accuracy", false, acc,
                    "Markers: minority classes; dotted with markers: all classes.");
            for (LineChart c : new LineChart[] {c1, c2}) {
                if (c != null) {
                    charts.add(c);
                }
            }
        }
        files.add(csv.write(outDir.resolve(DEEP_CSV)));
    }

    /**
     * Fig. 6 and Table 2 for one split: with the largest w_r the minority cosine is below that without oversampling
     * by COSINE_FALL_MARGIN, and the best minority test accuracy over w_r &gt; 1 exceeds that at w_r = 1.
     */
    static List<Check> deepChecks(String model, int kA, List<LpmDeepMeasurement> ms) {
        List<Check> checks = new ArrayList<>();
        String where = model + ", K_A = " + kA + ", R = " + LpmDeepMinorityCollapse.fmtR(ms.get(0).r()) + ": ";
        LpmDeepMeasurement plain = ms.get(0);
        LpmDeepMeasurement most = ms.get(ms.size() - 1);
        double fall = plain.minorityCosine() - most.minorityCosine();
        checks.add(new Check(where + "oversampling w_r = " + most.oversample() + " lowers the average minority cosine (Fig. 6)",
                "fall >= " + COSINE_FALL_MARGIN, TidyCsv.fmt(plain.minorityCosine()) + " -> " + TidyCsv.fmt(most.minorityCosine())
                        + " (fall " + TidyCsv.fmt(fall) + ")", "margin " + COSINE_FALL_MARGIN, fall >= COSINE_FALL_MARGIN));
        LpmDeepMeasurement best = ms.get(1);
        for (LpmDeepMeasurement m : ms.subList(1, ms.size())) {
            if (m.testMinority() > best.testMinority()) {
                best = m;
            }
        }
        double gain = best.testMinority() - plain.testMinority();
        checks.add(new Check(where + "oversampling raises the minority test accuracy (Table 2: best w_r improves every cell)",
                "gain > 0", TidyCsv.fmt(plain.testMinority()) + " -> " + TidyCsv.fmt(best.testMinority())
                        + " at w_r = " + best.oversample() + " (gain " + TidyCsv.fmt(gain) + ")", "> 0 (the paper's claim: improvement in all 12 cells)",
                gain > ACCURACY_GAIN_MARGIN));
        return checks;
    }
}
