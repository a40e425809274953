package dev.keel.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stable names for a block's parameters. DJL gives each parameter a random id per process; saved
 * state (optimizer moments, checkpoints) must be keyed by the name, which depends only on the
 * architecture.
 */
public final class ParameterNames {
    private ParameterNames() {}

    /** DJL parameter id to stable name, in the block's parameter order. */
    public static Map<String, String> byId(Block block) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            names.put(parameter.getValue().getId(), parameter.getKey());
        }
        return names;
    }

    /** Stable name to DJL parameter id. */
    public static Map<String, String> byName(Block block) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            ids.put(parameter.getKey(), parameter.getValue().getId());
        }
        return ids;
    }
}
