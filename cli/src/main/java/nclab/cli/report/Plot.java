package nclab.cli.report;

/**
 * One rendered plot: the same chart as PNG bytes and as SVG text.
 *
 * @param id      identifier (file names, HTML ids)
 * @param title   chart title
 * @param caption text to show under the image
 * @param png     PNG image
 * @param svg     standalone SVG document
 */
public record Plot(String id, String title, String caption, byte[] png, String svg) {
    public Plot {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
