package dev.keel.serving.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.List;

/**
 * A residual unit of DJL's {@code ResNetV1} (a body and a shortcut, added, then ReLU) whose
 * branches are {@link ScopedSequentialBlock}s: the body's intermediates are freed layer by layer
 * instead of when the unit's scope closes. Same branches, names and parameters as the unit it
 * replaces; {@code ScopedNetworksTest} checks that its outputs are DJL's, bit for bit.
 */
final class ScopedResidualUnit extends ParallelBlock {

    private ScopedResidualUnit() {
        super(ScopedResidualUnit::addThenRelu);
    }

    /** The scoped form of {@code unit}, one of {@code ResNetV1}'s residual units. */
    static Block of(Block unit) {
        ScopedResidualUnit scoped = new ScopedResidualUnit();
        for (Pair<String, Block> branch : unit.getChildren()) {
            Block value = branch.getValue();
            scoped.addChildBlock(ScopedSequentialBlock.nameOf(branch.getKey()),
                    value instanceof SequentialBlock sequential ? ScopedSequentialBlock.nested(sequential) : value);
        }
        return scoped;
    }

    private static NDList addThenRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }
}
