package nclab.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a sweep.
 *
 * @param index  position in the plan (0-based)
 * @param id     stable, filesystem-safe id: the axis values, readable, plus a hash of the whole run config
 *               ({@link SweepPlan#id})
 * @param kind   run kind (solve | train)
 * @param params the axis values of this run, in axis order
 * @param config the complete run config (base with the axis values applied), without {@code out}
 */
public record SweepRun(int index, String id, String kind, Map<String, Object> params, Map<String, Object> config) {
    public SweepRun {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
