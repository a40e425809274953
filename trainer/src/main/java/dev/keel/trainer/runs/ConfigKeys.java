package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config as dotted keys ({@code optimizer.lr}, {@code model.channels}), in the file's order. A
 * list is one value ({@code [24, 48]}), as {@code --set} gives it.
 */
final class ConfigKeys {
    private ConfigKeys() {}

    static Map<String, JsonNode> flatten(JsonNode config) {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        flatten("", config, keys);
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> keys) {
        if (!node.isObject() || node.isEmpty() && !prefix.isEmpty()) {
            keys.put(prefix, node); // an empty section, such as data.columns: {}, is a value
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
        }
    }

    /** Whether two values are the same; numbers by value, so that 5 and 5.0 are. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            // A floating-point value too large for a double (1.0e400) reads as infinity, which has
            // no decimal value: such values compare as doubles.
            if (!isFinite(a) || !isFinite(b)) {
                return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
            }
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean isFinite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }

    /** A value as YAML's flow style writes it: {@code auto}, {@code 0.003}, {@code [24, 48]}, {@code {}}. */
    static String show(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(show(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value.isObject()) {
            List<String> fields = new ArrayList<>();
            value.fields().forEachRemaining(f -> fields.add(f.getKey() + ": " + show(f.getValue())));
            return "{" + String.join(", ", fields) + "}";
        }
        return value.isNull() ? "null" : value.asText();
    }
}
