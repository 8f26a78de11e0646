/**
 * Parameter sweeps ({@code nclab sweep}): a base run config plus axes ({@link nclab.sweep.SweepConfig}),
 * expanded into runs with stable ids ({@link nclab.sweep.SweepPlan}), executed by a pool of workers
 * ({@link nclab.sweep.LocalSweepRunner}) through a {@link nclab.sweep.RunLauncher} (one child JVM per run,
 * {@link nclab.sweep.ChildProcessLauncher}), aggregated into one table ({@link nclab.sweep.SweepResults}: CSV and
 * Parquet). Another engine ({@link nclab.sweep.SweepEngine}, found through {@link java.util.ServiceLoader}; the spark
 * module's runs each run as a Spark task) runs the same {@link nclab.sweep.SweepPlan} with its own launcher. A child
 * stops when its sweep is gone, even after a SIGKILL ({@link nclab.sweep.ParentWatch}).
 */
package nclab.sweep;
