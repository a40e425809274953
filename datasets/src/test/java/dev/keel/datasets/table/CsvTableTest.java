package dev.keel.datasets.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.datasets.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path dir;

    @Test
    void quotedFieldsKeepDelimitersLineBreaksAndDoubledQuotes() throws IOException {
        Path csv = write("name ; note;y\n"
                + "a;\"x;y\";1\n"
                + "b;\"two\nlines\";2\n"
                + "\n"
                + "c;\"say \"\"hi\"\"\";3\n");

        CsvTable table = CsvTable.read(csv, ';');

        assertEquals(List.of("name", "note", "y"), table.header());
        assertEquals(3, table.rows().size());
        assertArrayEquals(new String[] {"a", "x;y", "1"}, table.rows().get(0).fields());
        assertArrayEquals(new String[] {"b", "two\nlines", "2"}, table.rows().get(1).fields());
        assertArrayEquals(new String[] {"c", "say \"hi\"", "3"}, table.rows().get(2).fields());
    }

    @Test
    void rowsKnowTheLineTheyStartOn() throws IOException {
        Path csv = write("a,b\r\n1,2\r\n\"3\r\n\",4\r\n\r\n5,6\r\n7\r\n");

        CsvTable table = CsvTable.read(csv, ',');

        assertEquals(List.of(2L, 3L, 6L, 7L), table.rows().stream().map(CsvTable.Row::line).toList());
        assertEquals(1, table.rows().get(3).fields().length);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        Path csv = write("\uFEFFa,b\n1,2\n");

        assertEquals(List.of("a", "b"), CsvTable.read(csv, ',').header());
    }

    @Test
    void anUnclosedQuoteNamesTheFileAndTheLineWhereTheRowStarts() throws IOException {
        Path csv = write("a,b\n1,2\n\"3,4\n5,6\n");

        DataException e = assertThrows(DataException.class, () -> CsvTable.read(csv, ','));

        assertTrue(e.getMessage().startsWith(csv + ":3: not valid CSV"), e.getMessage());
    }

    @Test
    void aFileWithoutDataRowsIsRefused() throws IOException {
        Path empty = write("");
        Path headerOnly = write("a,b\n");

        assertTrue(assertThrows(DataException.class, () -> CsvTable.read(empty, ',')).getMessage()
                .startsWith(empty + ": empty"));
        assertTrue(assertThrows(DataException.class, () -> CsvTable.read(headerOnly, ',')).getMessage()
                .startsWith(headerOnly + ": no rows after the header"));
    }

    @Test
    void aColumnNamedTwiceIsRefused() throws IOException {
        Path csv = write("a,b,a\n1,2,3\n");

        DataException e = assertThrows(DataException.class, () -> CsvTable.read(csv, ','));

        assertEquals(csv + ":1: column 'a' appears twice in the header", e.getMessage());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "table", ".csv"), text);
    }
}
