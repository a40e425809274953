package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;

/** A positive real number whose logarithm is drawn evenly: each decade of {@code [low, high]} equally likely. */
public record LogUniform(double low, double high) implements Distribution {
    public LogUniform {
        if (!(low > 0)) {
            throw new IllegalArgumentException("low must be above 0 on a log scale, got " + low);
        }
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
