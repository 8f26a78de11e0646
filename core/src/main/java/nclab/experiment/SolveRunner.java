package nclab.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.model.Objective;
import nclab.optim.Optimizer;

/**
 * Runs a {@link SolveConfig} to the end, writing a {@link RunDirectory}.
 *
 * <p>The loop: x₀ = {@code objective.initialPoint(new SplittableRandom(seed))}; then {@code totalSteps}
 * calls of {@link Optimizer#step}. At every step of the {@link LogSchedule} (step 0 and the last step
 * included) it computes f(x) and the {@link StepMetrics} row and rewrites metrics.csv atomically; after
 * that, when {@code checkpoint_steps} divides the step or {@code checkpoint_seconds} have passed since the
 * last checkpoint, it writes checkpoint.npz. {@link #resume} continues from the checkpoint (or from the
 * start when there is none) and, since every number depends only on the config and the checkpointed state,
 * ends with byte-identical metrics.csv and final.npz.
 *
 * <p>Divergence: a step value or logged loss that is NaN/±∞ or exceeds {@value #EXPLOSION_FACTOR} × max(1,
 * |f(x₀)|), non-finite parameters at a checkpoint, or a {@link RunDiverged} (or any exception whose class
 * is named {@code DivergenceException}) thrown by the optimiser stops the run. The last good state (the last
 * logged or checkpointed parameters, whose loss was finite) is written to final.npz and summary.json gets
 * status {@code diverged} with the message.
 */
public final class SolveRunner {
    /** A loss this many times max(1, |f(x₀)|) counts as diverged. */
    public static final double EXPLOSION_FACTOR = 1e6;

    private static final long NANOS = 1_000_000_000L;
    private static final long PROGRESS_NANOS = NANOS / 2;

    private final ModelRegistry registry;
    private Progress.Listener listener = Progress.Listener.NONE;

