package nclab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A way of running a {@link SweepPlan} other than the local pool ({@link LocalSweepRunner}), found by name through
 * {@link ServiceLoader} (a jar lists its implementation in {@code META-INF/services/nclab.sweep.SweepEngine}), so
 * that core and the command line need no dependency of the engine: {@code nclab sweep --engine spark} finds the
 * Spark engine when the spark module is on the class path. An engine writes the same sweep directory as the local
 * pool (sweep.yaml, runs/&lt;id&gt;/, results.csv, results.parquet), skips finished runs and resumes started ones.
 */
public interface SweepEngine {
    /**
     * How to run: the engine's master URL (e.g. {@code local[2]}, {@code spark://host:7077}; null = the engine's
     * default), runs at a time (null = the engine's default), native threads per run (0 = leave unset) and the
     * class path of the child JVMs (null = the nclab jar or, failing that, this JVM's class path).
     */
    record Options(String master, Integer workers, int threadsPerRun, String childClassPath) {
    }

    /** The name given to {@code --engine}. */
    String name();

    /** A one-line description of where the runs go, for the start-up line (e.g. "spark, master local[2]"). */
    String describe(Options options);

    /** Runs every unfinished run of {@code plan} in {@code out}, reporting each finished run to {@code listener}. */
    SweepReport run(SweepPlan plan, Path out, Options options, SweepProgress.Listener listener);

    /** The engine called {@code name} on the class path, if any. */
    static Optional<SweepEngine> find(String name) {
        for (SweepEngine e : ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The names of the engines on the class path. */
    static List<String> available() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(SweepEngine.class).forEach(e -> names.add(e.name()));
        return names;
    }
}
