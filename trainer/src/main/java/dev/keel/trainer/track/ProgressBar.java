package dev.keel.trainer.track;

import java.io.PrintStream;

/**
 * A progress line on a terminal, redrawn in place: {@code <label> [=====       ] <done>/<total>
 * <details>}, with a bar of 24 cells. It is drawn at most every 100 ms unless the caller forces
 * it, and cleared before what is printed next. A log gets no bar: its writer prints plain lines.
 */
public final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 24;
    /** Back to the start of the line, and erase it. */
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream out;
    private long lastDraw;

    /** A bar on {@code out}, a terminal. */
    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    /**
     * Whether to draw now: 100 ms have passed since the last drawing, or {@code force}. When it
     * says yes, the next 100 ms count from now.
     */
    public boolean due(boolean force) {
        long now = System.nanoTime();
        if (force || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            return true;
        }
        return false;
    }

    /** Draws the line over the current one: {@code done} of {@code total} filled in. */
    public void draw(String label, long done, long total, String details) {
        int filled = (int) (WIDTH * done / total);
        out.print(CLEAR_LINE + label + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total
                + " " + details);
        out.flush();
    }

    /** Erases the line, leaving the cursor at its start. */
    public void clear() {
        out.print(CLEAR_LINE);
        out.flush();
    }
}
