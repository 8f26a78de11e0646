package nclab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void pageHasSettingsProvenancePlotsAndChecks() throws Exception {
        RunData run = RunData.read(RunFixtures.solveRun(tmp.resolve("run"), true));
        RunSection section = RunSection.standard(run);
        List<Check> extra = List.of(new Check("claim <with> & markup", "1.0", "2.0", "± 0.1", false));
        RunSection second = new RunSection("second & last", run, section.plots().subList(0, 2), extra);
        String html = HtmlReport.render("Report <title>", List.of(section, second));

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Report &lt;title&gt;</title>"));
        assertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http"), "self-contained");
        // settings and provenance
        assertTrue(html.contains("<tr><th>model</th><td>ufm</td></tr>"));
        assertTrue(html.contains("<tr><th>step</th><td>[4, 10, 0.5, 5]</td></tr>"));
        assertTrue(html.contains("<tr><th>init_scale</th><td>(not given)</td></tr>"));
        assertTrue(html.contains("<tr><th>git_commit</th><td>abc123</td></tr>"));
        assertTrue(html.contains("<tr><th>seed</th><td>7</td></tr>"));
        assertTrue(html.contains("status: <b>completed</b> — completed 1000 steps"));
        assertFalse(html.contains("final_metrics"), "nested summary objects are not a setting");
        // plots: one img.plot per plot, valid base64 PNG, an SVG link for each
        int plots = section.plots().size() + 2;
        assertEquals(plots, count(html, "<img class=\"plot\""));
        assertEquals(plots, count(html, "<a class=\"svg\" download="));
        Matcher img = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(img.find());
        PlotsTest.assertPng(Base64.getDecoder().decode(img.group(1)));
        Matcher svg = Pattern.compile("href=\"data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(svg.find());
        PlotsTest.parseSvg(new String(Base64.getDecoder().decode(svg.group(1)), StandardCharsets.UTF_8));
        // checks table: the two built-in rows of run 1, the failing row of run 2
        String table = html.substring(html.indexOf("<table id=\"checks\">"), html.indexOf("</table>", html.indexOf("<table id=\"checks\">")));
        assertEquals(1, count(html, "id=\"checks\""));
        List<String> rows = Pattern.compile("<tr class=\"(pass|fail)\">(.*?)</tr>").matcher(table).results()
                .map(m -> m.group(1) + ":" + m.group(2).replaceAll("(<[^>]+>)+", "|")).toList();
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("pass:|1|NC1 decreases") && rows.get(0).endsWith("|PASS|"), rows.get(0));
        assertTrue(rows.get(1).startsWith("pass:|1|closest predicted geometry") && rows.get(1).contains("seli (etf 0.5000, seli 0.2000)"), rows.get(1));
        assertEquals("fail:|2|claim &lt;with&gt; &amp; markup|1.0|2.0|± 0.1|FAIL|", rows.get(2));
        assertTrue(html.contains("<p id=\"checks-summary\">2 passed, 1 failed.</p>"));
        assertTrue(html.contains("<section class=\"run\" id=\"run-2\">") && html.contains("Run 2: second &amp; last"));
        assertEquals(count(html, "<figure"), count(html, "</figure>"));
        assertEquals(count(html, "<section"), count(html, "</section>"));
    }

    @Test
    void writesAtomically() throws IOException {
        RunData run = RunData.read(RunFixtures.solveRun(tmp.resolve("run"), true));
        Path out = tmp.resolve("out.html");
        HtmlReport.write(out, "t", List.of(new RunSection("r", run, List.of(), Checks.standard(run))));
        assertTrue(Files.readString(out).contains("<table id=\"checks\">"));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("out.html", "run"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
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
