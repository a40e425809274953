package dev.keel.serving.table;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a table's raw rows into feature vectors, with statistics fitted on the training split only
 * so that validation, test and later predictions see exactly what training saw. Per column, in
 * the input's order:
 *
 * <ul>
 *   <li>numeric: missing values become the training median; then {@code (x - mean) / std}, with
 *       the mean and (population) standard deviation of the imputed training values, std 0 read as 1;
 *   <li>categorical: one-hot over the training values, sorted; a missing value becomes the most
 *       frequent training value, and a value training never saw is all zeros;
 *   <li>then, for a column that had missing values in training, an indicator: 1 where missing, else 0.
 * </ul>
 *
 * <p>Saved with a model as {@link #toJson()}; {@link #fromJson(JsonElement)} gives back a transform
 * that makes the same floats.
 */
public final class TableTransform {
    /** The version {@link #toJson()} writes; bump it when the JSON changes, and keep reading old ones. */
    private static final int VERSION = 1;

    private final List<String> inputColumns;
    private final List<Encoder> encoders;
    private final List<String> featureNames;

    private TableTransform(List<String> inputColumns, List<Encoder> encoders) {
        this.inputColumns = List.copyOf(inputColumns);
        this.encoders = List.copyOf(encoders);
        List<String> names = new ArrayList<>();
        encoders.forEach(e -> e.addNames(names));
        this.featureNames = List.copyOf(names);
    }

    /**
     * Fits a transform on the training rows.
     *
     * @param inputColumns the names of a raw row's fields, in order (a CSV file's header)
     * @param types the type of each column that becomes features; columns not in it (the label)
     *     and {@link ColumnType#IGNORE} ones are left out
     * @param trainRows raw training rows, one field per input column; every value present in a
     *     numeric column must be a number
     */
    public static TableTransform fit(List<String> inputColumns, Map<String, ColumnType> types,
            List<String[]> trainRows) {
        List<Encoder> encoders = new ArrayList<>();
        for (int column = 0; column < inputColumns.size(); column++) {
            String name = inputColumns.get(column);
            ColumnType type = types.getOrDefault(name, ColumnType.IGNORE);
            if (type == ColumnType.IGNORE) {
                continue;
            }
            int index = column;
            List<String> present = trainRows.stream().map(row -> row[index]).filter(v -> !Cells.isMissing(v))
                    .map(String::trim).toList();
            boolean indicator = present.size() < trainRows.size();
            encoders.add(type == ColumnType.NUMERIC ? Numeric.fit(name, column, present, trainRows.size(), indicator)
                    : Categorical.fit(name, column, present, indicator));
        }
        return new TableTransform(inputColumns, encoders);
    }

    /** The names of a raw row's fields, in the order {@link #apply} takes them. */
    public List<String> inputColumns() {
        return inputColumns;
    }

    /** The input columns a feature is computed from: those a row to predict must have (not the label, nor ignored ones). */
    public List<String> usedColumns() {
        return encoders.stream().map(e -> inputColumns.get(e.column())).distinct().toList();
    }

    /** The type of each column a feature is computed from, by name, in the order of the features. */
    public Map<String, ColumnType> types() {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        encoders.forEach(e -> types.put(inputColumns.get(e.column()),
                e instanceof Numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
        return types;
    }

    /**
     * The same fitted transform, reading rows whose fields are {@code header}'s columns: columns are
     * found by name, so a table may order them differently or hold others, which are ignored.
     *
     * @throws IllegalArgumentException naming the first column a feature is computed from that {@code header} lacks
     */
    public TableTransform forColumns(List<String> header) {
        List<Encoder> moved = new ArrayList<>();
        for (Encoder encoder : encoders) {
            String name = inputColumns.get(encoder.column());
            int column = header.indexOf(name);
            if (column < 0) {
                throw new IllegalArgumentException("no column '" + name + "' (the model reads the columns "
                        + String.join(", ", usedColumns()) + ")");
            }
            moved.add(encoder.at(column));
        }
        return new TableTransform(header, moved);
    }

    /**
     * One name per feature: a numeric column's name, {@code column=value} for a category,
     * {@code column_missing} for a missing-value indicator.
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The feature vector of a raw row.
     *
     * @param rawRow one field per {@link #inputColumns()} column, as the CSV file has it
     * @throws IllegalArgumentException if the row has the wrong number of fields, or a numeric
     *     column holds something other than a number or a missing value
     */
    public float[] apply(String[] rawRow) {
        if (rawRow.length != inputColumns.size()) {
            throw new IllegalArgumentException("expected " + inputColumns.size() + " fields (" + inputColumns
                    + "), found " + rawRow.length);
        }
        float[] features = new float[featureNames.size()];
        int at = 0;
        for (Encoder encoder : encoders) {
            encoder.encode(rawRow[encoder.column()], features, at);
            at += encoder.width();
        }
        return features;
    }

    /**
     * The feature vector of a row given by column name, as a served model takes it: the columns a
     * feature is computed from must be there (others, the label and ignored ones, may be absent, and
     * extra ones are ignored); each value is read as its text, as in a CSV file, and null is missing.
     *
     * @throws IllegalArgumentException naming a column the row lacks, or one whose value does not fit
     */
    public float[] apply(Map<String, ?> row) {
        List<String> used = usedColumns();
        String[] fields = new String[inputColumns.size()];
        for (int i = 0; i < fields.length; i++) {
            String column = inputColumns.get(i);
            if (!row.containsKey(column) && used.contains(column)) {
                throw new IllegalArgumentException("no column '" + column + "' (the model reads the columns "
                        + String.join(", ", used) + ")");
            }
            Object value = row.get(column);
            fields[i] = value == null ? "" : value.toString();
        }
        return apply(fields);
    }

    /** The transform as a model saves it: versioned, with every fitted statistic. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("version", VERSION);
        JsonArray columns = new JsonArray();
        inputColumns.forEach(columns::add);
        json.add("input_columns", columns);
        JsonArray features = new JsonArray();
        for (Encoder encoder : encoders) {
            JsonObject feature = new JsonObject();
            encoder.write(feature);
            features.add(feature);
        }
        json.add("features", features);
        return json;
    }

    /**
     * Reads a transform that {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException if the JSON is not a saved transform of a version this
     *     Keel reads, naming what is wrong
     */
    public static TableTransform fromJson(JsonElement element) {
        JsonObject json = object(element, "table transform");
        int version = required(json, "version").getAsInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("table transform version " + version + " is not one this Keel reads ("
                    + VERSION + ")");
        }
        List<String> inputColumns = strings(required(json, "input_columns"));
        List<Encoder> encoders = new ArrayList<>();
        for (JsonElement item : array(required(json, "features"), "features")) {
            JsonObject node = object(item, "a feature");
            String name = required(node, "column").getAsString();
            int column = inputColumns.indexOf(name);
            if (column < 0) {
                throw new IllegalArgumentException("table transform: feature column '" + name
                        + "' is not among the input columns " + inputColumns);
            }
            boolean indicator = required(node, "missing_indicator").getAsBoolean();
            ColumnType type = ColumnType.parse(required(node, "type").getAsString());
            encoders.add(switch (type) {
                case NUMERIC -> new Numeric(name, column, required(node, "median").getAsDouble(),
                        required(node, "mean").getAsDouble(), required(node, "std").getAsDouble(), indicator);
                case CATEGORICAL -> new Categorical(name, column, strings(required(node, "vocabulary")),
                        required(node, "most_frequent").getAsString(), indicator);
                case IGNORE -> throw new IllegalArgumentException("table transform: column '" + name
                        + "' is ignored, so it has no features");
            });
        }
        return new TableTransform(inputColumns, encoders);
    }

    private static JsonElement required(JsonObject json, String field) {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    private static JsonObject object(JsonElement element, String what) {
        if (element == null || !element.isJsonObject()) {
            throw new IllegalArgumentException(what + ": expected a JSON object, found " + element);
        }
        return element.getAsJsonObject();
    }

    private static JsonArray array(JsonElement element, String what) {
        if (!element.isJsonArray()) {
            throw new IllegalArgumentException(what + ": expected a JSON array, found " + element);
        }
        return element.getAsJsonArray();
    }

    private static List<String> strings(JsonElement array) {
        List<String> values = new ArrayList<>();
        array(array, "a list of names").forEach(v -> values.add(v.getAsString()));
        return values;
    }

    /** The features of one input column. */
    private sealed interface Encoder permits Numeric, Categorical {
        /** The column's index in a raw row. */
        int column();

        /** The same encoder, reading the column at {@code index}. */
        Encoder at(int index);

        /** How many features it makes. */
        int width();

        /** Writes the features of {@code raw} at {@code features[at..at + width)}, which hold zeros. */
        void encode(String raw, float[] features, int at);

        void addNames(List<String> names);

        void write(JsonObject json);
    }

    private record Numeric(String name, int column, double median, double mean, double std, boolean indicator)
            implements Encoder {

        @Override
        public Encoder at(int index) {
            return new Numeric(name, index, median, mean, std, indicator);
        }

        static Numeric fit(String name, int column, List<String> present, int rows, boolean indicator) {
            double[] values = present.stream().mapToDouble(Cells::number).sorted().toArray();
            int n = values.length;
            double median = n == 0 ? 0 : (values[(n - 1) / 2] + values[n / 2]) / 2;
            // Statistics of the values after imputation, as the features will see them.
            double sum = Arrays.stream(values).sum() + (rows - n) * median;
            double mean = rows == 0 ? 0 : sum / rows;
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum()
                    + (rows - n) * (median - mean) * (median - mean);
            double std = rows == 0 ? 0 : Math.sqrt(squares / rows);
            return new Numeric(name, column, median, mean, std == 0 ? 1 : std, indicator);
        }

        @Override
        public int width() {
            return indicator ? 2 : 1;
        }

        @Override
        public void encode(String raw, float[] features, int at) {
            boolean missing = Cells.isMissing(raw);
            double value = missing ? median : Cells.number(raw);
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("column '" + name + "': '" + raw + "' is not a number");
            }
            features[at] = (float) ((value - mean) / std);
            if (indicator) {
                features[at + 1] = missing ? 1 : 0;
            }
        }

        @Override
        public void addNames(List<String> names) {
            names.add(name);
            if (indicator) {
                names.add(name + "_missing");
            }
        }

        @Override
        public void write(JsonObject json) {
            json.addProperty("column", name);
            json.addProperty("type", ColumnType.NUMERIC.label());
            json.addProperty("median", median);
            json.addProperty("mean", mean);
            json.addProperty("std", std);
            json.addProperty("missing_indicator", indicator);
        }
    }

    private record Categorical(String name, int column, List<String> vocabulary, String mostFrequent,
            boolean indicator) implements Encoder {

        @Override
        public Encoder at(int index) {
            return new Categorical(name, index, vocabulary, mostFrequent, indicator);
        }

        static Categorical fit(String name, int column, List<String> present, boolean indicator) {
            Map<String, Integer> counts = new TreeMap<>();
            present.forEach(v -> counts.merge(v, 1, Integer::sum));
            // The first of the most frequent in sorted order, so ties do not depend on row order.
            String mostFrequent = counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Collections.reverseOrder())))
                    .map(Map.Entry::getKey).orElse("");
            return new Categorical(name, column, List.copyOf(counts.keySet()), mostFrequent, indicator);
        }

        @Override
        public int width() {
            return vocabulary.size() + (indicator ? 1 : 0);
        }

        @Override
        public void encode(String raw, float[] features, int at) {
            boolean missing = Cells.isMissing(raw);
            // The vocabulary is sorted; a value not in it (negative index) leaves the one-hot all zeros.
            int index = Collections.binarySearch(vocabulary, missing ? mostFrequent : raw.trim());
            if (index >= 0) {
                features[at + index] = 1;
            }
            if (indicator) {
                features[at + vocabulary.size()] = missing ? 1 : 0;
            }
        }

        @Override
        public void addNames(List<String> names) {
            vocabulary.forEach(value -> names.add(name + "=" + value));
            if (indicator) {
                names.add(name + "_missing");
            }
        }

        @Override
        public void write(JsonObject json) {
            json.addProperty("column", name);
            json.addProperty("type", ColumnType.CATEGORICAL.label());
            json.addProperty("most_frequent", mostFrequent);
            json.addProperty("missing_indicator", indicator);
            JsonArray values = new JsonArray();
            vocabulary.forEach(values::add);
            json.add("vocabulary", values);
        }
    }
}
