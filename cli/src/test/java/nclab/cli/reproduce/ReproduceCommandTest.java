package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.Main;
import nclab.cli.report.Check;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.linalg.Linalg;
import picocli.CommandLine;

class ReproduceCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run nclab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** The CSV as rows of cells, header first. */
    static List<String[]> csv(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void listShowsEveryIdOnceWithPaperAndFigureAndCoversAllFivePapers() {
        List<Reproduction> all = Catalogue.all();
        List<String> ids = Catalogue.ids(all);
        assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "duplicate ids: " + ids);
        for (String id : ids) {
            assertTrue(id.matches("[a-z0-9]+(-[a-z0-9]+)*"), "id must be lower-case words joined by '-': " + id);
        }
        assertEquals(java.util.Set.of("000", "001", "002", "003", "004"),
                all.stream().map(Reproduction::paper).collect(java.util.stream.Collectors.toSet()));
        Run list = nclab("reproduce", "--list");
        assertEquals(0, list.code(), list.err());
        String[] lines = list.out().strip().split("\n");
        assertEquals(all.size(), lines.length, list.out());
        for (int i = 0; i < lines.length; i++) {
            Reproduction r = all.get(i);
            assertTrue(lines[i].startsWith(r.id() + "\tseed " + r.paper() + " " + r.figure() + "\t"), lines[i]);
        }
        assertTrue(ids.contains("seli-geometry-vs-r") && ids.contains("lpm-minority-cosine-vs-r"), ids.toString());
        assertTrue(list.out().contains("seli-geometry-vs-r\tseed 000 Figs. 1, 3, 8\t"), list.out());
    }

    @Test
    void seliQuickRunPassesAndWritesCsvPlotsAndReport() throws IOException {
        Path dir = tmp.resolve("seli");
        Run run = nclab("reproduce", "seli-geometry-vs-r", "--profile", "quick", "--out", dir.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("report: " + dir.resolve("report.html")), run.out());
        assertTrue(run.out().contains("(10 plots, 11 of 11 checks passed)"), run.out());

        // Fig. 1: the heat maps' matrices, against the ETF Gram -1/(k-1) off the diagonal and SELI's from the SVD below
        List<String[]> grams = csv(dir.resolve(SeliGeometryVsR.FIGURE_ONE_CSV));
        assertEquals(1 + 2 * 2 * 16, grams.size());
        for (String[] row : grams.subList(1, grams.size())) {
            if (row[0].equals("1")) {
                assertEquals(row[2].equals(row[3]) ? 1.0 : -1.0 / 3, Double.parseDouble(row[4]), 1e-12, String.join(",", row));
            }
        }
        for (String f : List.of("fig1-seli-classifiers", "fig1-seli-embeddings", "fig1-etf-classifiers", "fig1-etf-embeddings")) {
            assertTrue(Files.size(dir.resolve("plots/" + f + ".png")) > 500, f);
        }

        List<String[]> rows = csv(dir.resolve(SeliGeometryVsR.CSV));
        assertEquals(SeliGeometryVsR.COLUMNS, List.of(rows.get(0)));
        int perK = SeliGeometryVsR.grid().length;
        assertEquals(4 * perK + 1, rows.size());
        // the grid: whole numbers from 1 to 1000, including 7
        double[] grid = SeliGeometryVsR.grid();
        assertEquals(1, grid[0]);
        assertEquals(1000, grid[grid.length - 1]);
        assertTrue(Arrays.stream(grid).anyMatch(r -> r == 7));

        int col = SeliGeometryVsR.COLUMNS.indexOf("norm_ratio_W");
        int colM = SeliGeometryVsR.COLUMNS.indexOf("norm_ratio_M");
        for (String[] row : rows.subList(1, rows.size())) {
            if (row[0].equals("2")) {
                // k = 2 is balanced-like (Cor. 2.3): both norm ratios are 1 at every R
                assertEquals(1.0, Double.parseDouble(row[col]), 1e-9, String.join(",", row));
                assertEquals(1.0, Double.parseDouble(row[colM]), 1e-9, String.join(",", row));
            }
            if (row[0].equals("4") && row[1].equals("10")) {
                // independent: ||w_maj||²/||w_min||² from an explicit SVD of the SEL matrix, W = Λ^{1/2}Vᵀ
                double[][] z = SeliGeometryVsR.selMatrix(nclab.data.ClassSizes.step(4, 10, 0.5, 1));
                var svd = Linalg.svd(Linalg.matrix(z));
                double[][] u = Linalg.array(svd.u());
                double[] s = svd.s();
                double maj = 0;
                double min = 0;
                for (int j = 0; j < 3; j++) {
                    maj += u[0][j] * u[0][j] * s[j];
                    min += u[3][j] * u[3][j] * s[j];
                }
                assertEquals(Math.sqrt(maj / min), Double.parseDouble(row[col]), 1e-9);
                // spec 000 §4.8 reference table (closed form = SVD to 2e-13): w-ratio, h-ratio, cosW nn, cos(w,h) min
                assertEquals(1.412532, Double.parseDouble(row[col]), 1e-6);
                assertEquals(0.660598, Double.parseDouble(row[colM]), 1e-6);
                assertEquals(0.079446, Double.parseDouble(row[SeliGeometryVsR.COLUMNS.indexOf("cos_W_minmin")]), 1e-6);
                assertEquals(0.923921, Double.parseDouble(row[SeliGeometryVsR.COLUMNS.indexOf("cos_w_mu_min")]), 1e-6);
            }
        }
        for (String f : List.of("a-norm-ratios", "b-alignment", "c-cosines-k2", "c-cosines-k4", "c-cosines-k10", "c-cosines-k20")) {
            assertTrue(Files.size(dir.resolve("plots/" + f + ".png")) > 1000, f);
            assertTrue(Files.readString(dir.resolve("plots/" + f + ".svg")).startsWith("<?xml") || Files.readString(
                    dir.resolve("plots/" + f + ".svg")).contains("<svg"), f);
        }
        String settings = Files.readString(dir.resolve("settings.json"));
        assertTrue(settings.contains("\"rho\" : 0.5"), settings);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<table id=\"checks\">"));
        assertEquals(10, count(html, "<img class=\"plot\""));
        assertEquals(11, count(html, "<tr class=\"pass\">"));
        assertFalse(html.contains("<tr class=\"fail\">"));
        assertTrue(html.contains("R = 7: minority classifiers are orthogonal"));
    }

    @Test
    void lpmQuickRunPassesAndWritesBothCosines() throws IOException {
        Path dir = tmp.resolve("lpm");
        Run run = nclab("reproduce", "lpm-minority-cosine-vs-r", "--out", dir.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        List<String[]> rows = csv(dir.resolve(LpmMinorityCosineVsR.CSV));
        assertEquals(LpmMinorityCosineVsR.COLUMNS, List.of(rows.get(0)));
        assertEquals(3 * 12 + 1, rows.size());
        int zero = LpmMinorityCosineVsR.COLUMNS.indexOf("minority_zero");
        int trueCos = LpmMinorityCosineVsR.COLUMNS.indexOf("minority_cos_true");
        int rowsCos = LpmMinorityCosineVsR.COLUMNS.indexOf("minority_cos_gram_rows");
        for (String[] row : rows.subList(1, rows.size())) {
            double r = Double.parseDouble(row[2]);
            if (row[0].equals("7") && r > 6) {
                // past the second threshold R_z = 5.705 of (7,3) the minority classifiers are zero: cosines undefined
                assertEquals("1", row[zero], String.join(",", row));
                assertEquals("NaN", row[trueCos]);
            }
            if (r == 1) {
                assertEquals(-1.0 / 9, Double.parseDouble(row[trueCos]), 1e-6);
            }
            if (row[0].equals("5") && r > 2 && r < 4) {
                // mid-transition the two cosines differ (spec 003 §6 table: 0.0996 vs -0.0243 at R = 3)
                assertTrue(Double.parseDouble(row[rowsCos]) > Double.parseDouble(row[trueCos]) + 0.05, String.join(",", row));
            }
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<table id=\"checks\">"));
        assertEquals(1, count(html, "<img class=\"plot\""));
        assertTrue(html.contains("0.517496"));
        assertFalse(html.contains("<tr class=\"fail\">"));
        assertTrue(Files.isRegularFile(dir.resolve("plots/minority-cosine.svg")));
    }

    @Test
    void lpmPaperGridHasFortyValuesFromOneToThousand() {
        double[] g = LpmMinorityCosineVsR.grid(Reproduction.Profile.PAPER);
        assertEquals(40, g.length);
        assertEquals(1, g[0]);
        assertEquals(1000, g[39], 1e-9);
    }

    @Test
    void unknownIdExitsTwoAndListsTheIds() {
        Run run = nclab("reproduce", "no-such-id", "--out", tmp.resolve("x").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown id 'no-such-id'; ids: " + String.join(", ", Catalogue.ids(Catalogue.all()))),
                run.err());
        assertFalse(Files.exists(tmp.resolve("x")));
        Run profile = nclab("reproduce", "seli-geometry-vs-r", "--profile", "huge", "--out", tmp.resolve("y").toString());
        assertEquals(2, profile.code());
        assertTrue(profile.err().contains("profile must be quick or paper, got 'huge'"), profile.err());
    }

    @Test
    void aFailingCheckExitsFiveAndIsMarkedInTheReport() throws IOException {
        ReproduceCommand cmd = new ReproduceCommand();
        cmd.catalogue = List.of(new WrongClaim());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = tmp.resolve("wrong");
        int code = new CommandLine(cmd).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("wrong-claim", "--out", dir.toString());
        assertEquals(5, code, out + " " + err);
        assertTrue(err.toString().contains("1 check failed"), err.toString());
        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(1, count(html, "<tr class=\"fail\">"));
        assertEquals(1, count(html, "<tr class=\"pass\">"));
    }

    /** A test reproduction whose second check expects 1 + 1 = 3. */
    static final class WrongClaim implements Reproduction {
        @Override
        public String id() {
            return "wrong-claim";
        }

        @Override
        public String paper() {
            return "000";
        }

        @Override
        public String figure() {
            return "none";
        }

        @Override
        public String description() {
            return "a deliberately wrong expectation";
        }

        @Override
        public Map<String, Object> settings(Profile profile) {
            return new LinkedHashMap<>(Map.of("profile", profile.name()));
        }

        @Override
        public Result run(Profile profile, Path outDir) {
            var chart = Plots.lineChart("line", "line", "x", "y", false,
                    List.of(Series.line("y = x", new double[] {1, 2}, new double[] {1, 2}, "#1f77b4")), "");
            double sum = 1 + 1;
            return new Result(List.of(chart), List.of(new Check("1 + 1 = 2", "2", Double.toString(sum), "0", sum == 2),
                    new Check("1 + 1 = 3", "3", Double.toString(sum), "0", sum == 3)), List.of());
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
