package dev.keel.trainer.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.keel.serving.network.Networks;
import dev.keel.trainer.config.ModelConfig;

/** Builds the network a config's {@code model} section names, for inputs of a given shape and a number of classes. */
public final class ModelFactory {
    private ModelFactory() {}

    /**
     * The block for {@code config.arch()}, as {@link Networks#build} builds it.
     *
     * @param imageShape (channels, height, width) of one input image, or (features) of a row
     */
    public static Block build(ModelConfig config, Shape imageShape, int numClasses) {
        return Networks.build(config.architecture(), imageShape, numClasses);
    }
}
