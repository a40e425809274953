package dev.keel.trainer.transfer;

import ai.djl.nn.Parameter;
import dev.keel.serving.network.TransferBlock;
import java.util.List;

/**
 * Freezes and unfreezes every parameter group but the last (the head). With {@code trainBn} the
 * scale and shift of Keel's batch-norm layers stay trainable and the body keeps updating its
 * running statistics; without it the frozen body runs in inference mode. A TorchScript module does
 * not say which of its parameters belong to norm layers, so all of them freeze.
 */
public final class Freezer {
    private final List<ParameterGroups.Group> groups;
    private final TransferBlock block;
    private final boolean trainBn;

    public Freezer(List<ParameterGroups.Group> groups, TransferBlock block, boolean trainBn) {
        this.groups = groups;
        this.block = block;
        this.trainBn = trainBn;
    }

    /** The groups, from the input to the head. */
    public List<ParameterGroups.Group> groups() {
        return groups;
    }

    /** Freezes ({@code true}) or unfreezes every group but the head. */
    public void apply(boolean frozen) {
        for (ParameterGroups.Group group : groups.subList(0, groups.size() - 1)) {
            for (Parameter parameter : group.parameters().values()) {
                boolean norm = parameter.getType() == Parameter.Type.GAMMA || parameter.getType() == Parameter.Type.BETA;
                parameter.freeze(frozen && !(trainBn && norm));
            }
        }
        block.setBodyInInference(frozen && !trainBn);
    }
}
