package dev.keel.trainer.model;

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
import dev.keel.trainer.config.ModelConfig;
import java.util.List;

/** Builds the network a config names, for images of a given shape and a number of classes. */
public final class ModelFactory {
    private ModelFactory() {}

    /**
     * The block for {@code config.arch()}.
     *
     * @param imageShape (channels, height, width) of one input image
     */
    public static Block build(ModelConfig config, Shape imageShape, int numClasses) {
        return switch (config.arch()) {
            case "mlp" -> ScopedSequentialBlock.of(mlp(config.hidden(), config.dropout(), numClasses));
            case "tabular-mlp" -> ScopedSequentialBlock.of(tabularMlp(config.hidden(), config.dropout(), numClasses));
            case "cnn" -> ScopedSequentialBlock.of(cnn(config.channels(), config.hidden(), config.dropout(), numClasses));
            case "resnet" -> ScopedSequentialBlock.ofResNet(resNet(config, imageShape, numClasses));
            default -> throw new IllegalArgumentException("unknown model.arch " + config.arch());
        };
    }

    /** DJL's {@code ResNetV1} as DJL builds it, before Keel scopes it. */
    static SequentialBlock resNet(ModelConfig config, Shape imageShape, int numClasses) {
        return (SequentialBlock) ResNetV1.builder()
                .setImageShape(imageShape)
                .setNumLayers(config.layers())
                .setOutSize(numClasses)
                .build();
    }

    /** Flatten, then Linear and ReLU per hidden size, dropout, and the output layer. */
    static SequentialBlock mlp(List<Integer> hidden, double dropout, int numClasses) {
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
    static SequentialBlock cnn(List<Integer> channels, List<Integer> hidden, double dropout, int numClasses) {
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
    static SequentialBlock tabularMlp(List<Integer> hidden, double dropout, int numClasses) {
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
