package nclab.dl.data;

import java.util.Arrays;

import nclab.data.ClassSizes;

import static nclab.InvalidInputException.require;

/**
 * Classification accuracy overall, per class and over groups of classes, from a K×K confusion matrix
 * confusion[true][predicted].
 *
 * <p>Group accuracy pools the group's examples (seed 003, §4 of its spec note): for a set B of classes,
 * acc_B = Σ_{k∈B} confusion[k][k] / Σ_{k∈B} n_k, with n_k the number of examples of true class k; it is
 * the accuracy restricted to the examples of those classes, not the mean of per-class accuracies (the
 * two agree when the test set is balanced, as Fashion-MNIST's and CIFAR-10's are). Accuracies of classes
 * or groups without examples are NaN (undefined).
 */
public final class ClassAccuracy {
    private final long[][] confusion;

    private ClassAccuracy(long[][] confusion) {
        this.confusion = confusion;
    }

    /** An empty tally for {@code classes} classes, to be filled batch by batch with {@link #add}. */
    public static ClassAccuracy empty(int classes) {
        require(classes >= 2, "need at least 2 classes, got " + classes);
        return new ClassAccuracy(new long[classes][classes]);
    }

    /** The tally of one set of predictions. */
    public static ClassAccuracy of(int[] labels, int[] predictions, int classes) {
        ClassAccuracy a = empty(classes);
        a.add(labels, predictions, labels.length);
        return a;
    }

    /** Adds the first {@code count} (label, prediction) pairs. */
    public void add(int[] labels, int[] predictions, int count) {
        int k = confusion.length;
        require(count >= 0 && count <= labels.length && count <= predictions.length,
                "count " + count + " exceeds the " + Math.min(labels.length, predictions.length) + " labels/predictions given");
        for (int i = 0; i < count; i++) {
            int y = labels[i];
            int p = predictions[i];
            require(y >= 0 && y < k && p >= 0 && p < k, "label " + y + " / prediction " + p + " of example " + i
                    + " is out of range for " + k + " classes");
            confusion[y][p]++;
        }
    }

    /** Number of classes K. */
    public int classes() {
        return confusion.length;
    }

    /** A copy of the confusion matrix, [true class][predicted class]. */
    public long[][] confusion() {
        long[][] c = new long[confusion.length][];
        for (int k = 0; k < c.length; k++) {
            c[k] = confusion[k].clone();
        }
        return c;
    }

    /** Examples tallied. */
    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Correct / total over every example; NaN when nothing was tallied. */
    public double overall() {
        int[] all = new int[confusion.length];
        Arrays.setAll(all, k -> k);
        return over(all);
    }

    /** Accuracy of each true class k (NaN for a class without examples). */
    public double[] perClass() {
        double[] a = new double[confusion.length];
        for (int k = 0; k < a.length; k++) {
            a[k] = over(new int[] {k});
        }
        return a;
    }

    /** Pooled accuracy over the examples of the given classes: Σ_{k∈B} C[k][k] / Σ_{k∈B} n_k (NaN when none). */
    public double over(int[] group) {
        long correct = 0;
        long n = 0;
        for (int k : group) {
            require(k >= 0 && k < confusion.length, "class " + k + " out of range for " + confusion.length + " classes");
            correct += confusion[k][k];
            for (long v : confusion[k]) {
                n += v;
            }
        }
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /**
     * Pooled accuracy over the majority classes of the training sizes (the classes of the largest size;
     * all classes when balanced).
     */
    public double majority(ClassSizes trainingSizes) {
        requireSameK(trainingSizes);
        return over(trainingSizes.majorityClasses());
    }

    /** Pooled accuracy over the minority classes of the training sizes (smallest size); NaN when balanced. */
    public double minority(ClassSizes trainingSizes) {
        requireSameK(trainingSizes);
        return over(trainingSizes.minorityClasses());
    }

    private void requireSameK(ClassSizes sizes) {
        require(sizes.k() == confusion.length, "class sizes " + sizes + " give K = " + sizes.k()
                + " but the accuracy tally has " + confusion.length + " classes");
    }
}
