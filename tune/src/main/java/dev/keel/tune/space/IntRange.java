package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;

/** A whole number in {@code [low, high]}, drawn evenly, or evenly in its logarithm when {@code log}. */
public record IntRange(long low, long high, boolean log) implements Distribution {
    public IntRange {
        if (low >= high) {
            throw new IllegalArgumentException("low must be below high, got low " + low + " and high " + high);
        }
        if (log && low < 1) {
            throw new IllegalArgumentException("low must be at least 1 on a log scale, got " + low);
        }
    }

    @Override
    public JsonNode configValue(double internal) {
        return LongNode.valueOf(Math.round(internal));
    }

    @Override
    public boolean contains(double internal) {
        return internal == Math.rint(internal) && internal >= low && internal <= high;
    }
}
