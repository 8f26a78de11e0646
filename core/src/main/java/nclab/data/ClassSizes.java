package nclab.data;

import java.util.Arrays;
import java.util.stream.IntStream;

import static nclab.InvalidInputException.require;

/**
 * Per-class sample counts n_1, …, n_K of an (imbalanced) training set; immutable.
 *
 * <p>Factories cover the imbalance specs of the five seed papers:
 * <ul>
 *   <li>{@link #of(int...)}: an explicit list;</li>
 *   <li>{@link #step(int, double, double, int)}: (R, ρ)-STEP imbalance of SELI (seed 000, Definition 1):
 *       ρK majority classes of R·n_min samples first, then (1−ρ)K minority classes of n_min;</li>
 *   <li>{@link #majorityMinority(int, int, int, double)}: K_A majority classes of n_A samples and
 *       K_B minority classes of n_A/R (Layer-Peeled Model, seed 003);</li>
 *   <li>{@link #longTail(int, int, double)}: exponential long tail n_k = ⌊n_max·R^{−(k−1)/(K−1)}⌋.</li>
 * </ul>
 * Every factory rejects what does not define K ≥ 2 classes of whole, positive counts with an
 * {@link nclab.InvalidInputException} that names the bad value.
 */
public final class ClassSizes {
    private final int[] counts;

    private ClassSizes(int[] counts) {
        require(counts != null && counts.length >= 2,
                "need at least K = 2 classes, got K = " + (counts == null ? 0 : counts.length));
        for (int k = 0; k < counts.length; k++) {
            require(counts[k] >= 1, "class " + (k + 1) + " has " + counts[k] + " samples; every class needs at least 1");
        }
        this.counts = counts.clone();
    }

    /** Explicit counts, in class order. */
    public static ClassSizes of(int... counts) {
        return new ClassSizes(counts);
    }

    /** K classes of n samples each. */
    public static ClassSizes balanced(int k, int n) {
        require(k >= 2, "need at least K = 2 classes, got K = " + k);
        int[] c = new int[k];
        Arrays.fill(c, n);
        return new ClassSizes(c);
    }

    /**
     * (R, ρ)-STEP imbalance (seed 000, Definition 1), majorities first: (1−ρ)K classes of R·n_min
     * samples, then ρK minority classes of n_min samples. ρ is the paper's <em>minority</em> fraction.
     *
     * @param k     number of classes K ≥ 2
     * @param ratio imbalance ratio R ≥ 1, with R·n_min a whole number
     * @param rho   fraction of minority classes, in (0, 1), with ρK a whole number
     * @param nMin  minority class size ≥ 1
     */
    public static ClassSizes step(int k, double ratio, double rho, int nMin) {
        require(k >= 2, "need at least K = 2 classes, got K = " + k);
        require(Double.isFinite(ratio) && ratio >= 1, "imbalance ratio R must be >= 1, got R = " + ratio);
        require(Double.isFinite(rho) && rho > 0 && rho < 1, "minority fraction rho must lie in (0, 1), got rho = " + rho);
        require(nMin >= 1, "minority size n_min must be >= 1, got n_min = " + nMin);
        long minorities = wholeOrFail(rho * k, "rho*K = " + rho + "*" + k + " is not a whole number of minority classes");
        require(minorities >= 1 && minorities <= k - 1,
                "rho*K = " + minorities + " leaves no " + (minorities < 1 ? "minority" : "majority") + " class");
        long majorities = k - minorities;
        long nMaj = wholeOrFail(ratio * nMin, "R*n_min = " + ratio + "*" + nMin + " is not a whole number of samples");
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = i < majorities ? Math.toIntExact(nMaj) : nMin;
        }
        return new ClassSizes(c);
    }

    /**
     * K_A majority classes of n_A samples, then K_B minority classes of n_A/R samples (seed 003).
     */
    public static ClassSizes majorityMinority(int kA, int kB, int nA, double ratio) {
        require(kA >= 1, "number of majority classes K_A must be >= 1, got K_A = " + kA);
        require(kB >= 1, "number of minority classes K_B must be >= 1, got K_B = " + kB);
        require(nA >= 1, "majority size n_A must be >= 1, got n_A = " + nA);
        require(Double.isFinite(ratio) && ratio >= 1, "imbalance ratio R must be >= 1, got R = " + ratio);
        require(nA / ratio >= 1, "n_A/R = " + nA + "/" + ratio + " leaves the minority classes with no sample");
        long nB = wholeOrFail(nA / ratio, "n_A/R = " + nA + "/" + ratio + " is not a whole number of samples");
        int[] c = new int[kA + kB];
        for (int i = 0; i < c.length; i++) {
            c[i] = i < kA ? nA : Math.toIntExact(nB);
        }
        return new ClassSizes(c);
    }

    /**
     * Exponential long tail: n_k = ⌊n_max · R^{−(k−1)/(K−1)}⌋ for k = 1..K, so n_1 = n_max and
     * n_K = ⌊n_max/R⌋ (the usual CIFAR-LT construction). Counts are rounded down; the smallest must be ≥ 1.
     */
    public static ClassSizes longTail(int k, int nMax, double ratio) {
        require(k >= 2, "need at least K = 2 classes, got K = " + k);
        require(nMax >= 1, "largest class size n_max must be >= 1, got n_max = " + nMax);
        require(Double.isFinite(ratio) && ratio >= 1, "imbalance ratio R must be >= 1, got R = " + ratio);
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            // the small epsilon keeps exact powers (e.g. 1000 * 10^-1) from rounding down to 99
            c[i] = (int) Math.floor(nMax * Math.pow(ratio, -(double) i / (k - 1)) + 1e-9);
        }
        require(c[k - 1] >= 1, "n_max/R = " + nMax + "/" + ratio + " leaves the smallest class with no sample");
        return new ClassSizes(c);
    }

    private static long wholeOrFail(double value, String message) {
        long rounded = Math.round(value);
        require(Double.isFinite(value) && Math.abs(value - rounded) <= 1e-9 * Math.max(1, Math.abs(value)), message);
        return rounded;
    }

    /** Number of classes K. */
    public int k() {
        return counts.length;
    }

    /** Total sample count N = Σ n_k. */
    public long total() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /** n_k for the 0-based class index k. */
    public int count(int k) {
        return counts[k];
    }

    /** A copy of the counts. */
    public int[] counts() {
        return counts.clone();
    }

    /** Class fractions π_k = n_k / N. */
    public double[] fractions() {
        double n = total();
        return Arrays.stream(counts).mapToDouble(c -> c / n).toArray();
    }

    public int max() {
        return Arrays.stream(counts).max().orElseThrow();
    }

    public int min() {
        return Arrays.stream(counts).min().orElseThrow();
    }

    /** n_max / n_min. */
    public double imbalanceRatio() {
        return (double) max() / min();
    }

    public boolean isBalanced() {
        return max() == min();
    }

    /** 0-based indices of the classes of the largest size (all classes when balanced). */
    public int[] majorityClasses() {
        int m = max();
        return IntStream.range(0, counts.length).filter(k -> counts[k] == m).toArray();
    }

    /** 0-based indices of the classes of the smallest size; empty when balanced. */
    public int[] minorityClasses() {
        if (isBalanced()) {
            return new int[0];
        }
        int m = min();
        return IntStream.range(0, counts.length).filter(k -> counts[k] == m).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassSizes other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return Arrays.toString(counts);
    }
}
