package dev.keel.trainer.optim;

import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * Everything an optimizer needs to continue exactly where it stopped.
 *
 * @param arrays state arrays (moments, momentum buffers), each named {@code <parameter>/<state>}
 * @param steps the update count of each parameter, by parameter name
 * @param learningRate the learning rate at export
 * @param momentum the momentum (sgd) or beta1 (adam) at export
 */
public record OptimizerState(NDList arrays, Map<String, Integer> steps, double learningRate, double momentum) {}
