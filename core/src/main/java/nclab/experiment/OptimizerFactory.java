package nclab.experiment;

import nclab.model.Objective;
import nclab.optim.Optimizer;

/**
 * Builds the optimiser a config names ({@code optimizer}, {@code lr}, {@code momentum}, {@code batch},
 * {@code replacement}, {@code schedule}, {@code milestones}, {@code gamma}, {@code seed}) for an objective.
 * Minibatch order must depend only on (seed, epoch), so that a run resumed from a checkpoint
 * ({@link Optimizer#restore}) continues bit-identically.
 */
@FunctionalInterface
public interface OptimizerFactory {
    Optimizer create(SolveConfig config, Objective objective);
}
