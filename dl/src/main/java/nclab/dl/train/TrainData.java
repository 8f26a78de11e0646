package nclab.dl.train;

import java.nio.file.Path;

import nclab.data.ClassSizes;
import nclab.dl.data.Datasets;
import nclab.dl.data.ImageSet;
import nclab.dl.data.ImbalancedSubset;
import nclab.dl.data.Normalization;
import nclab.dl.data.Split;

/**
 * The data of one training run: the imbalanced training subset the config asks for (seeded), oversampled at
 * rate w_r on the minority classes (seed 003 eq. 17), the test set (all of it, or {@code test_per_class} images
 * of each class) and the per-channel normalisation measured on the training subset.
 *
 * @param train      training images in their fixed order (minibatch order comes from {@code EpochOrder})
 * @param test       test images
 * @param sizes      class sizes of the training subset before oversampling (the sizes theory is asked about)
 * @param normalization per-channel mean/std of the training subset
 */
public record TrainData(ImageSet train, ImageSet test, ClassSizes sizes, Normalization normalization) {

    /** Loads and prepares the data of {@code config}. */
    public static TrainData load(TrainConfig config) {
        Path dir = config.dataDir() == null ? null : Path.of(config.dataDir());
        ImageSet full = Datasets.load(config.dataset(), dir, Split.TRAIN);
        ClassSizes wanted = config.classSizes();
        ImageSet train = wanted == null ? full : ImbalancedSubset.select(full, wanted, config.seed());
        ClassSizes sizes = ClassSizes.of(ImbalancedSubset.perClassCounts(train.labels(), train.classes()));
        if (config.oversample() > 1 && !sizes.isBalanced()) {
            train = ImbalancedSubset.oversample(train, sizes.minorityClasses(), config.oversample());
        }
        ImageSet test = Datasets.load(config.dataset(), dir, Split.TEST);
        if (config.testPerClass() != null) {
            int[] counts = ImbalancedSubset.perClassCounts(test.labels(), test.classes());
            int[] take = new int[counts.length];
            for (int c = 0; c < counts.length; c++) {
                take[c] = Math.min(counts[c], config.testPerClass());
            }
            test = ImbalancedSubset.select(test, ClassSizes.of(take), config.seed());
        }
        return new TrainData(train, test, sizes, Normalization.of(train));
    }
}
