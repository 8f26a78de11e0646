package nclab.cli.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The network training shared by the deep seed-003 reproductions ({@code lpm-deep-minority-collapse},
 * {@code lpm-test-accuracy}, {@code lpm-oversampling}): one {@code nclab train} config per
 * (K_A, K_B, n_A, R, w_r), with the K_A majority classes first (classes 0..K_A−1, the public code's
 * convention), n_B = n_A/R minority images per class and each minority image repeated w_r times (eq. 17).
 *
 * <p>The run name is a function of the config alone, so two ids given the same {@code --out} share (reuse)
 * a run with identical settings instead of training it twice.
 *
 * @param dataset      dataset key of {@code nclab train}
 * @param model        network ({@code mlp}, {@code cnn}, {@code vgg11}, {@code resnet18})
 * @param depth        MLP hidden layers / CNN blocks, or null for the model default
 * @param width        MLP width / CNN channels, or null for the model default
 * @param testPerClass test images per class, or null for the whole test split
 * @param lr           initial learning rate (step schedule ×0.1 at ⌊E/3⌋ and ⌊2E/3⌋, the paper's)
 * @param epochs       epochs
 * @param batch        minibatch size
 * @param logPoints    logged epochs (log-spaced)
 * @param seed         subset, initialisation and minibatch order
 */
record LpmDeepSetup(String dataset, String model, Integer depth, Integer width, Integer testPerClass, double lr,
                    int epochs, int batch, int logPoints, int seed) {

    /** Weight decay of the paper (Sec. 4C), on every parameter. */
    static final double WEIGHT_DECAY = 5e-4;
    /** SGD momentum of the paper. */
    static final double MOMENTUM = 0.9;

    /** Quick profile: a 4×512 ReLU MLP on Fashion-MNIST, 40 epochs, 300 test images per class. */
    static LpmDeepSetup quick() {
        return new LpmDeepSetup("fashion-mnist", "mlp", 4, 512, 300, 0.05, 40, 128, 4, 1);
    }

    /** Paper profile (Sec. 4C): the given network (vgg11 or resnet18) on Fashion-MNIST, 350 epochs, lr 0.1, whole test set. */
    static LpmDeepSetup paper(String model) {
        return new LpmDeepSetup("fashion-mnist", model, null, null, null, 0.1, 350, 128, 12, 1);
    }

    /** The {@code nclab train} config (YAML keys) of one run. */
    Map<String, Object> config(int kA, int kB, int nA, double r, int oversample) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", dataset);
        c.put("majority", List.of(kA, kB, nA, number(r)));
        c.put("oversample", oversample);
        if (testPerClass != null) {
            c.put("test_per_class", testPerClass);
        }
        c.put("model", model);
        if (depth != null) {
            c.put("depth", depth);
        }
        if (width != null) {
            c.put("width", width);
        }
        c.put("bias", true);
        c.put("optimizer", "sgd");
        c.put("lr", lr);
        c.put("momentum", MOMENTUM);
        c.put("weight_decay", WEIGHT_DECAY);
        c.put("epochs", epochs);
        long images = (long) kA * nA + (long) kB * Math.round(nA / r) * oversample;
        c.put("batch", (int) Math.min(batch, images)); // a training set smaller than one batch is one batch
        c.put("seed", seed);
        c.put("log_points", logPoints);
        return c;
    }

    /** Run directory name, e.g. {@code mlp-ka5-kb5-na600-r100-w1}: equal settings give equal names. */
    String runName(int kA, int kB, int nA, double r, int oversample) {
        return String.format(Locale.ROOT, "%s-ka%d-kb%d-na%d-r%s-w%d", model, kA, kB, nA, number(r), oversample);
    }

    /** The settings shown in settings.json. */
    Map<String, Object> describe() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", dataset + (dataset.equals("fashion-mnist") ? " (real images, /usr/share/datasets/fashion-mnist)" : ""));
        List<String> net = new ArrayList<>();
        net.add(model);
        if (depth != null) {
            net.add("depth " + depth);
        }
        if (width != null) {
            net.add("width " + width);
        }
        s.put("network", String.join(", ", net) + ", classifier bias (ignored by the geometry, as in the paper)");
        s.put("optimizer", "SGD, momentum " + MOMENTUM + ", weight decay " + WEIGHT_DECAY + ", batch " + batch
                + ", lr " + lr + " divided by 10 at epochs floor(E/3) and floor(2E/3)");
        s.put("epochs", epochs);
        s.put("test_images", testPerClass == null ? "whole test split (1000 per class)" : testPerClass + " per class");
        s.put("seed", seed);
        s.put("class_order", "majority classes 0..K_A-1, minority classes K_A..9 (authors' code)");
        return s;
    }

    /** A whole R as an Integer (so configs and names read "100", not "100.0"). */
    static Object number(double r) {
        return r == Math.rint(r) && Math.abs(r) < Integer.MAX_VALUE ? (Object) (int) r : (Object) r;
    }
}
