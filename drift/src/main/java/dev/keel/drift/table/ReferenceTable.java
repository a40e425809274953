package dev.keel.drift.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.datasets.DataException;
import dev.keel.datasets.check.DataReport;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.datasets.table.CsvTable;
import dev.keel.datasets.table.LoadedTable;
import dev.keel.datasets.table.Tables;
import dev.keel.drift.reference.ReferenceRun;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.track.GsonTrees;
import dev.keel.trainer.track.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training split of a run trained on a table, rebuilt as training built it: the same file
 * (proved unchanged by its SHA-256 in provenance.json), the same options and seed, so the same rows.
 */
public final class ReferenceTable {
    private ReferenceTable() {}

    /** The model's table transform: the columns it uses and the type it gave each. */
    public static TableTransform transform(ReferenceRun run) {
        JsonNode json = run.model().path("table_transform");
        Path file = run.runDir().resolve(RunRecord.MODEL_DESCRIPTION);
        if (!json.isObject()) {
            throw new ConfigException(file + ": has no table_transform, though the run trained on a table");
        }
        try {
            return TableTransform.fromJson(GsonTrees.toGson(json));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /**
     * The training rows' values of the columns {@code transform} uses.
     *
     * @throws DataException when the training file is gone, or differs from the one the run trained on
     */
    public static TableColumns load(ReferenceRun run, TableTransform transform) {
        DataConfig data = run.config().data();
        // Where training read the file, made absolute then: data.path may be relative to another working directory.
        String location = run.dataset().path("location").asText();
        Path file = location.isEmpty() ? Path.of(data.path()) : Path.of(location);
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": the table " + run.name() + " trained on is not there any more, so its"
                    + " training split cannot be rebuilt");
        }
        String sha256 = sha256(file);
        String recorded = run.dataset().path("sha256").asText();
        if (!sha256.equals(recorded)) {
            throw new DataException(file + ": the data changed since " + run.name() + " trained on it: its SHA-256 is "
                    + sha256 + ", provenance.json records " + (recorded.isEmpty() ? "none" : recorded) + ". The"
                    + " training split cannot be rebuilt from other data: restore the file, or compare with a run"
                    + " trained on this one");
        }
        long seed = run.config().seed();
        LoadedTable table = Tables.load(file, DataPreparation.tableOptions(data, seed,
                data.badItems().equals("skip")), new DataReport(file.toString()));
        CsvTable train = table.trainRows();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String column : transform.usedColumns()) {
            int index = train.header().indexOf(column);
            if (index < 0) {
                throw new DataException(file + ": has no column '" + column + "', which the model of " + run.name()
                        + " reads");
            }
            List<String> cells = new ArrayList<>(train.rows().size());
            train.rows().forEach(row -> cells.add(row.fields()[index]));
            values.put(column, cells);
        }
        return new TableColumns(file, sha256, train.rows().size(), values, null);
    }

    static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
