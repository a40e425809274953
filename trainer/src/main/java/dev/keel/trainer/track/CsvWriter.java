package dev.keel.trainer.track;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;

/**
 * CSV as every file Keel writes holds it ({@code interpret/*.csv}, {@code lr_find.csv}, {@code
 * keel predict --out}): fields separated by commas, each row ended by {@code \n}, and a field
 * quoted only when it holds a comma, a quote or a line break, its quotes doubled (RFC 4180).
 * Fields are strings the caller formatted, so numbers read exactly as the caller wrote them.
 */
public final class CsvWriter implements Closeable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final CsvSchema ROWS = CsvSchema.emptySchema().withLineSeparator("\n");

    private final CsvGenerator generator;

    /** A writer of rows to {@code out}; closing it closes {@code out}. */
    public CsvWriter(Writer out) throws IOException {
        generator = CSV.getFactory().createGenerator(out);
        generator.setSchema(ROWS);
    }

    /**
     * Writes one row.
     *
     * @throws IllegalArgumentException when {@code fields} is empty: a row holds at least one field
     */
    public void row(List<String> fields) throws IOException {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a CSV row holds at least one field");
        }
        generator.writeStartArray();
        for (String field : fields) {
            if (onlyCarriageReturnNeedsQuotes(field)) {
                // Jackson's strict check quotes a line break only when the line separator starts
                // with it ('\n' here); a field with a bare '\r' and nothing else to quote is quoted
                // here, with no quotes inside to double.
                generator.writeRawValue('"' + field + '"');
            } else {
                generator.writeString(field);
            }
        }
        generator.writeEndArray();
    }

    /** Writes what is buffered to the underlying writer. */
    public void flush() throws IOException {
        generator.flush();
    }

    @Override
    public void close() throws IOException {
        generator.close();
    }

    /** A whole file: the header, then one row of {@code fields} per element of {@code rows}. */
    public static <T> String text(List<String> header, List<T> rows, Function<T, List<String>> fields) {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = new CsvWriter(out)) {
            csv.row(header);
            for (T row : rows) {
                csv.row(fields.apply(row));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static boolean onlyCarriageReturnNeedsQuotes(String field) {
        return field.indexOf('\r') >= 0 && field.indexOf('\n') < 0 && field.indexOf(',') < 0
                && field.indexOf('"') < 0;
    }
}
