package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How durations read in the listing. */
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
}
