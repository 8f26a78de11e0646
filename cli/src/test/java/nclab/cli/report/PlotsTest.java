package nclab.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path tmp;

    @Test
    void logXOnlyWhenPositiveValuesSpanMoreThanTwoDecades() {
        assertFalse(Plots.useLogX(new double[] {0, 1, 2, 3, 4, 5, 6}), "epochs 0..6");
        assertFalse(Plots.useLogX(new double[] {0, 1, 50, 100}), "exactly two decades is not more than two");
        assertTrue(Plots.useLogX(new double[] {0, 1, 50, 101}), "zero is excluded: 1..101");
        assertTrue(Plots.useLogX(new double[] {1, 10, 100, 1000}));
        assertFalse(Plots.useLogX(new double[] {100, 5000}), "1.7 decades");
        assertFalse(Plots.useLogX(new double[] {0, 0, Double.NaN}), "no positive value");
        assertFalse(Plots.useLogX(new double[] {-1000, -1, 1, 50}), "negative values do not count");
        assertTrue(Plots.useLogX(new double[] {Double.NaN, 2, 5000, Double.POSITIVE_INFINITY}), "non-finite values do not count");
    }

    @Test
    void logAxesDropWhatTheyCannotShowAndSaySo() {
        double[] x = {0, 1, 10, 100, 1000};
        Series s = Series.line("a", x, new double[] {5, 4, Double.NaN, 2, 1}, "#000000");
        LineChart chart = Plots.lineChart("c", "t", "step", "y", false, List.of(s), "Base.");
        assertTrue(chart.logX());
        assertFalse(chart.logY());
        assertArrayEquals(new double[] {1, 100, 1000}, chart.series().get(0).x(), "x = 0 and the NaN point dropped");
        assertEquals("Base. step = 0 (the initialisation) is not shown on the log x axis.", chart.caption());

        LineChart linear = Plots.lineChart("c", "t", "epoch", "y", true,
                List.of(Series.line("a", new double[] {0, 1, 2, 3}, new double[] {1, 0, -1, 0.5}, "#000000")), null);
        assertFalse(linear.logX());
        assertTrue(linear.logY());
        assertArrayEquals(new double[] {0, 3}, linear.series().get(0).x(), "y <= 0 dropped on the log y axis");
        assertEquals("Values ≤ 0 are not shown on the log y axis.", linear.caption());

        Series allNaN = Series.line("nan", x, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN}, "#000000");
        LineChart kept = Plots.lineChart("c", "t", "step", "y", false, List.of(s, allNaN), "");
        assertEquals(1, kept.series().size(), "a series without a point to show is left out");
        assertNull(Plots.lineChart("c", "t", "step", "y", false, List.of(allNaN), ""), "nothing to show: no chart");
    }

    @Test
    void axesHaveNiceTicks() {
        Axis linear = Axis.covering(0.03, 0.97, false);
        assertEquals(0, linear.lo(), 1e-15);
        assertEquals(1, linear.hi(), 1e-15);
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), linear.ticks());
        Axis log = Axis.covering(0.047, 3.3, true);
        assertEquals(0.01, log.lo(), 1e-17);
        assertEquals(10, log.hi(), 1e-14);
        assertEquals(4, log.ticks().size(), "1e-2, 1e-1, 1, 10");
        Axis oneDecade = Axis.covering(2, 7, true);
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0), oneDecade.ticks());
        Axis flat = Axis.covering(3, 3, false);
        assertTrue(flat.lo() < 3 && flat.hi() > 3, "a constant series gets a non-empty range");
        assertEquals("1e-5", Axis.label(1e-5));
        assertEquals("2.5×1e6", Axis.label(2.5e6));
        assertEquals("0.3", Axis.label(0.30000000000000004));
        assertEquals("1000", Axis.label(1000));
    }

    @Test
    void lineChartAsPngAndWellFormedSvgWithOnePolylinePerSeries() throws Exception {
        double[] x = {0, 1, 2, 3, 4, 5};
        List<Series> series = List.of(
                Series.line("theory", x, new double[] {1, 0.8, 0.6, 0.5, 0.45, 0.42}, "#2ca02c"),
                Series.markers("measured <W>", x, new double[] {1.1, 0.7, 0.65, 0.52, 0.4, 0.43}, "#d62728"),
                Series.line("etf", x, new double[] {0.9, 0.9, 0.8, 0.8, 0.7, 0.7}, "#1f77b4").withDash(Series.Dash.DASHED).withMarkers(true));
        Plot plot = Plots.render(Plots.lineChart("demo", "A & B", "epoch", "value", false, series, "caption"));
        assertPng(plot.png());
        Document svg = parseSvg(plot.svg());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        NodeList lines = svg.getElementsByTagName("polyline");
        assertEquals(series.size(), lines.getLength());
        Element markers = (Element) lines.item(1);
        assertEquals("none", markers.getAttribute("stroke"), "measurement: markers only");
        assertEquals("url(#demo-m1)", markers.getAttribute("marker-mid"));
        assertEquals(6, markers.getAttribute("points").trim().split("\\s+").length);
        assertEquals("7,4", ((Element) lines.item(2)).getAttribute("stroke-dasharray"), "etf dashed");
        assertEquals("", ((Element) lines.item(0)).getAttribute("stroke-dasharray"), "theory solid");
        assertEquals(2, svg.getElementsByTagName("marker").getLength());
        assertTrue(plot.svg().contains("A &amp; B") && plot.svg().contains("measured &lt;W&gt;"), "text escaped");
    }

    @Test
    void svgPointsFollowTheLogScale() throws Exception {
        double[] x = {1, 10, 100, 1000};
        LineChart chart = Plots.lineChart("log", "t", "step", "y", true,
                List.of(Series.line("a", x, new double[] {1, 0.1, 0.01, 0.001}, "#000000")), null);
        Document svg = parseSvg(SvgWriter.lineChart(chart));
        String[] pts = ((Element) svg.getElementsByTagName("polyline").item(0)).getAttribute("points").split(" ");
        double[] px = Arrays.stream(pts).mapToDouble(p -> Double.parseDouble(p.split(",")[0])).toArray();
        double[] py = Arrays.stream(pts).mapToDouble(p -> Double.parseDouble(p.split(",")[1])).toArray();
        for (int i = 1; i < 3; i++) {
            assertEquals(px[1] - px[0], px[i + 1] - px[i], 0.02, "decades equally spaced in x");
            assertEquals(py[1] - py[0], py[i + 1] - py[i], 0.02, "decades equally spaced in y");
        }
        assertTrue(py[3] > py[0], "smaller values lower on the page");
    }

    @Test
    void heatMapWithSeparators() throws Exception {
        double[][] features = {{1, 0}, {1, 0.2}, {0, 1}, {-1, 0}, {0, -1}};
        int[] labels = {0, 0, 1, 2, 3};
        double[][] cos = Plots.classMeanCosines(features, labels, 4);
        assertEquals(1, cos[0][0], 1e-15);
        assertEquals(0.1 / Math.sqrt(1.01), cos[0][1], 1e-15, "mean of class 0 is (1, 0.1)");
        assertEquals(-1 / Math.sqrt(1.01), cos[0][2], 1e-15);
        assertEquals(0, cos[2][3], 1e-15);
        Plot plot = Plots.render(new HeatMap("gram", "class-mean cosines", cos, 2, "2 majority classes"));
        assertPng(plot.png());
        Document svg = parseSvg(plot.svg());
        NodeList rects = svg.getElementsByTagName("rect");
        long cells = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            if (rects.item(i).getFirstChild() != null) {
                cells++; // cells carry a <title> with their value
            }
        }
        assertEquals(16, cells);
        long separators = count(svg, "line", "separator");
        assertEquals(2, separators);
        Plot noSplit = Plots.render(new HeatMap("gram", "t", cos, 0, ""));
        assertEquals(0, count(parseSvg(noSplit.svg()), "line", "separator"));
        double[][] zeroClass = Plots.classMeanCosines(new double[][] {{1, 0}, {0, 0}}, new int[] {0, 1}, 2);
        assertTrue(Double.isNaN(zeroClass[0][1]), "a zero mean has no cosine");
    }

    @Test
    void standardPanelsOfARun() throws IOException {
        RunData run = RunData.read(RunFixtures.solveRun(tmp.resolve("run"), true));
        List<LineChart> charts = Plots.standardCharts(run);
        assertEquals(List.of("nc1", "dist-classifier", "dist-embedding", "dist-logits", "accuracy", "loss", "norm-ratios", "minority-cos"),
                charts.stream().map(LineChart::id).collect(Collectors.toList()));
        LineChart nc1 = charts.get(0);
        assertTrue(nc1.logX() && nc1.logY());
        assertEquals(10, nc1.series().get(0).size(), "step 0 dropped on the log axis");
        LineChart dist = charts.get(1);
        assertEquals(List.of("etf", "seli"), dist.series().stream().map(Series::label).collect(Collectors.toList()));
        assertEquals(Series.Dash.DASHED, dist.series().get(0).dash());
        assertEquals(Series.Dash.SOLID, dist.series().get(1).dash());
        LineChart acc = charts.get(4);
        assertEquals(9, acc.series().get(0).size(), "step 0 and the NaN row are not drawn");
        LineChart cos = charts.get(7);
        assertTrue(cos.series().get(0).markers() && !cos.series().get(0).hasLine(), "measured cosine as markers");
        assertFalse(cos.caption().contains("duality gap"), "no LPM columns, no LPM note");
        List<Plot> plots = Plots.standardPanels(run);
        assertEquals(charts.size(), plots.size());
        for (Plot p : plots) {
            assertPng(p.png());
        }
    }

    @Test
    void theoryLineAndHeadLayerPanels() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("train"));
        java.nio.file.Files.writeString(dir.resolve("metrics.csv"), "epoch,minority_cos_W_avg,lpm_minority_cos_W,lpm_rel_gap,layer1_rank_M,layer2_rank_M,layer1_dnc1,layer2_dnc1\n"
                + "0,0.1,NaN,NaN,9,9,2.0,3.0\n1,0.2,0.25,1e-12,8,6,1.0,0.5\n2,0.3,0.3,0.05,7,4,0.5,0.1\n");
        List<LineChart> charts = Plots.standardCharts(RunData.read(dir));
        assertEquals(List.of("minority-cos", "layer-rank-M", "layer-dnc1"), charts.stream().map(LineChart::id).collect(Collectors.toList()));
        LineChart cos = charts.get(0);
        assertEquals("lpm_minority_cos_W (LPM prediction)", cos.series().get(0).label());
        assertTrue(cos.series().get(0).hasLine() && !cos.series().get(0).markers(), "theory as a line");
        assertEquals(2, cos.series().get(0).size(), "NaN prediction at epoch 0 not drawn");
        assertTrue(!cos.series().get(1).hasLine() && cos.series().get(1).markers(), "measurement as markers");
        assertTrue(cos.caption().contains("stopped at relative duality gap 0.05000"), cos.caption());
        assertEquals(2, charts.get(1).series().size(), "one series per layer");
        assertTrue(charts.get(2).logY());
    }

    private static long count(Document svg, String tag, String cls) {
        NodeList nodes = svg.getElementsByTagName(tag);
        long n = 0;
        for (int i = 0; i < nodes.getLength(); i++) {
            if (cls.equals(((Element) nodes.item(i)).getAttribute("class"))) {
                n++;
            }
        }
        return n;
    }

    static void assertPng(byte[] png) throws IOException {
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), "PNG signature");
        assertTrue(png.length > 5_000 && png.length < 500_000, "plausible size: " + png.length);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    static Document parseSvg(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
