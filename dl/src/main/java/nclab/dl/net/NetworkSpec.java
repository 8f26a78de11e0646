package nclab.dl.net;

import nclab.InvalidInputException;

import java.util.List;

/**
 * What network to build: a backbone that maps an image to a feature vector, an optional head of
 * {@code headLayers} extra fully connected layers, and a linear classifier {@code z ↦ W z (+ b)} with one
 * row per class (issue 4, "Networks").
 *
 * <p>Architectures ({@link #architecture()}):
 * <ul>
 *   <li>{@code "mlp"}: flatten, then {@code depth} hidden layers {@code [Linear(width), (BatchNorm), ReLU]};
 *       the backbone feature dimension is {@code width}.</li>
 *   <li>{@code "cnn"}: {@code depth} convolution blocks (1 ≤ depth ≤ 4), block {@code i} (from 0) having
 *       {@code width·2^i} channels ({@code width} = channels of the first convolution):
 *       {@code [Conv 3×3 pad 1, (BatchNorm), ReLU, MaxPool 2×2]}; then flatten and one fully connected
 *       layer {@code [Linear(c), (BatchNorm), ReLU]} with {@code c = width·2^(depth−1)} units (as many as the
 *       last block has channels), which is the backbone feature dimension.</li>
 *   <li>{@code "resnet18"}: the CIFAR-style ResNet-18 (He et al. 2016): 3×3 stem convolution with stride 1
 *       and no max-pool, four stages of two basic residual units with 64·m, 128·m, 256·m, 512·m channels
 *       (strides 1, 2, 2, 2; 1×1 projection shortcuts where the shape changes), global average pooling;
 *       feature dimension {@code 512·m} with {@code m = widthMultiplier}. At m = 1 and 10 classes it has
 *       11 173 962 trainable parameters.</li>
 *   <li>{@code "vgg11"}, {@code "vgg13"}: VGG configurations A and B (Simonyan and Zisserman 2015) with
 *       channels scaled by m, each 3×3 convolution followed by (BatchNorm) and ReLU, then global average
 *       pooling to {@code 512·m} features. Adaptation to small inputs: a 2×2 max-pool is skipped when the
 *       spatial size before it is already below 2 (five pools take 32×32 to 1×1, but 28×28 to 0×0, so
 *       at 28×28 the fifth pool is dropped and the net ends at 1×1 after four pools).</li>
 * </ul>
 * {@code depth} and {@code width} are used by mlp and cnn only; {@code widthMultiplier} by resnet18 and
 * vgg only (channel counts are {@code max(1, round(c·m))}). {@code batchNorm} applies to every
 * architecture (convolutions carry a bias exactly when there is no batch norm after them).
 *
 * <p>Head ({@code headLayers = L ≥ 0}, seeds 002 "deep UFM" and 004 "L-extended"): L layers
 * {@code z_{l+1} = σ(W_l z_l)}, each square of the backbone's feature dimension, without bias, σ the
 * identity ({@code "linear"}) or ReLU ({@code "relu"}). The classifier reads {@code z_L}.
 *
 * @param architecture    one of {@link #ARCHITECTURES}
 * @param depth           mlp: number of hidden layers; cnn: number of conv blocks (≥ 1)
 * @param width           mlp: hidden width; cnn: channels of the first convolution (≥ 1)
 * @param batchNorm       batch normalisation after every linear/convolution layer of the backbone
 * @param classifierBias  whether the classifier has a bias b
 * @param headLayers      number L ≥ 0 of extra fully connected layers between backbone and classifier
 * @param headActivation  "linear" or "relu"
 * @param widthMultiplier resnet18/vgg channel scale (1.0 = the papers' networks), finite and &gt; 0
 */
public record NetworkSpec(String architecture, int depth, int width, boolean batchNorm, boolean classifierBias,
                          int headLayers, String headActivation, double widthMultiplier) {

    /** Known architecture names. */
    public static final List<String> ARCHITECTURES = List.of("mlp", "cnn", "resnet18", "vgg11", "vgg13");
    /** Known head activations. */
    public static final List<String> HEAD_ACTIVATIONS = List.of("linear", "relu");
    /** Largest cnn depth (four 2×2 pools take 28×28 to 1×1). */
    public static final int MAX_CNN_DEPTH = 4;

    public NetworkSpec {
        InvalidInputException.require(architecture != null && ARCHITECTURES.contains(architecture),
                "unknown architecture '" + architecture + "'; known: " + String.join(", ", ARCHITECTURES));
        InvalidInputException.require(depth >= 1, "network depth must be >= 1, got " + depth);
        InvalidInputException.require(width >= 1, "network width must be >= 1, got " + width);
        if (architecture.equals("cnn")) {
            InvalidInputException.require(depth <= MAX_CNN_DEPTH,
                    "cnn depth (number of conv blocks) must be <= " + MAX_CNN_DEPTH + ", got " + depth);
        }
        InvalidInputException.require(headLayers >= 0, "head layers must be >= 0, got " + headLayers);
        InvalidInputException.require(headActivation != null && HEAD_ACTIVATIONS.contains(headActivation),
                "unknown head activation '" + headActivation + "'; known: " + String.join(", ", HEAD_ACTIVATIONS));
        InvalidInputException.requirePositive("width multiplier", widthMultiplier);
    }

    /** MLP with batch norm off, classifier bias on, no head. */
    public static NetworkSpec mlp(int depth, int width) {
        return new NetworkSpec("mlp", depth, width, false, true, 0, "linear", 1.0);
    }

    /** Small CNN with batch norm, classifier bias on, no head. */
    public static NetworkSpec cnn(int depth, int width) {
        return new NetworkSpec("cnn", depth, width, true, true, 0, "linear", 1.0);
    }

    /** CIFAR-style ResNet-18 with batch norm, classifier bias on, no head. */
    public static NetworkSpec resnet18(double widthMultiplier) {
        return new NetworkSpec("resnet18", 1, 1, true, true, 0, "linear", widthMultiplier);
    }

    /** VGG-11 with batch norm, classifier bias on, no head. */
    public static NetworkSpec vgg11(double widthMultiplier) {
        return new NetworkSpec("vgg11", 1, 1, true, true, 0, "linear", widthMultiplier);
    }

    /** VGG-13 with batch norm, classifier bias on, no head. */
    public static NetworkSpec vgg13(double widthMultiplier) {
        return new NetworkSpec("vgg13", 1, 1, true, true, 0, "linear", widthMultiplier);
    }

    /** This spec with the classifier bias switched on or off. */
    public NetworkSpec withClassifierBias(boolean bias) {
        return new NetworkSpec(architecture, depth, width, batchNorm, bias, headLayers, headActivation, widthMultiplier);
    }

    /** This spec with batch norm switched on or off. */
    public NetworkSpec withBatchNorm(boolean on) {
        return new NetworkSpec(architecture, depth, width, on, classifierBias, headLayers, headActivation, widthMultiplier);
    }

    /** This spec with a head of {@code layers} extra layers and the given activation. */
    public NetworkSpec withHead(int layers, String activation) {
        return new NetworkSpec(architecture, depth, width, batchNorm, classifierBias, layers, activation, widthMultiplier);
    }

    /** Channel count {@code max(1, round(base·widthMultiplier))} used by resnet18 and vgg. */
    public int scaledChannels(int base) {
        return (int) Math.max(1, Math.round(base * widthMultiplier));
    }
}
