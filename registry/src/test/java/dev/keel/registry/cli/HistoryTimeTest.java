package dev.keel.registry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.trainer.config.ConfigException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The times {@code keel registry history --at} reads: ISO-8601 instants, offsets, local date-times and dates. */
class HistoryTimeTest {
    @Test
    void instantsOffsetsAndLocalTimesAreRead() {
        assertEquals(Instant.parse("2026-12-06T19:00:00Z"), RegistryCommand.History.parseTime("2026-12-06T19:00:00Z"));
        assertEquals(Instant.parse("2026-12-06T19:00:00Z"),
                RegistryCommand.History.parseTime("2026-12-06T20:00:00+01:00"));
        assertEquals(LocalDateTime.parse("2026-12-06T19:00").atZone(ZoneId.systemDefault()).toInstant(),
                RegistryCommand.History.parseTime("2026-12-06T19:00"));
        assertEquals(LocalDate.parse("2026-12-06").atStartOfDay(ZoneId.systemDefault()).toInstant(),
                RegistryCommand.History.parseTime("2026-12-06"));
    }

    @Test
    void anythingElseIsRefusedNamingTheForms() {
        ConfigException e = assertThrows(ConfigException.class, () -> RegistryCommand.History.parseTime("06/12/2026"));
        assertEquals("--at 06/12/2026: expected an ISO-8601 time such as 2026-12-06T19:00:00Z,"
                + " 2026-12-06T20:00:00+01:00 or 2026-12-06T19:00 (local time)", e.getMessage());
    }
}
