package dev.keel.trainer.interpret;

import java.util.List;

/** One CSV row as RFC 4180 writes it: a field with a comma, quote or line break is quoted, its quotes doubled. */
public final class CsvRow {
    private CsvRow() {}

    /** The fields joined by commas, without a line break. */
    public static String of(List<String> fields) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                row.append(',');
            }
            String field = fields.get(i);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                row.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                row.append(field);
            }
        }
        return row.toString();
    }
}
