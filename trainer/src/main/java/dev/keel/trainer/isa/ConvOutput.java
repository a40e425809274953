package dev.keel.trainer.isa;

/** What a convolution run produces: its output and, in training, the two gradients. */
public enum ConvOutput {
    FORWARD("forward"),
    GRAD_INPUT("grad input"),
    GRAD_WEIGHT("grad weight");

    private final String label;

    ConvOutput(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
