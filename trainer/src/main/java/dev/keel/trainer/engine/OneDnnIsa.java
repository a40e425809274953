package dev.keel.trainer.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.keel.serving.engine.OneDnnCap;
import dev.keel.serving.network.ChannelsLast;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.CpuCheck;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Applies the {@link IsaChoice} for the model a command is about to run, to this process.
 *
 * <p>oneDNN reads {@code ONEDNN_MAX_CPU_ISA} from the process's environment once, the first time
 * libtorch asks it about the CPU: at the first convolution, and also at the first matrix product.
 * Loading the engine, seeding it and creating or filling arrays do not ask (seen in oneDNN's
 * verbose log). Java cannot change its own environment, so the value is set with the C library's
 * {@code setenv}, through JNA, before the model is built.
 *
 * <p>This class keeps one process-wide fact, mirroring oneDNN's: the first choice applied. A later
 * model in the same process (tests, an application that embeds Keel) is told that first value, with
 * a reason that says when its own choice cannot take effect. What ran in the process before Keel's
 * first model is not known here: an application that runs its own convolutions or matrix products
 * first should set {@code ONEDNN_MAX_CPU_ISA} in the environment.
 */
public final class OneDnnIsa {
    /** The process's first choice: the one piece of process-wide state, as oneDNN keeps one value per process. */
    private static final FirstIsaChoice PROCESS = new FirstIsaChoice(System.getenv(IsaChoice.VARIABLE),
            OneDnnCap::setInNativeEnvironment);

    private OneDnnIsa() {}

    /**
     * Applies the choice for the network {@code model} describes on inputs of {@code inputShape}, for
     * a command that only runs it (evaluate, predict): the per-CPU check's cached verdict when the
     * cache holds every one of its convolution shapes, else the channel rule; no check runs.
     *
     * @return the choice in effect for this process
     */
    public static IsaChoice applyFor(ModelConfig model, Shape inputShape) {
        return apply(choose(model, inputShape, System.getenv(IsaChoice.VARIABLE), CpuCheck.forThisMachine(), false));
    }

    /**
     * Applies the choice for the network {@code model} describes on inputs of {@code inputShape}, for
     * a command that trains it (train, resume, lr-find): its convolutions are checked on this CPU
     * under {@code ALL} against float64 in a child JVM unless the cache holds them ({@link
     * CpuCheck}); when the child cannot run, the channel rule decides and the reason says why.
     *
     * @return the choice in effect for this process
     */
    public static IsaChoice applyCheckedFor(ModelConfig model, Shape inputShape) {
        return apply(choose(model, inputShape, System.getenv(IsaChoice.VARIABLE), CpuCheck.forThisMachine(), true));
    }

    /**
     * The choice for {@code model}: the environment's value when set; the cap for unknown
     * convolutions; no cap without convolutions; else the check's verdict ({@code mayRunCheck}: run
     * the check where the cache lacks a shape; otherwise only a cached verdict counts), falling back
     * to the channel rule.
     */
    static IsaChoice choose(ModelConfig model, Shape inputShape, String environmentValue, CpuCheck check,
            boolean mayRunCheck) {
        Optional<List<Convolution>> found = ModelConvolutions.of(model, inputShape);
        if (environmentValue != null && !environmentValue.isBlank() || found.isEmpty() || found.get().isEmpty()) {
            return IsaChoice.forModel(model, inputShape, environmentValue);
        }
        List<Convolution> convolutions = found.get();
        List<ConvShape> shapes = convolutions.stream().map(convolution -> CpuCheck.shapeOf(convolution.inChannels(),
                convolution.outChannels(), convolution.kernel(), convolution.stride())).toList();
        if (!mayRunCheck) {
            return check.cached(shapes).map(result -> IsaChoice.fromCheck(convolutions, result))
                    .orElseGet(() -> IsaChoice.forConvolutions(convolutions, environmentValue));
        }
        try {
            return IsaChoice.fromCheck(convolutions, check.run(shapes));
        } catch (IOException | RuntimeException e) {
            IsaChoice rule = IsaChoice.forConvolutions(convolutions, environmentValue);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            return new IsaChoice(rule.value(), rule.reason() + " (the check on this CPU did not run: " + why + ")");
        }
    }

    /**
     * Applies the choice for a network whose convolutions are not known before it runs.
     *
     * @param body what the network is, for example {@code the TorchScript body models/net.pt}
     * @return the choice in effect for this process
     */
    public static IsaChoice applyForUnknown(String body) {
        return apply(IsaChoice.forUnknownConvolutions(body, System.getenv(IsaChoice.VARIABLE)));
    }

    /**
     * {@code applied} for a model that runs on {@code device}: on a GPU its convolutions stay NCHW,
     * since the per-CPU check speaks for the CPU's kernels and channels-last is unmeasured on a GPU.
     */
    public static IsaChoice forDevice(IsaChoice applied, Device device) {
        if (!device.isGpu() || !applied.channelsLast()) {
            return applied;
        }
        ChannelsLast.setEnabled(false);
        return new IsaChoice(applied.value(), applied.reason(), false);
    }

    /**
     * Sets {@code wanted} in this process's environment if it is the first choice applied.
     *
     * @return the choice in effect: {@code wanted}, or the first choice when that was another value
     */
    public static IsaChoice apply(IsaChoice wanted) {
        IsaChoice inEffect = PROCESS.apply(wanted);
        // Channels-last only under the value the check verified it for.
        boolean channelsLast = wanted.channelsLast() && inEffect.value().equals(wanted.value());
        ChannelsLast.setEnabled(channelsLast);
        return new IsaChoice(inEffect.value(), inEffect.reason(), channelsLast);
    }
}
