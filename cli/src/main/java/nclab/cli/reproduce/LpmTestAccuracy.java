package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;

/**
 * Seed 003, Fig. 5: test accuracy of the minority classes at R = 1 and at a large R, with the minority
 * training data held fixed (n_B images per minority class, n_A = R·n_B per majority class; the paper uses
 * n_B = 6 and R ∈ {1, 1000}). Minority Collapse predicts the minority test accuracy to fall when the
 * majority classes grow, although the minority classes keep the same images; the paper reports it can fall
 * below 10 %.
 *
 * <p>Quick: the 4×512 MLP of {@code lpm-deep-minority-collapse}, K_A = 5, n_B = 6, R ∈ {1, 100}; the R = 100
 * run (n_A = 600) is the same run as that id's R = 100 run (and {@code lpm-oversampling}'s w_r = 1 run), reused
 * when the ids share {@code --out}. Paper: VGG11 and ResNet18, K_A ∈ {3, 5, 7}, n_B = 6, R ∈ {1, 1000}.
 */
public final class LpmTestAccuracy implements Reproduction {
    static final int K = 10;
    static final String CSV = "lpm_test_accuracy.csv";
    static final List<String> COLUMNS = List.of("network", "K_A", "n_A", "n_B", "R", "test_acc", "test_acc_majority",
            "test_acc_minority", "train_acc");
    /** Required drop of the minority test accuracy from R = 1 to the large R (absolute, see the docs). */
    static final double DROP_MARGIN = 0.1;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

    /** One network's runs: setup, splits, the fixed n_B and the two ratios (1 and a large R). */
    record Panel(LpmDeepSetup setup, int[] kAs, int nB, double largeR) {
    }

    @Override
    public String id() {
        return "lpm-test-accuracy";
    }

    @Override
    public String paper() {
        return "003";
    }

    @Override
    public String figure() {
        return "Fig. 5";
    }

    @Override
    public String description() {
        return "Minority-class test accuracy of networks trained on Fashion-MNIST at R = 1 vs a large R, with the same"
                + " n_B minority images per class (n_A = R n_B); Minority Collapse predicts a clear drop";
    }

    static List<Panel> panels(Profile profile) {
        if (profile == Profile.QUICK) {
            return List.of(new Panel(LpmDeepSetup.quick(), new int[] {5}, 6, 100));
        }
        List<Panel> p = new ArrayList<>();
        for (String model : List.of("vgg11", "resnet18")) {
            p.add(new Panel(LpmDeepSetup.paper(model), new int[] {3, 5, 7}, 6, 1000));
        }
        return p;
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        List<Panel> panels = panels(profile);
        Panel first = panels.get(0);
        s.putAll(first.setup().describe());
        s.put("networks", panels.stream().map(p -> p.setup().model()).toList());
        s.put("K_A", java.util.Arrays.toString(first.kAs()) + ", K_B = 10 - K_A");
        s.put("n_B", first.nB() + " minority images per class at every R (paper: 6)");
        s.put("R", "1 and " + LpmDeepMinorityCollapse.fmtR(first.largeR()) + ", n_A = R * n_B");
        s.put("minority_accuracy", "mean of the per-class test accuracies of classes K_A..9 (equal test images per class,"
                + " so = correct / images over the minority classes); at R = 1 the same classes by index");
        s.put("batch_note", "a training set smaller than one batch (R = 1: 10 * n_B images) is trained as one batch");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        return run(panels(profile), outDir);
    }

    static Result run(List<Panel> panels, Path outDir) {
        TidyCsv csv = new TidyCsv(COLUMNS);
        List<LineChart> charts = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            List<Series> series = new ArrayList<>();
            double[] rs = {1, panel.largeR()};
            for (int s = 0; s < panel.kAs().length; s++) {
                int kA = panel.kAs()[s];
                List<LpmDeepMeasurement> ms = new ArrayList<>();
                for (double r : rs) {
                    int nA = Math.toIntExact(Math.round(r * panel.nB()));
                    LpmDeepMeasurement m = LpmDeepMeasurement.train(panel.setup(), kA, K - kA, nA, r, 1, outDir.resolve("runs"));
                    ms.add(m);
                    csv.add(p, kA, nA, panel.nB(), r, m.testAccuracy(), m.testMajority(), m.testMinority(), m.trainAccuracy());
                }
                String colour = COLOURS[s % COLOURS.length];
                series.add(Series.markers("K_A=" + kA + " minority classes", rs,
                        LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::testMinority), colour));
                series.add(Series.markers("K_A=" + kA + " majority classes", rs,
                        LpmDeepMinorityCollapse.values(ms, LpmDeepMeasurement::testMajority), colour).withDash(Series.Dash.DOTTED));
                checks.add(dropCheck(panel.setup().model(), kA, ms.get(0), ms.get(1)));
            }
            String model = panel.setup().model();
            LineChart chart = Plots.lineChart("minority-test-accuracy-" + model, "Fashion-MNIST, " + model
                            + ": test accuracy at R = 1 vs R = " + LpmDeepMinorityCollapse.fmtR(panel.largeR()), "R",
                    "test accuracy", false, series, "Markers: minority classes; dotted with markers: majority classes."
                            + " The minority classes have the same " + panel.nB() + " training images per class at both R.");
            if (chart != null) {
                charts.add(chart);
            }
        }
        return new Result(charts, checks, List.of(csv.write(outDir.resolve(CSV))));
    }

    /** Fig. 5's claim for one split: the minority test accuracy at the large R is below that at R = 1 by DROP_MARGIN. */
    static Check dropCheck(String model, int kA, LpmDeepMeasurement balanced, LpmDeepMeasurement imbalanced) {
        double drop = balanced.testMinority() - imbalanced.testMinority();
        return new Check(model + ", K_A = " + kA + ": minority test accuracy at R = " + LpmDeepMinorityCollapse.fmtR(imbalanced.r())
                + " is clearly below that at R = 1 with the same minority images (Fig. 5)",
                "drop >= " + DROP_MARGIN, TidyCsv.fmt(balanced.testMinority()) + " -> " + TidyCsv.fmt(imbalanced.testMinority())
                        + " (drop " + TidyCsv.fmt(drop) + ")", "margin " + DROP_MARGIN, drop >= DROP_MARGIN);
    }
}
