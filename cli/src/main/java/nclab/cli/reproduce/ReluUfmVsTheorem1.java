package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.theory.ClassGeometry;
import nclab.theory.ReluUfmGeometry;

/**
 * Seed 001 (Dang et al. 2024), Theorem 1 and Corollaries 1–4: the unconstrained ReLU feature model UFM₊ (eq. 4,
 * {@code nclab solve} model {@code ufm} with {@code non_negative: true}, projected full-batch gradient descent from
 * a random start) solved at several class-size vectors and λ's and compared with the closed form
 * ({@link ReluUfmGeometry}); then a sweep of the imbalance ratio R = n_A/n_B across the minority-collapse threshold
 * (n_B ≤ C = N²K/(K−1)·λ_Wλ_H, Cor. 4a / eq. 17) and the complete-collapse threshold (n_A ≤ C, eq. 18).
 *
 * <p>The paper draws no figure of this (its Figs. 1–3 are trained networks); the plots are the statements of
 * Theorem 1 drawn against R: class-mean norms ‖h_k‖² (eq. 9), classifier norms ‖w_k‖² (Prop. 1), classifier
 * cosines (Cor. 3, eqs. 15–16) and the optimal value, theory as lines, solved UFM₊ as markers.
 *
 * <p>Note on "minority classifier → 0": by Theorem 1 a collapsed class has h_k = 0 but keeps the classifier
 * w_k = −α Σ_m √n_m h_m ≠ 0 (all collapsed classes share it, cosine 1); only at complete collapse is W = 0. So the
 * quantity that reaches 0 at the minority-collapse threshold is the minority <em>feature</em> norm.
 */
public final class ReluUfmVsTheorem1 implements Reproduction {
    /** A solved parameter point: name, sizes, λ_W, λ_H. */
    record Point(String name, int[] sizes, double lambdaW, double lambdaH, String what) {
        ClassSizes classSizes() {
            return ClassSizes.of(sizes);
        }

        int d() {
            return D;
        }
    }

    /** P1–P4 of spec 001 §6 (numpy reference values), P3 with five sizes, and a balanced point. */
    static final List<Point> POINTS = List.of(
            new Point("P1", new int[] {100, 100, 20, 20}, 1e-3, 1e-3, "no collapse"),
            new Point("P2", new int[] {100, 100, 20, 20}, 4e-2, 1e-2, "minority collapse"),
            new Point("P3", new int[] {50, 40, 30, 20, 10}, 5e-3, 2e-3, "five sizes"),
            new Point("P4", new int[] {100, 100, 20, 20}, 5e-2, 5e-2, "complete collapse"),
            new Point("B", new int[] {50, 50, 50, 50}, 1e-3, 1e-3, "balanced (Cor. 1)"));

    /**
     * Feature dimension of every solve. d = K can stop at spurious points (pitfalls.md); near the minority-collapse
     * threshold even d = 8 and 16 left a minority mean stuck at 0 from some random starts (measured: 1-2 of 4 starts
     * at R = 3 and 3.5), d = 32 never did (12 of 12).
     */
    static final int D = 32;
    /** Heavy-ball momentum of the projected GD (measured to reach f* to 1e-15 within 5000 steps at every point). */
    static final double MOMENTUM = 0.9;

    /** Sweep: K_A = K_B = 2, n_B = 10, n_A = R·n_B, λ_W = 0.05, λ_H = 0.015 (λ_Wλ_H = 7.5e-4). */
    static final int K_A = 2;
    static final int K_B = 2;
    static final int N_B = 10;
    static final double SWEEP_LAMBDA_W = 0.05;
    static final double SWEEP_LAMBDA_H = 0.015;
    /** Solved R values (n_A = R·n_B whole): quick. */
    static final double[] QUICK_R = {1, 2, 3, 3.5, 4.5, 5, 7, 10, 14, 18, 21, 22, 24, 26, 30, 40};
    /** The theory line: n_A = n_B .. 40 n_B in steps of 1 (R in steps of 0.1). */
    static final int LINE_MAX_R = 40;

