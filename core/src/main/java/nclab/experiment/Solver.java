package nclab.experiment;

import nclab.optim.Optimizer;

/**
 * Everything a {@link SolveRunner} needs for one config: the model's setup and a fresh optimiser.
 *
 * @param setup     objective, labels, last-layer view, predictions
 * @param optimizer a freshly built optimiser (no steps taken)
 */
public record Solver(ModelSetup setup, Optimizer optimizer) {
}
