package dev.keel.drift.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the {@code drift:} section of a YAML config into a {@link DriftConfig}, every key not given
 * taking its default. Each error names the file, the key, the value found and what is allowed.
 */
public final class DriftConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final double MAX_JS = Math.sqrt(Math.log(2));
    private static final List<String> KEYS = List.of("share", "numeric_test", "categorical_test", "ks_p",
            "wasserstein", "chi_p", "z_p", "js", "reference_size_limit", "image_sample");

    private DriftConfigFile() {}

    /** Whether {@code file} (YAML) has a {@code drift:} section. */
    public static boolean hasSection(Path file) {
        return !tree(file).path(ConfigLoader.DRIFT_SECTION).isMissingNode();
    }

    /**
     * The {@code drift:} section of {@code file}, defaults where it says nothing (all of them when
     * it has no section).
     *
     * @throws ConfigException naming the file and key, for a file that is not YAML, an unknown key
     *     or a value outside what the key allows
     */
    public static DriftConfig read(Path file) {
        return parse(file.toString(), tree(file).path(ConfigLoader.DRIFT_SECTION));
    }

    /** The {@code drift:} section {@code section} of the file named {@code source} (in messages), as {@link #read}. */
    public static DriftConfig parse(String source, JsonNode section) {
        if (section.isMissingNode() || section.isNull()) {
            return DriftConfig.DEFAULTS;
        }
        if (!section.isObject()) {
            throw ConfigException.at(source, "drift", section.toString(), "a section of keys (" + String.join(", ",
                    KEYS) + ")");
        }
        for (Iterator<String> names = section.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw ConfigException.at(source, "drift." + name, section.get(name).toString(), "one of the keys "
                        + String.join(", ", KEYS));
            }
        }
        Reader reader = new Reader(source, section);
        DriftConfig d = DriftConfig.DEFAULTS;
        return new DriftConfig(
                reader.number("share", d.share(), 0, false, 1, true, "a share in (0, 1]"),
                reader.choice("numeric_test", d.numericTest(), DriftConfig.NumericTest.values(),
                        DriftConfig.NumericTest::label),
                reader.choice("categorical_test", d.categoricalTest(), DriftConfig.CategoricalTest.values(),
                        DriftConfig.CategoricalTest::label),
                reader.number("ks_p", d.ksP(), 0, false, 1, false, "a p-value in (0, 1)"),
                reader.number("wasserstein", d.wasserstein(), 0, false, Double.MAX_VALUE, true,
                        "a positive distance in standard deviations"),
                reader.number("chi_p", d.chiP(), 0, false, 1, false, "a p-value in (0, 1)"),
                reader.number("z_p", d.zP(), 0, false, 1, false, "a p-value in (0, 1)"),
                reader.number("js", d.js(), 0, false, MAX_JS, true,
                        String.format(Locale.ROOT, "a distance in (0, %.4f] (sqrt(ln 2))", MAX_JS)),
                reader.integer("reference_size_limit", d.referenceSizeLimit(), 0),
                reader.integer("image_sample", d.imageSample(), 1));
    }

    private static JsonNode tree(Path file) {
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || tree.isMissingNode()) {
                return YAML.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new ConfigException(file + ": is not a YAML mapping of sections");
            }
            return tree;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read as YAML: " + String.valueOf(e.getMessage()).lines()
                    .findFirst().orElse(""));
        }
    }

    /** Reads the keys of one section, each with its default. */
    private record Reader(String source, JsonNode section) {
        double number(String key, double fallback, double low, boolean lowIncluded, double high,
                boolean highIncluded, String expected) {
            JsonNode node = section.get(key);
            if (node == null) {
                return fallback;
            }
            double value = node.asDouble();
            boolean inside = node.isNumber() && (lowIncluded ? value >= low : value > low)
                    && (highIncluded ? value <= high : value < high);
            if (!inside) {
                throw ConfigException.at(source, "drift." + key, node.toString(), expected);
            }
            return value;
        }

        int integer(String key, int fallback, int low) {
            JsonNode node = section.get(key);
            if (node == null) {
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < low) {
                throw ConfigException.at(source, "drift." + key, node.toString(), "a whole number of at least "
                        + low);
            }
            return node.asInt();
        }

        <E extends Enum<E>> E choice(String key, E fallback, E[] values, Function<E, String> label) {
            JsonNode node = section.get(key);
            if (node == null) {
                return fallback;
            }
            Map<String, E> byLabel = Arrays.stream(values).collect(Collectors.toMap(label, v -> v));
            E value = node.isTextual() ? byLabel.get(node.asText()) : null;
            if (value == null) {
                throw ConfigException.at(source, "drift." + key, node.toString(), "one of " + Arrays.stream(values)
                        .map(label).collect(Collectors.joining(", ")));
            }
            return value;
        }
    }
}
