/**
 * Solver runs ({@code nclab solve}): a validated {@link nclab.experiment.SolveConfig} (YAML or flags), a
 * {@link nclab.experiment.ModelRegistry} that turns it into an objective, an optimiser and the theory
 * predictions to compare with, and a {@link nclab.experiment.SolveRunner} that runs the loop and writes a
 * {@link nclab.experiment.RunDirectory}.
 *
 * <h2>Run directory</h2>
 * <ul>
 *   <li>{@code config.yaml}: every key of {@link nclab.experiment.SolveConfig#KEYS}, resolved (null = not
 *       given); readable as a config again.</li>
 *   <li>{@code provenance.json}: seed, model, nclab_version, java_version, java_vendor, java_vm, os, host,
 *       cores, max_heap_bytes, solver_kernels ({@code vector} or {@code scalar}: {@link
 *       nclab.linalg.RowKernels}, whose results differ in the last bits), native_kernels and native_blas (whether
 *       {@link nclab.linalg.NativeKernels} and a native BLAS were loaded: large full-batch steps run on them, with
 *       other last bits),
 *       git_commit ({@code git rev-parse HEAD} or "unknown"), start_time (UTC); {@code resumes}: one entry (time,
 *       from_step, host, git_commit, java_version, solver_kernels, native_kernels, native_blas) per
 *       resumption.</li>
 *   <li>{@code metrics.csv}: one row per step of the {@link nclab.experiment.LogSchedule} (step 0 and the
 *       last step included); columns {@code step, epoch, loss, accuracy, min_margin}, every numeric
 *       {@link nclab.metrics.CollapseMetrics} key (arrays as {@code key_0, key_1, ...}), then
 *       {@code dist_<model>_classifier|embedding|logits|mean} per predicted geometry
 *       ({@link nclab.experiment.StepMetrics}). Rewritten atomically at each logged step.</li>
 *   <li>{@code checkpoint.npz} while unfinished ({@link nclab.experiment.Checkpoint}); deleted on completion.</li>
 *   <li>{@code final.npz}: every parameter block (W, H, b, W1..WL) as float64 matrices, with fixed zip entry
 *       times so equal numbers give equal bytes.</li>
 *   <li>{@code summary.json}: status ({@code completed} | {@code diverged}), message, model, steps,
 *       total_steps, epochs, steps_per_epoch, N, K, d, sizes, wall_seconds, metrics_rows, final_metrics (the
 *       last metrics row).</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * Every number in metrics.csv and final.npz depends only on the config (seed included) and, for a resumed
 * run, on the checkpointed parameters and optimiser state; wall times appear only in summary.json and
 * provenance.json. A run killed at any point and resumed with {@code --resume} therefore ends with the same
 * bytes as an uninterrupted one.
 */
package nclab.experiment;
