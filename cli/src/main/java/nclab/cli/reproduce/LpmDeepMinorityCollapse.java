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

/**
 * Seed 003, Fig. 4 and Tables 1, 3, 4: Minority Collapse in trained networks. Networks are trained on real
 * Fashion-MNIST with K_A majority classes of n_A images and K_B = 10 − K_A minority classes of n_A/R images,
 * for several R; the measured average cosine between minority classifiers (markers) is plotted against R
 * together with the Layer-Peeled prediction (eq. 7, {@link nclab.theory.LayerPeeledGeometry}) at each run's
 * measured E_W and E_H (line). Theorem 5 predicts the cosine to rise towards 1 as R grows; at R = 1 Theorem 1
 * predicts the simplex-ETF value −1/(K−1). The table CSV holds, per run, the minority norm variation
 * (Table 1, there at R = ∞), training accuracy (Table 3) and test accuracies (Table 4).
 *
 * <p>Quick: one 4×512 MLP, K_A = 5, n_A = 600, R ∈ {1, 10, 100}. Paper: VGG11 and ResNet18, K_A ∈ {3, 5, 7},
 * n_A = 6000, R ∈ {1, 10, 100, 1000} (R = ∞, no minority image, is not expressible as class sizes here).
 */
public final class LpmDeepMinorityCollapse implements Reproduction {
    static final int K = 10;
    static final String CSV = "lpm_deep_minority_cosine.csv";
    static final String TABLE_CSV = "lpm_deep_table.csv";
    static final List<String> COLUMNS = List.of("network", "K_A", "K_B", "n_A", "R", "minority_cos", "lpm_minority_cos",
            "E_W", "E_H", "lpm_rel_gap", "lpm_converged", "majority_cos");
    static final List<String> TABLE_COLUMNS = List.of("network", "K_A", "R", "norm_variation_minority_W", "train_acc",
            "test_acc", "test_acc_majority", "test_acc_minority");
    /** Required rise of the minority cosine from R = 1 to the largest quick R (see docs/reproductions.md). */
    static final double RISE_MARGIN = 0.2;
    /** Tolerance of the R = 1 cosine around −1/(K−1): a finite network is only near the ETF. */
    static final double ETF_TOLERANCE = 0.1;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    /** One panel of Fig. 4: a network and its training setup, the splits and the R grid. */
    record Panel(LpmDeepSetup setup, int[] kAs, int nA, double[] rs) {
    }

    @Override
    public String id() {
        return "lpm-deep-minority-collapse";
    }

    @Override
    public String paper() {
        return "003";
    }

    @Override
    public String figure() {
        return "Fig. 4, Tables 1, 3, 4";
    }

    @Override
    public String description() {
        return "Minority Collapse in networks trained on Fashion-MNIST: measured average minority-classifier cosine vs R"
                + " (markers) against the Layer-Peeled prediction at each run's measured E_W, E_H (line); norm variation"
                + " and train/test accuracies per run (table CSV)";
    }

    /** The panels of a profile. */
    static List<Panel> panels(Profile profile) {
        if (profile == Profile.QUICK) {
            return List.of(new Panel(LpmDeepSetup.quick(), new int[] {5}, 600, new double[] {1, 10, 100}));
        }
        List<Panel> p = new ArrayList<>();
        for (String model : List.of("vgg11", "resnet18")) {
            p.add(new Panel(LpmDeepSetup.paper(model), new int[] {3, 5, 7}, 6000, new double[] {1, 10, 100, 1000}));
        }
        return p;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        List<Panel> panels = panels(profile);
        s.putAll(panels.get(0).setup().describe());
        s.put("networks", panels.stream().map(p -> p.setup().model()).toList());
        s.put("K_A", Arrays.toString(panels.get(0).kAs()) + ", K_B = 10 - K_A");
        s.put("n_A", panels.get(0).nA() + " majority images per class; n_B = n_A / R drawn at random (seeded)");
        s.put("R", String.join(", ", Arrays.stream(panels.get(0).rs()).mapToObj(LpmDeepMinorityCollapse::fmtR).toList())
                + (profile == Profile.QUICK ? "" : " (the paper's R = infinity is left out:"
                + " class sizes need n_B >= 1)"));
        s.put("measured_cosine", "mean cos(w_i, w_j) over minority pairs, rows of the final classifier weight (W.npy), bias ignored");
        s.put("lpm_prediction", "LayerPeeledGeometry at (K_A, K_B, R) with E_W = (1/K) sum ||w_k||^2 and E_H = (1/K) sum"
                + " ||mu_k - mu_G||^2 (sample-weighted mu_G) of the run (paper: 'constraints active at the trained weights')");
        s.put("runs", "runs/<network>-ka<K_A>-kb<K_B>-na<n_A>-r<R>-w1 (shared with lpm-test-accuracy and lpm-oversampling"
                + " when they are given the same --out)");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        return run(panels(profile), outDir, profile == Profile.QUICK);
    }

