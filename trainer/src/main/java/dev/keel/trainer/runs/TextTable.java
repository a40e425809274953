package dev.keel.trainer.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Rows of text in aligned columns, two spaces apart; numeric columns aligned right. */
public final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();
    private final Set<Integer> rightAligned;

    /** A table whose first row is {@code header}; {@code rightAligned} holds the indexes of numeric columns. */
    public TextTable(List<String> header, Set<Integer> rightAligned) {
        this.rightAligned = rightAligned;
        rows.add(header);
    }

    public void add(String... cells) {
        rows.add(List.of(cells));
    }

    /** A row, one cell per column of the header. */
    public void add(List<String> cells) {
        rows.add(List.copyOf(cells));
    }

    /** The rows, header first, each led by {@code indent}, without trailing spaces. */
    public List<String> lines(String indent) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                String padding = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(rightAligned.contains(c) ? padding + cell : cell + padding);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
