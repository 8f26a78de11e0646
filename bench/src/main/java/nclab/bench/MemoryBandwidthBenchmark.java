package nclab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory-bandwidth floor of issue 3's full-batch target: the time to read the feature matrix H (N×d doubles,
 * 20.5 MB at (d, N) = (512, 5000)) twice, as a CE step that takes its products in two passes must (once for the
 * logits W Hᵀ, once for the gradient of W). A floor is the fastest such read, so the loops are 256-bit vector loads
 * into four independent accumulators (bound by the memory system, not by the additions):
 * <ul>
 *   <li>{@code readTwiceTwoThreads}: the floor, rows in two halves on two threads as the solver's step runs them, the
 *       second half on a thread that spins for its work (an executor's hand-over alone costs 10–50 µs here);</li>
 *   <li>{@code readTwice}: the same on one thread; {@code readTwiceWriteOnce}: one read and one write of N×d
 *       doubles (the one-pass step's traffic), one thread;</li>
 *   <li>{@code readTwiceTwoThreadsScalar}: the floor as measured until 2026-12-02 (a scalar loop of four
 *       accumulators, the second half through an executor): 2–3× the floor's time, kept to show the difference.</li>
 * </ul>
 * On this project's machine H fits in the 32 MB L3 and stays there between reads, so the floor is that cache's
 * bandwidth (docs/linalg.md). Compare with {@code SolverStepBenchmark.fullBatchStep} at the same shape
 * ({@code bench/step_vs_floor.sh}). Run: {@code java -jar bench/target/benchmarks.jar MemoryBandwidth}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class MemoryBandwidthBenchmark {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;

    /** d x N. */
    @Param({"512x5000"})
    public String dn;

    private double[] h;
    private double[] out;
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    private Spinner second;

    @Setup
    public void setUp() {
        String[] p = dn.split("x");
        int size = Integer.parseInt(p[0]) * Integer.parseInt(p[1]);
        h = new double[size];
        out = new double[size];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < size; i++) {
            h[i] = random.nextDouble();
        }
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
        if (second != null) {
            second.stop();
        }
    }

    @Benchmark
    public double readTwice() {
        return sum(h, 0, h.length) + sum(h, 0, h.length);
    }

    /** The floor: the two reads with the rows in two halves, one per thread, as the solver's step runs them. */
    @Benchmark
    public double readTwiceTwoThreads() {
        if (second == null) { // started here, not in setUp: in the other benchmarks' JVMs it would take a core
            int half = h.length / 2;
            second = new Spinner(() -> sum(h, half, h.length) + sum(h, half, h.length));
        }
        second.start();
        double mine = sum(h, 0, h.length / 2) + sum(h, 0, h.length / 2);
        return mine + second.await();
    }

    /** The former floor (until 2026-12-02): scalar loop, second half through an executor. */
    @Benchmark
    public double readTwiceTwoThreadsScalar() throws Exception {
        int half = h.length / 2;
        java.util.concurrent.Future<Double> other = pool.submit(() -> scalarSum(h, half, h.length)
                + scalarSum(h, half, h.length));
        return scalarSum(h, 0, half) + scalarSum(h, 0, half) + other.get();
    }

    @Benchmark
    public double readTwiceWriteOnce() {
        DoubleVector s = DoubleVector.zero(SPECIES);
        int i = 0;
        for (int upper = SPECIES.loopBound(h.length); i < upper; i += SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, h, i);
            s = s.add(v);
            v.mul(0.999).intoArray(out, i);
        }
        double total = s.reduceLanes(VectorOperators.ADD);
        for (; i < h.length; i++) {
            total += h[i];
            out[i] = h[i] * 0.999;
        }
        return total + out[out.length - 1];
    }

    /** Σ a[from, to) with four 256-bit accumulators. */
    private static double sum(double[] a, int from, int to) {
        int step = SPECIES.length();
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = from;
        for (; i + 4 * step <= to; i += 4 * step) {
            s0 = s0.add(DoubleVector.fromArray(SPECIES, a, i));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, a, i + step));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, a, i + 2 * step));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, a, i + 3 * step));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i];
        }
        return s;
    }

    private static double scalarSum(double[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }

    /** A daemon thread that spins on a counter and runs one fixed task per {@link #start}. */
    private static final class Spinner {
        private final java.util.function.DoubleSupplier task;
        private final Thread thread;
        private volatile long started;
        private volatile long finished;
        private volatile double result;
        private volatile boolean stopped;

        Spinner(java.util.function.DoubleSupplier task) {
            this.task = task;
            thread = new Thread(this::serve, "floor-second-half");
            thread.setDaemon(true);
            thread.start();
        }

        void start() {
            started = started + 1;
        }

        double await() {
            long target = started;
            while (finished != target) {
                Thread.onSpinWait();
            }
            return result;
        }

        void stop() {
            stopped = true;
        }

        private void serve() {
            long done = 0;
            while (!stopped) {
                if (started == done) {
                    Thread.onSpinWait();
                    continue;
                }
                done = started;
                result = task.getAsDouble();
                finished = done;
            }
        }
    }
}
