package nclab.dl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import nclab.InvalidInputException;

/**
 * The named datasets of {@code nclab train} and where their files are looked for.
 *
 * <ul>
 *   <li>{@code fashion-mnist}: IDX files (see {@link IdxFiles}) in {@code dir}, by default
 *       {@value #FASHION_MNIST_DEFAULT_DIR} (Debian's {@code dataset-fashion-mnist} package);
 *       60 000 training and 10 000 test images of 28×28 grey, 10 classes.</li>
 *   <li>{@code mnist}: the same file names in a directory the user gives (no default).</li>
 *   <li>{@code cifar10}: the CIFAR-10 binary batches (see {@link CifarBinary}) data_batch_1.bin …
 *       data_batch_5.bin (train) and test_batch.bin (test) in {@code dir} or in
 *       {@code dir/cifar-10-batches-bin/} (as the archive extracts); 32×32 colour, 10 classes.</li>
 *   <li>{@code synthetic}: {@link GaussianMixtureImages}, 10 classes of 28×28 grey, 1 000 images per
 *       class for training and 200 for test, fixed seed; {@code dir} is ignored.</li>
 * </ul>
 * IDX files are found with or without ".gz" and also under the "train-images.idx3-ubyte" spelling some
 * archives use. A missing directory or file raises an {@link InvalidInputException} that says which files
 * are expected where and how to provide them.
 */
public final class Datasets {
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String MNIST = "mnist";
    public static final String CIFAR10 = "cifar10";
    public static final String SYNTHETIC = "synthetic";
    /** Where Debian's dataset-fashion-mnist package installs the files. */
    public static final String FASHION_MNIST_DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

    /** Classes of the synthetic set. */
    public static final int SYNTHETIC_CLASSES = 10;
    /** Training images per class of the synthetic set. */
    public static final int SYNTHETIC_TRAIN_PER_CLASS = 1000;
    /** Test images per class of the synthetic set. */
    public static final int SYNTHETIC_TEST_PER_CLASS = 200;
    /** Mean separation of the synthetic set (see {@link GaussianMixtureImages}). */
    public static final double SYNTHETIC_SEPARATION = 0.6;
    /** Pixel noise σ of the synthetic set. */
    public static final double SYNTHETIC_NOISE = 0.3;
    /** Seed of the synthetic set's class means and samples (train: sample stream 0, test: 1). */
    public static final long SYNTHETIC_SEED = 20_240_601L;

    private static final List<String> NAMES = List.of(FASHION_MNIST, MNIST, CIFAR10, SYNTHETIC);
    private static final String MNIST_FILES = "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), "
            + "t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)";

    private Datasets() {
    }

    /** The known dataset names. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Loads one split of a named dataset.
     *
     * @param dataset one of {@link #names()} (case-insensitive)
     * @param dir     the directory holding its files; null for the default (fashion-mnist only)
     * @param split   training or test images
     */
    public static ImageSet load(String dataset, Path dir, Split split) {
        InvalidInputException.require(dataset != null, "no dataset given; known datasets: " + String.join(", ", NAMES));
        InvalidInputException.require(split != null, "no split given (train or test)");
        String key = dataset.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case FASHION_MNIST -> loadIdx(FASHION_MNIST, "Fashion-MNIST",
                    dir == null ? Path.of(FASHION_MNIST_DEFAULT_DIR) : dir, split,
                    "; install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)"
                            + " or pass --data-dir DIR (data_dir: in a config)");
            case MNIST -> {
                InvalidInputException.require(dir != null, "MNIST: put " + MNIST_FILES
                        + " in a directory and pass it with --data-dir DIR (data_dir: in a config)");
                yield loadIdx(MNIST, "MNIST", dir, split, "; put " + MNIST_FILES
                        + " in a directory and pass it with --data-dir DIR (data_dir: in a config)");
            }
            case CIFAR10 -> loadCifar(dir, split);
            case SYNTHETIC -> synthetic(split);
            default -> throw new InvalidInputException("unknown dataset '" + dataset + "'; known datasets: "
                    + String.join(", ", NAMES));
        };
    }

    /** The synthetic Gaussian-mixture set's split (see the class comment for its parameters). */
    public static ImageSet synthetic(Split split) {
        int perClass = split == Split.TRAIN ? SYNTHETIC_TRAIN_PER_CLASS : SYNTHETIC_TEST_PER_CLASS;
        int[] counts = new int[SYNTHETIC_CLASSES];
        Arrays.fill(counts, perClass);
        return GaussianMixtureImages.generate(SYNTHETIC + "/" + split.label(), counts, 1, 28, 28,
                SYNTHETIC_SEPARATION, SYNTHETIC_NOISE, SYNTHETIC_SEED, split == Split.TRAIN ? 0 : 1);
    }

    private static ImageSet loadIdx(String key, String title, Path dir, Split split, String advice) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        InvalidInputException.require(Files.isDirectory(dir), title + ": directory " + dir + " does not exist (expected "
                + MNIST_FILES + " there)" + advice);
        String imagesBase = prefix + "-images-idx3-ubyte";
        String labelsBase = prefix + "-labels-idx1-ubyte";
        Path images = findIdx(dir, imagesBase, prefix + "-images.idx3-ubyte");
        Path labels = findIdx(dir, labelsBase, prefix + "-labels.idx1-ubyte");
        List<String> missing = new ArrayList<>();
        if (images == null) {
            missing.add(imagesBase + "(.gz)");
        }
        if (labels == null) {
            missing.add(labelsBase + "(.gz)");
        }
        InvalidInputException.require(missing.isEmpty(), title + ": " + String.join(" and ", missing) + " not found in "
                + dir + " (expected " + MNIST_FILES + ")" + advice);
        return IdxFiles.read(key + "/" + split.label(), images, labels, 10);
    }

    private static Path findIdx(Path dir, String... bases) {
        for (String base : bases) {
            for (String name : new String[] {base + ".gz", base}) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static ImageSet loadCifar(Path dir, Split split) {
        String files = "data_batch_1.bin ... data_batch_5.bin and test_batch.bin";
        String advice = "; put " + files + " (the CIFAR-10 binary version, cifar-10-binary.tar.gz, extracted)"
                + " in a directory and pass it with --data-dir DIR (data_dir: in a config)";
        InvalidInputException.require(dir != null, "CIFAR-10: no data directory given" + advice);
        InvalidInputException.require(Files.isDirectory(dir), "CIFAR-10: directory " + dir + " does not exist" + advice);
        Path base = dir;
        Path nested = dir.resolve("cifar-10-batches-bin");
        if (!Files.isRegularFile(dir.resolve("test_batch.bin")) && !Files.isRegularFile(dir.resolve("data_batch_1.bin"))
                && Files.isDirectory(nested)) {
            base = nested;
        }
        List<String> names = new ArrayList<>();
        if (split == Split.TRAIN) {
            for (int b = 1; b <= 5; b++) {
                names.add("data_batch_" + b + ".bin");
            }
        } else {
            names.add("test_batch.bin");
        }
        List<Path> paths = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Path p = base.resolve(name);
            if (Files.isRegularFile(p)) {
                paths.add(p);
            } else {
                missing.add(name);
            }
        }
        InvalidInputException.require(missing.isEmpty(), "CIFAR-10: " + String.join(", ", missing) + " not found in "
                + base + advice);
        return CifarBinary.read(CIFAR10 + "/" + split.label(), paths);
    }
}
