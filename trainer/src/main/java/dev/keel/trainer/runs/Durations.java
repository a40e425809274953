package dev.keel.trainer.runs;

import java.util.Locale;

/** Seconds as people read them: {@code 3.7s}, {@code 42s}, {@code 1m 32s}, {@code 2h 5m 3s}. */
final class Durations {
    private Durations() {}

    /** {@code seconds} as a duration; "-" when null or not finite. */
    static String of(Double seconds) {
        if (seconds == null || !Double.isFinite(seconds)) {
            return "-";
        }
        return format(seconds);
    }

    /** A difference of durations, with its sign: {@code +38s}, {@code -1m 2s}. */
    static String signed(double seconds) {
        return (seconds < 0 ? "-" : "+") + format(Math.abs(seconds));
    }

    private static String format(double seconds) {
        if (Math.abs(seconds) < 10) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long whole = Math.round(seconds);
        long hours = whole / 3600;
        long minutes = whole % 3600 / 60;
        long rest = whole % 60;
        if (hours > 0) {
            return hours + "h " + minutes + "m " + rest + "s";
        }
        return minutes > 0 ? minutes + "m " + rest + "s" : rest + "s";
    }
}
