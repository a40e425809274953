package dev.keel.trainer.config;

/**
 * The length of the run, how often it reports, and the precision it computes in.
 *
 * @param epochs passes over the training split
 * @param logEverySteps steps between lines in metrics.jsonl (and log lines when not on a terminal)
 * @param syncEverySteps steps between reading the losses back from the device (1: every step,
 *     which lets the divergence guard skip a bad step before its update)
 * @param precision {@code fp32}, or {@code fp16}: mixed precision (float16 forward and backward,
 *     float32 master weights and optimizer state, dynamic loss scaling), for GPUs
 * @param lossScale the loss scale an {@code fp16} run starts with (PyTorch's {@code GradScaler}
 *     default, 65,536); halved on each overflow, doubled after 2,000 clean steps
 */
public record TrainConfig(int epochs, int logEverySteps, int syncEverySteps, String precision, double lossScale) {
    /** The precision of a run that computes in float32 throughout. */
    public static final String FP32 = "fp32";

    /** The precision of a mixed-precision run. */
    public static final String FP16 = "fp16";

    /** The loss scale an fp16 run starts with unless told otherwise. */
    public static final double DEFAULT_LOSS_SCALE = 65536;

    /** A float32 run reading the losses back every {@code syncEverySteps} steps. */
    public TrainConfig(int epochs, int logEverySteps, int syncEverySteps) {
        this(epochs, logEverySteps, syncEverySteps, FP32, DEFAULT_LOSS_SCALE);
    }

    /** A float32 run reading every step's loss as soon as it is computed. */
    public TrainConfig(int epochs, int logEverySteps) {
        this(epochs, logEverySteps, 1);
    }

    /** Whether the run trains in mixed precision. */
    public boolean mixedPrecision() {
        return FP16.equals(precision);
    }
}
