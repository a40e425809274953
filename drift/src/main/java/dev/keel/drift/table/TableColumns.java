package dev.keel.drift.table;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The raw values of the columns a model uses, one side of a table drift check.
 *
 * @param file the CSV file they were read from
 * @param sha256 the file's SHA-256
 * @param rows how many rows
 * @param values each used column's cells, as the file has them (missing ones included), by name
 * @param labels each row's label, or null when the file has no label column
 */
public record TableColumns(Path file, String sha256, int rows, Map<String, List<String>> values,
        List<String> labels) {}
