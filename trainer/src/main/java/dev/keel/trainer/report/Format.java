package dev.keel.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Numbers from a run's JSON files as Keel's pages show them; a missing number shows as a dash. */
public final class Format {
    public static final String MISSING = "–";

    private Format() {}

    /** {@code 0.9206} as {@code 92.06%}. */
    public static String percent(JsonNode share) {
        return share.isNumber() ? String.format(Locale.ROOT, "%.2f%%", 100 * share.asDouble()) : MISSING;
    }

    /** A loss or a score, to four decimals. */
    public static String decimal(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.4f", value.asDouble()) : MISSING;
    }

    /** {@code 82.7 s}. */
    public static String seconds(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%.1f s", value.asDouble()) : MISSING;
    }

    /** {@code 60,000}. */
    public static String count(JsonNode value) {
        return value.isNumber() ? String.format(Locale.ROOT, "%,d", value.asLong()) : MISSING;
    }

    /** A value as text: a string as it is, anything else as JSON; missing or null as a dash. */
    public static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return MISSING;
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
