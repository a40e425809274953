package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One of a list of YAML values (numbers, strings, lists such as {@code [16, 32]}), each equally likely. */
public record Choice(List<JsonNode> values) implements Distribution {
    public Choice {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one value");
        }
    }

    @Override
    public JsonNode configValue(double internal) {
        return values.get((int) internal);
    }

    @Override
    public boolean contains(double internal) {
        return internal == Math.rint(internal) && internal >= 0 && internal < values.size();
    }
}
