package dev.keel.serving.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@link SequentialBlock} that frees each layer's intermediate arrays as soon as the layer has
 * produced its output, as PyTorch does, instead of when the step's manager closes.
 *
 * <p>DJL creates an operator's result in the manager of its input, and keeps it there until that
 * manager closes: a plain sequential forward pass holds every intermediate of every layer until the
 * step ends (for ResNet-20 at batch 128 that is about half again PyTorch's peak memory, and an
 * evaluation batch of 512 several hundred megabytes more). Here each child runs with its input in
 * a manager of its own, which is closed once the child's output has been moved out. Training is
 * unaffected: what backward needs, autograd holds itself, not through these arrays. The children
 * keep their names, so the parameter names and files are those of the plain blocks.
 *
 * <p>A top-level block whose first layer is a 2-D convolution (cnn, resnet, and bodies cut from
 * them) hands that layer its input in channels-last order when {@link ChannelsLast#enabled()}, and
 * the network runs in that order from there: the same values, faster kernels.
 */
public final class ScopedSequentialBlock extends SequentialBlock {
    private final boolean channelsLast;

    private ScopedSequentialBlock(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    /** A scoped block with the children of {@code block}, in order; nested sequential blocks are scoped too. */
    public static ScopedSequentialBlock of(SequentialBlock block) {
        return ofLayers(scopedChildren(block, UnaryOperator.identity()));
    }

    /**
     * A scoped DJL {@code ResNetV1}: as {@link #of(SequentialBlock)}, and each residual unit (a
     * {@link ParallelBlock} of a body and a shortcut) is a {@link ScopedResidualUnit}, whose body
     * frees its intermediates layer by layer.
     */
    public static ScopedSequentialBlock ofResNet(SequentialBlock resNet) {
        return ofLayers(scopedChildren(resNet, ScopedResidualUnit::of));
    }

    /**
     * A top-level scoped block of {@code layers} (children of another sequential block), keeping
     * their names; channels-last when the first layer is a 2-D convolution.
     */
    public static ScopedSequentialBlock ofLayers(List<Pair<String, Block>> layers) {
        return ofLayers(layers, !layers.isEmpty() && layers.get(0).getValue() instanceof Conv2d);
    }

    /** A scoped block inside a network: its input comes from the layers before it, already in their order. */
    static ScopedSequentialBlock nested(SequentialBlock block) {
        return ofLayers(scopedChildren(block, UnaryOperator.identity()), false);
    }

    /** Whether this block hands its first layer channels-last input when channels-last is enabled. */
    public boolean channelsLast() {
        return channelsLast;
    }

    /**
     * The input as this block hands it to its first layer: channels-last when this block starts with
     * a convolution and channels-last is enabled, else {@code inputs} itself.
     */
    public NDList firstLayerInput(NDList inputs) {
        return channelsLast && ChannelsLast.enabled() ? ChannelsLast.of(inputs) : inputs;
    }

    private static ScopedSequentialBlock ofLayers(List<Pair<String, Block>> layers, boolean channelsLast) {
        ScopedSequentialBlock scoped = new ScopedSequentialBlock(channelsLast);
        layers.forEach(layer -> scoped.addChildBlock(nameOf(layer.getKey()), layer.getValue()));
        return scoped;
    }

    private static List<Pair<String, Block>> scopedChildren(SequentialBlock block, UnaryOperator<Block> parallel) {
        List<Pair<String, Block>> layers = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            Block value = child.getValue();
            if (value instanceof SequentialBlock sequential) {
                value = ofLayers(scopedChildren(sequential, parallel), false);
            } else if (value instanceof ParallelBlock) {
                value = parallel.apply(value);
            }
            layers.add(new Pair<>(child.getKey(), value));
        }
        return layers;
    }

    /** A child's name as DJL gave it, without the position it prefixes ({@code 02ParallelBlock} -> {@code ParallelBlock}). */
    static String nameOf(String key) {
        return key.replaceFirst("^\\d+", "");
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDManager outer = inputs.head().getManager();
        NDList current = firstLayerInput(inputs);
        boolean madeHere = current != inputs; // a converted input is this block's to free
        for (Block child : getChildren().values()) {
            try (NDManager layer = outer.newSubManager()) {
                if (madeHere) {
                    current.attach(layer); // the previous layer's output: freed with this layer's scope
                } else {
                    current.tempAttach(layer); // the caller's input: back to its manager afterwards
                }
                NDList output = child.forward(parameterStore, current, training, params);
                output.attach(outer);
                current = output;
                madeHere = true;
            }
        }
        return current;
    }
}
