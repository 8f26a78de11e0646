package nclab.dl.data;

import nclab.InvalidInputException;

/**
 * The order in which one training epoch visits the samples: a uniformly random permutation of
 * 0..n−1 drawn by a Fisher–Yates shuffle from a {@link java.util.SplittableRandom} whose seed is derived from
 * (experiment seed, epoch) alone. A run resumed at epoch e therefore needs no saved RNG state: it recomputes
 * the same order. Different epochs use decorrelated streams (see {@link SeedMix} for why the seed is
 * mixed rather than XORed with a multiple of the golden gamma).
 */
public final class EpochOrder {
    private EpochOrder() {
    }

    /**
     * The visiting order of epoch {@code epoch} (0-based) for {@code n} samples: a permutation of 0..n−1,
     * the same for the same (n, seed, epoch) on every machine and JVM.
     */
    public static int[] permutation(int n, long seed, long epoch) {
        InvalidInputException.require(n >= 0, "number of samples must be >= 0, got " + n);
        InvalidInputException.require(epoch >= 0, "epoch must be >= 0, got " + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SeedMix.shuffle(order, SeedMix.random(seed, SeedMix.EPOCH_ORDER, epoch));
        return order;
    }
}
