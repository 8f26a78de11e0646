package nclab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens a real report in headless Chromium (Debian's {@code chromium}, installed by {@code .ci/run}) and checks
 * what a user would see: every plot image decodes, and the checks table is there. A probe script appended to a
 * copy of the page records, on the body element, whether each image loaded with a non-zero width; Chromium's
 * DOM dump after rendering carries it back. Skipped outside CI when no Chromium is installed.
 */
class ReportInBrowserTest {
    private static final Pattern IMAGES_OK = Pattern.compile("data-images-ok=\"(true|false)\"");
    private static final Pattern IMAGES = Pattern.compile("data-images=\"(\\d+)\"");

    @Test
    void reportRendersWithItsPlotsAndChecksTable(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        Path out = dir.resolve("repro");
        CliRun run = CliRun.of("reproduce", "seli-geometry-vs-r", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        int plots = count(html, "<img class=\"plot\"");
        assertTrue(plots >= 3, "plots in the page: " + plots);

        String dom = render(chromium, probe(html, dir.resolve("probe.html")), dir);
        assertTrue(dom.contains("id=\"checks\""), "no checks table in the rendered page");
        assertTrue(dom.contains("PASS"), "no passing check shown");
        assertEquals(String.valueOf(plots), group(IMAGES, dom), "images seen by the browser");
        assertEquals("true", group(IMAGES_OK, dom), "an image did not decode");

        // the probe can fail: a page whose first plot carries broken PNG data is reported as such
        String broken = html.replaceFirst("data:image/png;base64,[A-Za-z0-9+/]{40}", "data:image/png;base64,AAAA");
        assertEquals("false", group(IMAGES_OK, render(chromium, probe(broken, dir.resolve("broken.html")), dir)));
    }

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(p, name))) {
                    return Path.of(p, name).toString();
                }
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI must have Chromium (.ci/run installs Debian's chromium package)");
        }
        Assumptions.abort("no Chromium installed");
        return null;
    }

    private static Path probe(String html, Path file) throws IOException {
        String script = "<script>document.body.setAttribute('data-images-ok', String(Array.from(document.images)"
                + ".every(i => i.complete && i.naturalWidth > 0)));"
                + "document.body.setAttribute('data-images', String(document.images.length));</script>";
        Files.writeString(file, html.replace("</body>", script + "</body>"), StandardCharsets.UTF_8);
        return file;
    }

    private static String render(String chromium, Path page, Path dir) throws Exception {
        Path dump = dir.resolve(page.getFileName() + ".dom");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=10000", "--dump-dom",
                page.toUri().toString())
                .redirectOutput(dump.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        return Files.readString(dump, StandardCharsets.UTF_8);
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), "missing " + pattern + " in the rendered DOM");
        return m.group(1);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
