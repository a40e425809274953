package dev.keel.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.config.DriftConfigFile;
import dev.keel.drift.report.DriftReport;
import dev.keel.drift.table.TableColumns;
import dev.keel.drift.table.TableDrift;
import dev.keel.drift.table.TableSection;
import dev.keel.serving.table.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keel's table drift statistics on tables given as JSON, for tools/drift_vs_scipy.py to compare
 * with SciPy's: {@code java ... dev.keel.drift.DriftStatsMain CASES.json} prints one table section
 * (as drift.json holds it) per case.
 *
 * <p>CASES.json: {@code {"tables": [{"config": {drift: keys}, "types": {"column": "numeric" |
 * "categorical"}, "reference": {"column": ["cell", ...]}, "new": {"column": [...]}}]}}.
 */
public final class DriftStatsMain {
    private DriftStatsMain() {}

    public static void main(String[] args) throws IOException {
        Path cases = Path.of(args[0]);
        JsonNode tables = DriftReport.JSON.readTree(cases.toFile()).required("tables");
        ArrayNode sections = DriftReport.JSON.createArrayNode();
        for (JsonNode table : tables) {
            DriftConfig config = DriftConfigFile.parse(cases.toString(), table.path("config"));
            Map<String, ColumnType> types = new LinkedHashMap<>();
            table.required("types").properties().forEach(e -> types.put(e.getKey(),
                    ColumnType.parse(e.getValue().asText())));
            TableSection section = TableDrift.compare(columns(cases, table.required("reference")),
                    columns(cases, table.required("new")), types, config);
            sections.add(DriftReport.JSON.valueToTree(section));
        }
        System.out.println(DriftReport.JSON.writeValueAsString(sections));
    }

    private static TableColumns columns(Path file, JsonNode json) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int rows = 0;
        for (Map.Entry<String, JsonNode> column : json.properties()) {
            List<String> cells = new ArrayList<>();
            column.getValue().forEach(cell -> cells.add(cell.asText()));
            values.put(column.getKey(), cells);
            rows = cells.size();
        }
        return new TableColumns(file, "", rows, values, null);
    }
}
