package dev.keel.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A block's parameters as bytes, by name, in the block's order: for comparing weights bit for bit. */
public final class ParameterBytes {
    private ParameterBytes() {}

    /** Each parameter's values as bytes, by name. */
    public static Map<String, byte[]> of(Block block) {
        Map<String, byte[]> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            weights.put(parameter.getKey(), of(parameter.getValue().getArray()));
        }
        return weights;
    }

    /** An array's values as bytes. */
    public static byte[] of(NDArray array) {
        ByteBuffer buffer = array.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
