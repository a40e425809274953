package dev.keel.trainer.engine;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.serving.network.ChannelsLast;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.isa.CheckedShape;
import dev.keel.trainer.isa.CpuCheck;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cap on the instruction sets oneDNN's CPU kernels may use ({@code ONEDNN_MAX_CPU_ISA}) for one
 * model, and why. libtorch 2.7.1's oneDNN AVX-512 convolutions gave NaN where a convolution's input
 * channels were not a multiple of 16, and its AVX2 kernels are correct; so a model runs uncapped
 * (the fastest kernels) only when every convolution it has reads a multiple of 16 channels, and
 * under AVX2 otherwise, or when its convolutions are not known. A value the user set in the
 * environment always wins. The choice is a pure function of the model; {@link OneDnnIsa} applies it.
 *
 * @param value what {@code ONEDNN_MAX_CPU_ISA} is set to: {@link #NO_CAP}, {@link #CAP} or the
 *     environment's value
 * @param reason one line, for example {@code conv 24 -> 48 (3x3, stride 1): input channels not a
 *     multiple of 16}
 * @param channelsLast whether the model's convolutions run channels-last ({@link ChannelsLast}):
 *     only when the per-CPU check found them correct that way under this value; otherwise in
 *     NCHW, the order whose AVX2 kernels have been right on every CPU measured (oneDNN's
 *     channels-last AVX2 kernel for 1x1 stride-2 convolutions of 1- or 3-channel inputs gives wrong
 *     weight gradients)
 */
public record IsaChoice(String value, String reason, boolean channelsLast) {
    /** A choice whose convolutions run in NCHW order. */
    public IsaChoice(String value, String reason) {
        this(value, reason, false);
    }

    /** The environment variable oneDNN reads. */
    public static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    /** No cap: oneDNN runs the best kernels the CPU has. */
    public static final String NO_CAP = "ALL";
    /** The cap for convolutions the AVX-512 kernels got wrong. */
    public static final String CAP = "AVX2";
    /** The reason of a value the user set. */
    public static final String FROM_ENVIRONMENT = "set in the environment";
    /** The provenance.json key of the value. */
    public static final String PROVENANCE_VALUE = "onednn_max_cpu_isa";
    /** The provenance.json key of the reason. */
    public static final String PROVENANCE_REASON = "onednn_isa_reason";
    /** The provenance.json key of whether the convolutions ran channels-last. */
    public static final String PROVENANCE_CHANNELS_LAST = "channels_last";

    /** Input channels that are a multiple of this were not implicated. */
    static final int SAFE_CHANNEL_MULTIPLE = 16;

    /**
     * The choice for the network {@code model} describes, on inputs of {@code inputShape}.
     *
     * @param environmentValue {@code ONEDNN_MAX_CPU_ISA} as the process's environment has it, or null
     */
    public static IsaChoice forModel(ModelConfig model, Shape inputShape, String environmentValue) {
        Optional<List<Convolution>> convolutions = ModelConvolutions.of(model, inputShape);
        return convolutions.isPresent() ? forConvolutions(convolutions.get(), environmentValue)
                : forUnknownConvolutions("model.arch " + model.arch(), environmentValue);
    }

    /**
     * The choice for a network with these convolutions: no cap when there are none or every one
     * reads a multiple of 16 channels; else the cap, naming the first convolution that does not.
     */
    public static IsaChoice forConvolutions(List<Convolution> convolutions, String environmentValue) {
        if (isSet(environmentValue)) {
            return new IsaChoice(environmentValue, FROM_ENVIRONMENT);
        }
        for (Convolution convolution : convolutions) {
            if (convolution.inChannels() % SAFE_CHANNEL_MULTIPLE != 0) {
                return new IsaChoice(CAP, convolution.label() + ": input channels not a multiple of "
                        + SAFE_CHANNEL_MULTIPLE);
            }
        }
        return new IsaChoice(NO_CAP, convolutions.isEmpty() ? "no convolution"
                : "every convolution's input channels are a multiple of " + SAFE_CHANNEL_MULTIPLE);
    }

    /**
     * The choice for a network whose convolutions are not known before it runs: the cap.
     *
     * @param body what the network is, for example {@code the TorchScript body models/net.pt}
     */
    public static IsaChoice forUnknownConvolutions(String body, String environmentValue) {
        if (isSet(environmentValue)) {
            return new IsaChoice(environmentValue, FROM_ENVIRONMENT);
        }
        return new IsaChoice(CAP, body + ": its convolutions are not known before it runs");
    }

    /**
     * The choice the per-CPU check's verdict makes for a network with these convolutions: no cap when
     * every one matched float64 under {@code ALL}, else the cap, naming the first that did not.
     *
     * @param result the check of {@code convolutions}' shapes, in the same order
     */
    public static IsaChoice fromCheck(List<Convolution> convolutions, CpuCheck.Result result) {
        for (int i = 0; i < convolutions.size(); i++) {
            CheckedShape shape = result.shapes().get(i);
            if (!shape.passes(CpuCheck.TOLERANCE)) {
                String how = shape.nonFinite() > 0 ? "gives NaN/Inf (" + shape.nonFinite() + " values)"
                        : String.format(Locale.ROOT, "differs from float64 by %.1e", shape.worst());
                return new IsaChoice(CAP, "checked on this CPU: " + convolutions.get(i).label() + " " + how
                        + " under " + NO_CAP + " channels-last; running NCHW");
            }
        }
        long distinct = result.shapes().stream().map(CheckedShape::shape).distinct().count();
        String when = result.cached()
                ? "cached, " + result.checkedAt().substring(0, Math.min(10, result.checkedAt().length()))
                : String.format(Locale.ROOT, "checked in %.1f s", result.seconds());
        return new IsaChoice(NO_CAP, "checked on this CPU: " + distinct + " convolution shape"
                + (distinct == 1 ? "" : "s") + " match" + (distinct == 1 ? "es" : "") + " float64 channels-last ("
                + when + ")", true);
    }

    /** Writes {@code onednn_max_cpu_isa}, {@code onednn_isa_reason} and {@code channels_last} into {@code json}. */
    public void putInto(ObjectNode json) {
        json.put(PROVENANCE_VALUE, value);
        json.put(PROVENANCE_REASON, reason);
        json.put(PROVENANCE_CHANNELS_LAST, channelsLast);
    }

    /** For example {@code ONEDNN_MAX_CPU_ISA=AVX2 · conv 1 -> 24 (3x3, stride 1): input channels ...}. */
    public String describe() {
        return VARIABLE + "=" + value + " · " + reason;
    }

    private static boolean isSet(String environmentValue) {
        return environmentValue != null && !environmentValue.isBlank();
    }
}
