package dev.keel.datasets.table;

import dev.keel.serving.table.ColumnType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to read and split a CSV table: the {@code data} section of a run's config for
 * {@code format: csv}.
 *
 * @param labelColumn the column holding the class
 * @param delimiter the field separator
 * @param columnTypes types by column name: {@code numeric}, {@code categorical} or {@code ignore};
 *     columns not named are inferred (numeric when every value present is a number)
 * @param skipBadItems {@code bad_items: skip}: leave out rows with errors and list them in the
 *     report; otherwise any error fails the load
 * @param validFraction the share of the rows left after the test split held out for validation, in [0, 1)
 * @param testFraction the share of the rows held out for testing, in [0, 1)
 * @param seed the seed of the split
 */
public record TableOptions(String labelColumn, char delimiter, Map<String, String> columnTypes,
        boolean skipBadItems, double validFraction, double testFraction, long seed) {

    /** @throws IllegalArgumentException if a value is outside what the parameters allow */
    public TableOptions {
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new IllegalArgumentException("label column must name the column that holds the class");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter cannot be a quote or a line break");
        }
        // Kept in the config's order, so that errors about columns come in the order the user wrote them.
        columnTypes = Collections.unmodifiableMap(new LinkedHashMap<>(columnTypes));
        columnTypes.values().forEach(ColumnType::parse);
        if (!(validFraction >= 0 && validFraction < 1) || !(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("valid and test fractions must be in [0, 1), got " + validFraction
                    + " and " + testFraction);
        }
    }
}
