package dev.keel.trainer.engine;

/**
 * One 2-D convolution of a network, as far as the choice of oneDNN's kernels depends on it.
 *
 * @param inChannels the channels it reads
 * @param outChannels the channels it writes (its filters)
 * @param kernel the side of its kernel
 * @param stride its stride
 */
public record Convolution(int inChannels, int outChannels, int kernel, int stride) {

    /** For example {@code conv 24 -> 48 (3x3, stride 1)}. */
    public String label() {
        return "conv " + inChannels + " -> " + outChannels + " (" + kernel + "x" + kernel + ", stride " + stride + ")";
    }
}
