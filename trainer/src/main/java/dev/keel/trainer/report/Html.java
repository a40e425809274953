package dev.keel.trainer.report;

import java.util.Base64;
import java.util.List;

/**
 * An HTML page under construction. Every text given to it is escaped, so a class name, a file
 * name or a message from the data cannot break the page or add markup to it.
 */
final class Html {
    private final StringBuilder page = new StringBuilder();

    /** {@code text} with the five characters that mean something in HTML replaced by entities. */
    static String escape(String text) {
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

    /** Markup written by Keel itself: tags and attributes, never data. */
    Html raw(String markup) {
        page.append(markup);
        return this;
    }

    Html text(String text) {
        page.append(escape(text));
        return this;
    }

    /** {@code <tag class="...">text</tag>}; no class when {@code cssClass} is null. */
    Html element(String tag, String cssClass, String text) {
        page.append('<').append(tag);
        if (cssClass != null) {
            page.append(" class=\"").append(cssClass).append('"');
        }
        page.append('>').append(escape(text)).append("</").append(tag).append(">\n");
        return this;
    }

    Html heading(String text) {
        return element("h2", null, text);
    }

    Html paragraph(String text) {
        return element("p", null, text);
    }

    /** A table: the header row, then the rows; a cell of null stays empty. */
    Html table(List<String> header, List<List<String>> rows) {
        page.append("<table>\n<tr>");
        header.forEach(cell -> page.append("<th>").append(escape(cell)).append("</th>"));
        page.append("</tr>\n");
        for (List<String> row : rows) {
            page.append("<tr>");
            row.forEach(cell -> page.append("<td>").append(cell == null ? "" : escape(cell)).append("</td>"));
            page.append("</tr>\n");
        }
        page.append("</table>\n");
        return this;
    }

    /** A table of names and values, one pair a row. */
    Html pairs(List<List<String>> rows) {
        page.append("<table class=\"pairs\">\n");
        for (List<String> row : rows) {
            page.append("<tr><th>").append(escape(row.get(0))).append("</th><td>").append(escape(row.get(1)))
                    .append("</td></tr>\n");
        }
        page.append("</table>\n");
        return this;
    }

    /** A PNG inlined as a data URI, so the page needs no other file, with its caption. */
    Html figure(byte[] png, String alt, String caption) {
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
