package dev.keel.drift.report;

import dev.keel.trainer.report.Html;

/**
 * One section of a drift report (the table's columns, images, predictions): a record that Jackson
 * writes into drift.json under {@link #key()}, that renders itself into drift.html, and that gives
 * its verdict and its part of the summary line.
 */
public interface DriftSection {
    /** The section's key in drift.json's {@code sections}, e.g. {@code table}. */
    String key();

    /** Whether this section found drift: any section that does makes the dataset verdict drift (exit code 4). */
    boolean drifted();

    /** Its part of the one summary line, e.g. {@code 1 of 30 columns drifted (share 0.03 < 0.5): no dataset drift}. */
    String summary();

    /** Appends its heading, tables and charts to drift.html. */
    void render(Html html);
}
