package dev.keel.trainer.lrfind;

import java.util.Arrays;
import java.util.List;

/** Which of a sweep's {@link LrSuggestions} a run trains with: the {@code lr_find.suggestion} key. */
public enum LrSuggestion {
    /**
     * Keel's default: a tenth of the rate in the middle (on the log scale) of the curve's bottom,
     * the range of rates around the lowest loss whose smoothed loss is within
     * {@link LrSuggestions#BOTTOM_SHARE} of the sweep's whole drop from its lowest value. It reads
     * the width of the bottom, not one noisy point of it: across seeds it moves about half as much
     * as {@code minimum/10} does.
     */
    BOTTOM_DIV_10("bottom_div_10", "bottom/10"),
    /** fastai's default: the middle of the longest valley of the loss curve. */
    VALLEY("valley", "valley"),
    /** Where the loss falls fastest against the log of the rate. */
    STEEP("steep", "steep"),
    /** A tenth of the rate at the lowest loss: one order of magnitude before the loss turns up. */
    MINIMUM_DIV_10("minimum_div_10", "minimum/10");

    private final String label;
    private final String title;

    LrSuggestion(String label, String title) {
        this.label = label;
        this.title = title;
    }

    /** The name for people: console lines and the plot. */
    public String title() {
        return title;
    }

    /** The name in configs and in lr_find.json. */
    public String label() {
        return label;
    }

    /** The rate this suggestion picks from {@code suggestions}. */
    public double pick(LrSuggestions suggestions) {
        return switch (this) {
            case BOTTOM_DIV_10 -> suggestions.bottomDiv10();
            case VALLEY -> suggestions.valley();
            case STEEP -> suggestions.steep();
            case MINIMUM_DIV_10 -> suggestions.minimumDiv10();
        };
    }

    /** Every label, for messages and validation. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(LrSuggestion::label).toList();
    }

    /** The suggestion with this label. */
    public static LrSuggestion of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("suggestion \"" + label + "\" is not one of " + labels()));
    }
}
