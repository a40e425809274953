package dev.keel.datasets.table;

import java.util.Locale;
import java.util.Set;

/** What a CSV cell holds: a missing value, a number, or text. */
public final class Cells {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "?");

    private Cells() {}

    /** Whether the cell is empty, {@code NA}, {@code N/A} or {@code ?} (any case, spaces around). */
    public static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /** The cell's value as a finite number in decimal notation, or NaN when it holds none. */
    public static double number(String cell) {
        String text = cell.trim();
        // Double.parseDouble alone would also take "1f", "0x1p3", "NaN" and "Infinity" for numbers;
        // a scan for other characters is also far cheaper than a regular expression per cell.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
