package dev.keel.trainer.config;

/**
 * A config that cannot be used. The message names the file, the key path, the value found and
 * what is allowed, in one line a command line prints as it is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** A problem with one key: {@code "FILE: KEY: found VALUE, expected WHAT"}. */
    public static ConfigException at(String file, String key, String found, String expected) {
        return new ConfigException(file + ": " + key + ": found " + found + ", expected " + expected);
    }
}
