package nclab.io;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Locates the fixtures written by {@code src/test/resources/npy/make_fixtures.py} and builds raw .npy bytes. */
final class Fixtures {
    private Fixtures() {
    }

    static Path npy(String name) {
        URL url = Fixtures.class.getResource("/npy/" + name);
        if (url == null) {
            throw new IllegalStateException("missing fixture " + name + " (run make_fixtures.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixtures' 1-D float content: 0.5 i − 1, length 6. */
    static double vectorF(int i) {
        return 0.5 * i - 1;
    }

    /** The fixtures' 1-D integer content: i − 3, length 7. */
    static int vectorI(int i) {
        return i - 3;
    }

    /** The fixtures' 2-D float content: 0.25 (4i + j) − 1, shape 3×4. */
    static double matrixF(int i, int j) {
        return 0.25 * (4 * i + j) - 1;
    }

    /** The fixtures' 2-D integer content: 10 i + j, shape 3×4. */
    static int matrixI(int i, int j) {
        return 10 * i + j;
    }

    /** A .npy image with the given version and header text (written as is, no padding) followed by data. */
    static byte[] npyBytes(int major, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        for (int i = 0; i < lengthBytes; i++) {
            out.write((h.length >>> (8 * i)) & 0xff);
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A version 1.0 .npy image with the given header text and no data. */
    static byte[] npy1(String header) {
        return npyBytes(1, header + "\n", new byte[0]);
    }
}
