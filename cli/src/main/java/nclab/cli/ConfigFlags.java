package nclab.cli;

import java.util.List;
import java.util.Map;

import nclab.experiment.SizesSpec;

/** Command-line flags as config keys, laid over a config file's keys (shared by {@code solve} and {@code train}). */
final class ConfigFlags {
    private ConfigFlags() {
    }

    /** Puts {@code key} when the flag was given (non-null). */
    static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /**
     * Lays {@code flags} over {@code file}: a flag replaces its key; a class-size flag replaces whichever
     * class-size form the file used, and so does any key of {@code exclusive} (e.g. epochs/steps) for the others.
     */
    static void overlay(Map<String, Object> file, Map<String, Object> flags, List<String> exclusive) {
        if (flags.keySet().stream().anyMatch(SizesSpec.FORMS::contains)) {
            file.keySet().removeAll(SizesSpec.FORMS);
        }
        if (flags.keySet().stream().anyMatch(exclusive::contains)) {
            file.keySet().removeAll(exclusive);
        }
        file.putAll(flags);
    }
}
