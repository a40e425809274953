package dev.keel.datasets.table;

import dev.keel.datasets.DataException;
import dev.keel.datasets.StratifiedSplit;
import dev.keel.datasets.check.DataReport;
import dev.keel.serving.table.Cells;
import dev.keel.serving.table.ColumnType;
import dev.keel.serving.table.TableTransform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Loads a CSV table for training: reads it, checks every row, splits it by class and encodes the
 * splits with a {@link TableTransform} fitted on the training rows.
 */
public final class Tables {
    /** The share of a column's values that must be numbers for it to be inferred numeric. */
    static final double NUMERIC_SHARE = 0.95;

    private final Path csv;
    private final String file;
    private final TableOptions options;
    private final DataReport report;
    private final TableTransform fitted;

    private Tables(Path csv, TableOptions options, DataReport report, TableTransform fitted) {
        this.csv = csv;
        this.file = csv.toString();
        this.options = options;
        this.report = report;
        this.fitted = fitted;
    }

    /**
     * Reads {@code csv} (a header row, then one row per item) and checks the whole file before it
     * decides: every problem goes to {@code report} with its line. Errors are a row with the wrong
     * number of fields ({@code field_count}), a value that is not a number in a column declared
     * numeric ({@code not_numeric}), a missing label ({@code unknown_label}) and a label that
     * differs from a more common one only in case or spaces ({@code label_variant}); warnings are
     * repeated rows ({@code duplicate}, {@code duplicate_across_splits}) and a largest class more
     * than 10 times the smallest ({@code class_imbalance}). The report also gets the class counts
     * of each split.
     *
     * @throws DataException naming the file: if it cannot be read or is not CSV; if the options
     *     name a column the header lacks; if a row has an error and {@code skipBadItems} is off
     *     (the message lists the first problems); or if no usable row or feature is left
     */
    public static LoadedTable load(Path csv, TableOptions options, DataReport report) {
        return new Tables(csv, options, report, null).load();
    }

    /**
     * Reads and checks {@code csv} as {@link #load} does, but encodes it with a transform fitted
     * before (a trained model's), never one fitted again on this table: its columns are found by
     * name, others are ignored, and the column types are the transform's ({@code options}' types are
     * not used).
     *
     * @throws DataException naming the file and the column when a column the transform reads is missing
     */
    public static LoadedTable loadWith(Path csv, TableOptions options, TableTransform fitted, DataReport report) {
        return new Tables(csv, options, report, fitted).load();
    }

    private LoadedTable load() {
        CsvTable table = CsvTable.read(csv, options.delimiter());
        List<String> header = table.header();
        int labelColumn = column(header, options.labelColumn(), "label_column");
        Map<String, ColumnType> declared = new LinkedHashMap<>();
        options.columnTypes().forEach((name, type) -> {
            if (column(header, name, "columns") == labelColumn) {
                throw new DataException(file + ": data.columns gives a type to '" + name + "', the label column");
            }
            declared.put(name, ColumnType.parse(type));
        });
        List<CsvTable.Row> complete = table.rows().stream().filter(r -> r.fields().length == header.size()).toList();
        TableTransform reading = fitted == null ? null : reading(header);
        Map<String, ColumnType> types = fitted == null ? types(header, labelColumn, declared, complete) : fitted.types();
        Map<String, String> spellings = spellings(complete, labelColumn);

        List<CsvTable.Row> rows = new ArrayList<>();
        List<CsvTable.Row> bad = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            if (check(row, header, types, labelColumn, spellings)) {
                rows.add(row);
            } else {
                bad.add(row);
            }
        }
        if (!bad.isEmpty() && !options.skipBadItems()) {
            throw failure(bad.size());
        }
        bad.forEach(row -> report.skipped(file + ":" + row.line()));
        if (rows.isEmpty()) {
            throw new DataException(file + ": no usable rows: every row has an error");
        }