    /** Trains (or reuses) every run of the panels and evaluates them; {@code checkRise} adds the quick checks. */
    static Result run(List<Panel> panels, Path outDir, boolean checkRise) {
        TidyCsv csv = new TidyCsv(COLUMNS);
        TidyCsv table = new TidyCsv(TABLE_COLUMNS);
        List<LineChart> charts = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            List<Series> cos = new ArrayList<>();
            List<Series> acc = new ArrayList<>();
            for (int s = 0; s < panel.kAs().length; s++) {
                int kA = panel.kAs()[s];
                List<LpmDeepMeasurement> ms = new ArrayList<>();
                for (double r : panel.rs()) {
                    LpmDeepMeasurement m = LpmDeepMeasurement.train(panel.setup(), kA, K - kA, panel.nA(), r, 1,
                            outDir.resolve("runs"));
                    ms.add(m);
                    csv.add(p, kA, K - kA, panel.nA(), r, m.minorityCosine(), m.lpmMinorityCosine(), m.eW(), m.eH(),
                            m.lpmRelativeGap(), m.lpmConverged() ? 1 : 0, m.majorityCosine());
                    table.add(p, kA, r, m.normVariation(), m.trainAccuracy(), m.testAccuracy(), m.testMajority(),
                            m.testMinority());
                }
                String colour = COLOURS[s % COLOURS.length];
                double[] rs = panel.rs();
                cos.add(Series.markers("K_A=" + kA + " measured", rs, values(ms, LpmDeepMeasurement::minorityCosine), colour));
                cos.add(Series.line("K_A=" + kA + " LPM at measured E_W, E_H", rs,
                        values(ms, LpmDeepMeasurement::lpmMinorityCosine), colour).withDash(Series.Dash.DASHED));
                acc.add(Series.markers("K_A=" + kA + " minority", rs, values(ms, LpmDeepMeasurement::testMinority), colour));
                acc.add(Series.markers("K_A=" + kA + " overall", rs, values(ms, LpmDeepMeasurement::testAccuracy), colour)
                        .withDash(Series.Dash.DASHED).withMarkers(true));
                if (checkRise) {
                    checks.addAll(riseChecks(panel.setup().model(), kA, ms));
                }
            }
            double[] etf = new double[panel.rs().length];
            Arrays.fill(etf, -1.0 / (K - 1));
            cos.add(Series.line("-1/(K-1) = -1/9 (ETF, Theorem 1)", panel.rs(), etf, "#7f7f7f").withDash(Series.Dash.DASH_DOT));
            String model = panel.setup().model();
            charts.add(Plots.lineChart("minority-cosine-" + model, "Fashion-MNIST, " + model
                    + ": average minority-classifier cosine", "R", "average cosine", false, cos,
                    "Markers: measured at the end of training (rows of the final classifier weight). Dashed: the Layer-Peeled"
                            + " Model at the same (K_A, K_B, R) and each run's measured E_W, E_H. Dash-dot: -1/9."));
            charts.add(Plots.lineChart("test-accuracy-" + model, "Fashion-MNIST, " + model + ": test accuracy", "R",
                    "test accuracy", false, acc, "Minority classes (markers) and all classes (dashed), per R (Table 4)."));
        }
        Path file = csv.write(outDir.resolve(CSV));
        Path tableFile = table.write(outDir.resolve(TABLE_CSV));
        return new Result(charts, checks, List.of(file, tableFile));
    }

    /** The quick checks of one split: ETF at R = 1, a strict rise with R, and a rise of at least RISE_MARGIN overall. */
    static List<Check> riseChecks(String model, int kA, List<LpmDeepMeasurement> ms) {
        List<Check> checks = new ArrayList<>();
        String where = model + ", K_A = " + kA + ": ";
        LpmDeepMeasurement first = ms.get(0);
        LpmDeepMeasurement last = ms.get(ms.size() - 1);
        if (first.r() == 1) {
            double c1 = first.minorityCosine();
            checks.add(new Check(where + "R = 1 (balanced): minority classifiers near the simplex ETF, cosine -1/(K-1) (Theorem 1)",
                    TidyCsv.fmt(-1.0 / (K - 1)), TidyCsv.fmt(c1), "± " + ETF_TOLERANCE,
                    Math.abs(c1 + 1.0 / (K - 1)) <= ETF_TOLERANCE));
        }
        boolean increasing = true;
        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < ms.size(); i++) {
            seq.append(i == 0 ? "" : " < ").append(TidyCsv.fmt(ms.get(i).minorityCosine()));
            if (i > 0 && !(ms.get(i).minorityCosine() > ms.get(i - 1).minorityCosine())) {
                increasing = false;
            }
        }
        checks.add(new Check(where + "the average minority cosine increases with R (Theorem 5, Fig. 4)",
                "strictly increasing over R = " + rList(ms), seq.toString(), "—", increasing));
        double rise = last.minorityCosine() - first.minorityCosine();
        checks.add(new Check(where + "minority classifiers move together: cosine at R = " + fmtR(last.r())
                        + " exceeds that at R = " + fmtR(first.r()) + " by a margin (Minority Collapse)",
                "rise >= " + RISE_MARGIN, TidyCsv.fmt(rise), "margin " + RISE_MARGIN, rise >= RISE_MARGIN));
        return checks;
    }

    static double[] values(List<LpmDeepMeasurement> ms, java.util.function.ToDoubleFunction<LpmDeepMeasurement> f) {
        return ms.stream().mapToDouble(f).toArray();
    }

    private static String rList(List<LpmDeepMeasurement> ms) {
        return String.join(", ", ms.stream().map(m -> fmtR(m.r())).toList());
    }

    static String fmtR(double r) {
        return String.valueOf(LpmDeepSetup.number(r));
    }
}
