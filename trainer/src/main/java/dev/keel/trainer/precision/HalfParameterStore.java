package dev.keel.trainer.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parameters one mixed-precision step's forward pass sees: a float16 copy of each float32
 * weight, made in the step's scope and itself the leaf of the graph (DJL's {@code toType} does not
 * stay in the autograd graph, so the master cannot be), and the normalisation parameters (batch
 * norm's scale, shift and running statistics) as they are, in float32, as PyTorch's autocast keeps
 * them: their running statistics are updated in place.
 */
final class HalfParameterStore extends ParameterStore {
    private final NDManager scope;
    private final Map<Parameter, NDArray> copies = new LinkedHashMap<>();
    private final Set<Parameter> float32 = new LinkedHashSet<>();

    HalfParameterStore(NDManager scope) {
        super(scope, false);
        this.scope = scope;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        NDArray master = parameter.getArray();
        if (staysFloat32(parameter) || master.getDataType() != DataType.FLOAT32) {
            float32.add(parameter);
            return master;
        }
        return copies.computeIfAbsent(parameter, p -> {
            NDArray copy = master.toType(DataType.FLOAT16, true);
            copy.attach(scope);
            if (p.requiresGradient()) {
                copy.setRequiresGradient(true);
            }
            return copy;
        });
    }

    /** Batch norm's parameters: float16 input with float32 scale, shift and statistics is a kernel PyTorch has. */
    static boolean staysFloat32(Parameter parameter) {
        Parameter.Type type = parameter.getType();
        return type == Parameter.Type.GAMMA || type == Parameter.Type.BETA || type == Parameter.Type.RUNNING_MEAN
                || type == Parameter.Type.RUNNING_VAR;
    }

    /** The float16 copies the forward pass used, by their float32 master. */
    Map<Parameter, NDArray> copies() {
        return copies;
    }

    /** The parameters the forward pass used as they are, in float32. */
    Set<Parameter> float32() {
        return float32;
    }
}