        List<String> classes = rows.stream().map(r -> r.fields()[labelColumn].trim()).distinct()
                .sorted(classOrder(rows, labelColumn)).toList();
        Map<String, Integer> classIndex = new HashMap<>();
        classes.forEach(name -> classIndex.put(name, classIndex.size()));
        int[] labels = rows.stream().mapToInt(r -> classIndex.get(r.fields()[labelColumn].trim())).toArray();
        report.warnIfImbalanced(file, counts(classes, labels, IntStream.range(0, labels.length).toArray()), "rows");
        StratifiedSplit split = StratifiedSplit.of(labels, classes.size(), options.validFraction(),
                options.testFraction(), options.seed());
        report.classCounts("train", counts(classes, labels, split.train()));
        report.classCounts("valid", counts(classes, labels, split.valid()));
        report.classCounts("test", counts(classes, labels, split.test()));
        warnDuplicates(rows, header, types, labelColumn, split);

        TableTransform transform = reading != null ? reading : TableTransform.fit(header, types,
                IntStream.of(split.train()).mapToObj(i -> rows.get(i).fields()).toList());
        if (transform.featureNames().isEmpty()) {
            throw new DataException(file + ": no feature columns: every column but the label is ignored");
        }
        return new LoadedTable(encode(rows, labels, split.train(), transform, classes),
                encode(rows, labels, split.valid(), transform, classes),
                encode(rows, labels, split.test(), transform, classes), transform, classes,
                describe(rows.size(), bad.size(), types, classes.size()),
                new CsvTable(header, IntStream.of(split.train()).mapToObj(rows::get).toList()));
    }

    /** The fitted transform, reading this table's columns. */
    private TableTransform reading(List<String> header) {
        try {
            return fitted.forColumns(header);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage());
        }
    }

    private int column(List<String> header, String name, String key) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new DataException(file + ": data." + key + " names column '" + name
                    + "', which is not in the header (columns: " + String.join(", ", header) + ")");
        }
        return index;
    }

    /** The declared type of each column but the label, else its inferred type. */
    private static Map<String, ColumnType> types(List<String> header, int labelColumn, Map<String, ColumnType> declared,
            List<CsvTable.Row> rows) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (int column = 0; column < header.size(); column++) {
            String name = header.get(column);
            if (column != labelColumn) {
                types.put(name, declared.containsKey(name) ? declared.get(name) : inferred(rows, column));
            }
        }
        return types;
    }

    /** Numeric when every value present is a number, else categorical. */
    /**
     * Numeric when at least {@link #NUMERIC_SHARE} of the values present are numbers: a column of
     * numbers with a stray word in it is a numeric column with a bad value (reported as
     * {@code not_numeric}), not a column of categories.
     */
    private static ColumnType inferred(List<CsvTable.Row> rows, int column) {
        List<String> present = rows.stream().map(r -> r.fields()[column]).filter(v -> !Cells.isMissing(v)).toList();
        long numbers = present.stream().filter(Tables::isNumber).count();
        return present.isEmpty() || numbers >= NUMERIC_SHARE * present.size() ? ColumnType.NUMERIC
                : ColumnType.CATEGORICAL;
    }

    /**
     * Each label (trimmed) mapped to the spelling that stands for it: the most frequent (first
     * seen on ties) of the labels that differ from it only in case and spaces.
     */
    private static Map<String, String> spellings(List<CsvTable.Row> rows, int labelColumn) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        rows.stream().map(r -> r.fields()[labelColumn].trim()).filter(label -> !Cells.isMissing(label))
                .forEach(label -> counts.merge(label, 1, Integer::sum));
        Map<String, String> byFolded = new HashMap<>();
        counts.keySet().forEach(label -> byFolded.merge(folded(label), label,
                (kept, next) -> counts.get(next) > counts.get(kept) ? next : kept));
        Map<String, String> spellings = new HashMap<>();
        counts.keySet().forEach(label -> spellings.put(label, byFolded.get(folded(label))));
        return spellings;
    }

    private static String folded(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    /** Records the row's errors; true when it has none. */
    private boolean check(CsvTable.Row row, List<String> header, Map<String, ColumnType> types, int labelColumn,
            Map<String, String> spellings) {
        String[] fields = row.fields();
        if (fields.length != header.size()) {
            error("field_count", row, "expected " + header.size() + " fields, found " + fields.length);
            return false;
        }
        boolean good = true;
        for (int column = 0; column < fields.length; column++) {
            String value = fields[column];
            if (types.get(header.get(column)) == ColumnType.NUMERIC && !Cells.isMissing(value) && !isNumber(value)) {
                error("not_numeric", row, "column '" + header.get(column) + "' is numeric, but holds '" + value + "'");
                good = false;
            }
        }
        String label = fields[labelColumn].trim();
        if (Cells.isMissing(label)) {
            error("unknown_label", row, "no label in column '" + header.get(labelColumn) + "'");
            return false;
        }
        String spelling = spellings.get(label);
        if (!spelling.equals(label)) {
            error("label_variant", row, "label '" + label + "' differs only in case or spaces from '" + spelling
                    + "', the label of other rows");
            return false;
        }
        return good;
    }

    private void error(String kind, CsvTable.Row row, String message) {
        report.error(kind, file, row.line(), message);
    }

    private DataException failure(int badRows) {
        return report.failure(file + ": " + badRows + (badRows == 1 ? " row has" : " rows have")
                + " errors (data.bad_items is fail; skip trains on the good rows):");
    }

    /** Numbers in numeric order when every class is a number, else alphabetical (ignoring case). */
    private static Comparator<String> classOrder(List<CsvTable.Row> rows, int labelColumn) {
        boolean numbers = rows.stream().allMatch(r -> isNumber(r.fields()[labelColumn]));
        return numbers ? Comparator.comparingDouble(Cells::number)
                : String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());
    }

    private static Map<String, Integer> counts(List<String> classes, int[] labels, int[] items) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        classes.forEach(name -> counts.put(name, 0));
        IntStream.of(items).forEach(i -> counts.merge(classes.get(labels[i]), 1, Integer::sum));
        return counts;
    }

    /** Warns about training rows that repeat a training row, and validation or test rows that repeat one. */
    private void warnDuplicates(List<CsvTable.Row> rows, List<String> header, Map<String, ColumnType> types,
            int labelColumn, StratifiedSplit split) {
        // The label counts: the same features under another label are a conflict, not a repeat.
        int[] compared = IntStream.range(0, header.size())
                .filter(c -> c == labelColumn || types.get(header.get(c)) != ColumnType.IGNORE).toArray();
        Map<List<String>, Long> trainLines = new HashMap<>();
        for (int i : split.train()) {
            CsvTable.Row row = rows.get(i);
            Long first = trainLines.putIfAbsent(values(row, compared), row.line());
            if (first != null) {
                report.warning("duplicate", file, row.line(), "this training row repeats line " + first);
            }
        }
        warnRepeats("valid", split.valid(), rows, compared, trainLines);
        warnRepeats("test", split.test(), rows, compared, trainLines);
    }

    private void warnRepeats(String splitName, int[] items, List<CsvTable.Row> rows, int[] compared,
            Map<List<String>, Long> trainLines) {
        for (int i : items) {
            CsvTable.Row row = rows.get(i);
            Long first = trainLines.get(values(row, compared));
            if (first != null) {
                report.warning("duplicate_across_splits", file, row.line(), "this " + splitName
                        + " row repeats training line " + first);
            }
        }
    }

    private static List<String> values(CsvTable.Row row, int[] columns) {
        return IntStream.of(columns).mapToObj(c -> row.fields()[c].trim()).toList();
    }

    private static TableDataset encode(List<CsvTable.Row> rows, int[] labels, int[] items, TableTransform transform,
            List<String> classes) {
        int width = transform.featureNames().size();
        float[] features = new float[items.length * width];
        for (int k = 0; k < items.length; k++) {
            System.arraycopy(transform.apply(rows.get(items[k]).fields()), 0, features, k * width, width);
        }
        return new TableDataset(features, width, IntStream.of(items).map(i -> labels[i]).toArray(), classes);
    }

    private String describe(int rows, int skipped, Map<String, ColumnType> types, int classes) {
        long numeric = types.values().stream().filter(t -> t == ColumnType.NUMERIC).count();
        long categorical = types.values().stream().filter(t -> t == ColumnType.CATEGORICAL).count();
        String skippedNote = skipped == 0 ? "" : " (" + skipped + (skipped == 1 ? " bad row" : " bad rows")
                + " skipped)";
        return String.format(Locale.ROOT, "%s: %d rows%s, %d numeric and %d categorical columns, %d classes",
                csv.getFileName(), rows, skippedNote, numeric, categorical, classes);
    }

    private static boolean isNumber(String value) {
        return !Double.isNaN(Cells.number(value));
    }
}
