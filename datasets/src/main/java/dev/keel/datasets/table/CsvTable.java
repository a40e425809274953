package dev.keel.datasets.table;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.keel.datasets.DataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cells of a CSV file as its text has them, with the line each row starts on.
 *
 * @param header the first row's names, trimmed
 * @param rows the rows after the header, any number of fields each
 */
public record CsvTable(List<String> header, List<Row> rows) {

    /**
     * One row.
     *
     * @param line the 1-based line it starts on (a quoted field may span lines)
     * @param fields its fields, unquoted and untrimmed
     */
    public record Row(long line, String[] fields) {}

    /**
     * Reads {@code csv}: fields separated by {@code delimiter}, optionally in double quotes (then
     * holding delimiters, line breaks and doubled quotes); blank lines are skipped.
     *
     * @throws DataException naming the file (and line) if it cannot be read, is not CSV, or has no
     *     header and data rows
     */
    public static CsvTable read(Path csv, char delimiter) {
        CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
        List<Row> rows = new ArrayList<>();
        long line = 0;
        try (JsonParser parser = mapper.readerFor(String[].class).with(schema).createParser(csv.toFile())) {
            List<String> fields = null;
            // The whole file is one array of rows; each row is an array of strings.
            parser.nextToken();
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_ARRAY) {
                    fields = new ArrayList<>();
                    line = parser.currentLocation().getLineNr();
                } else if (token == JsonToken.VALUE_STRING) {
                    fields.add(parser.getText());
                } else if (token == JsonToken.END_ARRAY && fields != null) {
                    rows.add(new Row(line, fields.toArray(String[]::new)));
                    fields = null;
                }
            }
        } catch (JsonProcessingException e) {
            throw new DataException(csv + ":" + line + ": not valid CSV: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException(csv + ": cannot be read: " + e.getMessage(), e);
        }
        if (rows.size() < 2) {
            throw new DataException(csv + ": " + (rows.isEmpty() ? "empty" : "no rows after the header")
                    + " (expected a header row of column names, then one row per item)");
        }
        List<String> header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : rows.get(0).fields()) {
            if (!seen.add(name.trim())) {
                throw new DataException(csv + ":" + rows.get(0).line() + ": column '" + name.trim()
                        + "' appears twice in the header");
            }
            header.add(name.trim());
        }
        return new CsvTable(List.copyOf(header), List.copyOf(rows.subList(1, rows.size())));
    }
}
