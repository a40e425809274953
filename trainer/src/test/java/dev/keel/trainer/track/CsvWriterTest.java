package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuotedAndNothingElse() {
        String csv = CsvWriter.text(List.of("item", "class"), List.of(List.of("a,b.png", "say \"hi\""),
                List.of("new\nline", "cr\ronly"), List.of(" spaced #1 ", "")), row -> row);
        assertEquals("item,class\n\"a,b.png\",\"say \"\"hi\"\"\"\n\"new\nline\",\"cr\ronly\"\n spaced #1 ,\n", csv);
    }

    @Test
    void rowsStreamToTheWriter() throws Exception {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = new CsvWriter(out)) {
            csv.row(List.of("input", "p"));
            csv.row(List.of("x.png", "0.5"));
            csv.flush();
            assertEquals("input,p\nx.png,0.5\n", out.toString());
            assertThrows(IllegalArgumentException.class, () -> csv.row(List.of()));
        }
    }

    @Test
    void predictionRowsKeepTheirBytes() {
        assertEquals("input,predicted,confidence,review,p_a b,p_#1\n", CsvWriter.text(List.of("input", "predicted",
                "confidence", "review", "p_a b", "p_#1"), List.<List<String>>of(), row -> row));
        assertEquals("h\n\"x,y.png\",\"say \"\"hi\"\"\",\"new\nline\",\"cr\rhere\",\"\r\n\", lead ,trail ,\t,é…,,"
                + "0.500000,1.00000e-07,true\n\n\"\"\"\"\n", CsvWriter.text(List.of("h"), List.of(List.of("x,y.png",
                "say \"hi\"", "new\nline", "cr\rhere", "\r\n", " lead ", "trail ", "\t", "é…", "", "0.500000",
                "1.00000e-07", "true"), List.of(""), List.of("\"")), row -> row));
    }
}
