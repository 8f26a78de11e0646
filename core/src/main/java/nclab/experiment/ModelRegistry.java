package nclab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import nclab.InvalidInputException;
import nclab.optim.Optimizer;

/**
 * Maps a config to its {@link Solver}: the {@link ModelFactory} registered under the config's
 * {@code model} id and the {@link OptimizerFactory} registered under its {@code optimizer} name
 * ({@code gd}, {@code sgd}, {@code adam}). Filled once at start-up; lookups of unknown names fail with a
 * message listing the known ones.
 */
public final class ModelRegistry {
    private final Map<String, ModelFactory> models = new LinkedHashMap<>();
    private final Map<String, OptimizerFactory> optimizers = new LinkedHashMap<>();

    /** Registers (or replaces) a model; returns this. */
    public ModelRegistry model(String id, ModelFactory factory) {
        models.put(id, factory);
        return this;
    }

    /** Registers (or replaces) an optimiser; returns this. */
    public ModelRegistry optimizer(String name, OptimizerFactory factory) {
        optimizers.put(name, factory);
        return this;
    }

    /** Registered model ids, in registration order. */
    public Set<String> models() {
        return java.util.Collections.unmodifiableSet(models.keySet());
    }

    /** Registered optimiser names, in registration order. */
    public Set<String> optimizers() {
        return java.util.Collections.unmodifiableSet(optimizers.keySet());
    }

    /** The factory of {@code model}; fails naming the known models. */
    public ModelFactory modelFactory(String model) {
        ModelFactory f = models.get(model);
        InvalidInputException.require(f != null, "unknown model '" + model + "'; known models: " + String.join(", ", models.keySet()));
        return f;
    }

    /** Runs the model's config checks without building anything. */
    public void validate(SolveConfig config) {
        modelFactory(config.model()).validate(config);
        InvalidInputException.require(optimizers.containsKey(config.optimizer()), "optimizer '" + config.optimizer()
                + "' is not available; available: " + String.join(", ", optimizers.keySet()));
    }

    /** Validates and builds the model setup and a fresh optimiser for the config. */
    public Solver solver(SolveConfig config) {
        validate(config);
        ModelSetup setup = models.get(config.model()).setup(config);
        InvalidInputException.require(setup.labels().length == config.n(), "model " + config.model() + " has "
                + setup.labels().length + " labels but the class sizes give N = " + config.n());
        Optimizer optimizer = optimizers.get(config.optimizer()).create(config, setup.objective());
        return new Solver(setup, optimizer);
    }
}
