package dev.keel.serving.network;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** Builds the network an {@link Architecture} names, for inputs of a given shape and a number of classes. */
public final class Networks {
    private Networks() {}

    /**
     * The block for {@code architecture.arch()}, its layers freeing their intermediates as they go
     * ({@link ScopedSequentialBlock}).
     *
     * @param inputShape one input's shape: (channels, height, width) of an image, (features) of a row
     * @throws IllegalArgumentException for an architecture Keel does not build by name
     */
    public static Block build(Architecture architecture, Shape inputShape, int numClasses) {
        return switch (architecture.arch()) {
            case "mlp" -> ScopedSequentialBlock.of(mlp(architecture.hidden(), architecture.dropout(), numClasses));
            case "tabular-mlp" -> ScopedSequentialBlock.of(
                    tabularMlp(architecture.hidden(), architecture.dropout(), numClasses));
            case "cnn" -> ScopedSequentialBlock.of(
                    cnn(architecture.channels(), architecture.hidden(), architecture.dropout(), numClasses));
            case "resnet" -> ScopedSequentialBlock.ofResNet(resNet(architecture.layers(), inputShape, numClasses));
            default -> throw new IllegalArgumentException("unknown model.arch " + architecture.arch());
        };
    }

    /** DJL's {@code ResNetV1} as DJL builds it, before Keel scopes it. */
    public static SequentialBlock resNet(int layers, Shape imageShape, int numClasses) {
        return (SequentialBlock) ResNetV1.builder()
                .setImageShape(imageShape)
                .setNumLayers(layers)
                .setOutSize(numClasses)
                .build();
    }

    /** Flatten, then Linear and ReLU per hidden size, dropout, and the output layer. */
    public static SequentialBlock mlp(List<Integer> hidden, double dropout, int numClasses) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            net.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
        }
        return head(net, hidden.isEmpty() ? 0 : dropout, numClasses);
    }

    /**
     * Per channel count, a 3x3 convolution, batch norm, ReLU and 2x2 max pooling; then flatten, a
     * fully connected ReLU layer per hidden size, dropout, and the output layer.
     */
    public static SequentialBlock cnn(List<Integer> channels, List<Integer> hidden, double dropout, int numClasses) {
        SequentialBlock net = new SequentialBlock();
        for (int filters : channels) {
            net.add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(filters)
                            .optBias(false)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            net.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
        }
        return head(net, dropout, numClasses);
    }

    /**
     * fastai's tabular model for encoded features (standardised numbers, missing indicators,
     * one-hot categories): batch norm of the inputs, then per hidden size a linear layer, ReLU and
     * batch norm (fastai's {@code LinBnDrop} with {@code lin_first}), dropout, and the output layer.
     */
    public static SequentialBlock tabularMlp(List<Integer> hidden, double dropout, int numClasses) {
        SequentialBlock net = new SequentialBlock().add(BatchNorm.builder().build());
        for (int units : hidden) {
            net.add(Linear.builder().setUnits(units).optBias(false).build())
                    .add(Activation::relu)
                    .add(BatchNorm.builder().build());
        }
        return head(net, hidden.isEmpty() ? 0 : dropout, numClasses);
    }

    private static SequentialBlock head(SequentialBlock net, double dropout, int numClasses) {
        if (dropout > 0) {
            net.add(Dropout.builder().optRate((float) dropout).build());
        }
        return net.add(Linear.builder().setUnits(numClasses).build());
    }
}
