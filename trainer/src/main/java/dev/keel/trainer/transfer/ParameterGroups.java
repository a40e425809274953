package dev.keel.trainer.transfer;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.keel.serving.network.TransferBlock;
import dev.keel.trainer.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable parameters of a {@link TransferBlock} split into groups, from the input to the
 * head, each selected by a parameter-name prefix: {@code body} and {@code head} by default. A
 * parameter belongs to the group of the longest prefix it starts with.
 */
public final class ParameterGroups {
    /**
     * One group.
     *
     * @param name the prefix that selects it
     * @param parameters its parameters by name
     */
    public record Group(String name, Map<String, Parameter> parameters) {}

    private ParameterGroups() {}

    /**
     * The groups of {@code block}'s trainable parameters.
     *
     * @param prefixes the configured prefixes, or empty for body and head
     * @throws ConfigException when a prefix selects nothing or a parameter falls in no group
     */
    public static List<Group> of(Block block, List<String> prefixes, String source) {
        List<String> names = prefixes.isEmpty() ? List.of(TransferBlock.BODY, TransferBlock.HEAD) : prefixes;
        Map<String, Map<String, Parameter>> groups = new LinkedHashMap<>();
        names.forEach(name -> groups.put(name, new LinkedHashMap<>()));
        List<String> unmatched = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (!parameter.getValue().requiresGradient()) {
                continue; // running statistics: not trained by the optimizer, in no group
            }
            all.add(parameter.getKey());
            String best = null;
            for (String prefix : names) {
                if (parameter.getKey().startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                    best = prefix;
                }
            }
            if (best == null) {
                unmatched.add(parameter.getKey());
            } else {
                groups.get(best).put(parameter.getKey(), parameter.getValue());
            }
        }
        if (!unmatched.isEmpty()) {
            throw new ConfigException(source + ": finetune.groups: " + unmatched.size() + " parameters match no prefix ("
                    + shortList(unmatched) + "); expected prefixes that cover every trainable parameter: "
                    + shortList(all));
        }
        List<Group> result = new ArrayList<>();
        for (Map.Entry<String, Map<String, Parameter>> group : groups.entrySet()) {
            if (group.getValue().isEmpty()) {
                throw new ConfigException(source + ": finetune.groups: \"" + group.getKey()
                        + "\" selects no trainable parameter; expected prefixes of the names " + shortList(all));
            }
            result.add(new Group(group.getKey(), group.getValue()));
        }
        return result;
    }

    /**
     * fastai's {@code even_mults}: {@code count} rates spread geometrically from {@code lr / lrMult}
     * (the first group) to {@code lr} (the head), as factors on {@code lr}.
     */
    public static double[] discriminativeFactors(double lrMult, int count) {
        double[] factors = new double[count];
        for (int i = 0; i < count; i++) {
            factors[i] = count == 1 ? 1 : Math.pow(lrMult, (double) i / (count - 1) - 1);
        }
        return factors;
    }

    private static String shortList(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 8)) + ", ... (" + names.size() + " in all)";
    }
}
