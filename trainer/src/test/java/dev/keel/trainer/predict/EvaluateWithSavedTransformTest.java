package dev.keel.trainer.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.TinyTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel evaluate --data} and {@code keel predict} encode a table with the transform saved
 * with the model, never one fitted again on the data: they agree row for row, a shifted column
 * shows in the accuracy, and both find columns by name (others ignored, a missing one named).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluateWithSavedTransformTest {
    @TempDir
    static Path temp;

    private Path run;
    private Path holdout;
    private Path shifted;

    @BeforeAll
    void trainAndWriteNewTables() throws IOException {
        Path table = TinyTable.write(temp.resolve("train.csv"), 400, 1);
        Path config = Files.writeString(temp.resolve("table.yaml"),
                TinyTable.config("table", table, "train: {epochs: 8}\n"));
        run = temp.resolve("run");
        KeelRun trained = KeelRun.of("train", config.toString(), "--run-dir", run.toString());
        assertEquals(0, trained.exit(), trained.output());
        holdout = TinyTable.write(temp.resolve("holdout.csv"), 200, 2);
        // The same rows with x1 moved by 100, the columns in another order and one more column.
        List<String> lines = Files.readAllLines(holdout);
        List<String> moved = new ArrayList<>(List.of("note,label,x2,x1"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            moved.add(String.format(Locale.ROOT, "n,%s,%s,%.4f", f[2], f[1], Double.parseDouble(f[0]) + 100));
        }
        shifted = Files.write(temp.resolve("shifted.csv"), moved);
    }

    @Test
    void evaluateAppliesTheSavedTransformAndAgreesWithPredictRowForRow() throws IOException {
        double plain = evaluate(holdout);
        double moved = evaluate(shifted);
        assertTrue(plain > 0.75, "the model learned the table: " + plain);
        assertNotEquals(plain, moved, "x1 + 100 is far outside what the model was trained on");
        assertEquals(predictedAccuracy(holdout, 2), plain, 1e-12, "evaluate and predict on the holdout rows");
        assertEquals(predictedAccuracy(shifted, 1), moved, 1e-12, "evaluate and predict on the shifted rows");
    }

    @Test
    void aMissingColumnIsNamedByEvaluateAndPredictAlike() throws IOException {
        Path noX2 = Files.write(temp.resolve("no-x2.csv"), List.of("x1,label", "0.5,yes", "0.1,no"));
        KeelRun evaluated = KeelRun.of("evaluate", run.toString(), "--data", noX2.toString());
        assertEquals(2, evaluated.exit(), evaluated.output());
        assertTrue(evaluated.err().contains("no column 'x2'"), evaluated.output());
        KeelRun predicted = KeelRun.of("predict", run.toString(), noX2.toString());
        assertEquals(2, predicted.exit(), predicted.output());
        assertTrue(predicted.err().contains("x2"), predicted.output());
    }

    /** {@code keel evaluate RUN --data table}'s accuracy over every row of the table. */
    private double evaluate(Path table) throws IOException {
        KeelRun evaluated = KeelRun.of("evaluate", run.toString(), "--data", table.toString());
        assertEquals(0, evaluated.exit(), evaluated.output());
        assertTrue(evaluated.out().contains("on 200 items"), "every row is evaluated: " + evaluated.out());
        return new ObjectMapper().readTree(run.resolve("interpret/interpretation.json").toFile()).get("accuracy")
                .asDouble();
    }

    /** The share of {@code table}'s rows whose label {@code keel predict} gives. */
    private double predictedAccuracy(Path table, int labelColumn) throws IOException {
        KeelRun predicted = KeelRun.of("predict", run.toString(), table.toString());
        assertEquals(0, predicted.exit(), predicted.output());
        Map<String, String> byInput = new HashMap<>();
        for (String line : predicted.out().split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length >= 2) {
                byInput.put(fields[0], fields[1]);
            }
        }
        List<String> rows = Files.readAllLines(table);
        int right = 0;
        for (int i = 1; i < rows.size(); i++) {
            String label = rows.get(i).split(",")[labelColumn];
            String predictedClass = byInput.get(table + ":" + (i + 1));
            assertTrue(predictedClass != null, "no prediction for line " + (i + 1) + ": " + predicted.out());
            right += label.equals(predictedClass) ? 1 : 0;
        }
        return (double) right / (rows.size() - 1);
    }
}
