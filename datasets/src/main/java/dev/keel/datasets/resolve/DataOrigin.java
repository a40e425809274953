package dev.keel.datasets.resolve;

/** Where a named dataset was found, in the order {@link DatasetResolver} looks. */
public enum DataOrigin {
    /** The folder given as {@code data.path} in the config. */
    CONFIG_PATH("data.path"),
    /** {@code $KEEL_DATA/<name>}. */
    KEEL_DATA("$KEEL_DATA"),
    /** The folder a Debian package installs. */
    DEBIAN_PACKAGE("Debian package"),
    /** The small real sample inside Keel's jar. */
    BUNDLED_SAMPLE("bundled sample");

    private final String label;

    DataOrigin(String label) {
        this.label = label;
    }

    /** A short label for messages and provenance. */
    public String label() {
        return label;
    }
}
