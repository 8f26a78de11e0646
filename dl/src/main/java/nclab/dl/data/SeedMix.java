package nclab.dl.data;

import java.util.SplittableRandom;

/**
 * Derives independent {@link SplittableRandom} streams from (seed, stream index) alone.
 *
 * <p>Why not {@code new SplittableRandom(seed ^ (GOLDEN_GAMMA * (e + 1)))} directly: a SplittableRandom
 * seeded with s returns mix64(s + γ), mix64(s + 2γ), …, so two seeds that differ by a multiple of its own
 * increment γ = 0x9E3779B97F4A7C15 give the same numbers shifted by one position. Streams 0, 1, 2, …
 * built that way from seed 0 would be shifted copies of one another. Passing both inputs through the
 * murmur3/Stafford finaliser first removes that structure.
 */
final class SeedMix {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SeedMix() {
    }

    /** Domain of {@link EpochOrder}'s streams (one per epoch). */
    static final long EPOCH_ORDER = 1;
    /** Domain of {@link ImbalancedSubset}'s streams (one per class). */
    static final long SUBSET = 2;
    /** Domain of {@link GaussianMixtureImages}' streams (class means, then one per sample stream). */
    static final long GAUSSIAN_MIXTURE = 3;

    /**
     * A seed for stream {@code stream} of use {@code domain} of the experiment seed {@code seed}; the
     * domain keeps, e.g., epoch 0's shuffle and class 0's subset from drawing the same numbers.
     */
    static long seed(long seed, long domain, long stream) {
        long base = mix64(seed ^ mix64(domain * 0x632BE59BD9B4E019L + 1));
        return mix64(base ^ mix64(GOLDEN_GAMMA * (stream + 1)));
    }

    /** A generator for stream {@code stream} of use {@code domain} of {@code seed}. */
    static SplittableRandom random(long seed, long domain, long stream) {
        return new SplittableRandom(seed(seed, domain, stream));
    }

    /** Stafford's variant 13 of the murmur3 64-bit finaliser (a bijection). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher–Yates shuffle of {@code a} in place, driven by {@code random}. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
