package dev.keel.tune.sampler;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import dev.keel.tune.study.TrialState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Trials and search spaces for the sampler tests. */
final class Histories {
    private Histories() {
    }

    /** One key of every kind of distribution. */
    static Map<String, Distribution> mixedSpace() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("optimizer.lr", new LogUniform(1e-5, 1));
        space.put("optimizer.momentum", new Uniform(0.5, 0.99));
        space.put("model.width", new IntRange(16, 512, true));
        space.put("model.depth", new IntRange(1, 8, false));
        space.put("optimizer.name", new Choice(List.of(TextNode.valueOf("sgd"), TextNode.valueOf("adam"),
                TextNode.valueOf("adamw"))));
        return space;
    }

    static TrialHistory complete(int number, Map<String, Double> params, double value) {
        return new TrialHistory(number, params, TrialState.COMPLETE, value, new TreeMap<>());
    }

    static TrialHistory running(int number, Map<String, Double> params) {
        return new TrialHistory(number, params, TrialState.RUNNING, null, new TreeMap<>());
    }

    /** A trial in {@code state} with the intermediate values {@code epochsAndValues} (epoch, value, ...). */
    static TrialHistory stopped(TrialState state, int number, double... epochsAndValues) {
        SortedMap<Integer, Double> intermediate = new TreeMap<>();
        for (int i = 0; i < epochsAndValues.length; i += 2) {
            intermediate.put((int) epochsAndValues[i], epochsAndValues[i + 1]);
        }
        return new TrialHistory(number, Map.of("x", (double) number), state, null, intermediate);
    }
}
