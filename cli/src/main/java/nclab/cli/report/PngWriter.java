package nclab.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Renders charts to PNG with JFreeChart, headless ({@code java.awt.headless=true} is set before any AWT
 * use). Same look as {@link SvgWriter}: white background, series colours and dash patterns, circle markers.
 */
final class PngWriter {
    static {
        Headless.ensure();
    }

    private PngWriter() {
    }

    static byte[] lineChart(LineChart chart) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        for (int i = 0; i < chart.series().size(); i++) {
            Series s = chart.series().get(i);
            XYSeries xy = new XYSeries(s.label() + (data.getSeriesIndex(s.label()) >= 0 ? " (" + i + ")" : ""), false, true);
            for (int p = 0; p < s.size(); p++) {
                xy.add(s.x()[p], s.y()[p]);
            }
            data.addSeries(xy);
            renderer.setSeriesPaint(i, Color.decode(s.colour()));
            renderer.setSeriesLinesVisible(i, s.hasLine());
            renderer.setSeriesShapesVisible(i, s.markers());
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
            float[] dash = s.dash().pattern();
            renderer.setSeriesStroke(i, dash == null ? new BasicStroke(1.8f)
                    : new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
        }
        double[] xr = SvgWriter.range(chart, true);
        double[] yr = SvgWriter.range(chart, false);
        XYPlot plot = new XYPlot(data, axis(chart.xLabel(), Axis.covering(xr[0], xr[1], chart.logX())),
                axis(chart.yLabel(), Axis.covering(yr[0], yr[1], chart.logY())), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        style(plot);
        JFreeChart jf = new JFreeChart(chart.title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        jf.setBackgroundPaint(Color.WHITE);
        jf.setPadding(new RectangleInsets(4, 4, 4, 18)); // room for the last x tick label
        return encode(jf);
    }

    static byte[] heatMap(HeatMap map) {
        int k = map.values().length;
        double scale = map.scale();
        double[][] xyz = new double[3][k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                xyz[0][i * k + j] = j;
                xyz[1][i * k + j] = i;
                xyz[2][i * k + j] = map.values()[i][j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(map.id(), xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        PaintScale paint = new Diverging(scale);
        renderer.setPaintScale(paint);
        NumberAxis x = new NumberAxis("class");
        NumberAxis y = new NumberAxis("class");
        for (NumberAxis a : new NumberAxis[] {x, y}) {
            a.setRange(-0.5, k - 0.5);
            a.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0")));
            a.setLowerMargin(0);
            a.setUpperMargin(0);
        }
        y.setInverted(true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        style(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        if (map.split() > 0 && map.split() < k) {
            for (boolean domain : new boolean[] {true, false}) {
                ValueMarker m = new ValueMarker(map.split() - 0.5, Color.BLACK, new BasicStroke(2f));
                if (domain) {
                    plot.addDomainMarker(m);
                } else {
                    plot.addRangeMarker(m);
                }
            }
        }
        JFreeChart jf = new JFreeChart(map.title(), new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        jf.setBackgroundPaint(Color.WHITE);
        jf.setPadding(new RectangleInsets(4, 110, 4, 90)); // about square cells in 640×400
        NumberAxis barAxis = new NumberAxis();
        barAxis.setRange(-scale, scale);
        barAxis.setTickUnit(new NumberTickUnit(Axis.niceStep(scale / 2), TICKS));
        PaintScaleLegend legend = new PaintScaleLegend(paint, barAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        legend.setStripWidth(14);
        jf.addSubtitle(legend);
        return encode(jf);
    }

    /** A JFreeChart axis with the range and tick spacing of the SVG's {@link Axis}, so both images agree. */
    private static ValueAxis axis(String label, Axis spec) {
        if (spec.log()) {
            LogAxis a = new LogAxis(label);
            a.setBase(10);
            a.setSmallestValue(1e-300);
            a.setRange(spec.lo() * (1 - 1e-9), spec.hi() * (1 + 1e-9)); // a hair wider: the end ticks stay inside
            List<Double> decades = spec.ticks().stream().filter(t -> Math.abs(Math.log10(t) - Math.rint(Math.log10(t))) < 1e-9).toList();
            double every = decades.size() >= 2 ? Math.rint(Math.log10(decades.get(1)) - Math.log10(decades.get(0))) : 1;
            a.setTickUnit(new NumberTickUnit(every, TICKS));
            a.setNumberFormatOverride(TICKS);
            a.setMinorTickCount(10); // LogAxis spaces minor ticks linearly in value: 2..9 × 10^k
            a.setMinorTickMarksVisible(true);
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        double eps = 1e-9 * (spec.hi() - spec.lo());
        a.setRange(spec.lo() - eps, spec.hi() + eps);
        double step = spec.ticks().size() >= 2 ? spec.ticks().get(1) - spec.ticks().get(0) : spec.hi() - spec.lo();
        a.setTickUnit(new NumberTickUnit(step, TICKS));
        return a;
    }

    /** Tick labels as {@link Axis#label}. */
    private static final NumberFormat TICKS = new NumberFormat() {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(Axis.label(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(Axis.label(number));
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            return null;
        }
    };

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setOutlinePaint(new Color(0x44, 0x44, 0x44));
    }

    private static byte[] encode(JFreeChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            ChartUtils.writeChartAsPNG(out, chart, SvgWriter.WIDTH, SvgWriter.HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** {@link HeatMap#rgb} as a JFreeChart paint scale. */
    private record Diverging(double scale) implements PaintScale {
        @Override
        public double getLowerBound() {
            return -scale;
        }

        @Override
        public double getUpperBound() {
            return scale;
        }

        @Override
        public Paint getPaint(double value) {
            int[] c = HeatMap.rgb(value, scale);
            return new Color(c[0], c[1], c[2]);
        }
    }
}
