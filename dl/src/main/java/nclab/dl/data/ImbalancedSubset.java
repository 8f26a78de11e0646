package nclab.dl.data;

import java.util.Arrays;

import nclab.data.ClassSizes;

import static nclab.InvalidInputException.require;

/**
 * Imbalanced training sets cut from a full (usually balanced) image set, and oversampling.
 *
 * <p>{@link #select} keeps exactly n_k images of every class k, drawn uniformly without replacement:
 * class k's images are shuffled (Fisher–Yates) by a generator derived from (seed, k) alone and the
 * first n_k are kept. Consequences, both tested: the same seed gives the same subset, and for one seed a
 * smaller n_k keeps a subset of what a larger n_k keeps (so runs at R = 10 and R = 100 share their
 * minority images), and one class's count does not change another class's choice.
 *
 * <p>{@link #oversample} implements the oversampling of the Layer-Peeled Model paper (seed 003, eq. 17):
 * every image of a minority class appears w_r times, so that the empirical risk is
 * 1/(n_A K_A + w_r n_B K_B) [Σ_majority L + w_r Σ_minority L].
 */
public final class ImbalancedSubset {
    private ImbalancedSubset() {
    }

    /**
     * Exactly {@code sizes.count(k)} images of each class k of {@code full}, chosen uniformly at random
     * without replacement (seeded). Result order: by class, then by index in {@code full}.
     *
     * @throws nclab.InvalidInputException when sizes has a different number of classes than the set, or a
     *                                     class has fewer images than requested (naming the class)
     */
    public static ImageSet select(ImageSet full, ClassSizes sizes, long seed) {
        require(sizes.k() == full.classes(), "class sizes " + sizes + " give K = " + sizes.k() + " classes but "
                + full.name() + " has " + full.classes());
        return full.subset(indices(full.labels(), sizes, seed, full.name()), full.name() + " " + sizes);
    }

    /**
     * The indices {@link #select} keeps, for labels in [0, sizes.k()): by class, then ascending.
     *
     * @param setName names the set in messages
     */
    public static int[] indices(int[] labels, ClassSizes sizes, long seed, String setName) {
        int[] available = perClassCounts(labels, sizes.k());
        for (int k = 0; k < sizes.k(); k++) {
            require(sizes.count(k) <= available[k], "class " + k + " has " + available[k] + " images in "
                    + setName + ", " + sizes.count(k) + " requested");
        }
        int[][] byClass = indicesByClass(labels, sizes.k(), available);
        int[] chosen = new int[Math.toIntExact(sizes.total())];
        int at = 0;
        for (int k = 0; k < sizes.k(); k++) {
            int[] pool = byClass[k];
            SeedMix.shuffle(pool, SeedMix.random(seed, SeedMix.SUBSET, k));
            int[] keep = Arrays.copyOf(pool, sizes.count(k));
            Arrays.sort(keep);
            System.arraycopy(keep, 0, chosen, at, keep.length);
            at += keep.length;
        }
        return chosen;
    }

    /**
     * Oversampling with rate w_r (seed 003, eq. 17): every image whose label is one of
     * {@code minorityClasses} is repeated {@code rate} times (its copies adjacent), the others once, in the
     * original order. Rate 1 returns an equal set.
     */
    public static ImageSet oversample(ImageSet set, int[] minorityClasses, int rate) {
        require(rate >= 1, "oversampling rate w_r must be a whole number >= 1, got " + rate);
        boolean[] minority = new boolean[set.classes()];
        for (int k : minorityClasses) {
            require(k >= 0 && k < set.classes(), "minority class " + k + " is out of range for "
                    + set.classes() + " classes (0.." + (set.classes() - 1) + ")");
            require(!minority[k], "minority class " + k + " is listed twice");
            minority[k] = true;
        }
        if (rate == 1) {
            return set;
        }
        int[] labels = set.labels();
        long n = 0;
        for (int y : labels) {
            n += minority[y] ? rate : 1;
        }
        require(n <= Integer.MAX_VALUE - 8, set.name() + ": oversampling by " + rate + " gives too many images (" + n + ")");
        int[] order = new int[(int) n];
        int at = 0;
        for (int i = 0; i < labels.length; i++) {
            int copies = minority[labels[i]] ? rate : 1;
            for (int c = 0; c < copies; c++) {
                order[at++] = i;
            }
        }
        return set.subset(order, set.name() + " oversampled x" + rate);
    }

    /** n_k = #{i : labels[i] = k} for k = 0..classes−1; every label must lie in [0, classes). */
    public static int[] perClassCounts(int[] labels, int classes) {
        require(classes >= 1, "number of classes must be >= 1, got " + classes);
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            require(y >= 0 && y < classes, "label " + y + " of sample " + i + " is out of range for " + classes
                    + " classes (0.." + (classes - 1) + ")");
            counts[y]++;
        }
        return counts;
    }

    private static int[][] indicesByClass(int[] labels, int classes, int[] counts) {
        int[][] byClass = new int[classes][];
        for (int k = 0; k < classes; k++) {
            byClass[k] = new int[counts[k]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return byClass;
    }
}
