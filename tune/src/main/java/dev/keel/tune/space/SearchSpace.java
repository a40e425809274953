package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters a study searches, by config key path ({@code optimizer.lr}), and the
 * overrides every trial gets.
 *
 * @param params the searched keys and their distributions, in the order the space file gives them
 * @param fixed keys every trial sets to the same value
 */
public record SearchSpace(Map<String, Distribution> params, Map<String, JsonNode> fixed) {
    public SearchSpace {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    /** The {@code key=value} overrides of a trial with {@code values} (internal form), fixed ones first. */
    public List<String> overrides(Map<String, Double> values) {
        List<String> overrides = new ArrayList<>();
        fixed.forEach((key, value) -> overrides.add(assignment(key, value)));
        params.forEach((key, distribution) -> overrides.add(assignment(key, distribution.configValue(values.get(key)))));
        return overrides;
    }

    /** The config values of a trial with {@code values} (internal form), by key. */
    public Map<String, JsonNode> configValues(Map<String, Double> values) {
        Map<String, JsonNode> config = new LinkedHashMap<>();
        params.forEach((key, distribution) -> config.put(key, distribution.configValue(values.get(key))));
        return config;
    }

    /** {@code key=value} with the value as YAML flow text (JSON is YAML): {@code model.channels=[16,32]}. */
    public static String assignment(String key, JsonNode value) {
        return key + "=" + value.toString();
    }
}
