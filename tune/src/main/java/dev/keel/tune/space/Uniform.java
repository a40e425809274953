package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;

/** A real number drawn evenly from {@code [low, high]}. */
public record Uniform(double low, double high) implements Distribution {
    public Uniform {
        if (!(low < high)) {
            throw new IllegalArgumentException("low must be below high, got low " + low + " and high " + high);
        }
    }

    @Override
    public JsonNode configValue(double internal) {
        return DoubleNode.valueOf(internal);
    }

    @Override
    public boolean contains(double internal) {
        return internal >= low && internal <= high;
    }
}
