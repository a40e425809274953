package dev.keel.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that ran but whose end the loop has not announced yet, because their losses are still
 * on the device: each loss is kept (detached from the step's graph, in a manager of its own) until
 * the loop reads them all back with one transfer.
 */
final class PendingSteps implements AutoCloseable {
    private final NDManager manager;
    private final List<Step> steps = new ArrayList<>();

    PendingSteps(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** A step whose loss stays on the device until {@link #losses} or {@link Step#loss()} reads it. */
    Step keep(NDArray loss) {
        NDArray kept = loss.stopGradient();
        kept.attach(manager);
        return new Step(kept, Double.NaN);
    }

    void add(Step step) {
        steps.add(step);
    }

    /** The steps not yet ended, oldest first; the list is emptied. */
    List<Step> takeAll() {
        List<Step> taken = List.copyOf(steps);
        steps.clear();
        return taken;
    }

    /** Every step's loss, read back from the device at once where they are still there. */
    static double[] losses(List<Step> steps) {
        double[] losses = new double[steps.size()];
        List<NDArray> onDevice = new ArrayList<>();
        for (Step step : steps) {
            if (step.array != null && !step.read) {
                onDevice.add(step.array);
            }
        }
        if (onDevice.size() > 1) {
            try (NDArray stacked = NDArrays.stack(new NDList(onDevice))) {
                float[] values = stacked.toFloatArray();
                int next = 0;
                for (Step step : steps) {
                    if (step.array != null && !step.read) {
                        step.value = values[next++];
                        step.read = true;
                    }
                }
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            losses[i] = steps.get(i).loss();
            steps.get(i).release();
        }
        return losses;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** One step: its loss (on the device or read) and what the loop state was while it ran. */
    static final class Step {
        private final NDArray array;
        private double value;
        private boolean read;
        private int epoch;
        private int stepInEpoch;
        private double learningRate;
        private double momentum;
        private List<GroupRate> groupRates = List.of();
        private double seconds;

        private Step(NDArray array, double value) {
            this.array = array;
            this.value = value;
            this.read = array == null;
        }

        /** A step whose loss is read now. */
        static Step read(NDArray loss) {
            return new Step(null, loss.getFloat());
        }

        /** Records where the step ran (the loop state as it is now) and how long it took. */
        Step ranAt(LoopState state, double seconds) {
            this.epoch = state.epoch();
            this.stepInEpoch = state.stepInEpoch();
            this.learningRate = state.learningRate();
            this.momentum = state.momentum();
            this.groupRates = state.groupRates();
            this.seconds = seconds;
            return this;
        }

        /** The loss, read from the device on first use. */
        double loss() {
            if (!read) {
                value = array.getFloat();
                read = true;
            }
            return value;
        }

        double seconds() {
            return seconds;
        }

        /** Puts the loop state back to where this step ran, for its {@code onStepEnd}. */
        void restore(LoopState state) {
            state.moveTo(epoch, stepInEpoch);
            state.setHyperParameters(learningRate, momentum);
            state.setGroupRates(groupRates);
        }

        private void release() {
            if (array != null) {
                array.close();
            }
        }
    }
}