    public SolveRunner(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Sends progress reports to {@code listener}; returns this. */
    public SolveRunner progress(Progress.Listener progressListener) {
        this.listener = progressListener == null ? Progress.Listener.NONE : progressListener;
        return this;
    }

    /** Starts a new run of {@code config} in {@code dir} (created; it must not hold a run). */
    public RunResult start(SolveConfig config, Path dir) {
        Solver solver = registry.solver(config);
        RunDirectory run = RunDirectory.create(dir);
        run.writeConfig(config);
        run.writeProvenance(Provenance.of(config));
        return new Session(config, solver, run).runFrom(Optional.empty());
    }

    /** Continues the unfinished run in {@code dir} from its checkpoint (or from the start when none). */
    public RunResult resume(Path dir) {
        RunDirectory run = RunDirectory.open(dir);
        if (run.finished()) {
            throw new InvalidInputException("the run in " + dir + " has already finished (status "
                    + run.readSummary().get("status") + "); nothing to resume");
        }
        SolveConfig config = run.readConfig();
        Solver solver = registry.solver(config);
        Optional<Checkpoint> checkpoint = run.readCheckpoint();
        Map<String, Object> provenance = run.readProvenance();
        List<Object> resumes = new ArrayList<>();
        if (provenance.get("resumes") instanceof List<?> earlier) {
            resumes.addAll(earlier);
        }
        resumes.add(Provenance.resumption(checkpoint.map(Checkpoint::step).orElse(0L)));
        provenance.put("resumes", resumes);
        run.writeProvenance(provenance);
        return new Session(config, solver, run).runFrom(checkpoint);
    }

    /** One session of a run (a start or a resumption). */
    private final class Session {
        private final SolveConfig config;
        private final ModelSetup setup;
        private final Objective objective;
        private final Optimizer optimizer;
        private final RunDirectory run;
        private final LogSchedule schedule;
        private final long total;
        private final long perEpoch;
        private MetricsLog log;
        private double[] lastGood;
        private long lastGoodStep;
        private double explosion = Double.POSITIVE_INFINITY;
        private double lastLoss = Double.NaN;
        private double lastAccuracy = Double.NaN;
        private double elapsedBefore;
        private long sessionStart;
        private long sessionStartStep;

        Session(SolveConfig config, Solver solver, RunDirectory run) {
            this.config = config;
            this.setup = solver.setup();
            this.objective = setup.objective();
            this.optimizer = solver.optimizer();
            this.run = run;
            this.schedule = LogSchedule.of(config);
            this.total = config.totalSteps();
            this.perEpoch = config.stepsPerEpoch();
        }

        RunResult runFrom(Optional<Checkpoint> checkpoint) {
            sessionStart = System.nanoTime();
            double[] x;
            long step;
            if (checkpoint.isPresent()) {
                Checkpoint c = checkpoint.get();
                InvalidInputException.require(c.x().length == objective.layout().size(), run.file(RunDirectory.CHECKPOINT)
                        + " holds " + c.x().length + " parameters but the model has " + objective.layout().size());
                x = c.x();
                optimizer.restore(c.optimizerState());
                step = c.step();
                elapsedBefore = c.elapsedSeconds();
                log = MetricsLog.resume(run.file(RunDirectory.METRICS), c.rows());
                setExplosion(log.firstRow().get("loss"));
                Map<String, Object> last = log.lastRow();
                lastLoss = number(last.get("loss"));
                lastAccuracy = number(last.get("accuracy"));
            } else {
                x = objective.initialPoint(new SplittableRandom(config.seed()));
                step = 0;
                log = MetricsLog.create(run.file(RunDirectory.METRICS));
            }
            lastGood = x.clone();
            lastGoodStep = step;
            sessionStartStep = step;
            try {
                return loop(x, step, checkpoint.isEmpty());
            } catch (RunDiverged e) {
                return diverged(e.getMessage());
            } catch (RuntimeException e) {
                if (e.getClass().getSimpleName().equals("DivergenceException")) {
                    return diverged(e.getMessage());
                }
                throw e;
            }
        }

        private RunResult loop(double[] x, long startStep, boolean fresh) {
            long step = startStep;
            int next = schedule.indexAfter(step);
            if (fresh) {
                double loss0 = logRow(x, 0);
                setExplosion(loss0);
            }
            long lastCheckpoint = System.nanoTime();
            long lastProgress = System.nanoTime();
            long checkpointNanos = (long) Math.min(Long.MAX_VALUE / 2.0, config.checkpointSeconds() * NANOS);
            Long every = config.checkpointSteps();
            while (step < total) {
                double value = optimizer.step(x);
                step++;
                if (!(Math.abs(value) <= explosion)) {
                    throw new RunDiverged("diverged at step " + step + " (epoch " + step / perEpoch + "): loss = " + value
                            + (Double.isFinite(value) ? " exceeds " + explosion : "") + lastGoodNote());
                }
                boolean logged = next < schedule.size() && schedule.step(next) == step;
                if (logged) {
                    next++;
                    logRow(x, step);
                }
                boolean timeCheck = logged || (step & 63) == 0;
                if (timeCheck) {
                    long now = System.nanoTime();
                    boolean due = (every != null && step % every == 0) || now - lastCheckpoint >= checkpointNanos;
                    if (due && step < total) {
                        checkpoint(x, step);
                        lastCheckpoint = System.nanoTime();
                    }
                    if (now - lastProgress >= PROGRESS_NANOS) {
                        lastProgress = now;
                        report(step, false);
                    }
                } else if (every != null && step % every == 0 && step < total) {
                    checkpoint(x, step);
                    lastCheckpoint = System.nanoTime();
                }
            }
            run.writeFinal(objective.layout(), x);
            double wall = wallSeconds();
            run.writeSummary(summary(RunResult.COMPLETED, "completed " + total + " steps", total, wall));
            run.deleteCheckpoint();
            report(total, true);
            return new RunResult(run.dir(), RunResult.COMPLETED, "completed " + total + " steps", total, wall);
        }

        private double logRow(double[] x, long step) {
            double loss = objective.value(x);
            if (!(Math.abs(loss) <= explosion)) {
                throw new RunDiverged("diverged at step " + step + " (epoch " + step / perEpoch + "): loss = " + loss
                        + lastGoodNote());
            }
            Map<String, Object> row = StepMetrics.row(setup, x, step, perEpoch, loss);
            log.append(row);
            lastLoss = loss;
            lastAccuracy = number(row.get("accuracy"));
            System.arraycopy(x, 0, lastGood, 0, x.length);
            lastGoodStep = step;
            return loss;
        }

        private void checkpoint(double[] x, long step) {
            for (double v : x) {
                if (!Double.isFinite(v)) {
                    throw new RunDiverged("diverged at step " + step + ": non-finite parameters" + lastGoodNote());
                }
            }
            run.writeCheckpoint(new Checkpoint(x, optimizer.state(), step, log.rows(), wallSeconds()));
            if (lastGoodStep != step) {
                System.arraycopy(x, 0, lastGood, 0, x.length);
                lastGoodStep = step;
            }
        }

        private String lastGoodNote() {
            return "; kept the last good state, step " + lastGoodStep + ", in " + RunDirectory.FINAL;
        }

        private RunResult diverged(String reason) {
            String message = reason != null && reason.contains("kept the last good state") ? reason
                    : "diverged: " + reason + lastGoodNote();
            run.writeFinal(objective.layout(), lastGood);
            double wall = wallSeconds();
            run.writeSummary(summary(RunResult.DIVERGED, message, lastGoodStep, wall));
            report(lastGoodStep, true);
            return new RunResult(run.dir(), RunResult.DIVERGED, message, lastGoodStep, wall);
        }

        private void setExplosion(Object loss0) {
            double l = number(loss0);
            explosion = Double.isFinite(l) ? EXPLOSION_FACTOR * Math.max(1, Math.abs(l)) : Double.POSITIVE_INFINITY;
        }

        private double wallSeconds() {
            return elapsedBefore + (System.nanoTime() - sessionStart) / (double) NANOS;
        }

        private Map<String, Object> summary(String status, String message, long steps, double wall) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", status);
            s.put("message", message);
            s.put("model", config.model());
            s.put("steps", steps);
            s.put("total_steps", total);
            s.put("epochs", steps / perEpoch);
            s.put("steps_per_epoch", perEpoch);
            s.put("N", config.n());
            s.put("K", config.classSizes().k());
            s.put("d", config.d());
            s.put("sizes", config.classSizes().counts());
            s.put("wall_seconds", wall);
            s.put("metrics_rows", log.rows());
            s.put("final_metrics", log.lastRow());
            return s;
        }

        private void report(long step, boolean done) {
            double spent = (System.nanoTime() - sessionStart) / (double) NANOS;
            double eta = Double.NaN;
            if (done) {
                eta = 0;
            } else if (spent > 0 && step > sessionStartStep) {
                eta = (total - step) * spent / (step - sessionStartStep);
            }
            listener.report(new Progress(step, total, step / perEpoch, lastLoss, lastAccuracy, eta, done));
        }
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
