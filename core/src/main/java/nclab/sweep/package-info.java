/**
 * Parameter sweeps ({@code nclab sweep}): a base run config plus axes ({@link nclab.sweep.SweepConfig}),
 * expanded into runs with stable ids ({@link nclab.sweep.SweepPlan}), executed by a pool of workers
 * ({@link nclab.sweep.LocalSweepRunner}) through a {@link nclab.sweep.RunLauncher} (one child JVM per run,
 * {@link nclab.sweep.ChildProcessLauncher}), aggregated into one table ({@link nclab.sweep.SweepResults}).
 * Another engine (e.g. a cluster) can run the same {@link nclab.sweep.SweepPlan} with its own launcher or runner.
 */
package nclab.sweep;
