package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How durations and config values read in the listing and the comparison. */
class RunFormatTest {
    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("3.7s", Durations.of(3.68));
        assertEquals("42s", Durations.of(42.4));
        assertEquals("1m 0s", Durations.of(59.6));
        assertEquals("1m 32s", Durations.of(91.96));
        assertEquals("2h 0m 5s", Durations.of(7205.0));
        assertEquals("-", Durations.of(null));
        assertEquals("-", Durations.of(Double.NaN));
        assertEquals("+38s", Durations.signed(38.2));
        assertEquals("-1m 2s", Durations.signed(-62.0));
    }

    @Test
    void aConfigFlattensToDottedKeysWithListsAsOneValue() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree("""
                name: quickstart
                data:
                  columns: {}
                  augment:
                    flip: 0.5
                model:
                  channels: [24, 48]
                optimizer:
                  lr: auto
                """);

        Map<String, JsonNode> keys = ConfigKeys.flatten(config);

        assertEquals(List.of("name", "data.columns", "data.augment.flip", "model.channels", "optimizer.lr"),
                List.copyOf(keys.keySet()));
        assertEquals("{}", ConfigKeys.show(keys.get("data.columns")));
        assertEquals("[24, 48]", ConfigKeys.show(keys.get("model.channels")));
        assertEquals("auto", ConfigKeys.show(keys.get("optimizer.lr")));
    }

    @Test
    void numbersAreTheSameByValue() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertTrue(ConfigKeys.same(json.readTree("5"), json.readTree("5.0")));
        assertTrue(ConfigKeys.same(json.readTree("1e-7"), json.readTree("1.0E-7")));
        assertFalse(ConfigKeys.same(json.readTree("5"), json.readTree("\"5\"")));
    }
}
