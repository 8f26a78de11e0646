package nclab.cli;

import java.nio.file.Path;
import java.util.Map;

import nclab.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * The run-directory options shared by {@code solve} and {@code train}: {@code --resume DIR}, {@code --out DIR},
 * {@code --[no-]progress} (a picocli mixin).
 */
final class RunDirOptions {
    @Option(names = "--resume", paramLabel = "DIR", description = "continue the unfinished run in DIR from its checkpoint")
    Path resume;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory to create (key out)")
    Path out;

    @Option(names = "--progress", negatable = true,
            description = "show a progress line on stderr (default: only when attached to a terminal)")
    Boolean progress;

    /** Whether to show the progress line. */
    boolean showProgress() {
        return progress != null ? progress : System.console() != null;
    }

    /** Fails unless a resume comes alone: the run's own config.yaml decides everything. */
    void requireResumeAlone(Path configFile, Map<String, Object> flags) {
        InvalidInputException.require(configFile == null && flags.isEmpty() && out == null,
                "--resume DIR continues a run with its own config.yaml; give no config file or other options");
    }

    /** The directory of a new run: {@code --out}, else the config's {@code out} key. */
    Path newRunDir(String configOut) {
        String dir = out != null ? out.toString() : configOut;
        InvalidInputException.require(dir != null, "give the run directory: --out DIR (or out: in the config)");
        return Path.of(dir);
    }
}
