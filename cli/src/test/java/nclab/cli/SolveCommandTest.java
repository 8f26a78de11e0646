package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.InvalidInputException;
import nclab.experiment.LastLayer;
import nclab.experiment.ModelRegistry;
import nclab.experiment.ModelSetup;
import nclab.experiment.SolveConfig;
import nclab.model.Objective;
import nclab.model.ParameterLayout;
import nclab.optim.Optimizer;
import picocli.CommandLine;

class SolveCommandTest {
    @TempDir
    Path tmp;

    /** Test-only model: f = (1/2N) Σ_i ‖W h_i − e_{y_i}‖² + (λ/2)(‖W‖² + ‖H‖²), λ = lambda_w. */
    static final class SquareUfm implements Objective {
        final ParameterLayout layout;
        final int[] labels;
        final int k;
        final int d;
        final double lambda;

        SquareUfm(int[] labels, int k, int d, double lambda) {
            this.labels = labels;
            this.k = k;
            this.d = d;
            this.lambda = lambda;
            this.layout = ParameterLayout.builder().add("W", k, d).add("H", labels.length, d).build();
        }

        @Override
        public String model() {
            return "square";
        }

        @Override
        public ParameterLayout layout() {
            return layout;
        }

        @Override
        public double valueAndGradient(double[] x, double[] g) {
            Arrays.fill(g, 0);
            int n = labels.length;
            int h = k * d;
            double f = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double r = -(c == labels[i] ? 1 : 0);
                    for (int j = 0; j < d; j++) {
                        r += x[c * d + j] * x[h + i * d + j];
                    }
                    f += r * r / (2 * n);
                    for (int j = 0; j < d; j++) {
                        g[c * d + j] += r * x[h + i * d + j] / n;
                        g[h + i * d + j] += r * x[c * d + j] / n;
                    }
                }
            }
            for (int t = 0; t < x.length; t++) {
                f += lambda / 2 * x[t] * x[t];
                g[t] += lambda * x[t];
            }
            return f;
        }

        @Override
        public double[] initialPoint(SplittableRandom random) {
            double[] x = new double[layout.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble(-0.5, 0.5);
            }
            return x;
        }
    }

    /** Test-only plain gradient descent. */
    static final class Gd implements Optimizer {
        final Objective f;
        final double lr;
        final double[] g;
        long steps;

        Gd(Objective f, double lr) {
            this.f = f;
            this.lr = lr;
            this.g = new double[f.layout().size()];
        }

        @Override
        public double step(double[] x) {
            double v = f.valueAndGradient(x, g);
            for (int i = 0; i < x.length; i++) {
                x[i] -= lr * g[i];
            }
            steps++;
            return v;
        }

        @Override
        public long steps() {
            return steps;
        }

        @Override
        public Map<String, double[]> state() {
            return Map.of("steps", new double[] {steps});
        }

        @Override
        public void restore(Map<String, double[]> state) {
            steps = (long) state.get("steps")[0];
        }
    }

    static ModelRegistry registry() {
        return new ModelRegistry()
                .model("square", c -> {
                    int[] labels = ModelSetup.orderedLabels(c.classSizes().counts());
                    SquareUfm f = new SquareUfm(labels, c.classSizes().k(), c.d(), c.requirePositive("lambda_w", c.lambdaW()));
                    return new ModelSetup(f, labels, LastLayer.fromLayout(f.layout()), List.of());
                })
                .optimizer("gd", (c, f) -> new Gd(f, c.lr()));
    }

    record Result(int code, String out, String err) {
    }

    static Result solve(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SolveCommand(registry()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InvalidInputException) {
                commandLine.getErr().println("nclab " + commandLine.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The base flags with {@code extra} (option, value or a lone flag) replacing or adding options. */
    private String[] flags(String dir, String... extra) {
        Map<String, String> opts = new java.util.LinkedHashMap<>();
        String[] base = {"--model", "square", "--sizes", "5,3,2", "--d", "3", "--lambda-w", "0.01", "--lr", "0.5",
            "--steps", "300", "--seed", "3", "--log-points", "20", "--out", dir};
        for (int i = 0; i < base.length; i += 2) {
            opts.put(base[i], base[i + 1]);
        }
        for (int i = 0; i < extra.length; i++) {
            boolean hasValue = i + 1 < extra.length && !extra[i + 1].startsWith("--");
            opts.put(extra[i], hasValue ? extra[++i] : null);
        }
        List<String> a = new java.util.ArrayList<>();
        opts.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        return a.toArray(String[]::new);
    }

    @Test
    void runsFromFlagsAndWritesTheRunDirectory() throws Exception {
        Path dir = tmp.resolve("run");
        Result r = solve(flags(dir.toString(), "--progress"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("completed: 300 steps in "), r.out());
        assertTrue(r.err().contains("\rstep 300/300 (100.0%)"), r.err());
        for (String f : List.of("config.yaml", "provenance.json", "metrics.csv", "final.npz", "summary.json")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        SolveConfig c = SolveConfig.read(dir.resolve("config.yaml"));
        assertEquals(3L, c.seed());
        assertEquals(dir.toString(), c.out());
        assertEquals(300L, c.totalSteps());
        // metrics rows on the log-spaced schedule, the final one at step 300 with every sample classified
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals("300", last[0]);
        assertEquals("1.0", last[3]);

        Result again = solve("--resume", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("has already finished (status completed)"), again.err());
    }

    @Test
    void configFileWithFlagOverrides() throws Exception {
        Path cfg = tmp.resolve("run.yaml");
        Files.writeString(cfg, "model: square\nsizes: [5, 3, 2]\nd: 3\nlambda_w: 0.01\nlr: 0.5\nepochs: 100\nseed: 1\n"
                + "out: " + tmp.resolve("from-file") + "\n");
        Result r = solve(cfg.toString(), "--seed", "9", "--steps", "50");
        assertEquals(0, r.code(), r.err());
        SolveConfig c = SolveConfig.read(tmp.resolve("from-file/config.yaml"));
        assertEquals(9L, c.seed());
        assertEquals(50L, c.totalSteps());
        assertEquals(null, c.epochs());
    }

    @Test
    void badConfigsExitTwoNamingTheKey() throws Exception {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, "model: square\nsizes: [5, 3, 2]\nd: 3\nlamda_w: 0.01\nlr: 0.5\nsteps: 10\n");
        Result unknown = solve(cfg.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, unknown.code());
        assertEquals("nclab solve: unknown key 'lamda_w' in bad.yaml (did you mean lambda_w?)", unknown.err().trim());

        Result negative = solve(flags(tmp.resolve("y").toString(), "--lambda-h", "-1"));
        assertEquals(2, negative.code());
        assertEquals("nclab solve: command line: lambda_h must be a finite number >= 0, got -1.0", negative.err().trim());

        Result batch = solve(flags(tmp.resolve("z").toString(), "--optimizer", "sgd", "--batch", "11"));
        assertEquals(2, batch.code());
        assertEquals("nclab solve: command line: batch = 11 is larger than the number of samples N = 10", batch.err().trim());

        Result noOut = solve("--model", "square", "--sizes", "5,3,2", "--d", "3", "--lambda-w", "0.01", "--lr", "0.5", "--steps", "3");
        assertEquals(2, noOut.code());
        assertEquals("nclab solve: give the run directory: --out DIR (or out: in the config)", noOut.err().trim());

        Result optimizer = solve(flags(tmp.resolve("w").toString(), "--optimizer", "adam"));
        assertEquals(2, optimizer.code());
        assertEquals("nclab solve: optimizer 'adam' is not available; available: gd", optimizer.err().trim());
    }

    @Test
    void divergenceExitsThreeAndKeepsTheLastGoodState() throws Exception {
        Path dir = tmp.resolve("div");
        Result r = solve(flags(dir.toString(), "--lr", "1e4"));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().startsWith("nclab solve: diverged at step "), r.err());
        assertTrue(r.err().contains("summary.json status diverged"), r.err());
        Map<String, Object> summary = nclab.io.Json.read(dir.resolve("summary.json"));
        assertEquals("diverged", summary.get("status"));
        assertTrue(Files.exists(dir.resolve("final.npz")));
    }

    @Test
    void resumeRefusesOtherOptions() {
        Result r = solve("--resume", tmp.toString(), "--seed", "2");
        assertEquals(2, r.code());
        assertEquals("nclab solve: --resume DIR continues a run with its own config.yaml; give no config file or other options",
                r.err().trim());
    }

}
