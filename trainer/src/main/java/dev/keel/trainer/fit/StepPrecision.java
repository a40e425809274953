package dev.keel.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;

/**
 * How a training step computes: its forward pass, loss and backward pass, and whether the update
 * that follows may go ahead. {@link #FLOAT32} computes in float32 throughout; mixed precision
 * computes in float16 and scales the loss.
 */
public interface StepPrecision {
    /** The forward and backward pass in the parameters' own precision, float32. */
    StepPrecision FLOAT32 = (trainer, batch, scope) -> {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(batch.getData());
            NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
            collector.backward(loss);
            return loss;
        }
    };

    /**
     * Runs the forward pass, the loss and the backward pass of {@code batch}, leaving the float32
     * gradients of the loss itself (unscaled) on the model's parameters.
     *
     * @param scope the step's manager, closed when the step ends
     * @return the batch's loss, in float32
     */
    NDArray forwardBackward(Trainer trainer, Batch batch, NDManager scope);

    /**
     * Whether the step's update must be skipped for a reason of precision alone (a float16
     * overflow), decided after {@link #forwardBackward} and before any callback sees the gradients.
     * A skipped step's gradients are discarded and no {@code onGradients} comes for it.
     */
    default boolean skipsUpdate(LoopState state, Gradients gradients) {
        return false;
    }
}
