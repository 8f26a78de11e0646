package nclab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
 * 20.5 MB at (d, N) = (512, 5000), far beyond the caches) twice, as any CE step must (once for the logits W Hᵀ, once
 * for the gradient of W), with four independent accumulators so the loop is bound by memory, not by the additions.
 * {@code readTwice} is the floor; {@code readTwiceWriteOnce} adds the write of ∂f/∂H (or of the updated H) that a GD
 * step also needs; {@code readTwiceTwoThreads} reads as the solver's two threads do (rows in two halves). Compare with {@code SolverStepBenchmark.fullBatchStep} at the same shape.
 * Run: {@code java -jar bench/target/benchmarks.jar MemoryBandwidth}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryBandwidthBenchmark {
    /** d x N. */
    @Param({"512x5000"})
    public String dn;

    private double[] h;
    private double[] out;
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();

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

    @Benchmark
    public double readTwice() {
        return sum(h) + sum(h);
    }

    /** The same two reads with the rows split in two halves, one per thread, as the solver's step runs them. */
    @Benchmark
    public double readTwiceTwoThreads() throws Exception {
        int half = h.length / 2;
        java.util.concurrent.Future<Double> second = pool.submit(() -> sum(h, half, h.length) + sum(h, half, h.length));
        return sum(h, 0, half) + sum(h, 0, half) + second.get();
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public double readTwiceWriteOnce() {
        double s = sum(h);
        for (int i = 0; i < h.length; i++) {
            out[i] = h[i] * 0.999;
        }
        return s + out[out.length - 1];
    }

    private static double sum(double[] a) {
        return sum(a, 0, a.length);
    }

    private static double sum(double[] a, int from, int to) {
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
}
