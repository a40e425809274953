package dev.keel.serving.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTransformTest {
    private static final List<String> HEADER = List.of("size", "color", "id", "label");
    private static final Map<String, ColumnType> TYPES = Map.of("size", ColumnType.NUMERIC, "color",
            ColumnType.CATEGORICAL, "id", ColumnType.IGNORE);

    private final TableTransform transform = TableTransform.fit(HEADER, TYPES, List.of(
            new String[] {"1", "red", "a", "x"},
            new String[] {"3", " blue", "b", "x"},
            new String[] {" NA ", "red", "c", "y"},
            new String[] {"5", "?", "d", "y"}));

    @Test
    void featuresAreNamedInColumnOrderWithIndicatorsForColumnsThatMissedValues() {
        assertEquals(List.of("size", "size_missing", "color=blue", "color=red", "color_missing"),
                transform.featureNames());
    }

    @Test
    void missingNumbersBecomeTheTrainingMedianAndAreFlagged() {
        // Training values 1, 3, 5 have median 3; after imputation 1, 3, 3, 5: mean 3, std sqrt(2).
        float[] missing = transform.apply(new String[] {"n/a", "red", "z", "x"});
        float[] present = transform.apply(new String[] {"5", "red", "z", "x"});

        assertEquals(0f, missing[0]);
        assertEquals(1f, missing[1]);
        assertEquals((float) Math.sqrt(2), present[0], 1e-6f);
        assertEquals(0f, present[1]);
    }

    @Test
    void categoriesAreOneHotAndAnUnknownOneIsAllZeros() {
        assertArrayEquals(new float[] {1, 0, 0}, categoryPart(transform.apply(new String[] {"1", "blue ", "z", "x"})));
        assertArrayEquals(new float[] {0, 0, 0}, categoryPart(transform.apply(new String[] {"1", "green", "z", "x"})));
        // missing: the most frequent training value, red, and the indicator
        assertArrayEquals(new float[] {0, 1, 1}, categoryPart(transform.apply(new String[] {"1", "", "z", "x"})));
    }

    @Test
    void standardisationUsesTheStatisticsOfTheRowsItWasFittedOn() {
        TableTransform fitted = TableTransform.fit(List.of("v"), Map.of("v", ColumnType.NUMERIC),
                List.of(new String[] {"0"}, new String[] {"2"}));

        // mean 1, std 1: a later value far outside changes nothing
        assertArrayEquals(new float[] {9}, fitted.apply(new String[] {"10"}));
        assertArrayEquals(new float[] {-1}, fitted.apply(new String[] {"0"}));
    }

    @Test
    void aConstantColumnIsCenteredNotDividedByZero() {
        TableTransform fitted = TableTransform.fit(List.of("v"), Map.of("v", ColumnType.NUMERIC),
                List.of(new String[] {"4"}, new String[] {"4"}));

        assertArrayEquals(new float[] {1}, fitted.apply(new String[] {"5"}));
    }

    @Test
    void theJsonRoundTripGivesIdenticalVectors() {
        String saved = transform.toJson().toString();
        JsonElement read = JsonParser.parseString(saved);

        TableTransform loaded = TableTransform.fromJson(read);

        assertEquals(transform.featureNames(), loaded.featureNames());
        assertEquals(transform.inputColumns(), loaded.inputColumns());
        for (String[] row : List.of(new String[] {"1.1", "red", "z", "x"}, new String[] {"?", "green", "z", "x"},
                new String[] {"-7e3", "", "z", "x"})) {
            assertArrayEquals(transform.apply(row), loaded.apply(row));
        }
    }

    @Test
    void aTransformOfAnotherVersionIsRefused() {
        JsonObject json = transform.toJson();
        json.addProperty("version", 99);

        assertThrows(IllegalArgumentException.class, () -> TableTransform.fromJson(json));
    }

    @Test
    void aRowOfTheWrongWidthOrANonNumberIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> transform.apply(new String[] {"1", "red"}));
        assertThrows(IllegalArgumentException.class, () -> transform.apply(new String[] {"big", "red", "z", "x"}));
    }

    private static float[] categoryPart(float[] features) {
        return new float[] {features[2], features[3], features[4]};
    }

    @Test
    void aRowByColumnNameEncodesAsTheSameRowInCsvOrder() {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("color", "blue");
        row.put("size", 2.5);
        row.put("unused", "anything");

        assertArrayEquals(transform.apply(new String[] {"2.5", "blue", "", ""}), transform.apply(row));
        row.put("size", null);
        assertArrayEquals(transform.apply(new String[] {"NA", "blue", "z", "x"}), transform.apply(row),
                "null is a missing value");
    }

    @Test
    void aRowWithoutAColumnTheModelReadsIsRefusedNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> transform.apply(Map.of("size", "1")));

        assertEquals("no column 'color' (the model reads the columns size, color)", refused.getMessage());
    }
}
