package dev.keel.serving.network;

import java.util.List;

/**
 * The network a Keel model is built from: the {@code model} section of {@code keel-model.json}
 * without where its weights came from.
 *
 * @param arch {@code mlp}, {@code cnn}, {@code resnet} or {@code tabular-mlp} ({@code torchscript}
 *     for a TorchScript body, which no architecture describes)
 * @param hidden units of each hidden fully connected layer
 * @param channels filters of each convolution ({@code cnn})
 * @param dropout the dropout rate before the output layer
 * @param layers ResNet's depth ({@code resnet})
 * @param cut the number of top-level layers a fine-tuned body keeps; null for the default (all before
 *     the last linear layer)
 */
public record Architecture(String arch, List<Integer> hidden, List<Integer> channels, double dropout, int layers,
        Integer cut) {

    public Architecture {
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
