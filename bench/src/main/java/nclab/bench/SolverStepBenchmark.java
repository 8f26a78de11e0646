package nclab.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import nclab.data.ClassSizes;
import nclab.model.UfmObjective;
import nclab.optim.DivergenceGuard;
import nclab.optim.GradientDescent;
import nclab.optim.LearningRateSchedule;
import nclab.optim.Momentum;
import nclab.optim.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Step times of the UFM solver (issue 3 performance targets), side by side with
 * {@code bench/solver_step_numpy.py}, which runs the same steps in NumPy float64:
 * <ul>
 *   <li>{@code fullBatchStep}: one full-batch ridge-CE gradient-descent step (loss, gradient, divergence
 *       checks, update) at (d, K, N) = (64, 4, 400) and (512, 10, 5000);</li>
 *   <li>{@code gradientOnly}: the fused loss+gradient pass alone;</li>
 *   <li>{@code sgdStep}: one SGD step with batch 4 at (d, K) = (64, 4), N = 400 (seed 000 Fig. 5).</li>
 * </ul>
 * Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar SolverStep}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class SolverStepBenchmark {
    /** d x K x N. */
    @Param({"64x4x400", "512x10x5000"})
    public String shape;

    private UfmObjective objective;
    private GradientDescent gd;
    private double[] x;
    private double[] grad;
    private UfmObjective sgdObjective;
    private Sgd sgd;
    private double[] xs;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int d = Integer.parseInt(p[0]);
        int k = Integer.parseInt(p[1]);
        int n = Integer.parseInt(p[2]);
        objective = new UfmObjective(ClassSizes.balanced(k, n / k), d, 5e-4, 5e-4, 0, false, false, 0.1);
        x = objective.initialPoint(new SplittableRandom(1));
        grad = new double[x.length];
        gd = new GradientDescent(objective, LearningRateSchedule.constant(1e-3), Momentum.none(),
                new DivergenceGuard(Double.POSITIVE_INFINITY));
        sgdObjective = new UfmObjective(ClassSizes.balanced(4, 100), 64, 0, 0, 0, false, false, 0.1);
        xs = sgdObjective.initialPoint(new SplittableRandom(2));
        sgd = new Sgd(sgdObjective, 4, false, 3, LearningRateSchedule.constant(0.4), Momentum.none(),
                new DivergenceGuard(Double.POSITIVE_INFINITY));
    }

    @Benchmark
    public double fullBatchStep() {
        return gd.step(x);
    }

    @Benchmark
    public double gradientOnly() {
        return objective.valueAndGradient(x, grad);
    }

    /** Independent of {@link #shape}: always (d, K, N) = (64, 4, 400), batch 4. */
    @Benchmark
    public double sgdStep() {
        return sgd.step(xs);
    }
}
