package dev.keel.registry.store;

import dev.keel.trainer.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A registered version's stage, as MLflow's model registry has them. Staging and production have at
 * most one holder per model; any number of versions can be in none or archived.
 */
public enum Stage {
    NONE, STAGING, PRODUCTION, ARCHIVED;

    /** The stage as users type it and the registry stores it: {@code production}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether one version at most holds this stage. */
    public boolean single() {
        return this == STAGING || this == PRODUCTION;
    }

    /**
     * The stage {@code text} names.
     *
     * @throws ConfigException naming {@code what} and the stages there are
     */
    public static Stage parse(String text, String what) {
        for (Stage stage : values()) {
            if (stage.word().equals(text)) {
                return stage;
            }
        }
        throw new ConfigException(what + " \"" + text + "\": unknown stage; expected one of "
                + Arrays.stream(values()).map(Stage::word).collect(Collectors.joining(", ")));
    }
}
