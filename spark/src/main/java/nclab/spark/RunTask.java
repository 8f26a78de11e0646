package nclab.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import nclab.sweep.SweepRun;

/**
 * One run of a sweep as shipped to a Spark executor: the run (index, id, kind, axis values, complete config) and its
 * directory, an absolute path in the sweep directory that every node sees at the same place.
 *
 * @param index  position in the plan
 * @param id     run id
 * @param kind   solve | train
 * @param params axis values
 * @param config complete run config
 * @param dir    the run directory (absolute)
 */
public record RunTask(int index, String id, String kind, LinkedHashMap<String, Object> params,
                      LinkedHashMap<String, Object> config, String dir) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The task of {@code run} in directory {@code dir}. */
    public static RunTask of(SweepRun run, String dir) {
        return new RunTask(run.index(), run.id(), run.kind(), new LinkedHashMap<>(run.params()),
                new LinkedHashMap<>(run.config()), dir);
    }

    /** The run again. */
    public SweepRun run() {
        return new SweepRun(index, id, kind, (Map<String, Object>) params, (Map<String, Object>) config);
    }
}
