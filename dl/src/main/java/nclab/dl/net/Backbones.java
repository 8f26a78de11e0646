package nclab.dl.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import nclab.InvalidInputException;

import java.util.Arrays;

/**
 * Builds the backbone of a {@link NetworkSpec}: the block that maps an N×C×H×W image batch to N×d features
 * (architectures described on {@link NetworkSpec}). Package-private: {@link ClassifierNet#build} is the
 * public entry point.
 */
final class Backbones {

    /** A backbone block and the dimension d of the features it outputs. */
    record Backbone(Block block, int featureDim) { }

    private static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    private static final int[] VGG13 = {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};

    private Backbones() { }

    static Backbone build(NetworkSpec spec, int channels, int height, int width) {
        return switch (spec.architecture()) {
            case "mlp" -> mlp(spec);
            case "cnn" -> cnn(spec, height, width);
            case "resnet18" -> resnet18(spec);
            case "vgg11" -> vgg(spec, VGG11, height, width);
            case "vgg13" -> vgg(spec, VGG13, height, width);
            default -> throw new IllegalStateException(spec.architecture());
        };
    }

    private static Backbone mlp(NetworkSpec spec) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int i = 0; i < spec.depth(); i++) {
            net.add(Linear.builder().setUnits(spec.width()).build());
            if (spec.batchNorm()) {
                net.add(BatchNorm.builder().build());
            }
            net.add(Activation.reluBlock());
        }
        return new Backbone(net, spec.width());
    }

    private static Backbone cnn(NetworkSpec spec, int height, int width) {
        int pools = spec.depth();
        InvalidInputException.require(height >> pools >= 1 && width >> pools >= 1,
                "a cnn of depth " + pools + " halves the image " + pools + " times; " + height + "x" + width
                        + " is too small (needs at least " + (1 << pools) + "x" + (1 << pools) + ")");
        SequentialBlock net = new SequentialBlock();
        int c = spec.width();
        for (int i = 0; i < pools; i++) {
            c = spec.width() << i;
            convBnRelu(net, c, 3, 1, 1, spec.batchNorm());
            net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock());
        net.add(Linear.builder().setUnits(c).build());
        if (spec.batchNorm()) {
            net.add(BatchNorm.builder().build());
        }
        net.add(Activation.reluBlock());
        return new Backbone(net, c);
    }

    private static Backbone resnet18(NetworkSpec spec) {
        boolean bn = spec.batchNorm();
        SequentialBlock net = new SequentialBlock();
        int in = spec.scaledChannels(64);
        convBnRelu(net, in, 3, 1, 1, bn);
        int[] base = {64, 128, 256, 512};
        for (int stage = 0; stage < base.length; stage++) {
            int out = spec.scaledChannels(base[stage]);
            int stride = stage == 0 ? 1 : 2;
            net.add(basicUnit(in, out, stride, bn));
            net.add(basicUnit(out, out, 1, bn));
            in = out;
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        return new Backbone(net, in);
    }

    /** relu(F(x) + S(x)), F = conv3×3(stride)-BN-ReLU-conv3×3-BN, S = identity or conv1×1(stride)-BN. */
    private static Block basicUnit(int in, int out, int stride, boolean bn) {
        SequentialBlock main = new SequentialBlock();
        convBnRelu(main, out, 3, stride, 1, bn);
        main.add(conv(out, 3, 1, 1, !bn));
        if (bn) {
            main.add(BatchNorm.builder().build());
        }
        Block shortcut;
        if (stride != 1 || in != out) {
            SequentialBlock projection = new SequentialBlock().add(conv(out, 1, stride, 0, !bn));
            if (bn) {
                projection.add(BatchNorm.builder().build());
            }
            shortcut = projection;
        } else {
            shortcut = Blocks.identityBlock();
        }
        return new ParallelBlock(
                outputs -> new NDList(Activation.relu(
                        outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow()))),
                Arrays.asList(main, shortcut));
    }

    private static Backbone vgg(NetworkSpec spec, int[] config, int height, int width) {
        SequentialBlock net = new SequentialBlock();
        int h = height;
        int w = width;
        int c = 0;
        for (int entry : config) {
            if (entry == 0) {
                if (h >= 2 && w >= 2) { // skip a pool that would shrink the map to 0 (28x28 inputs)
                    net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                    h /= 2;
                    w /= 2;
                }
            } else {
                c = spec.scaledChannels(entry);
                convBnRelu(net, c, 3, 1, 1, spec.batchNorm());
            }
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        return new Backbone(net, c);
    }

    private static void convBnRelu(SequentialBlock net, int filters, int kernel, int stride, int pad, boolean bn) {
        net.add(conv(filters, kernel, stride, pad, !bn));
        if (bn) {
            net.add(BatchNorm.builder().build());
        }
        net.add(Activation.reluBlock());
    }

    private static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .setFilters(filters)
                .optBias(bias)
                .build();
    }
}
