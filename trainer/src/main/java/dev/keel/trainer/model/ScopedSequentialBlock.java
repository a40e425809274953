package dev.keel.trainer.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that frees each layer's intermediate arrays as soon as the layer has
 * produced its output, as PyTorch does, instead of when the step's manager closes.
 *
 * <p>DJL creates an operator's result in the manager of its input, and keeps it there until that
 * manager closes: a plain sequential forward pass holds every intermediate of every layer until the
 * step ends (for ResNet-20 at batch 128 that is about half again PyTorch's peak memory, and an
 * evaluation batch of 512 several hundred megabytes more). Here each child runs with its input in
 * a manager of its own, which is closed once the child's output has been moved out. Training is
 * unaffected: what backward needs, autograd holds itself, not through these arrays. The children,
 * their names and so the parameter files are those of a plain {@code SequentialBlock}.
 */
public final class ScopedSequentialBlock extends SequentialBlock {

    /** A scoped block with the children of {@code block}, in order. */
    public static ScopedSequentialBlock of(SequentialBlock block) {
        ScopedSequentialBlock scoped = new ScopedSequentialBlock();
        scoped.addAll(block.getChildren().values());
        return scoped;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDManager outer = inputs.head().getManager();
        NDList current = inputs;
        boolean madeHere = false;
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
