package dev.keel.trainer.fit;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/** The {@link Gradients} the loop hands its callbacks, made for tests of callbacks outside this package. */
public final class StepGradients {
    private StepGradients() {}

    /** The gradients of {@code parameters} (those with a gradient attached) for a step whose loss was {@code loss}. */
    public static Gradients of(PairList<String, Parameter> parameters, double loss) {
        return new Gradients(parameters, () -> loss);
    }
}