    static final String POINTS_CSV = "relu_ufm_points.csv";
    static final String THEORY_CSV = "relu_ufm_sweep_theory.csv";
    static final String SOLVED_CSV = "relu_ufm_sweep_solved.csv";
    static final List<String> POINT_COLUMNS = List.of("point", "class", "n", "lambda_w", "lambda_h", "h2_pred", "h2_solved",
            "w2_pred", "w2_solved", "logit_diag_pred", "logit_diag_solved", "f_pred", "f_solved", "geometry_distance",
            "max_mean_overlap", "within_class_spread", "min_feature");
    static final List<String> SWEEP_COLUMNS = List.of("R", "n_A", "n_B", "collapse_size_C", "h2_maj", "h2_min", "w2_maj",
            "w2_min", "cos_w_maj", "cos_w_min", "f");

    /** Quick: 8 000 steps (with momentum 0.9, 5 000 reached f* to 1e-15 at every point); paper: 40 000. */
    static long steps(Profile profile) {
        return profile == Profile.QUICK ? 8_000 : 40_000;
    }

    static double[] sweepGrid(Profile profile) {
        if (profile == Profile.QUICK) {
            return QUICK_R.clone();
        }
        double[] r = new double[40];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 + i; // 1..40, with 3.5/4.5 and 22.5/23.5 replacing 4 and 23 (the thresholds themselves)
        }
        r[3] = 3.5;
        r[22] = 23.5;
        double[] extra = {4.5, 22.5};
        double[] all = Arrays.copyOf(r, r.length + extra.length);
        System.arraycopy(extra, 0, all, r.length, extra.length);
        Arrays.sort(all);
        return all;
    }

    @Override
    public String id() {
        return "relu-ufm-vs-theorem1";
    }

    @Override
    public String paper() {
        return "001";
    }

    @Override
    public String figure() {
        return "Thm 1, Cors. 1-4";
    }

    @Override
    public String description() {
        return "ReLU UFM (eq. 4) solved by projected GD from random starts vs the closed form of Theorem 1 at five"
                + " (sizes, lambda) points, and the minority/complete collapse thresholds of Cor. 4 in a sweep of R";
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "nclab solve model ufm, non_negative: true, no bias (UFM+ eq. 4); theory nclab.theory.ReluUfmGeometry");
        List<String> points = new ArrayList<>();
        for (Point p : POINTS) {
            points.add(p.name() + ": sizes " + Arrays.toString(p.sizes()) + ", lambda_w " + p.lambdaW() + ", lambda_h "
                    + p.lambdaH() + ", d " + p.d() + " (" + p.what() + ")");
        }
        s.put("points", points);
        s.put("sweep", "sizes [n_A, n_A, n_B, n_B], n_B = " + N_B + ", n_A = R*n_B, lambda_w " + SWEEP_LAMBDA_W + ", lambda_h "
                + SWEEP_LAMBDA_H + ", d " + D + "; thresholds R = 4 (minority collapse) and R = (23 + sqrt(525))/2 = 22.956 (complete)");
        s.put("sweep_R_solved", Arrays.toString(sweepGrid(profile)));
        s.put("sweep_R_theory", "n_A = n_B .. " + LINE_MAX_R + " n_B in steps of 1");
        s.put("solver", "optimizer gd (full batch, projected onto H >= 0), lr 1, heavy-ball momentum " + MOMENTUM + ", " + steps(profile)
                + " steps, init N(0,1) with |H| (init_scale 1.0: scale 0.1 sticks at a spurious point, pitfalls.md), seed 1");
        s.put("d", D + " for every solve (d = K stops at spurious KKT points, pitfalls.md; near the minority-collapse threshold"
                + " d = 8 or 16 left a minority mean at 0 from 1-2 of 4 random starts, d = 32 from none of 12)");
        return s;
    }

    static Map<String, Object> solveConfig(ClassSizes sizes, int d, double lambdaW, double lambdaH, long steps) {
        return solveConfig(sizes, d, lambdaW, lambdaH, steps, MOMENTUM);
    }

    static Map<String, Object> solveConfig(ClassSizes sizes, int d, double lambdaW, double lambdaH, long steps, double momentum) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", "ufm");
        c.put("sizes", Arrays.stream(sizes.counts()).boxed().toList());
        c.put("d", d);
        c.put("lambda_w", lambdaW);
        c.put("lambda_h", lambdaH);
        c.put("non_negative", true);
        c.put("init_scale", 1.0);
        c.put("optimizer", "gd");
        c.put("lr", 1.0);
        c.put("momentum", momentum);
        c.put("steps", steps);
        c.put("seed", 1);
        c.put("log_points", 12);
        return c;
    }

    /** Solves (or reuses) one UFM₊ run in {@code outDir/runs/name} and reads its solution. */
    static ReluUfmSolution solve(Path outDir, String name, ClassSizes sizes, int d, double lambdaW, double lambdaH, long steps) {
        Path dir = outDir.resolve("runs").resolve(name);
        ReproRuns.solve(solveConfig(sizes, d, lambdaW, lambdaH, steps), dir);
        return ReluUfmSolution.read(dir, sizes, lambdaW, lambdaH);
    }

    static ClassSizes sweepSizes(int nA) {
        return ClassSizes.of(nA, nA, N_B, N_B);
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        long steps = steps(profile);
        List<Check> checks = new ArrayList<>();
        TidyCsv points = new TidyCsv(POINT_COLUMNS);
        Map<String, ReluUfmSolution> solved = new LinkedHashMap<>();
        for (int i = 0; i < POINTS.size(); i++) {
            Point p = POINTS.get(i);
            ReluUfmSolution s = solve(outDir, "point-" + p.name(), p.classSizes(), p.d(), p.lambdaW(), p.lambdaH(), steps);
            solved.put(p.name(), s);
            ReluUfmGeometry t = ReluUfmGeometry.of(p.classSizes(), p.lambdaW(), p.lambdaH());
            double dist = s.distanceTo(t.geometry());
            double[] h2 = t.featureNormsSquared();
            double[] w2 = t.classifierNormsSquared();
            double[] zkk = ReluUfmSolution.diagonal(t.geometry().logits());
            for (int c = 0; c < p.sizes().length; c++) {
                points.add(i, c, p.sizes()[c], p.lambdaW(), p.lambdaH(), h2[c], s.featureNormsSquared()[c], w2[c],
                        s.classifierNormsSquared()[c], zkk[c], s.diagonalLogits()[c], t.objective(), s.objective(), dist,
                        s.maxMeanOverlap(), s.withinClassSpread(), s.minFeature());
            }
            checks.addAll(pointChecks(p, t, s));
        }
        checks.addAll(referenceChecks(solved));
        double[] grid = sweepGrid(profile);
        TidyCsv line = theoryLine();
        TidyCsv markers = new TidyCsv(SWEEP_COLUMNS);
        Map<Double, ReluUfmSolution> sweep = new LinkedHashMap<>();
        double worstSweepGap = 0;
        double worstSweepR = Double.NaN;
        for (double r : grid) {
            int nA = (int) Math.round(r * N_B);
            ClassSizes sizes = sweepSizes(nA);
            ReluUfmSolution s = solve(outDir, String.format(Locale.ROOT, "sweep-R%05.1f", r), sizes, D, SWEEP_LAMBDA_W,
                    SWEEP_LAMBDA_H, steps);
            sweep.put(r, s);
            double[] h2 = s.featureNormsSquared();
            double[] w2 = s.classifierNormsSquared();
            double[][] cos = s.geometry().classifierCosines();
            ReluUfmGeometry t = ReluUfmGeometry.of(sizes, SWEEP_LAMBDA_W, SWEEP_LAMBDA_H);
            markers.add(r, nA, N_B, t.collapseSize(), h2[0], h2[2], w2[0], w2[2], cos[0][1], cos[2][3], s.objective());
            double gap = Math.abs(s.objective() - t.objective());
            if (!(gap <= worstSweepGap)) {
                worstSweepGap = gap;
                worstSweepR = r;
            }
        }
        checks.add(new Check("sweep: the solved loss equals the closed-form optimum f* at every R (" + grid.length + " solves)",
                "f* (eq. 9 into eq. 4)", "max |f - f*| = " + TidyCsv.fmt(worstSweepGap) + " (at R = " + worstSweepR + ")", "1e-6",
                worstSweepGap <= 1e-6));
        checks.addAll(thresholdChecks(line));
        checks.addAll(sweepChecks(sweep));
        List<Path> files = List.of(points.write(outDir.resolve(POINTS_CSV)), line.write(outDir.resolve(THEORY_CSV)),
                markers.write(outDir.resolve(SOLVED_CSV)));
        List<LineChart> charts = new ArrayList<>();
        charts.add(parity(points, "h2", "a-feature-norms", "(a) class-mean norms ||h_k||^2: solved vs eq. 9",
                "||h_k||^2, Theorem 1 (eq. 9)", "||h_k||^2, solved"));
        charts.add(parity(points, "w2", "b-classifier-norms", "(b) classifier norms ||w_k||^2: solved vs Prop. 1",
                "||w_k||^2, Prop. 1", "||w_k||^2, solved"));
        charts.addAll(sweepCharts(line, markers));
        ReluUfmSolution p1 = solved.get("P1");
        ReluUfmGeometry t1 = ReluUfmGeometry.of(POINTS.get(0).classSizes(), 1e-3, 1e-3);
        List<HeatMap> maps = List.of(
                new HeatMap("p1-mean-gram-solved", "P1 solved class-mean Gram H^T H (K x K)", p1.geometry().meanGram(), 2,
                        "Uncentred class means of the solved UFM+ at P1 (sizes 100,100,20,20, lambda 1e-3): diagonal, minority norms larger."),
                new HeatMap("p1-mean-gram-theorem1", "P1 Theorem 1 class-mean Gram", t1.geometry().meanGram(), 2,
                        "diag(||h_k||^2) of eq. 9: 0.4288 (n = 100), 0.7978 (n = 20)."),
                new HeatMap("p1-logits-solved", "P1 solved logits W H (K x K)", p1.geometry().logits(), 2,
                        "[j][k] = w_j^T h_k; Theorem 1e: column k is M_k (e_k - 1/K)."));
        return new Result(charts, maps, checks, files);
    }

    /** Checks at one solved point: objective, geometry, orthogonality, NC1, non-negativity. */
    static List<Check> pointChecks(Point p, ReluUfmGeometry t, ReluUfmSolution s) {
        List<Check> checks = new ArrayList<>();
        String at = p.name() + " " + Arrays.toString(p.sizes()) + ", lambda_w " + p.lambdaW() + ", lambda_h " + p.lambdaH()
                + " (" + p.what() + "): ";
        double gap = Math.abs(s.objective() - t.objective());
        checks.add(new Check(at + "solved loss = closed-form optimum f*", TidyCsv.fmt(t.objective()),
                TidyCsv.fmt(s.objective()) + " (|diff| " + TidyCsv.fmt(gap) + ")", "1e-9", gap <= 1e-9));
        double dist = s.distanceTo(t.geometry());
        checks.add(new Check(at + "WW^T, H^T H, WH equal Theorem 1 (relative Frobenius, max of three)", "0",
                TidyCsv.fmt(dist), "1e-6", dist <= 1e-6));
        double structure = Math.max(s.maxMeanOverlap(), s.withinClassSpread());
        checks.add(new Check(at + "NC1 (h_ki = h_k) and orthogonal means, H >= 0 (Thm 1a-b)",
                "max(|h_k^T h_l|, ||h_ki - h_k||) = 0, min H >= 0",
                TidyCsv.fmt(structure) + ", min H = " + TidyCsv.fmt(s.minFeature()), "1e-8",
                structure <= 1e-8 && s.minFeature() >= 0));
        return checks;
    }

    /** Checks against the numpy reference values of spec 001 §6 and the special cases (Cor. 1, Cor. 4). */
    static List<Check> referenceChecks(Map<String, ReluUfmSolution> solved) {
        List<Check> checks = new ArrayList<>();
        ReluUfmSolution p1 = solved.get("P1");
        double[] h2 = p1.featureNormsSquared();
        double[] z = p1.diagonalLogits();
        double dev = Math.max(Math.max(Math.abs(h2[0] - 0.428782), Math.abs(h2[3] - 0.797805)),
                Math.max(Math.abs(z[0] - 3.713363), Math.abs(z[3] - 3.089884)));
        checks.add(new Check("P1: ||h_maj||^2, ||h_min||^2, diagonal logits = numpy PGD reference (spec 001 §6; minority"
                + " features longer)", "0.428782, 0.797805, 3.713363, 3.089884", TidyCsv.fmt(h2[0]) + ", " + TidyCsv.fmt(h2[3])
                + ", " + TidyCsv.fmt(z[0]) + ", " + TidyCsv.fmt(z[3]), "1e-6 (reference printed to 6 decimals)", dev <= 1e-6));
        ReluUfmSolution p2 = solved.get("P2");
        double minNorm = Math.sqrt(Math.max(p2.featureNormsSquared()[2], p2.featureNormsSquared()[3]));
        double cosMin = p2.geometry().classifierCosines()[2][3];
        double w2Min = p2.classifierNormsSquared()[2];
        checks.add(new Check("P2 (n_min = 20 <= C = 30.72): minority means are 0, minority classifiers equal and non-zero"
                + " (Cor. 4; spec 001 §6 item 3)", "||h_min|| = 0, cos = 1, ||w_min||^2 = 1.038577",
                TidyCsv.fmt(minNorm) + ", " + TidyCsv.fmt(cosMin) + ", " + TidyCsv.fmt(w2Min), "1e-8, 1e-8, 1e-6",
                minNorm <= 1e-8 && Math.abs(cosMin - 1) <= 1e-8 && Math.abs(w2Min - 1.038577) <= 1e-6));
        ReluUfmSolution p4 = solved.get("P4");
        double wh = Math.sqrt(Math.max(sum(p4.classifierNormsSquared()), sum(p4.featureNormsSquared())));
        checks.add(new Check("P4 (n_max = 100 <= C = 192): complete collapse, W = 0, H = 0, f = log 4 (eq. 18)",
                "max(||W||_F, ||H-bar||_F) = 0, f = " + TidyCsv.fmt(Math.log(4)), TidyCsv.fmt(wh) + ", f = "
                + TidyCsv.fmt(p4.objective()), "1e-8, 1e-12", wh <= 1e-8 && Math.abs(p4.objective() - Math.log(4)) <= 1e-12));
        ReluUfmSolution b = solved.get("B");
        double[][] mc = b.geometry().meanCosines();
        double[][] wc = b.geometry().classifierCosines();
        double[] bn = b.featureNormsSquared();
        double of = 0;
        double etf = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (i != j) {
                    of = Math.max(of, Math.abs(mc[i][j]));
                    etf = Math.max(etf, Math.abs(wc[i][j] + 1.0 / 3));
                }
            }
        }
        double spread = (Arrays.stream(bn).max().orElseThrow() - Arrays.stream(bn).min().orElseThrow()) / bn[0];
        checks.add(new Check("B balanced: class means form an orthogonal frame H^T H ∝ I (Cor. 1)",
                "cos(h_k, h_l) = 0, equal norms", "max |cos| = " + TidyCsv.fmt(of) + ", norm spread " + TidyCsv.fmt(spread),
                "1e-8", of <= 1e-8 && spread <= 1e-8));
        checks.add(new Check("B balanced: classifiers form a simplex ETF, cos(w_k, w_l) = -1/(K-1) (Cor. 1)",
                TidyCsv.fmt(-1.0 / 3), "max |cos + 1/3| = " + TidyCsv.fmt(etf), "1e-8", etf <= 1e-8));
        return checks;
    }

    /** The theory line of the sweep: n_A = n_B .. 40 n_B. */
    static TidyCsv theoryLine() {
        TidyCsv csv = new TidyCsv(SWEEP_COLUMNS);
        for (int nA = N_B; nA <= LINE_MAX_R * N_B; nA++) {
            ClassSizes sizes = sweepSizes(nA);
            ReluUfmGeometry t = ReluUfmGeometry.of(sizes, SWEEP_LAMBDA_W, SWEEP_LAMBDA_H);
            double[] h2 = t.featureNormsSquared();
            double[] w2 = t.classifierNormsSquared();
            ReluUfmGeometry.TwoGroupCosines cos = t.twoGroupCosines();
            double cosMaj = cos == null ? -1.0 / 3 : cos.majority(); // balanced (R = 1): the ETF value of Cor. 1
            double cosMin = cos == null ? -1.0 / 3 : cos.minority();
            csv.add(nA / (double) N_B, nA, N_B, t.collapseSize(), h2[0], h2[2], w2[0], w2[2], cosMaj, cosMin, t.objective());
        }
        return csv;
    }

    /**
     * The R thresholds of the sweep from the condition n ≤ C with N = n_B(K_A R + K_B), solved here by hand:
     * minority collapse (K_A R + K_B)² ≥ q, complete collapse R·(K_A R + K_B)^{-2}... i.e. n_B(K_A R + K_B)² ≥ q R n_B,
     * with q = (K−1)/(K λ_Wλ_H n_B).
     */
    static double[] sweepThresholds() {
        int k = K_A + K_B;
        double q = (k - 1.0) / (k * SWEEP_LAMBDA_W * SWEEP_LAMBDA_H * N_B);
        double minority = (Math.sqrt(q) - K_B) / K_A;
        // K_A² R² + (2 K_A K_B − q) R + K_B² = 0, larger root
        double a = K_A * K_A;
        double b = 2.0 * K_A * K_B - q;
        double c = K_B * K_B;
        double complete = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
        return new double[] {minority, complete};
    }

    /** The first R of the theory line where the minority (resp. every class) has collapsed matches the hand-solved thresholds. */
    static List<Check> thresholdChecks(TidyCsv line) {
        double[] th = sweepThresholds();
        double[] r = line.column("R");
        double[] hMin = line.column("h2_min");
        double[] hMaj = line.column("h2_maj");
        double firstMin = Double.NaN;
        double firstAll = Double.NaN;
        for (int i = 0; i < r.length; i++) {
            if (Double.isNaN(firstMin) && hMin[i] == 0) {
                firstMin = r[i];
            }
            if (Double.isNaN(firstAll) && hMaj[i] == 0) {
                firstAll = r[i];
            }
        }
        ClassSizes atMinority = sweepSizes((int) Math.round(th[0] * N_B));
        double eq17 = ReluUfmGeometry.of(atMinority, SWEEP_LAMBDA_W, SWEEP_LAMBDA_H).thresholds().minorityCollapseRatio();
        List<Check> checks = new ArrayList<>();
        // the line steps R by 0.1: the first collapsed R lies in [threshold, threshold + 0.1)
        checks.add(new Check("sweep: the minority collapses from R = 4 on (n_B <= C solved by hand; eq. 17 at that N gives "
                + TidyCsv.fmt(eq17) + ")", TidyCsv.fmt(th[0]), "first collapsed R of the closed form: " + TidyCsv.fmt(firstMin),
                "R step 0.1", firstMin >= th[0] - 1e-9 && firstMin <= th[0] + 0.1 + 1e-9 && Math.abs(eq17 - th[0]) <= 1e-9));
        checks.add(new Check("sweep: every class collapses from R = (23 + sqrt 525)/2 on (n_A <= C, eq. 18)",
                TidyCsv.fmt(th[1]), "first collapsed R of the closed form: " + TidyCsv.fmt(firstAll), "R step 0.1",
                firstAll >= th[1] - 1e-9 && firstAll <= th[1] + 0.1 + 1e-9));
        return checks;
    }

    /** Solved points on either side of each threshold. */
    static List<Check> sweepChecks(Map<Double, ReluUfmSolution> sweep) {
        double[] th = sweepThresholds();
        List<Check> checks = new ArrayList<>();
        ReluUfmSolution before = nearestBelow(sweep, th[0]);
        ReluUfmSolution after = nearestAbove(sweep, th[0]);
        double rb = key(sweep, before);
        double ra = key(sweep, after);
        double hb = before.featureNormsSquared()[2];
        double hbPred = ReluUfmGeometry.of(before.sizes(), SWEEP_LAMBDA_W, SWEEP_LAMBDA_H).featureNormsSquared()[2];
        double ha = Math.sqrt(Math.max(after.featureNormsSquared()[2], after.featureNormsSquared()[3]));
        double cosAfter = after.geometry().classifierCosines()[2][3];
        checks.add(new Check("sweep R = " + rb + " (below minority collapse): minority features non-zero, ||h_min||^2 = eq. 9",
                TidyCsv.fmt(hbPred), TidyCsv.fmt(hb), "1e-6 and > 0.01", Math.abs(hb - hbPred) <= 1e-6 && hb > 0.01));
        checks.add(new Check("sweep R = " + ra + " (above minority collapse): minority features 0, minority classifiers equal"
                + " (Cor. 4)", "||h_min|| = 0, cos(w_min, w_min') = 1", TidyCsv.fmt(ha) + ", " + TidyCsv.fmt(cosAfter),
                "1e-8", ha <= 1e-8 && Math.abs(cosAfter - 1) <= 1e-8));
        ReluUfmSolution beforeAll = nearestBelow(sweep, th[1]);
        ReluUfmSolution afterAll = nearestAbove(sweep, th[1]);
        double hMaj = beforeAll.featureNormsSquared()[0];
        double hMajPred = ReluUfmGeometry.of(beforeAll.sizes(), SWEEP_LAMBDA_W, SWEEP_LAMBDA_H).featureNormsSquared()[0];
        double all = Math.sqrt(Math.max(sum(afterAll.classifierNormsSquared()), sum(afterAll.featureNormsSquared())));
        checks.add(new Check("sweep R = " + key(sweep, beforeAll) + " (below complete collapse): majority features non-zero, = eq. 9",
                TidyCsv.fmt(hMajPred), TidyCsv.fmt(hMaj), "1e-6 and > 1e-3", Math.abs(hMaj - hMajPred) <= 1e-6 && hMaj > 1e-3));
        checks.add(new Check("sweep R = " + key(sweep, afterAll) + " (above complete collapse): W = 0 and H = 0 (eq. 18)",
                "max(||W||_F, ||H-bar||_F) = 0", TidyCsv.fmt(all), "1e-8", all <= 1e-8));
        return checks;
    }

    private static ReluUfmSolution nearestBelow(Map<Double, ReluUfmSolution> sweep, double r) {
        return sweep.get(sweep.keySet().stream().filter(x -> x < r).max(Double::compare).orElseThrow());
    }

    private static ReluUfmSolution nearestAbove(Map<Double, ReluUfmSolution> sweep, double r) {
        return sweep.get(sweep.keySet().stream().filter(x -> x > r).min(Double::compare).orElseThrow());
    }

    private static double key(Map<Double, ReluUfmSolution> sweep, ReluUfmSolution s) {
        return sweep.entrySet().stream().filter(e -> e.getValue() == s).findFirst().orElseThrow().getKey();
    }

    private static double sum(double[] v) {
        return Arrays.stream(v).sum();
    }

    private static LineChart parity(TidyCsv points, String stem, String id, String title, String xLabel, String yLabel) {
        double[] pred = points.column(stem + "_pred");
        double[] got = points.column(stem + "_solved");
        double max = Arrays.stream(pred).max().orElse(1);
        List<Series> series = new ArrayList<>();
        series.add(Series.line("theory = solved", new double[] {0, max * 1.05}, new double[] {0, max * 1.05}, "#7f7f7f"));
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"};
        double[] pointIndex = points.column("point");
        for (int i = 0; i < POINTS.size(); i++) {
            int p = i;
            int[] rows = java.util.stream.IntStream.range(0, pred.length).filter(r -> pointIndex[r] == p).toArray();
            series.add(Series.markers(POINTS.get(i).name() + " (" + POINTS.get(i).what() + ")",
                    Arrays.stream(rows).mapToDouble(r -> pred[r]).toArray(), Arrays.stream(rows).mapToDouble(r -> got[r]).toArray(),
                    colours[i]));
        }
        return Plots.lineChart(id, title, xLabel, yLabel, false, series,
                "One marker per class; on the grey line the solved UFM+ equals Theorem 1. Collapsed classes sit at 0.");
    }

    private static List<LineChart> sweepCharts(TidyCsv line, TidyCsv markers) {
        double[] th = sweepThresholds();
        double[] rl = line.column("R");
        double[] rm = markers.column("R");
        List<LineChart> charts = new ArrayList<>();
        String[][] panels = {
            {"c-sweep-feature-norms", "(c) class-mean norms ||h_k||^2 vs R", "||h_k||^2", "h2"},
            {"d-sweep-classifier-norms", "(d) classifier norms ||w_k||^2 vs R", "||w_k||^2", "w2"},
            {"e-sweep-classifier-cosines", "(e) classifier cosines within a group vs R (eqs. 15-16)", "cosine", "cos_w"},
        };
        for (String[] p : panels) {
            List<Series> s = new ArrayList<>();
            double ymax = 0;
            double ymin = 0;
            for (String group : new String[] {"maj", "min"}) {
                String col = p[3] + "_" + group;
                String colour = group.equals("maj") ? "#1f77b4" : "#d62728";
                double[] yl = line.column(col);
                s.add(Series.line((group.equals("maj") ? "majority" : "minority") + ", Theorem 1", rl, yl, colour));
                s.add(Series.markers((group.equals("maj") ? "majority" : "minority") + ", solved", rm, markers.column(col), colour));
                for (double v : yl) {
                    if (Double.isFinite(v)) {
                        ymax = Math.max(ymax, v);
                        ymin = Math.min(ymin, v);
                    }
                }
            }
            s.addAll(thresholdLines(th, ymin, ymax));
            charts.add(Plots.lineChart(p[0], p[1], "R = n_A / n_B", p[2], false, s, "Sizes [n_A, n_A, n_B, n_B], n_B = " + N_B
                    + ", lambda_w = " + SWEEP_LAMBDA_W + ", lambda_h = " + SWEEP_LAMBDA_H + ". Lines: closed form; markers: solved"
                    + " UFM+ (projected GD from random starts). Grey dashed: minority-collapse threshold R = " + TidyCsv.fmt(th[0])
                    + "; dash-dot: complete collapse R = " + TidyCsv.fmt(th[1]) + "."
                    + (p[3].equals("cos_w") ? " Past complete collapse W = 0 and the cosines are 0/0 (not drawn)." : "")));
        }
        List<Series> f = new ArrayList<>();
        f.add(Series.line("f*, closed form", rl, line.column("f"), "#2ca02c"));
        f.add(Series.markers("f, solved", rm, markers.column("f"), "#2ca02c"));
        double[] logK = new double[rl.length];
        Arrays.fill(logK, Math.log(4));
        f.add(Series.line("log K (W = H = 0)", rl, logK, "#7f7f7f").withDash(Series.Dash.DOTTED));
        f.addAll(thresholdLines(th, 0, Math.log(4)));
        charts.add(Plots.lineChart("f-sweep-objective", "(f) optimal value of eq. 4 vs R", "R = n_A / n_B", "objective", false, f,
                "The loss reaches log K at complete collapse."));
        return charts;
    }

    private static List<Series> thresholdLines(double[] th, double lo, double hi) {
        return List.of(
                Series.line("minority collapse (Cor. 4a)", new double[] {th[0], th[0]}, new double[] {lo, hi}, "#7f7f7f")
                        .withDash(Series.Dash.DASHED),
                Series.line("complete collapse (eq. 18)", new double[] {th[1], th[1]}, new double[] {lo, hi}, "#7f7f7f")
                        .withDash(Series.Dash.DASH_DOT));
    }
}
