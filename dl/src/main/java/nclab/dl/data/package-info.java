/**
 * Image data for the deep-network experiments, in plain Java (no DJL): {@link nclab.dl.data.ImageSet}
 * (N×C×H×W floats in [0, 1] with labels), loaders for Fashion-MNIST/MNIST ({@link nclab.dl.data.IdxFiles})
 * and CIFAR-10 ({@link nclab.dl.data.CifarBinary}) behind {@link nclab.dl.data.Datasets}, a synthetic
 * Gaussian mixture ({@link nclab.dl.data.GaussianMixtureImages}), imbalanced subsets and oversampling
 * ({@link nclab.dl.data.ImbalancedSubset}, seed 003 eq. 17), the per-epoch visiting order
 * ({@link nclab.dl.data.EpochOrder}), per-channel standardisation ({@link nclab.dl.data.Normalization}) and
 * majority/minority accuracy ({@link nclab.dl.data.ClassAccuracy}).
 *
 * <p>All randomness comes from {@link java.util.SplittableRandom} generators whose seeds are derived from the
 * experiment seed and a stream index (epoch, class, sample stream), so results are bit-identical for a seed
 * and a resumed run recomputes what it needs.
 */
package nclab.dl.data;
