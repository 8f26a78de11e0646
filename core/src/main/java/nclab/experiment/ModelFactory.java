package nclab.experiment;

/**
 * Builds one model's part of a run from a validated {@link SolveConfig}. Registered in a
 * {@link ModelRegistry} under the config's {@code model} id.
 */
public interface ModelFactory {
    /**
     * Model-specific config checks (e.g. {@link SolveConfig#requireDimensionAtLeastKMinus1()}, required λ's),
     * throwing {@link nclab.InvalidInputException} naming the key. Called before {@link #setup}.
     */
    default void validate(SolveConfig config) {
    }

    /** Objective, labels, last-layer view and predictions for the config. */
    ModelSetup setup(SolveConfig config);
}
