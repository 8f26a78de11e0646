package nclab.dl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path dir;

    private static String failure(String dataset, Path dir, Split split) {
        return assertThrows(InvalidInputException.class, () -> Datasets.load(dataset, dir, split)).getMessage();
    }

    @Test
    void names() {
        assertEquals(java.util.List.of("fashion-mnist", "mnist", "cifar10", "synthetic"), Datasets.names());
        assertEquals("unknown dataset 'imagenet'; known datasets: fashion-mnist, mnist, cifar10, synthetic",
                failure("imagenet", null, Split.TRAIN));
    }

    @Test
    void mnistWithoutDirectoryExplainsWhereToPutTheFiles() {
        assertEquals("MNIST: put train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz),"
                + " t10k-labels-idx1-ubyte(.gz) in a directory and pass it with --data-dir DIR (data_dir: in a config)",
                failure("mnist", null, Split.TRAIN));
    }

    @Test
    void missingFilesAreListedWithTheDirectory() throws IOException {
        String m = failure("mnist", dir, Split.TEST);
        assertTrue(m.startsWith("MNIST: t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz) not found in " + dir
                + " (expected train-images-idx3-ubyte(.gz), "), m);
        assertTrue(m.endsWith("pass it with --data-dir DIR (data_dir: in a config)"), m);

        Path nowhere = dir.resolve("nowhere");
        String f = failure("fashion-mnist", nowhere, Split.TRAIN);
        assertTrue(f.startsWith("Fashion-MNIST: directory " + nowhere + " does not exist (expected train-images-idx3-ubyte(.gz)"), f);
        assertTrue(f.endsWith("; install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)"
                + " or pass --data-dir DIR (data_dir: in a config)"), f);

        ImageSet small = TestImages.random("s", 4, 1, 3, 3, 10, 3);
        IdxFiles.write(small, dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("unrelated"));
        String half = failure("fashion-mnist", dir, Split.TRAIN);
        assertTrue(half.startsWith("Fashion-MNIST: train-labels-idx1-ubyte(.gz) not found in " + dir), half);

        assertEquals("CIFAR-10: data_batch_2.bin, data_batch_4.bin, data_batch_5.bin not found in " + dir
                        + "; put data_batch_1.bin ... data_batch_5.bin and test_batch.bin (the CIFAR-10 binary version,"
                        + " cifar-10-binary.tar.gz, extracted) in a directory and pass it with --data-dir DIR (data_dir: in a config)",
                failureAfter(() -> {
                    CifarBinary.write(TestImages.random("c", 1, 3, 32, 32, 10, 1), dir.resolve("data_batch_1.bin"));
                    CifarBinary.write(TestImages.random("c", 1, 3, 32, 32, 10, 1), dir.resolve("data_batch_3.bin"));
                }, "cifar10", dir, Split.TRAIN));
        assertTrue(failure("cifar10", null, Split.TEST).startsWith("CIFAR-10: no data directory given; put data_batch_1.bin"));
    }

    private static String failureAfter(Runnable setup, String dataset, Path dir, Split split) {
        setup.run();
        return failure(dataset, dir, split);
    }

    @Test
    void mnistFromGzipAndRawNamesAndBothSpellings() {
        ImageSet train = TestImages.random("x", 12, 1, 28, 28, 10, 4);
        ImageSet test = TestImages.random("y", 5, 1, 28, 28, 10, 5);
        IdxFiles.write(train, dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte"));
        IdxFiles.write(test, dir.resolve("t10k-images.idx3-ubyte"), dir.resolve("t10k-labels.idx1-ubyte"));
        ImageSet a = Datasets.load("MNIST", dir, Split.TRAIN);
        ImageSet b = Datasets.load("mnist", dir, Split.TEST);
        assertEquals("mnist/train", a.name());
        assertEquals("mnist/test", b.name());
        assertArrayEquals(train.pixels(), a.pixels());
        assertArrayEquals(train.labels(), a.labels());
        assertArrayEquals(test.pixels(), b.pixels());
        assertArrayEquals(test.labels(), b.labels());
    }

    @Test
    void cifarInNestedDirectory() throws IOException {
        Path nested = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        ImageSet[] batches = new ImageSet[5];
        for (int b = 0; b < 5; b++) {
            batches[b] = TestImages.random("b" + b, 2, 3, 32, 32, 10, 10 + b);
            CifarBinary.write(batches[b], nested.resolve("data_batch_" + (b + 1) + ".bin"));
        }
        ImageSet test = TestImages.random("t", 3, 3, 32, 32, 10, 20);
        CifarBinary.write(test, nested.resolve("test_batch.bin"));
        ImageSet train = Datasets.load("cifar10", dir, Split.TRAIN);
        assertEquals(10, train.size());
        for (int b = 0; b < 5; b++) {
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(batches[b].image(i), train.image(2 * b + i));
                assertEquals(batches[b].label(i), train.label(2 * b + i));
            }
        }
        ImageSet t = Datasets.load("cifar10", nested, Split.TEST);
        assertArrayEquals(test.pixels(), t.pixels());
        assertArrayEquals(test.labels(), t.labels());
    }

    @Test
    void syntheticSplitsShareClassesButNotSamples() {
        ImageSet train = Datasets.load("synthetic", null, Split.TRAIN);
        ImageSet test = Datasets.load("synthetic", null, Split.TEST);
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, train.counts());
        assertArrayEquals(new int[] {200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, test.counts());
        assertEquals(28, train.height());
        assertEquals(train, Datasets.synthetic(Split.TRAIN));
        // the nearest training class mean classifies the test images: the two splits share their classes
        double[][] means = new double[10][784];
        for (int i = 0; i < train.size(); i++) {
            float[] im = train.image(i);
            for (int p = 0; p < 784; p++) {
                means[train.label(i)][p] += im[p] / 1000.0;
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] im = test.image(i);
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 10; k++) {
                double d = 0;
                for (int p = 0; p < 784; p++) {
                    double e = im[p] - means[k][p];
                    d += e * e;
                }
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 0.99 * test.size(), "nearest-mean accuracy " + correct + "/" + test.size());
        assertTrue(!java.util.Arrays.equals(train.image(0), test.image(0)));
    }

    @Test
    void realFashionMnistWhenInstalled() {
        Path installed = Path.of(Datasets.FASHION_MNIST_DEFAULT_DIR);
        Assumptions.assumeTrue(Files.isRegularFile(installed.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed");
        ImageSet train = Datasets.load("fashion-mnist", null, Split.TRAIN);
        assertEquals("fashion-mnist/train", train.name());
        assertEquals(60000, train.size());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, train.counts());
        float min = 1;
        float max = 0;
        double sum = 0;
        for (float v : train.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Fashion-MNIST's well-known mean pixel intensity is 0.2860
        assertEquals(0.2860, sum / train.pixels().length, 5e-4);
        // the first training image is an ankle boot (label 9)
        assertEquals(9, train.label(0));
        ImageSet test = Datasets.load("fashion-mnist", installed, Split.TEST);
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, test.counts());
    }
}
