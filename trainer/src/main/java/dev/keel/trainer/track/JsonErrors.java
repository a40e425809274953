package dev.keel.trainer.track;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A JSON parser's complaint about a run's file as one short line: what is wrong and where. Jackson's
 * own message runs over several lines and quotes its source, which says nothing to a user.
 */
public final class JsonErrors {
    private JsonErrors() {}

    /** What is wrong, then {@code (line L, column C)} where the parser knows it. */
    public static String describe(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        int source = message.indexOf(" (start marker at [Source:");
        if (source > 0) {
            message = message.substring(0, source);
        }
        return e.getLocation() == null ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
