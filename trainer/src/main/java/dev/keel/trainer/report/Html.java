package dev.keel.trainer.report;

import java.util.Base64;
import java.util.List;

/**
 * An HTML page under construction, as Keel's self-contained pages (a run's report.html, a study's
 * study.html) are written. Every text given to it is escaped, so a class name, a file name or a
 * message from the data cannot break the page or add markup to it.
 */
public final class Html {
    private final StringBuilder page = new StringBuilder();

    /**
     * A cell of {@link #cellTable}: text, or a link to {@code href} (relative, escaped like the text)
     * when it is not null.
     */
    public record Cell(String text, String href) {
        /** A cell of text; null stays empty. */
        public static Cell text(String text) {
            return new Cell(text, null);
        }

        /** A cell that links {@code text} to {@code href}. */
        public static Cell link(String text, String href) {
            return new Cell(text, href);
        }
    }

    /** {@code text} with the five characters that mean something in HTML replaced by entities. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /**
     * The start of a page: its head, titled {@code title}, with {@code style} inline, and the opening
     * of its body; {@link #close} ends it.
     */
    public Html open(String title, String style) {
        raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        element("title", null, title);
        return raw("<style>\n" + style + "</style>\n</head>\n<body>\n<main>\n");
    }

    /** Ends the page {@link #open} began, and returns it. */
    public String close() {
        return raw("</main>\n</body>\n</html>\n").toString();
    }

    /** Markup written by Keel itself: tags and attributes, never data. */
    public Html raw(String markup) {
        page.append(markup);
        return this;
    }

    public Html text(String text) {
        page.append(escape(text));
        return this;
    }

    /** {@code <tag class="...">text</tag>}; no class when {@code cssClass} is null. */
    public Html element(String tag, String cssClass, String text) {
        page.append('<').append(tag);
        if (cssClass != null) {
            page.append(" class=\"").append(cssClass).append('"');
        }
        page.append('>').append(escape(text)).append("</").append(tag).append(">\n");
        return this;
    }

    public Html heading(String text) {
        return element("h2", null, text);
    }

    public Html paragraph(String text) {
        return element("p", null, text);
    }

    /** A table: the header row, then the rows; a cell of null stays empty. */
    public Html table(List<String> header, List<List<String>> rows) {
        return cellTable(header, rows.stream().map(row -> row.stream().map(Cell::text).toList()).toList());
    }

    /** A table whose cells may be links: the header row, then the rows. */
    public Html cellTable(List<String> header, List<List<Cell>> rows) {
        page.append("<table>\n<tr>");
        header.forEach(cell -> page.append("<th>").append(escape(cell)).append("</th>"));
        page.append("</tr>\n");
        for (List<Cell> row : rows) {
            page.append("<tr>");
            row.forEach(cell -> {
                page.append("<td>");
                if (cell.href() != null) {
                    link(cell.text(), cell.href());
                } else if (cell.text() != null) {
                    text(cell.text());
                }
                page.append("</td>");
            });
            page.append("</tr>\n");
        }
        page.append("</table>\n");
        return this;
    }

    /** {@code <a href="href">text</a>}, both escaped, inline. */
    public Html link(String text, String href) {
        page.append("<a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a>");
        return this;
    }

    /** A table of names and values, one pair a row. */
    public Html pairs(List<List<String>> rows) {
        page.append("<table class=\"pairs\">\n");
        for (List<String> row : rows) {
            page.append("<tr><th>").append(escape(row.get(0))).append("</th><td>").append(escape(row.get(1)))
                    .append("</td></tr>\n");
        }
        page.append("</table>\n");
        return this;
    }

    /** A PNG inlined as a data URI, so the page needs no other file, with its caption. */
    public Html figure(byte[] png, String alt, String caption) {
        page.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\" alt=\"").append(escape(alt)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    @Override
    public String toString() {
        return page.toString();
    }
}
