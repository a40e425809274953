package dev.keel.serving.table;

import java.util.Arrays;
import java.util.Locale;

/** How a table column feeds the model, as {@code data.columns} names it. */
public enum ColumnType {
    /** Numbers: missing values imputed with the training median, then standardised. */
    NUMERIC,
    /** Categories: one-hot over the training split's values. */
    CATEGORICAL,
    /** Left out of the features. */
    IGNORE;

    /** The lower-case name used in configs and saved transforms. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type a config names.
     *
     * @throws IllegalArgumentException naming the allowed values, if {@code name} is none of them
     */
    public static ColumnType parse(String name) {
        return Arrays.stream(values()).filter(t -> t.label().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("column type '" + name
                        + "' is not one of numeric, categorical, ignore"));
    }
}
