package dev.keel.trainer.interpret;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows {@code keel predict --out} writes, byte for byte. */
class CsvRowTest {
    @Test
    void aFieldIsQuotedOnlyWhenItHoldsACommaAQuoteOrALineBreak() {
        assertEquals("input,predicted,confidence,review,p_a b,p_#1", CsvRow.of(List.of("input", "predicted",
                "confidence", "review", "p_a b", "p_#1")));
        assertEquals("\"x,y.png\",\"say \"\"hi\"\"\",\"new\nline\",\"cr\rhere\",\"\r\n\", lead ,trail ,\t,é…,,"
                + "0.500000,1.00000e-07,true", CsvRow.of(List.of("x,y.png", "say \"hi\"", "new\nline", "cr\rhere",
                "\r\n", " lead ", "trail ", "\t", "é…", "", "0.500000", "1.00000e-07", "true")));
        assertEquals("", CsvRow.of(List.of("")));
        assertEquals("\"\"\"\"", CsvRow.of(List.of("\"")));
    }
}
