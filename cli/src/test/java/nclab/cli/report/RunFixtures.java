package nclab.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes small run directories by hand (the files nclab solve / train write), for report tests. */
final class RunFixtures {
    private RunFixtures() {
    }

    /**
     * A solve-like run: step 0, 1, 2, 5, 10, ..., 1000 (log-spaced, &gt; 2 decades), nc1 falling (or rising),
     * loss, accuracy with a NaN, distances to etf and seli (seli closer at the end), minority cosine.
     */
    static Path solveRun(Path dir, boolean nc1Falls) throws IOException {
        Files.createDirectories(dir);
        int[] steps = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
        StringBuilder csv = new StringBuilder("step,epoch,loss,accuracy,nc1_pinv,norm_ratio_W,minority_cos_W_avg,"
                + "dist_etf_classifier,dist_etf_embedding,dist_etf_logits,dist_etf_mean,"
                + "dist_seli_classifier,dist_seli_embedding,dist_seli_logits,dist_seli_mean\n");
        for (int i = 0; i < steps.length; i++) {
            double t = i / (steps.length - 1.0);
            double nc1 = nc1Falls ? 3 * Math.pow(0.5, i) : 0.1 * (i + 1);
            String acc = i == 3 ? "NaN" : fmt(0.25 + 0.75 * t);
            csv.append(steps[i]).append(',').append(steps[i] / 10).append(',').append(fmt(2 * Math.exp(-3 * t))).append(',')
                    .append(acc).append(',').append(fmt(nc1)).append(',').append(fmt(1 + t)).append(',').append(fmt(-0.3 + 0.4 * t));
            double etf = 0.8 - 0.3 * t;
            double seli = 0.9 - 0.7 * t;
            for (double d : new double[] {etf, etf, etf, etf, seli, seli, seli, seli}) {
                csv.append(',').append(fmt(d));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("metrics.csv"), csv);
        Files.writeString(dir.resolve("config.yaml"), "# nclab solve config\nmodel: ufm\nstep:\n- 4\n- 10\n- 0.5\n- 5\nd: 16\nlr: 0.4\ninit_scale: null\n");
        Files.writeString(dir.resolve("provenance.json"), "{\"seed\": 7, \"git_commit\": \"abc123\", \"java_version\": \"17\"}");
        Files.writeString(dir.resolve("summary.json"), "{\"status\": \"completed\", \"message\": \"completed 1000 steps\","
                + " \"final_metrics\": {\"step\": 1000, \"relu_nc3\": null}}");
        return dir;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }
}
