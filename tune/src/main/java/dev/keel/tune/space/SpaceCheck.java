package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.tune.study.StudySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a search space against the trainer before any trial starts: every key must be a config
 * key, and every value the space can give (each end of a range, each choice, each fixed value)
 * must pass the trainer's own validation. Its errors name the space's key and the trainer's reason.
 */
public final class SpaceCheck {
    private SpaceCheck() {}

    /**
     * @param config the study's base config
     * @param overrides the user's {@code --set} overrides of it
     * @param space the space to check
     * @param spaceSource the space file's name (or the config's, for a {@code tune:} section), for messages
     * @return the base config with the overrides and the fixed values applied
     * @throws ConfigException naming the first key whose value the trainer refuses
     */
    public static RunConfig check(Path config, List<String> overrides, SearchSpace space, StudySettings settings,
            String spaceSource) {
        List<ConfigLoader.Assignment> base = new ArrayList<>(overrides.stream().map(ConfigLoader.Assignment::set)
                .toList());
        space.fixed().forEach((key, value) -> base.add(new ConfigLoader.Assignment(SearchSpace.assignment(key, value),
                spaceSource + ": fixed." + key)));
        RunConfig fixedConfig = ConfigLoader.loadAssigned(config, base);
        for (Map.Entry<String, Distribution> param : space.params().entrySet()) {
            for (JsonNode value : extremes(param.getValue())) {
                List<ConfigLoader.Assignment> assignments = new ArrayList<>(base);
                assignments.add(new ConfigLoader.Assignment(SearchSpace.assignment(param.getKey(), value),
                        spaceSource + ": params." + param.getKey() + " = " + value));
                ConfigLoader.loadAssigned(config, assignments);
            }
        }
        if (fixedConfig.data().validFraction() <= 0) {
            throw new ConfigException(config + ": data.valid_fraction: found " + fixedConfig.data().validFraction()
                    + ", expected a share above 0: trials are compared on their validation split");
        }
        if (settings.pruner().equals("asha") && settings.graceEpochs() >= fixedConfig.totalEpochs()) {
            throw new ConfigException(spaceSource + ": grace_epochs: found " + settings.graceEpochs()
                    + ", expected fewer than the trials' " + fixedConfig.totalEpochs()
                    + " epochs, or pruner: none (ASHA stops trials at rungs before their last epoch)");
        }
        if (settings.sampler().equals("grid")) {
            space.params().forEach((key, distribution) -> {
                if (!(distribution instanceof Choice) && !(distribution instanceof IntRange)) {
                    throw new ConfigException(spaceSource + ": params." + key + ": a grid needs choice or int values;"
                            + " use sampler: tpe or random for a continuous range");
                }
            });
        }
        return fixedConfig;
    }

    /** The values at the edges of a distribution: what a bad range reveals first. */
    private static List<JsonNode> extremes(Distribution distribution) {
        if (distribution instanceof Uniform u) {
            return List.of(DoubleNode.valueOf(u.low()), DoubleNode.valueOf(u.high()));
        }
        if (distribution instanceof LogUniform l) {
            return List.of(DoubleNode.valueOf(l.low()), DoubleNode.valueOf(l.high()));
        }
        if (distribution instanceof IntRange i) {
            return List.of(LongNode.valueOf(i.low()), LongNode.valueOf(i.high()));
        }
        return ((Choice) distribution).values();
    }
}
