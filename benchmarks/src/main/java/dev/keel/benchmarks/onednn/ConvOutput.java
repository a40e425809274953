package dev.keel.benchmarks.onednn;

/** What a convolution run produces: its output and, in training, the two gradients. */
enum ConvOutput {
    FORWARD("forward"),
    GRAD_INPUT("grad input"),
    GRAD_WEIGHT("grad weight");

    private final String label;

    ConvOutput(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
