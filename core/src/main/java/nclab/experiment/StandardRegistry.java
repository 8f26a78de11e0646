package nclab.experiment;

/**
 * The models and optimisers {@code nclab solve} offers. Wiring point: each model of issue 3 registers its
 * {@link ModelFactory} under its config id here ({@code ufm}, {@code relu-ufm}, {@code lpm},
 * {@code deep-ufm}, {@code lext}, ...) and each optimiser its {@link OptimizerFactory} under
 * {@code gd}, {@code sgd}, {@code adam}.
 */
public final class StandardRegistry {
    private StandardRegistry() {
    }

    /** A fresh registry with every available model and optimiser. */
    public static ModelRegistry create() {
        ModelRegistry registry = new ModelRegistry();
        // The lead registers the real models (nclab.model) and optimisers (nclab.optim) here.
        return registry;
    }
}
