package dev.keel.trainer.config;

import dev.keel.serving.network.Architecture;
import java.util.List;

/**
 * The network to train.
 *
 * @param arch {@code mlp}, {@code cnn}, {@code resnet} or {@code tabular-mlp}
 * @param hidden sizes of the fully connected hidden layers (mlp: all of them; cnn: after the convolutions)
 * @param channels cnn: output channels of each 3x3 convolution block
 * @param dropout dropout before the output layer (mlp, cnn), in [0, 1)
 * @param layers resnet: depth, 20, 32, 44, 56 or 110 for 28x28 inputs
 * @param pretrained where the starting weights come from: a Keel run directory or one of its
 *     checkpoints, a model folder in DJL's format, or a TorchScript file; null to start from
 *     random weights
 * @param cut the number of top-level layers of a Keel or DJL model kept as the body; null keeps
 *     everything before the last linear layer, which a new head replaces
 */
public record ModelConfig(String arch, List<Integer> hidden, List<Integer> channels, double dropout, int layers,
        String pretrained, Integer cut) {

    /** A network built from scratch. */
    public ModelConfig(String arch, List<Integer> hidden, List<Integer> channels, double dropout, int layers) {
        this(arch, hidden, channels, dropout, layers, null, null);
    }

    /** The network this section describes, as Keel's serving module builds it. */
    public Architecture architecture() {
        return new Architecture(arch, hidden, channels, dropout, layers, cut);
    }
}
