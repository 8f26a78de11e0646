package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.theory.ClassGeometry;
import nclab.theory.Etf;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;

/**
 * Seed 000, Figs. 1, 3 and 8 (Fig. 1: the SELI and ETF Grams at k = 4, R = 10 as heat maps): the closed-form SELI geometry (Definition 3, Theorem 1; norms Cor. 2.4, angles
 * Lemma B.3 eq. 4, alignment Lemma B.5 eqs. 17–18) against the imbalance ratio R for (R, 1/2)-STEP imbalance
 * with k = 2, 4, 10, 20 classes and n_min = 1. Theory only; nothing is trained.
 *
 * <p>Checks (spec 000 §4.2 and §9): at R = 1 every cosine is the simplex-ETF value −1/(k−1); at R = 7 the
 * minority classifiers are orthogonal for every k (eq. 4: Cos(w_min, w'_min) = (R−7)/(R−7+2k(2+σ))); for
 * k = 2 the norm ratios are 1 (Cor. 2.3); for k = 4, R = 10 the singular values of the SEL matrix
 * Ẑ = (I − 11ᵀ/k)Y, built explicitly and decomposed by an SVD, are √10, √5.5, 1.
 */
public final class SeliGeometryVsR implements Reproduction {
    static final int[] KS = {2, 4, 10, 20};
    static final double RHO = 0.5;
    static final int N_MIN = 1;
    static final int GRID_POINTS = 40;
    static final String CSV = "seli_geometry.csv";
    static final List<String> COLUMNS = List.of("k", "R", "norm_ratio_W", "norm_ratio_M", "cos_w_mu_maj", "cos_w_mu_min",
            "cos_W_majmaj", "cos_W_minmin", "cos_W_majmin", "cos_M_majmaj", "cos_M_minmin", "cos_M_majmin", "etf_cos");
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"};

    @Override
    public String id() {
        return "seli-geometry-vs-r";
    }

    @Override
    public String paper() {
        return "000";
    }

    @Override
    public String figure() {
        return "Figs. 1, 3, 8";
    }

    @Override
    public String description() {
        return "SELI norm ratios, classifier-embedding alignment and pairwise cosines vs R, (R,1/2)-STEP, k = 2, 4, 10, 20 (closed form)";
    }

