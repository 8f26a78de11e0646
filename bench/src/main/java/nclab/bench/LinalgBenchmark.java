package nclab.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
 * Chooses the matrix library for the two products that dominate UFM work: logits Z = H·Wᵀ (N×d times
 * d×K) and the feature Gram G = HᵀH (d×d), in double precision, comparing EJML's row-major kernels with
 * dev.ludovic.netlib's native BLAS (OpenBLAS when installed) and its pure-Java BLAS.
 *
 * <p>Run: {@code mvn -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar Linalg}.
 * Results and the decision are in docs/linalg.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinalgBenchmark {
    @Param({"400x64x4", "5000x512x10"})
    public String shape;

    private int n;
    private int d;
    private int k;
    private DMatrixRMaj h;
    private DMatrixRMaj w;
    private DMatrixRMaj z;
    private DMatrixRMaj gram;
    private BLAS nativeBlas;
    private BLAS javaBlas;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        n = Integer.parseInt(p[0]);
        d = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        Random rnd = new Random(42);
        h = new DMatrixRMaj(n, d);
        w = new DMatrixRMaj(k, d);
        for (int i = 0; i < h.data.length; i++) {
            h.data[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = rnd.nextGaussian();
        }
        z = new DMatrixRMaj(n, k);
        gram = new DMatrixRMaj(d, d);
        javaBlas = JavaBLAS.getInstance();
        try {
            nativeBlas = NativeBLAS.getInstance();
        } catch (Throwable t) {
            nativeBlas = null;
        }
    }

    @Benchmark
    public DMatrixRMaj logitsEjml() {
        CommonOps_DDRM.multTransB(h, w, z);
        return z;
    }

    @Benchmark
    public double[] logitsNativeBlas() {
        return logits(requireNative());
    }

    @Benchmark
    public double[] logitsJavaBlas() {
        return logits(javaBlas);
    }

    /** Row-major Z (N×K) = H·Wᵀ is column-major Zᵀ (K×N) = W·Hᵀ. */
    private double[] logits(BLAS blas) {
        blas.dgemm("T", "N", k, n, d, 1.0, w.data, d, h.data, d, 0.0, z.data, k);
        return z.data;
    }

    @Benchmark
    public DMatrixRMaj gramEjml() {
        CommonOps_DDRM.multTransA(h, h, gram);
        return gram;
    }

    @Benchmark
    public double[] gramNativeBlas() {
        return gram(requireNative());
    }

    @Benchmark
    public double[] gramJavaBlas() {
        return gram(javaBlas);
    }

    /** Row-major H (N×d) is column-major X = Hᵀ (d×N); HᵀH = X·Xᵀ. */
    private double[] gram(BLAS blas) {
        blas.dgemm("N", "T", d, d, n, 1.0, h.data, d, h.data, d, 0.0, gram.data, d);
        return gram.data;
    }

    private BLAS requireNative() {
        if (nativeBlas == null) {
            throw new IllegalStateException("no native BLAS (install Debian's libopenblas0)");
        }
        return nativeBlas;
    }
}
