package nclab.cli.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import nclab.io.AtomicFiles;

/**
 * A self-contained HTML report (no scripts, no external resources; inline CSS, PNGs as data URIs):
 * title and run list; one table of every check ({@code table#checks}: run, claim, predicted, measured,
 * tolerance, result — PASS in green, FAIL in red); then for each run its status and message, settings
 * (config.yaml), provenance (git commit, versions, seed) and plots ({@code img.plot}, each with its caption
 * and a link that downloads the SVG).
 */
public final class HtmlReport {
    private static final String CSS = """
            body { font-family: sans-serif; margin: 2em auto; max-width: 1400px; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
            table { border-collapse: collapse; margin: .5em 0 1em; font-size: .9em; }
            th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            tr.pass td.result { color: #fff; background: #2e7d32; font-weight: bold; }
            tr.fail td.result { color: #fff; background: #c62828; font-weight: bold; }
            .status-completed { color: #2e7d32; } .status-other { color: #c62828; }
            .plots { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0; border: 1px solid #ddd; padding: .5em; max-width: 640px; }
            figure img { max-width: 100%; height: auto; display: block; }
            figcaption { font-size: .85em; color: #555; margin-top: .3em; }
            details { margin: .5em 0; } code { font-size: .95em; }
            """;

    private HtmlReport() {
    }

    /** The page as a string, as {@code nclab report} builds it from run directories. */
    public static String render(String title, List<RunSection> runs) {
        return render(title, runs, "nclab report", runs.size() == 1 ? "1 run directory" : runs.size() + " run directories");
    }

    /**
     * The page as a string.
     *
     * @param builtBy the command named in the introduction (e.g. {@code nclab reproduce})
     * @param source  what it was built from, e.g. "2 run directories"
     */
    public static String render(String title, List<RunSection> runs, String builtBy, String source) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p>Built by <code>").append(esc(builtBy)).append("</code> from ").append(esc(source))
                .append(". Plots: theory as lines, measurement as markers; click \"SVG\" under a plot to download it as SVG.</p>\n");
        h.append("<h2>Runs</h2>\n<ol id=\"runs\">\n");
        for (int r = 0; r < runs.size(); r++) {
            RunSection s = runs.get(r);
            h.append("<li><a href=\"#").append(runId(r)).append("\">").append(esc(s.name())).append("</a> — ")
                    .append(esc(s.run().kind())).append(", ").append(esc(s.run().status())).append(", ")
                    .append(s.run().rows()).append(" rows of metrics</li>\n");
        }
        h.append("</ol>\n");
        int passed = 0;
        int failed = 0;
        h.append("<h2>Checks</h2>\n<table id=\"checks\">\n<thead><tr><th>run</th><th>claim</th><th>predicted</th>"
                + "<th>measured</th><th>tolerance</th><th>result</th></tr></thead>\n<tbody>\n");
        for (int r = 0; r < runs.size(); r++) {
            for (Check c : runs.get(r).checks()) {
                if (c.pass()) {
                    passed++;
                } else {
                    failed++;
                }
                h.append("<tr class=\"").append(c.pass() ? "pass" : "fail").append("\"><td><a href=\"#").append(runId(r)).append("\">")
                        .append(r + 1).append("</a></td><td>").append(esc(c.claim())).append("</td><td>").append(esc(c.predicted()))
                        .append("</td><td>").append(esc(c.measured())).append("</td><td>").append(esc(c.tolerance()))
                        .append("</td><td class=\"result\">").append(c.pass() ? "PASS" : "FAIL").append("</td></tr>\n");
            }
        }
        h.append("</tbody>\n</table>\n<p id=\"checks-summary\">").append(passed).append(" passed, ").append(failed).append(" failed.</p>\n");
        for (int r = 0; r < runs.size(); r++) {
            section(h, r, runs.get(r));
        }
        return h.append("</body>\n</html>\n").toString();
    }

    /** Writes the page atomically (see {@link AtomicFiles}). */
    public static void write(Path file, String title, List<RunSection> runs) {
        AtomicFiles.writeString(file, render(title, runs));
    }

    /** Writes the page atomically, naming the command that built it and its source (see {@link #render}). */
    public static void write(Path file, String title, List<RunSection> runs, String builtBy, String source) {
        AtomicFiles.writeString(file, render(title, runs, builtBy, source));
    }

    private static void section(StringBuilder h, int r, RunSection s) {
        RunData run = s.run();
        h.append("<section class=\"run\" id=\"").append(runId(r)).append("\">\n<h2>Run ").append(r + 1).append(": ")
                .append(esc(s.name())).append("</h2>\n");
        boolean ok = run.status().equals("completed");
        h.append("<p class=\"status ").append(ok ? "status-completed" : "status-other").append("\">nclab ")
                .append(esc(run.kind())).append(" — status: <b>").append(esc(run.status())).append("</b>");
        if (!run.message().isEmpty()) {
            h.append(" — ").append(esc(run.message()));
        }
        h.append("</p>\n");
        h.append("<h3>Settings</h3>\n");
        table(h, "settings", run.config(), "no config.yaml");
        h.append("<h3>Provenance</h3>\n");
        table(h, "provenance", run.provenance(), "no provenance.json");
        h.append("<h3>Plots</h3>\n<div class=\"plots\">\n");
        for (Plot p : s.plots()) {
            String id = runId(r) + "-" + p.id();
            h.append("<figure id=\"").append(id).append("\">\n<img class=\"plot\" width=\"").append(SvgWriter.WIDTH)
                    .append("\" height=\"").append(SvgWriter.HEIGHT).append("\" alt=\"").append(esc(p.title()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.png())).append("\">\n");
            h.append("<figcaption>").append(esc(p.title()));
            if (!p.caption().isEmpty()) {
                h.append(". ").append(esc(p.caption()));
            }
            h.append(" <a class=\"svg\" download=\"").append(id).append(".svg\" href=\"data:image/svg+xml;base64,")
                    .append(Base64.getEncoder().encodeToString(p.svg().getBytes(StandardCharsets.UTF_8))).append("\">SVG</a></figcaption>\n</figure>\n");
        }
        h.append("</div>\n</section>\n");
    }

    private static void table(StringBuilder h, String cls, Map<String, Object> map, String none) {
        if (map.isEmpty()) {
            h.append("<p>(").append(none).append(")</p>\n");
            return;
        }
        h.append("<table class=\"").append(cls).append("\">\n<tbody>\n");
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?>) {
                continue; // nested objects (e.g. the final metrics row) belong in the plots, not here
            }
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>")
                    .append(esc(e.getValue() == null ? "(not given)" : String.valueOf(e.getValue()))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String runId(int r) {
        return "run-" + (r + 1);
    }

    static String esc(String text) {
        return SvgWriter.esc(text);
    }
}
