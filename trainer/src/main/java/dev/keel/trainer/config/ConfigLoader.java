package dev.keel.trainer.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a {@link RunConfig}: the user's YAML, with {@code --set key.path=value} overrides applied,
 * merged over Keel's defaults, bound to records and validated.
 *
 * <p>Every problem becomes a {@link ConfigException} naming the file, the key path, the value found
 * and what is allowed.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "/dev/keel/trainer/config/defaults.yaml";
    private static final String FINETUNE_DEFAULTS = "/dev/keel/trainer/config/finetune-defaults.yaml";

    private static final ObjectMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .stringQuotingChecker(new NumberLikeQuoting())
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");
    private static final Pattern NOT_A_FINITE_NUMBER = Pattern.compile("Malformed numeric value '(.*?)'");

    /** The section {@code keel tune} reads its search space from; runs ignore it. */
    public static final String TUNE_SECTION = "tune";

    /** The section {@code keel drift} reads its tests and thresholds from; runs ignore it. */
    public static final String DRIFT_SECTION = "drift";

    private ConfigLoader() {}

    /**
     * One {@code key.path=value} override and how the user gave it, for messages: {@code --set
     * KEY=VALUE}, or a command's own option such as {@code --steps 0}.
     *
     * @param assignment {@code key.path=value}
     * @param option the option as given on the command line
     */
    public record Assignment(String assignment, String option) {
        /** An override given as {@code --set assignment}. */
        public static Assignment set(String assignment) {
            return new Assignment(assignment, "--set " + assignment);
        }
    }

    /**
     * Loads and validates a config file.
     *
     * @param overrides {@code key.path=value} strings; the value is read as YAML ({@code 0.1},
     *     {@code [16, 32]}, {@code null}, {@code adamw})
     * @throws ConfigException when the file, an override or a value is not valid
     */
    public static RunConfig load(Path file, List<String> overrides) {
        return loadAssigned(file, overrides.stream().map(Assignment::set).toList());
    }

    /** Loads and validates a config file with overrides that name the option they came from. */
    public static RunConfig loadAssigned(Path file, List<Assignment> overrides) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigException(source + ": is a folder (expected a YAML config file)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(source + ": config file not found");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        return fromTree(source, readMapping(source, text), overrides);
    }

    /** Loads a config from YAML text; {@code source} names it in messages. */
    public static RunConfig fromYaml(String source, String yaml, List<String> overrides) {
        return fromTree(source, readMapping(source, yaml), overrides.stream().map(Assignment::set).toList());
    }

    /** The user's config: one YAML document holding a mapping, or nothing (all defaults). */
    private static ObjectNode readMapping(String source, String yaml) {
        JsonNode user;
        try (JsonParser parser = YAML.createParser(yaml)) {
            user = YAML.readTree(parser);
            if (user != null && parser.nextToken() != null) {
                throw new ConfigException(source + ": holds several YAML documents (a second one starts at line "
                        + parser.currentLocation().getLineNr() + "); expected one");
            }
        } catch (JsonProcessingException e) {
            throw yamlError(source, e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot be read: " + e.getMessage());
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!user.isObject()) {
            throw new ConfigException(source + ": expected a mapping of keys to values at the top level");
        }
        return (ObjectNode) user;
    }

    /**
     * A YAML syntax error as one line naming the key it is under where the parser knows it: a key
     * given twice, a number that is not finite ({@code .nan}, {@code .inf}), or any other error with
     * its line and column.
     */
    private static ConfigException yamlError(String source, JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        String key = e instanceof StreamReadException read && read.getProcessor() != null
                ? keyPath(read.getProcessor().getParsingContext()) : "";
        String at = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        Matcher duplicate = DUPLICATE_KEY.matcher(original);
        if (duplicate.find()) {
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.') + 1) : "";
            return new ConfigException(source + ": " + parent + duplicate.group(1) + ": given twice" + at
                    + "; expected each key once (YAML keeps only the last, so one of them would be ignored)");
        }
        Matcher malformed = NOT_A_FINITE_NUMBER.matcher(original);
        if (malformed.find() && !key.isEmpty()) {
            return new ConfigException(source + ": " + key + ": found " + malformed.group(1) + at
                    + ", expected a finite number");
        }
        return new ConfigException(source + ": not valid YAML: " + original + at);
    }

    /** The dotted key path of a parser's position. */
    private static String keyPath(JsonStreamContext context) {
        List<String> names = new ArrayList<>();
        for (JsonStreamContext c = context; c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                names.add(0, c.getCurrentName());
            }
        }
        return String.join(".", names);
    }

    /** The config as YAML with every key present: what a run directory's config.yaml holds. */
    public static String toYaml(RunConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunConfig fromTree(String source, ObjectNode user, List<Assignment> overrides) {
        // keel tune's search space may live in the config; it describes many runs, not this one.
        user.remove(TUNE_SECTION);
        // keel drift's tests and thresholds may live in the config; they describe later checks, not this run.
        user.remove(DRIFT_SECTION);
        Map<String, String> overridden = new LinkedHashMap<>();
        for (Assignment override : overrides) {
            String origin = source + " (" + override.option() + ")";
            String assignment = override.assignment();
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(origin + ": expected key.path=value");
            }
            String key = assignment.substring(0, eq).trim();
            JsonNode value = parseValue(origin, key, assignment.substring(eq + 1));
            if (key.equals("finetune") && value.isNull()) {
                user.remove("finetune"); // --set finetune=null turns the recipe off
            } else {
                apply(origin, user, key, value);
            }
            overridden.put(key, override.option());
        }
        ObjectNode merged = defaults(DEFAULTS);
        merge(source, "", merged, user, overridden);
        if (user.has("finetune")) {
            // A section with defaults of its own, present only when given: "finetune:" alone means fastai's recipe.
            JsonNode given = user.get("finetune");
            ObjectNode finetune = defaults(FINETUNE_DEFAULTS);
            if (given.isObject()) {
                merge(source, "finetune.", finetune, given, overridden);
            } else if (!given.isNull() && !(given.isTextual() && given.asText().isEmpty())) {
                throw new ConfigException(where(source, "finetune", overridden) + ": found " + show(given)
                        + ", expected a section of keys (or nothing, for fastai's fine_tune defaults)");
            }
            merged.set("finetune", finetune);
        }
        RunConfig config;
        try {
            config = YAML.treeToValue(merged, RunConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = keyPath(e);
            String known = e.getKnownPropertyIds().stream().map(Object::toString)
                    .map(ConfigLoader::snake).collect(Collectors.toCollection(TreeSet::new)).toString();
            throw new ConfigException(where(source, key, overridden) + ": unknown key (expected one of "
                    + known.substring(1, known.length() - 1) + ")");
        } catch (JsonMappingException e) {
            String key = keyPath(e);
            JsonNode found = merged.at(pointer(key));
            String expected = e instanceof InvalidNullException ? "a value, not null" : describe(e);
            throw new ConfigException(where(source, key, overridden) + ": found " + show(found) + ", expected "
                    + expected);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + firstLine(e));
        }
        try {
            ConfigValidator.validate(config);
        } catch (ConfigValidator.Invalid e) {
            throw new ConfigException(where(source, e.key(), overridden) + ": found " + e.found()
                    + ", expected " + e.expected());
        }
        return config;
    }

    private static String where(String source, String key, Map<String, String> overridden) {
        for (Map.Entry<String, String> entry : overridden.entrySet()) {
            if (key.equals(entry.getKey()) || key.startsWith(entry.getKey() + ".")
                    || key.startsWith(entry.getKey() + "[") || entry.getKey().startsWith(key + ".")) {
                return source + " (" + entry.getValue() + "): " + key;
            }
        }
        return source + ": " + key;
    }

    private static ObjectNode defaults(String resource) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Keel's defaults are missing from its jar", e);
        }
    }

    /**
     * Deep merge: objects merge key by key, anything else replaces. A section (a key whose default
     * is a mapping) cannot be replaced by null: {@code model: null} is an error, not "no model".
     */
    private static void merge(String source, String prefix, ObjectNode target, JsonNode update,
            Map<String, String> overridden) {
        Iterator<Map.Entry<String, JsonNode>> fields = update.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            String key = prefix + field.getKey();
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge(source, key + ".", (ObjectNode) existing, field.getValue(), overridden);
            } else if (existing != null && existing.isObject()
                    && (field.getValue().isNull() || field.getValue().asText().equals("") && field.getValue().isTextual())) {
                // "data:" with nothing after it reads as an empty string.
                throw new ConfigException(where(source, key, overridden) + ": found "
                        + (field.getValue().isNull() ? "null" : "nothing")
                        + ", expected a section of keys (leave the key out for its defaults)");
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    /** @param origin the config file and the override, for messages */
    private static JsonNode parseValue(String origin, String key, String text) {
        if (text.isBlank()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            JsonNode value = YAML.readTree(text);
            return value == null || value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value;
        } catch (JsonProcessingException e) {
            Matcher malformed = NOT_A_FINITE_NUMBER.matcher(String.valueOf(e.getOriginalMessage()));
            if (malformed.find()) {
                throw new ConfigException(origin + ": " + key + ": found " + malformed.group(1)
                        + ", expected a finite number");
            }
            throw new ConfigException(origin + ": the value is not valid YAML: " + firstLine(e));
        }
    }

    private static void apply(String origin, ObjectNode root, String key, JsonNode value) {
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new ConfigException(origin + ": " + String.join(".", List.of(parts).subList(0, i + 1))
                        + " is a value, not a section of keys");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (key.length() > 0) {
                    key.append('.');
                }
                key.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String pointer(String key) {
        return "/" + key.replace(".", "/").replaceAll("\\[(\\d+)]", "/$1");
    }

    private static String describe(JsonMappingException e) {
        Class<?> type = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
                ? m.getTargetType() : null;
        if (type == null && e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException c) {
            // A number too large for its key's type, such as train.epochs: 3000000000.
            type = c.getTargetType();
            if (type == int.class || type == Integer.class) {
                return "an integer up to " + Integer.MAX_VALUE;
            }
            if (type == long.class || type == Long.class) {
                return "an integer up to " + Long.MAX_VALUE;
            }
        }
        if (type == null) {
            return "a different kind of value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == LearningRate.class) {
            return LearningRate.EXPECTED;
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list such as [32, 64]";
        }
        if (type.isRecord()) {
            return "a section of keys";
        }
        return "a " + type.getSimpleName();
    }

    static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            return "\"" + node.asText() + "\"";
        }
        if (node.isObject()) {
            return "a section of keys";
        }
        return node.toString();
    }

    private static String snake(String name) {
        return PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(name);
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof JsonProcessingException j) {
            message = String.valueOf(j.getOriginalMessage()).lines().findFirst().orElse("");
            if (j.getLocation() != null) {
                message += " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            }
        }
        return message.lines().findFirst().orElse(message);
    }

    /**
     * Quotes, besides what YAML always needs quoted, every string a YAML reader could take for a
     * number ({@code 1.50}, {@code 1e3}, {@code 007}, {@code .inf}), so that a name such as
     * {@code "1.50"} comes back from config.yaml as that string, not as the number 1.5.
     */
    private static final class NumberLikeQuoting extends StringQuotingChecker.Default {
        private static final Pattern NUMBER_LIKE = Pattern.compile("[-+]?\\.?[0-9].*|[-+]?\\.(inf|nan)",
                Pattern.CASE_INSENSITIVE);

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || NUMBER_LIKE.matcher(value).matches();
        }
    }
}