    /** The R grid: 40 log-spaced values from 1 to 1000 rounded to whole numbers (n_maj = R·n_min), duplicates removed, with R = 7. */
    static double[] grid() {
        TreeSet<Double> r = new TreeSet<>();
        for (double v : TidyCsv.logGrid(1, 1000, GRID_POINTS)) {
            r.add((double) Math.round(v));
        }
        r.add(7.0);
        return r.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public Map<String, Object> settings(Profile profile) {
        Map<String, Object> s = commonSettings(profile);
        s.put("model", "SELI closed form (nclab.theory.SeliGeometry), scale alpha = 1 (all margins 1)");
        s.put("k", List.of(2, 4, 10, 20));
        s.put("rho", RHO);
        s.put("n_min", N_MIN + " (our choice; the normalised quantities do not depend on it)");
        s.put("R_grid", "40 log-spaced values in [1, 1000] rounded to integers, plus R = 7 (" + grid().length
                + " values; same in both profiles)");
        s.put("class_order", "majorities first, then minorities");
        return s;
    }

    @Override
    public Result run(Profile profile, Path outDir) {
        double[] rs = grid();
        TidyCsv csv = new TidyCsv(COLUMNS);
        for (int k : KS) {
            for (double r : rs) {
                ClassGeometry g = geometry(k, r);
                double[] nw = g.classifierNorms();
                double[] nm = g.meanNorms();
                double[][] cw = g.classifierCosines();
                double[][] cm = g.meanCosines();
                double[][] logits = g.logits();
                int maj = 0;
                int min = k - 1;
                int maj2 = k / 2 >= 2 ? 1 : -1;
                int min2 = k / 2 >= 2 ? k - 2 : -1;
                csv.add(k, r, nw[maj] / nw[min], nm[maj] / nm[min],
                        logits[maj][maj] / (nw[maj] * nm[maj]), logits[min][min] / (nw[min] * nm[min]),
                        maj2 < 0 ? Double.NaN : cw[maj][maj2], min2 < 0 ? Double.NaN : cw[min][min2], cw[maj][min],
                        maj2 < 0 ? Double.NaN : cm[maj][maj2], min2 < 0 ? Double.NaN : cm[min][min2], cm[maj][min],
                        -1.0 / (k - 1));
            }
        }
        Path file = csv.write(outDir.resolve(CSV));
        List<Check> checks = checks(csv);
        checks.add(figureOneSingularValues());
        TidyCsv grams = new TidyCsv(List.of("geometry", "matrix", "row", "col", "value"));
        List<HeatMap> maps = figureOneHeatMaps(grams);
        Path gramFile = grams.write(outDir.resolve(FIGURE_ONE_CSV));
        return new Result(charts(csv, rs), maps, checks, List.of(file, gramFile));
    }

    static final String FIGURE_ONE_CSV = "fig1_grams.csv";

    /**
     * Fig. 1: the SELI and ETF geometries for k = 4, R = 10 as normalised Gram heat maps (classifiers W Wᵀ and
     * embeddings M Mᵀ, each divided by its largest |entry|; majorities first, separator after class 2).
     */
    static List<HeatMap> figureOneHeatMaps(TidyCsv csv) {
        ClassGeometry seli = geometry(4, 10);
        ClassGeometry etf = Etf.predict(TheoryParameters.of(ClassSizes.step(4, 10, RHO, N_MIN))).geometry();
        List<HeatMap> maps = new ArrayList<>();
        String[][] names = {{"seli", "SELI"}, {"etf", "ETF"}};
        ClassGeometry[] geometries = {seli, etf};
        for (int g = 0; g < 2; g++) {
            double[][][] grams = {geometries[g].classifierGram(), geometries[g].meanGram()};
            String[] matrices = {"classifiers", "embeddings"};
            for (int m = 0; m < 2; m++) {
                double[][] normalised = normalise(grams[m]);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        csv.add(g, m, i, j, normalised[i][j]);
                    }
                }
                maps.add(new HeatMap("fig1-" + names[g][0] + "-" + matrices[m], "Fig. 1: " + names[g][1] + " " + matrices[m]
                        + " Gram, k = 4, R = 10", normalised, 2, "Divided by the largest |entry|; classes 1-2 majorities,"
                        + " 3-4 minorities (geometry 0 = SELI, 1 = ETF and matrix 0 = classifiers, 1 = embeddings in "
                        + FIGURE_ONE_CSV + ")."));
            }
        }
        return maps;
    }

    private static double[][] normalise(double[][] gram) {
        double max = 0;
        for (double[] row : gram) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        double[][] out = new double[gram.length][];
        for (int i = 0; i < gram.length; i++) {
            out[i] = new double[gram[i].length];
            for (int j = 0; j < gram[i].length; j++) {
                out[i][j] = gram[i][j] / max;
            }
        }
        return out;
    }

    /** Fig. 1's instance (k = 4, R = 10, n_min = 5: n = 110): singular values √50, √27.5, √5 by an explicit SVD of Ẑ. */
    static Check figureOneSingularValues() {
        double[] expected = {Math.sqrt(50), Math.sqrt(27.5), Math.sqrt(5)};
        double[] svd = Linalg.singularValues(Linalg.matrix(selMatrix(ClassSizes.step(4, 10, RHO, 5))));
        double dev = 0;
        for (int i = 0; i < 3; i++) {
            dev = Math.max(dev, Math.abs(svd[i] - expected[i]));
        }
        return new Check("Fig. 1 instance k = 4, R = 10, n_min = 5: singular values of the SEL matrix (explicit SVD; spec 000 §4)",
                "{7.071068, 5.244044, 2.236068}", "{" + TidyCsv.fmt(svd[0]) + ", " + TidyCsv.fmt(svd[1]) + ", "
                        + TidyCsv.fmt(svd[2]) + "}", "1e-6", dev <= 1e-6);
    }

    static ClassGeometry geometry(int k, double r) {
        return SeliGeometry.predict(TheoryParameters.of(ClassSizes.step(k, r, RHO, N_MIN))).geometry();
    }

    private static List<LineChart> charts(TidyCsv csv, double[] rs) {
        List<LineChart> charts = new ArrayList<>();
        List<Series> ratios = new ArrayList<>();
        List<Series> align = new ArrayList<>();
        for (int i = 0; i < KS.length; i++) {
            int k = KS[i];
            String c = COLOURS[i];
            ratios.add(Series.line("k=" + k + " classifiers", rs, slice(csv, "norm_ratio_W", k), c));
            ratios.add(Series.line("k=" + k + " embeddings", rs, slice(csv, "norm_ratio_M", k), c).withDash(Series.Dash.DASHED));
            align.add(Series.line("k=" + k + " majority", rs, slice(csv, "cos_w_mu_maj", k), c));
            align.add(Series.line("k=" + k + " minority", rs, slice(csv, "cos_w_mu_min", k), c).withDash(Series.Dash.DASHED));
        }
        charts.add(Plots.lineChart("a-norm-ratios", "(a) SELI norm ratios majority/minority", "R", "||maj|| / ||min||", false,
                ratios, "Solid: classifiers ||w_maj||/||w_min||; dashed: embeddings ||mu_maj||/||mu_min||. Log x."));
        charts.add(Plots.lineChart("b-alignment", "(b) SELI alignment cos(w_c, mu_c)", "R", "cos(w, mu)", false, align,
                "Solid: majority classes; dashed: minority classes (Lemma B.5, eqs. 17-18)."));
        String[][] pairs = {{"majmaj", "maj-maj", "#1f77b4"}, {"minmin", "min-min", "#d62728"}, {"majmin", "maj-min", "#2ca02c"}};
        for (int k : KS) {
            List<Series> cos = new ArrayList<>();
            for (String[] p : pairs) {
                double[] w = slice(csv, "cos_W_" + p[0], k);
                if (Double.isFinite(w[0])) {
                    cos.add(Series.line("classifiers " + p[1], rs, w, p[2]));
                    cos.add(Series.line("embeddings " + p[1], rs, slice(csv, "cos_M_" + p[0], k), p[2]).withDash(Series.Dash.DOTTED));
                }
            }
            cos.add(Series.line("ETF -1/(k-1)", rs, slice(csv, "etf_cos", k), "#7f7f7f").withDash(Series.Dash.DASHED));
            charts.add(Plots.lineChart("c-cosines-k" + k, "(c) SELI pairwise cosines, k = " + k, "R", "cosine", false, cos,
                    "Solid: classifiers; dotted: embeddings; grey dashed: simplex ETF -1/(k-1)."
                            + (k == 2 ? " k = 2 has one class per group, so only maj-min exists." : "")));
        }
        return charts;
    }

    private static double[] slice(TidyCsv csv, String column, int k) {
        return csv.column(column, Map.of("k", (double) k));
    }

    private static List<Check> checks(TidyCsv csv) {
        List<Check> checks = new ArrayList<>();
        for (int k : KS) {
            ClassGeometry g = geometry(k, 1);
            double etf = -1.0 / (k - 1);
            double dev = 0;
            for (double[][] c : List.of(g.classifierCosines(), g.meanCosines())) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        if (i != j) {
                            dev = Math.max(dev, Math.abs(c[i][j] - etf));
                        }
                    }
                }
            }
            checks.add(new Check("k = " + k + ", R = 1: every classifier and embedding cosine is the ETF value (Cor. 2.1)",
                    TidyCsv.fmt(etf), "max |cos + 1/(k-1)| = " + TidyCsv.fmt(dev), "1e-12", dev <= 1e-12));
        }
        for (int k : KS) {
            if (k / 2 < 2) {
                continue; // one minority class: no pair of minority classifiers
            }
            ClassGeometry g = geometry(k, 7);
            double cos = g.classifierCosines()[k - 2][k - 1];
            checks.add(new Check("k = " + k + ", R = 7: minority classifiers are orthogonal (eq. 4, spec 000 §9 item 5)",
                    "0", TidyCsv.fmt(cos), "1e-9", Math.abs(cos) <= 1e-9));
        }
        double maxDev = 0;
        double[] ks = csv.column("k");
        double[] rw = csv.column("norm_ratio_W");
        double[] rm = csv.column("norm_ratio_M");
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == 2) {
                maxDev = Math.max(maxDev, Math.max(Math.abs(rw[i] - 1), Math.abs(rm[i] - 1)));
            }
        }
        checks.add(new Check("k = 2: norm ratios are 1 at every R (Cor. 2.3, balanced-like)", "1",
                "max |ratio - 1| = " + TidyCsv.fmt(maxDev), "1e-9", maxDev <= 1e-9));
        double[] expected = {Math.sqrt(10), Math.sqrt(5.5), 1};
        double[] svd = Linalg.singularValues(Linalg.matrix(selMatrix(ClassSizes.step(4, 10, RHO, N_MIN))));
        double[] closed = SeliGeometry.of(ClassSizes.step(4, 10, RHO, N_MIN)).singularValues();
        checks.add(svCheck("k = 4, R = 10: singular values of the SEL matrix (explicit SVD; spec 000 §4)", expected, svd));
        checks.add(svCheck("k = 4, R = 10: singular values used by SeliGeometry (K x K eigenproblem)", expected, closed));
        return checks;
    }

    private static Check svCheck(String claim, double[] expected, double[] measured) {
        double dev = 0;
        for (int i = 0; i < expected.length; i++) {
            dev = Math.max(dev, i < measured.length ? Math.abs(measured[i] - expected[i]) : Double.POSITIVE_INFINITY);
        }
        return new Check(claim, "{3.162278, 2.345208, 1}", "{" + TidyCsv.fmt(measured[0]) + ", " + TidyCsv.fmt(measured[1]) + ", "
                + TidyCsv.fmt(measured[2]) + "}", "1e-6", dev <= 1e-6);
    }

    /** The SEL matrix Ẑ = (I − 11ᵀ/K)·Y (Def. 2, eq. 3), K×N, column i = e_{y_i} − 1/K·1, samples in class order. */
    static double[][] selMatrix(ClassSizes sizes) {
        int k = sizes.k();
        double[][] z = new double[k][Math.toIntExact(sizes.total())];
        int col = 0;
        for (int c = 0; c < k; c++) {
            for (int s = 0; s < sizes.count(c); s++, col++) {
                for (int r = 0; r < k; r++) {
                    z[r][col] = (r == c ? 1.0 : 0.0) - 1.0 / k;
                }
            }
        }
        return z;
    }
}
