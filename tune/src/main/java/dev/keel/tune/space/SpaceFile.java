package dev.keel.tune.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keel.trainer.config.ConfigException;
import dev.keel.tune.study.Direction;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.StudySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a search space: a YAML file given with {@code --space}, or the {@code tune:} section of the
 * config. Every error names the file and the key, and says what was expected.
 *
 * <pre>
 * trials: 16
 * objective: valid_accuracy     # or valid_loss
 * sampler: tpe                  # tpe | random | grid
 * multivariate: true            # tpe: all keys in one estimator (Optuna 5's default), false: one per key
 * pruner: asha                  # asha | none
 * params:
 *   optimizer.lr: {loguniform: [1.0e-5, 1.0]}
 *   optimizer.weight_decay: {uniform: [0.0, 0.1]}
 *   model.channels: {choice: [[16, 32], [24, 48]]}
 *   data.batch_size: {int: [32, 256], log: true}
 * fixed:
 *   train.epochs: 5
 * </pre>
 */
public final class SpaceFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("trials", "objective", "direction", "sampler", "pruner",
            "grace_epochs", "reduction", "seed", "parallel", "params", "fixed", "multivariate");
    private static final Set<String> SAMPLERS = Set.of("tpe", "random", "grid");
    private static final Set<String> PRUNERS = Set.of("asha", "none");
    private static final Set<String> KINDS = Set.of("uniform", "loguniform", "int", "choice");

    /** A space and the study's settings as the file gives them. */
    public record Spec(SearchSpace space, StudySettings settings) {}

    private final String source;

    private SpaceFile(String source) {
        this.source = source;
    }

    /** Reads the space file {@code file}. */
    public static Spec read(Path file) {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(source + ": space file not found");
        }
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        return new SpaceFile(source).parse(root, "");
    }

    /** Reads the {@code tune:} section of the config {@code config}; empty when it has none. */
    public static java.util.Optional<Spec> fromConfig(Path config) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(config));
        } catch (IOException e) {
            return java.util.Optional.empty(); // the config loader says what is wrong with it
        }
        if (root == null || !root.has("tune")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SpaceFile(config.toString()).parse(root.get("tune"), "tune."));
    }

    private Spec parse(JsonNode root, String prefix) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": " + (prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1)
                    + ": ") + "expected a mapping with params (and trials, objective, sampler, pruner ...)");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw error(prefix + name, "unknown key (expected one of " + String.join(", ", KEYS.stream().sorted().toList())
                        + ")");
            }
        }
        String metric = text(root, prefix, "objective", "valid_accuracy", Set.copyOf(Objective.METRICS));
        String directionText = text(root, prefix, "direction", Objective.naturalDirection(metric) == Direction.MAXIMIZE
                ? "max" : "min", Set.of("max", "min"));
        Direction direction = directionText.equals("max") ? Direction.MAXIMIZE : Direction.MINIMIZE;
        Map<String, Distribution> params = params(root.get("params"), prefix + "params");
        Map<String, JsonNode> fixed = fixed(root.get("fixed"), prefix + "fixed", params.keySet());
        String sampler = text(root, prefix, "sampler", "tpe", SAMPLERS);
        StudySettings settings = new StudySettings(
                (int) number(root, prefix, "trials", 20, 1, 100_000),
                new Objective(metric, direction),
                sampler,
                bool(root, prefix, "multivariate", true),
                text(root, prefix, "pruner", "asha", PRUNERS),
                (int) number(root, prefix, "grace_epochs", 1, 1, 10_000),
                (int) number(root, prefix, "reduction", 4, 2, 100),
                number(root, prefix, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE),
                (int) number(root, prefix, "parallel", 1, 1, 256));
        return new Spec(new SearchSpace(params, fixed), settings);
    }

    private Map<String, Distribution> params(JsonNode node, String key) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw error(key, "found " + show(node) + ", expected a mapping of config keys to distributions, e.g."
                    + " optimizer.lr: {loguniform: [1.0e-5, 1.0]}");
        }
        Map<String, Distribution> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            params.put(field.getKey(), distribution(key + "." + field.getKey(), field.getValue()));
        }
        return params;
    }

    private Distribution distribution(String key, JsonNode node) {
        String expected = "a distribution: {uniform: [low, high]}, {loguniform: [low, high]}, {int: [low, high]}"
                + " (with log: true), or {choice: [value, ...]}";
        if (node == null || !node.isObject()) {
            throw error(key, "found " + show(node) + ", expected " + expected);
        }
        List<String> kinds = new ArrayList<>();
        node.fieldNames().forEachRemaining(kinds::add);
        List<String> given = kinds.stream().filter(KINDS::contains).toList();
        List<String> unknown = kinds.stream().filter(k -> !KINDS.contains(k) && !k.equals("log")).toList();
        if (given.size() != 1 || !unknown.isEmpty()) {
            throw error(key, "found " + show(node) + ", expected " + expected);
        }
        String kind = given.get(0);
        JsonNode args = node.get(kind);
        if (node.has("log") && !kind.equals("int")) {
            throw error(key + ".log", "only int takes log: true (use loguniform for real numbers)");
        }
        if (kind.equals("choice")) {
            if (!args.isArray() || args.isEmpty()) {
                throw error(key + ".choice", "found " + show(args) + ", expected a non-empty list of values");
            }
            List<JsonNode> values = new ArrayList<>();
            args.forEach(values::add);
            return new Choice(values);
        }
        if (!args.isArray() || args.size() != 2 || !args.get(0).isNumber() || !args.get(1).isNumber()) {
            throw error(key + "." + kind, "found " + show(args) + ", expected [low, high], two numbers");
        }
        double low = args.get(0).asDouble();
        double high = args.get(1).asDouble();
        if (!(low < high)) {
            throw error(key + "." + kind, "found low " + show(args.get(0)) + " and high " + show(args.get(1))
                    + ", expected low below high (an empty range has nothing to search)");
        }
        switch (kind) {
            case "uniform":
                return new Uniform(low, high);
            case "loguniform":
                if (low <= 0) {
                    throw error(key + ".loguniform", "found low " + show(args.get(0))
                            + ", expected a number above 0 (a log scale has no zero)");
                }
                return new LogUniform(low, high);
            default:
                if (!args.get(0).canConvertToExactIntegral() || !args.get(1).canConvertToExactIntegral()) {
                    throw error(key + ".int", "found " + show(args) + ", expected two whole numbers");
                }
                JsonNode log = node.get("log");
                if (log != null && !log.isBoolean()) {
                    throw error(key + ".log", "found " + show(log) + ", expected true or false");
                }
                boolean isLog = log != null && log.asBoolean();
                if (isLog && low < 1) {
                    throw error(key + ".int", "found low " + show(args.get(0)) + ", expected at least 1 with log: true");
                }
                return new IntRange(args.get(0).asLong(), args.get(1).asLong(), isLog);
        }
    }

    private Map<String, JsonNode> fixed(JsonNode node, String key, Set<String> searched) {
        Map<String, JsonNode> fixed = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return fixed;
        }
        if (!node.isObject()) {
            throw error(key, "found " + show(node) + ", expected a mapping of config keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (searched.contains(field.getKey())) {
                throw error(key + "." + field.getKey(), "is also searched under params; expected each key in one place");
            }
            fixed.put(field.getKey(), field.getValue());
        }
        return fixed;
    }

    private String text(JsonNode root, String prefix, String key, String fallback, Set<String> allowed) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        String value = node.asText().toLowerCase(Locale.ROOT);
        if (!node.isTextual() || !allowed.contains(value)) {
            throw error(prefix + key, "found " + show(node) + ", expected one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private boolean bool(JsonNode root, String prefix, String key, boolean fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error(prefix + key, "found " + show(node) + ", expected true or false");
        }
        return node.asBoolean();
    }

    private long number(JsonNode root, String prefix, String key, long fallback, long min, long max) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < min || node.asLong() > max) {
            throw error(prefix + key, "found " + show(node) + ", expected a whole number"
                    + (min > Long.MIN_VALUE ? " from " + min + " to " + max : ""));
        }
        return node.asLong();
    }

    private ConfigException error(String key, String message) {
        return new ConfigException(source + ": " + key + ": " + message);
    }

    private static String show(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.toString();
    }
}
