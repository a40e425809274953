package dev.keel.drift.table;

import dev.keel.datasets.DataException;
import dev.keel.datasets.table.CsvTable;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.serving.table.Cells;
import dev.keel.serving.table.ColumnType;
import dev.keel.serving.table.TableTransform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** New data for a table drift check: a CSV file with the columns the model reads, the label column optional. */
public final class NewTable {
    private NewTable() {}

    /**
     * Reads {@code csv}, whose header must hold every column {@code transform} uses and no column
     * the training table lacked (the label column may be there or not).
     *
     * @param labelColumn the training table's label column
     * @throws DataException naming the file and the columns or the line, for an empty file, a
     *     missing used column, a column training never had, a row of the wrong length or a word in a
     *     numeric column
     */
    public static TableColumns read(Path csv, char delimiter, TableTransform transform, String labelColumn) {
        CsvTable table = CsvTable.read(csv, delimiter);
        List<String> header = table.header();
        List<String> used = transform.usedColumns();
        List<String> missing = used.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new DataException(csv + ": lacks the column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + ", which the model reads (it reads " + String.join(", ", used) + ")");
        }
        List<String> known = new ArrayList<>(transform.inputColumns());
        known.add(labelColumn);
        List<String> others = header.stream().filter(c -> !known.contains(c)).toList();
        if (!others.isEmpty()) {
            throw new DataException(csv + ": has the column" + (others.size() == 1 ? " " : "s ")
                    + String.join(", ", others) + ", which the training table did not have (its columns: "
                    + String.join(", ", transform.inputColumns()) + ", " + labelColumn + ")");
        }
        Map<String, ColumnType> types = transform.types();
        Map<String, List<String>> values = new LinkedHashMap<>();
        used.forEach(c -> values.put(c, new ArrayList<>(table.rows().size())));
        int labelAt = header.indexOf(labelColumn);
        List<String> labels = labelAt < 0 ? null : new ArrayList<>(table.rows().size());
        for (CsvTable.Row row : table.rows()) {
            String[] fields = row.fields();
            if (fields.length != header.size()) {
                throw new DataException(csv + ":" + row.line() + ": expected " + header.size() + " fields, found "
                        + fields.length);
            }
            for (String column : used) {
                String cell = fields[header.indexOf(column)];
                if (types.get(column) == ColumnType.NUMERIC && !Cells.isMissing(cell)
                        && Double.isNaN(Cells.number(cell))) {
                    throw new DataException(csv + ":" + row.line() + ": column '" + column + "' is numeric, but"
                            + " holds '" + cell + "'");
                }
                values.get(column).add(cell);
            }
            if (labels != null) {
                labels.add(fields[labelAt]);
            }
        }
        return new TableColumns(csv, ReferenceTable.sha256(csv), table.rows().size(), values, labels);
    }

    /**
     * The new rows as the model takes them, encoded by its transform, with their labels as the
     * model's class indices when the file has the label column.
     *
     * @throws DataException naming a label the model has no class for
     */
    public static ModelInputs modelInputs(TableColumns columns, TableTransform transform, List<String> classes) {
        float[][] inputs = new float[columns.rows()][];
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            for (Map.Entry<String, List<String>> column : columns.values().entrySet()) {
                row.put(column.getKey(), column.getValue().get(i));
            }
            inputs[i] = transform.apply(row);
        }
        int[] labels = null;
        if (columns.labels() != null) {
            labels = new int[inputs.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = classes.indexOf(columns.labels().get(i));
                if (labels[i] < 0) {
                    throw new DataException(columns.file() + ": row " + (i + 1) + " has the label '"
                            + columns.labels().get(i) + "', which is none of the model's classes " + classes);
                }
            }
        }
        return new ModelInputs(inputs, labels);
    }
}
