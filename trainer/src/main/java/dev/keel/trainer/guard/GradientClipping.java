package dev.keel.trainer.guard;

import dev.keel.trainer.config.GuardConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.metrics.EventSink;
import java.util.Map;
import java.util.Optional;

/**
 * Clips gradients by their global L2 norm: when the norm of all gradients together exceeds
 * {@code maxNorm}, every gradient is scaled by {@code maxNorm / norm} (PyTorch's
 * {@code clip_grad_norm_}). Each clip is recorded. Non-finite gradients are left to the divergence guard.
 */
public final class GradientClipping implements Callback {
    private final double maxNorm;
    private final EventSink events;

    public GradientClipping(double maxNorm, EventSink events) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
        this.events = events;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onGradients(LoopState state, Gradients gradients) {
        double norm = gradients.globalNorm();
        if (Double.isFinite(norm) && norm > maxNorm) {
            gradients.scale(maxNorm / norm);
            events.event("clip", state, Map.of("grad_norm", norm, "max_norm", maxNorm));
        }
    }

    /** Clipping as {@code guard.clip_grad_norm} asks for it; nothing when it is 0 (off). */
    public static Optional<GradientClipping> of(GuardConfig guard, EventSink events) {
        return guard.clipGradNorm() > 0 ? Optional.of(new GradientClipping(guard.clipGradNorm(), events))
                : Optional.empty();
    }
}
