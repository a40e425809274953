package dev.keel.trainer.precision;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.TrainConfig;
import dev.keel.trainer.fit.StepPrecision;
import dev.keel.trainer.metrics.EventSink;
import java.util.Optional;

/** Whether a run may compute in {@code train.precision: fp16} here, and the loop's pieces for it. */
public final class PrecisionChoice {
    /**
     * Set to 1, lets {@code fp16} run on a CPU: for checking mixed precision's arithmetic on a tiny
     * model where there is no GPU, not for training.
     */
    public static final String CPU_VARIABLE = "KEEL_FP16_ON_CPU";

    private static final String FOUND = "\"" + TrainConfig.FP16 + "\"";

    private PrecisionChoice() {}

    /**
     * Refuses {@code fp16} where Keel cannot run it well: on a CPU (unless {@link #CPU_VARIABLE}
     * is 1) and with a TorchScript body, whose weights live inside the TorchScript module where
     * Keel cannot put float16 copies in their place.
     *
     * @param torchScriptBody the TorchScript file the model's body comes from, or null
     * @param file the config file, for messages
     * @return a line for the run's output, or empty for a float32 run
     * @throws ConfigException (exit 2) when the run cannot use fp16 here
     */
    public static Optional<String> check(TrainConfig train, Device device, String torchScriptBody, String file) {
        return check(train, device, torchScriptBody, file, System.getenv(CPU_VARIABLE));
    }

    static Optional<String> check(TrainConfig train, Device device, String torchScriptBody, String file,
            String cpuVariable) {
        if (!train.mixedPrecision()) {
            return Optional.empty();
        }
        if (torchScriptBody != null) {
            throw ConfigException.at(file, "train.precision", FOUND, TrainConfig.FP32
                    + " with a TorchScript body (model.pretrained: " + torchScriptBody + "): its weights live inside"
                    + " the TorchScript module, where Keel cannot give the forward pass float16 copies of them");
        }
        String line = String.format(java.util.Locale.ROOT, "precision: fp16 · float16 forward and backward,"
                + " float32 master weights and optimizer state, dynamic loss scale from %.0f", train.lossScale());
        if (device.isGpu()) {
            return Optional.of(line);
        }
        if ("1".equals(cpuVariable)) {
            return Optional.of(line + " · on the CPU because " + CPU_VARIABLE + "=1: a check of the arithmetic,"
                    + " float16 is far slower than float32 here");
        }
        throw ConfigException.at(file, "train.precision", FOUND, TrainConfig.FP32 + " on a CPU (this run's device):"
                + " fp16 is for GPUs, float16 convolutions run about 200x slower than float32 on a CPU. Train on a"
                + " machine with a GPU (device: auto or gpu), or leave train.precision at fp32");
    }

    /** The loss scaler of an {@code fp16} run, or empty for a float32 run. */
    public static Optional<LossScaler> lossScaler(TrainConfig train, EventSink events) {
        return train.mixedPrecision()
                ? Optional.of(new LossScaler(train.lossScale(), LossScaler.GROWTH_INTERVAL, events))
                : Optional.empty();
    }

    /** How the loop's steps compute: in mixed precision with {@code scaler}, else in float32. */
    public static StepPrecision step(Optional<LossScaler> scaler, PairList<String, Parameter> parameters) {
        return scaler.<StepPrecision>map(s -> new HalfPrecisionStep(s, parameters)).orElse(StepPrecision.FLOAT32);
    }
}
