package dev.keel.trainer.interpret;

import dev.keel.trainer.track.CsvWriter;
import java.util.List;

/** One CSV row as {@link CsvWriter} writes it, for a writer that adds its own line breaks. */
public final class CsvRow {
    private CsvRow() {}

    /** The fields joined by commas, quoted where they need it, without a line break. */
    public static String of(List<String> fields) {
        String line = CsvWriter.text(fields, List.<List<String>>of(), row -> row);
        return line.substring(0, line.length() - 1);
    }
}
