package nclab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutionException;

import nclab.InvalidInputException;
import nclab.io.AtomicFiles;

/**
 * Runs a {@link SweepPlan} on a fixed pool of {@code workers} threads, each handing one run at a time to a
 * {@link RunLauncher} (by default a child JVM per run, {@link ChildProcessLauncher}).
 *
 * <ul>
 *   <li>Writes {@code out/sweep.yaml} (the resolved sweep) first.</li>
 *   <li>Skips runs whose directory {@code out/runs/<id>} holds a finished run ({@code summary.json} with status
 *       completed or diverged: runs are deterministic, so redoing them gives the same result), so a killed
 *       sweep resumes where it stopped.</li>
 *   <li>A run whose launcher returns failed, or throws an {@link Exception}, is recorded as failed with its
 *       message and does not stop the others. An {@link Error} (out of memory, or a test's simulated kill)
 *       stops the sweep: no new run starts, and it is rethrown once the running ones end.</li>
 *   <li>After every finished run, rewrites {@code out/results.csv} and {@code out/results.parquet} atomically
 *       ({@link SweepResults}) and
 *       reports a {@link SweepProgress}.</li>
 * </ul>
 */
public final class LocalSweepRunner {
    /** File name of the resolved sweep in the sweep directory. */
    public static final String SWEEP_FILE = "sweep.yaml";

    private final RunLauncher launcher;
    private final int workers;
    private SweepProgress.Listener listener = p -> { };

    /** @param workers number of runs at a time (≥ 1) */
    public LocalSweepRunner(RunLauncher launcher, int workers) {
        InvalidInputException.require(workers >= 1, "workers must be >= 1, got workers = " + workers);
        this.launcher = launcher;
        this.workers = workers;
    }

    /** Reports progress to {@code l} after each run. */
    public LocalSweepRunner listener(SweepProgress.Listener l) {
        this.listener = l;
        return this;
    }

    /** Runs every unfinished run of {@code plan} in the sweep directory {@code out}. */
    public SweepReport run(SweepPlan plan, Path out) {
        try {
            Files.createDirectories(out.resolve(SweepPlan.RUNS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sweep directory " + out + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(out.resolve(SWEEP_FILE), plan.config().withOut(out.toString()).toYaml());

        List<SweepRecord> records = new ArrayList<>();
        List<SweepRun> pending = new ArrayList<>();
        for (SweepRun run : plan.runs()) {
            Path dir = SweepPlan.runDir(out, run);
            if (RunSummaries.finished(dir)) {
                records.add(new SweepRecord(run, RunSummaries.read(dir).orElseThrow(), true));
            } else {
                pending.add(run);
            }
        }
        State state = new State(plan, out, records, pending.size());
        synchronized (state) {
            SweepResults.write(out, plan, state.records);
        }
        if (!pending.isEmpty()) {
            runPending(pending, state);
        }
        List<SweepRecord> all = new ArrayList<>(state.records);
        all.sort(Comparator.comparingInt(r -> r.run().index()));
        return new SweepReport(out, all, state.launched.get());
    }

    private void runPending(List<SweepRun> pending, State state) {
        AtomicReference<Error> abort = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, pending.size()), new Named());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SweepRun run : pending) {
                futures.add(pool.submit(() -> {
                    if (abort.get() != null) {
                        return;
                    }
                    Path dir = SweepPlan.runDir(state.out, run);
                    state.launched.incrementAndGet();
                    long t0 = System.nanoTime();
                    RunOutcome outcome;
                    try {
                        outcome = launcher.launch(run, dir);
                        if (outcome == null) {
                            outcome = RunOutcome.failed("the launcher returned no outcome", seconds(t0));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        outcome = RunOutcome.failed("interrupted", seconds(t0));
                    } catch (Exception e) {
                        outcome = RunOutcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0));
                    } catch (Error e) {
                        abort.compareAndSet(null, e);
                        return;
                    }
                    synchronized (state) {
                        SweepRecord r = new SweepRecord(run, outcome, false);
                        state.records.add(r);
                        SweepResults.write(state.out, state.plan, state.records);
                        state.reportLocked(r);
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("sweep worker failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new IllegalStateException("sweep interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (abort.get() != null) {
            throw abort.get();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Mutable bookkeeping of one sweep session; guarded by its own monitor. */
    private final class State {
        final SweepPlan plan;
        final Path out;
        final List<SweepRecord> records;
        final int toLaunch;
        final AtomicInteger launched = new AtomicInteger();
        final long start = System.nanoTime();
        int launchedDone;
        int failed;

        State(SweepPlan plan, Path out, List<SweepRecord> records, int toLaunch) {
            this.plan = plan;
            this.out = out;
            this.records = new ArrayList<>(records);
            this.toLaunch = toLaunch;
            this.failed = (int) records.stream().filter(r -> !r.outcome().completed()).count();
        }

        void reportLocked(SweepRecord r) {
            launchedDone++;
            if (!r.outcome().completed()) {
                failed++;
            }
            double elapsed = seconds(start);
            double eta = launchedDone == 0 ? (toLaunch == 0 ? 0 : Double.NaN)
                    : elapsed / launchedDone * (toLaunch - launchedDone);
            listener.report(new SweepProgress(records.size(), plan.size(), failed, eta, r));
        }
    }

    /** Worker threads named for thread dumps, daemon so a hung launcher never keeps the JVM alive. */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "sweep-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
