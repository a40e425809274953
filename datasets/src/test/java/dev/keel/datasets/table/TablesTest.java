package dev.keel.datasets.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.datasets.DataException;
import dev.keel.datasets.check.DataReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesTest {
    @TempDir
    Path dir;

    private final DataReport report = new DataReport("test");

    @Test
    void loadsInfersTypesAndDescribesTheTable() throws IOException {
        Path csv = write("animals.csv", "weight,color,label\n1.5,red,cat\nNA,blue,dog\n2.5,?,cat\n3,red,dog\n");

        LoadedTable table = Tables.load(csv, options(false), report);

        assertEquals("animals.csv: 4 rows, 1 numeric and 1 categorical columns, 2 classes", table.description());
        assertEquals(List.of("cat", "dog"), table.classes());
        assertEquals(List.of("weight", "weight_missing", "color=blue", "color=red", "color_missing"),
                table.transform().featureNames());
        assertEquals(4, table.train().itemCount());
        assertEquals(5, table.train().itemSize());
        assertEquals(List.of(0, 1, 0, 1), IntStream.range(0, 4).map(table.train()::labelAt).boxed().toList());
        assertEquals(0, table.valid().itemCount() + table.test().itemCount());
        assertTrue(report.problems().isEmpty());
    }

    @Test
    void theTrainingRowsAreKeptAsTheFileHasThemInTheSplitsOrder() throws IOException {
        StringBuilder text = new StringBuilder("x,label\n");
        IntStream.range(0, 20).forEach(i -> text.append(i).append(i % 2 == 0 ? ",a\n" : ",b\n"));
        Path csv = write("numbers.csv", text.toString());

        LoadedTable table = Tables.load(csv, new TableOptions("label", ',', Map.of(), false, 0.2, 0.2, 3), report);

        assertEquals(List.of("x", "label"), table.trainRows().header());
        assertEquals(table.train().itemCount(), table.trainRows().rows().size());
        for (int i = 0; i < table.train().itemCount(); i++) {
            String[] fields = table.trainRows().rows().get(i).fields();
            assertEquals(table.classes().get(table.train().labelAt(i)), fields[1], "row " + i + "'s label");
            assertEquals(Integer.parseInt(fields[0]) + 2, table.trainRows().rows().get(i).line(), "its line, after the header");
        }
    }

    @Test
    void readsSemicolonsAndQuotedValues() throws IOException {
        Path csv = write("t.csv", "name;kind\n\"a;b\";x\n\"say \"\"c\"\"\";y\n\"two\nlines\";x\n");

        LoadedTable table = Tables.load(csv, new TableOptions("kind", ';', Map.of(), false, 0, 0, 1), report);

        assertEquals(List.of("name=a;b", "name=say \"c\"", "name=two\nlines"), table.transform().featureNames());
    }

    @Test
    void declaredTypesWinOverInference() throws IOException {
        Path csv = write("t.csv", "code,id,label\n1,7,a\n2,8,b\n");

        LoadedTable table = Tables.load(csv, options(false, Map.of("code", "categorical", "id", "ignore")), report);

        assertEquals(List.of("code=1", "code=2"), table.transform().featureNames());
        assertEquals("t.csv: 2 rows, 0 numeric and 1 categorical columns, 2 classes", table.description());
    }

    @Test
    void classesAreInNumericOrderWhenNumbersElseAlphabetical() throws IOException {
        Path numbers = write("n.csv", "x,label\n1,10\n2,9\n3,2\n");
        Path words = write("w.csv", "x,label\n1,b\n2,C\n3,a\n");

        assertEquals(List.of("2", "9", "10"), Tables.load(numbers, options(false), report).classes());
        assertEquals(List.of("a", "b", "C"), Tables.load(words, options(false), report).classes());
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsFailsOrIsSkipped() throws IOException {
        Path csv = write("t.csv", "x,label\n1,a\n2,b,extra\n3,a\n4,b\n");

        assertFailsNaming(csv, options(false), csv + ":3: expected 2 fields, found 3");
        assertSkipped(csv, "field_count", 3, 3);
    }

    @Test
    void aValueThatIsNotANumberInANumericColumnFailsOrIsSkipped() throws IOException {
        Path csv = write("t.csv", "x,label\n1,a\nabc,b\n3,a\n4,b\n");

        assertFailsNaming(csv, options(false, Map.of("x", "numeric")),
                csv + ":3: column 'x' is numeric, but holds 'abc'");
        assertSkipped(csv, Map.of("x", "numeric"), "not_numeric", 3, 3);
    }

    @Test
    void aStrayWordInAnInferredColumnOfNumbersIsAnErrorNotACategory() throws IOException {
        StringBuilder rows = new StringBuilder("x,label\n");
        for (int i = 0; i < 40; i++) {
            rows.append(i == 20 ? "n/a?" : String.valueOf(i)).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = write("t.csv", rows.toString());

        assertFailsNaming(csv, options(false), csv + ":22: column 'x' is numeric, but holds 'n/a?'");
        assertSkipped(csv, "not_numeric", 22, 39);
    }

    @Test
    void aLabelThatDiffersOnlyInCaseOrSpacesFailsOrIsSkipped() throws IOException {
        Path csv = write("t.csv", "x,label\n1,cat\n2,cat\n3,\"Cat \"\n4,dog\n");

        assertFailsNaming(csv, options(false), csv + ":4: label 'Cat' differs only in case or spaces from 'cat'");
        LoadedTable table = assertSkipped(csv, "label_variant", 4, 3);
        assertEquals(List.of("cat", "dog"), table.classes());
    }

    @Test
    void aRowWithoutALabelFailsOrIsSkipped() throws IOException {
        Path csv = write("t.csv", "x,label\n1,a\n2,\n3,b\n");

        assertFailsNaming(csv, options(false), csv + ":3: no label in column 'label'");
        assertSkipped(csv, "unknown_label", 3, 2);
    }

    @Test
    void aConfiguredColumnMissingFromTheHeaderFailsWhateverThePolicy() throws IOException {
        Path csv = write("t.csv", "x,label\n1,a\n");

        for (boolean skip : new boolean[] {false, true}) {
            assertFailsNaming(csv, options(skip, Map.of("size", "numeric")), csv.toString(), "'size'",
                    "columns: x, label");
            assertFailsNaming(csv, new TableOptions("class", ',', Map.of(), skip, 0, 0, 1), csv.toString(),
                    "'class'", "columns: x, label");
        }
    }

    @Test
    void theFailureListsTheFirstProblemsOfTheWholeFile() throws IOException {
        Path csv = write("t.csv", "x,label\n" + "1\n".repeat(7) + "1,a\n");

        DataException e = assertThrows(DataException.class, () -> Tables.load(csv, options(false), report));

        assertTrue(e.getMessage().startsWith(csv + ": 7 rows have errors"), e.getMessage());
        assertTrue(e.getMessage().contains(csv + ":6: expected 2 fields, found 1"), e.getMessage());
        assertFalse(e.getMessage().contains(csv + ":7:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("... and 2 more"), e.getMessage());
        assertEquals(7, report.errors().size());
    }

    @Test
    void aRepeatedTrainingRowIsAWarningAndStays() throws IOException {
        Path csv = write("t.csv", "x,color,label\n1,red,a\n2,blue,b\n 1,red,a\n1,red,b\n");

        for (boolean skip : new boolean[] {false, true}) {
            DataReport checked = new DataReport("test");
            LoadedTable table = Tables.load(csv, options(skip), checked);

            assertEquals(List.of(new DataReport.Problem(DataReport.Severity.WARNING, "duplicate", csv.toString(), 4,
                    "this training row repeats line 2")), checked.problems());
            assertEquals(4, table.train().itemCount());
            assertTrue(checked.skippedItems().isEmpty());
        }
    }

    @Test
    void aHeldOutRowThatRepeatsATrainingRowIsAWarning() throws IOException {
        // Class b's two equal rows: a test fraction of one half puts one in training and one in test.
        Path csv = write("t.csv", "x,label\n1,a\n2,a\n3,a\n4,a\n9,b\n9,b\n");

        LoadedTable table = Tables.load(csv, new TableOptions("label", ',', Map.of(), false, 0, 0.5, 3), report);

        List<DataReport.Problem> problems = report.problems();
        assertEquals(1, problems.size());
        DataReport.Problem problem = problems.get(0);
        assertEquals("duplicate_across_splits", problem.kind());
        assertEquals(DataReport.Severity.WARNING, problem.severity());
        assertEquals(csv.toString(), problem.file());
        long trainLine = problem.line() == 6 ? 7 : 6;
        assertEquals("this test row repeats training line " + trainLine, problem.message());
        assertEquals(3, table.train().itemCount());
        assertEquals(3, table.test().itemCount());
    }

    @Test
    void aLargestClassMoreThanTenTimesTheSmallestIsAWarning() throws IOException {
        Path imbalanced = write("i.csv", "x,label\n" + "1,a\n".repeat(11) + "2,b\n");
        Path balancedEnough = write("b.csv", "x,label\n" + "1,a\n".repeat(10) + "2,b\n");

        Tables.load(imbalanced, options(false), report);
        Tables.load(balancedEnough, options(false), report);

        List<DataReport.Problem> warnings = report.problems().stream()
                .filter(p -> p.kind().equals("class_imbalance")).toList();
        assertEquals(List.of(new DataReport.Problem(DataReport.Severity.WARNING, "class_imbalance",
                imbalanced.toString(), 0, "class 'a' has 11 rows, class 'b' only 1 (more than 10 times fewer)")),
                warnings);
    }

    @Test
    void theReportCountsEachSplitsClasses() throws IOException {
        Path csv = write("t.csv", "x,label\n" + "1,a\n2,a\n3,a\n4,a\n5,a\n6,b\n7,b\n8,b\n9,b\n10,b\n");

        Tables.load(csv, new TableOptions("label", ',', Map.of(), false, 0.25, 0.2, 5), report);

        JsonNode counts = report.toJson().get("class_counts");
        assertEquals(3, counts.get("train").get("a").asInt());
        assertEquals(1, counts.get("valid").get("b").asInt());
        assertEquals(1, counts.get("test").get("a").asInt());
    }

    @Test
    void trainingFeaturesAreStandardisedByTrainingStatisticsAlone() throws IOException {
        StringBuilder text = new StringBuilder("x,label\n");
        IntStream.range(0, 40).forEach(i -> text.append(i * i % 17).append(',').append(i % 2 == 0 ? "a" : "b")
                .append('\n'));
        Path csv = write("t.csv", text.toString());

        LoadedTable table = Tables.load(csv, new TableOptions("label", ',', Map.of(), false, 0.25, 0.25, 9), report);

        float[] train = features(table.train());
        float[] held = features(table.valid());
        assertEquals(0, mean(train), 1e-5);
        assertEquals(1, Math.sqrt(IntStream.range(0, train.length).mapToDouble(i -> train[i] * train[i]).sum()
                / train.length), 1e-5);
        assertTrue(Math.abs(mean(held)) > 1e-3, "held-out rows are not standardised by their own mean");
    }

    private static float[] features(TableDataset dataset) {
        int[] order = IntStream.range(0, dataset.itemCount()).toArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = dataset.batch(manager, order, 0, order.length, 0, dataset.newBuffer(order.length));
            return batch.getData().singletonOrThrow().toFloatArray();
        }
    }

    private static double mean(float[] values) {
        return IntStream.range(0, values.length).mapToDouble(i -> values[i]).average().orElseThrow();
    }

    private void assertFailsNaming(Path csv, TableOptions options, String... parts) {
        DataException e = assertThrows(DataException.class, () -> Tables.load(csv, options, new DataReport("test")));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private LoadedTable assertSkipped(Path csv, String kind, long line, int rowsLeft) {
        return assertSkipped(csv, Map.of(), kind, line, rowsLeft);
    }

    private LoadedTable assertSkipped(Path csv, Map<String, String> types, String kind, long line, int rowsLeft) {
        LoadedTable table = Tables.load(csv, options(true, types), report);

        assertEquals(List.of(csv + ":" + line), report.skippedItems());
        assertEquals(1, report.errors().size());
        assertEquals(kind, report.errors().get(0).kind());
        assertEquals(line, report.errors().get(0).line());
        assertEquals(rowsLeft, table.train().itemCount());
        assertTrue(table.description().contains(rowsLeft + " rows (1 bad row skipped)"), table.description());
        return table;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static TableOptions options(boolean skip) {
        return options(skip, Map.of());
    }

    private static TableOptions options(boolean skip, Map<String, String> types) {
        return new TableOptions("label", ',', types, skip, 0, 0, 42);
    }
}
