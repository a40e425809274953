package dev.keel.trainer.engine;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.model.ModelFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The convolutions of a network {@link ModelFactory} builds, read from the built blocks without
 * initialising or running them: nothing here touches the engine, so it can be asked before
 * libtorch has run anything.
 */
public final class ModelConvolutions {
    private static final int UNKNOWN = -1;

    private ModelConvolutions() {}

    /**
     * The convolutions of {@code model} on inputs of {@code inputShape}, in the order the network
     * applies them (in a residual unit, its branch before its shortcut).
     *
     * @param inputShape one input: (channels, height, width) for images, (features) for tables
     * @return the convolutions, empty for an mlp; empty optional when they cannot be known from the
     *     config (an architecture ModelFactory does not build, such as a TorchScript body)
     */
    public static Optional<List<Convolution>> of(ModelConfig model, Shape inputShape) {
        Block network;
        try {
            network = ModelFactory.build(model, inputShape, 2);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Convolution> found = new ArrayList<>();
        int channels = inputShape.dimension() == 3 ? (int) inputShape.get(0) : UNKNOWN;
        return walk(network, channels, found) == null ? Optional.empty() : Optional.of(List.copyOf(found));
    }

    /**
     * Adds the convolutions in {@code block} to {@code found}.
     *
     * @return the channels leaving the block, {@link #UNKNOWN} when they stop meaning anything (after a
     *     linear layer), or null when a convolution's input channels cannot be told
     */
    private static Integer walk(Block block, int channels, List<Convolution> found) {
        if (block instanceof Conv2d conv) {
            if (channels == UNKNOWN) {
                return null;
            }
            found.add(new Convolution(channels, conv.getFilters(), (int) conv.getKernelShape().get(0),
                    (int) conv.getStride().get(0)));
            return conv.getFilters();
        }
        if (block instanceof SequentialBlock) {
            Integer current = channels;
            for (Block child : block.getChildren().values()) {
                current = walk(child, current, found);
                if (current == null) {
                    return null;
                }
            }
            return current;
        }
        if (block instanceof ParallelBlock) {
            // Every branch reads the same input; a residual unit adds branches of equal channels.
            Integer out = null;
            for (Block child : block.getChildren().values()) {
                Integer branch = walk(child, channels, found);
                if (branch == null || (out != null && !out.equals(branch))) {
                    return null;
                }
                out = branch;
            }
            return out == null ? channels : out;
        }
        if (block instanceof Linear) {
            return UNKNOWN;
        }
        // Batch norm, activations, pooling, dropout and flattening keep the channels; a composite
        // block of another kind is not understood, so its convolutions are not known.
        return block.getChildren().isEmpty() ? channels : null;
    }
}
