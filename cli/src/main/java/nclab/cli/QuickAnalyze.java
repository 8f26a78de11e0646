package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import nclab.InvalidInputException;

/**
 * {@code nclab analyze} started without picocli. Building picocli's command model reflects over every
 * annotated command and costs about 0.3 s of a cold JVM, a third of a whole analysis of 60000×512 features,
 * so a plain analyze command line ({@code --name value} pairs and the {@code --json}/{@code --timing} flags,
 * each option at most once, every required option present, no value starting with {@code -}) is parsed here
 * and run directly. Anything else (help, {@code --name=value}, a bad or missing value, an unknown or
 * repeated option) is left to picocli, which parses it exactly as before and reports the error.
 */
final class QuickAnalyze {
    private QuickAnalyze() {
    }

    /**
     * Runs {@code analyze} when the command line is plain, with {@link Main}'s exit codes and error
     * messages; returns null (having printed nothing) when picocli must handle the command line.
     */
    static Integer tryRun(String[] args, PrintWriter out, PrintWriter err) {
        AnalyzeCommand command = parse(args);
        if (command == null) {
            return null;
        }
        try {
            return command.run(out, err);
        } catch (InvalidInputException e) {
            err.println("nclab analyze: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("nclab analyze: internal error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The options of a plain analyze command line, or null. */
    static AnalyzeCommand parse(String[] args) {
        if (args.length == 0 || !args[0].equals("analyze")) {
            return null;
        }
        AnalyzeCommand c = new AnalyzeCommand();
        boolean json = false;
        boolean timing = false;
        try {
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--json") || name.equals("--timing")) {
                    if (name.equals("--json") ? json : timing) {
                        return null;
                    }
                    if (name.equals("--json")) {
                        json = true;
                    } else {
                        timing = true;
                    }
                    continue;
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                    return null;
                }
                String value = args[++i];
                switch (name) {
                    case "--features" -> c.features = c.features == null ? Path.of(value) : null;
                    case "--labels" -> c.labels = c.labels == null ? Path.of(value) : null;
                    case "--weights" -> c.weights = c.weights == null ? Path.of(value) : null;
                    case "--bias" -> {
                        if (c.bias != null) {
                            return null;
                        }
                        c.bias = Path.of(value);
                    }
                    case "--lambda-w" -> {
                        if (c.lambdaW != null) {
                            return null;
                        }
                        c.lambdaW = Double.valueOf(value);
                    }
                    case "--lambda-h" -> {
                        if (c.lambdaH != null) {
                            return null;
                        }
                        c.lambdaH = Double.valueOf(value);
                    }
                    case "--ew" -> {
                        if (c.eW != null) {
                            return null;
                        }
                        c.eW = Double.valueOf(value);
                    }
                    case "--eh" -> {
                        if (c.eH != null) {
                            return null;
                        }
                        c.eH = Double.valueOf(value);
                    }
                    default -> {
                        return null;
                    }
                }
                if (c.features == null && name.equals("--features") || c.labels == null && name.equals("--labels")
                        || c.weights == null && name.equals("--weights")) {
                    return null; // repeated
                }
            }
        } catch (NumberFormatException | InvalidPathException e) {
            return null;
        }
        if (c.features == null || c.labels == null || c.weights == null) {
            return null;
        }
        c.json = json;
        c.timing = timing;
        return c;
    }
}
