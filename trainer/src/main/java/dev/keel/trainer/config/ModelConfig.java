package dev.keel.trainer.config;

import java.util.List;

/**
 * The network to train.
 *
 * @param arch {@code mlp}, {@code cnn} or {@code resnet}
 * @param hidden sizes of the fully connected hidden layers (mlp: all of them; cnn: after the convolutions)
 * @param channels cnn: output channels of each 3x3 convolution block
 * @param dropout dropout before the output layer (mlp, cnn), in [0, 1)
 * @param layers resnet: depth, 20, 32, 44, 56 or 110 for 28x28 inputs
 */
public record ModelConfig(String arch, List<Integer> hidden, List<Integer> channels, double dropout, int layers) {}
