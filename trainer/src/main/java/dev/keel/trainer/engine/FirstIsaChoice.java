package dev.keel.trainer.engine;

/**
 * The first {@link IsaChoice} applied in a process, which is the one oneDNN keeps: it reads {@code
 * ONEDNN_MAX_CPU_ISA} once, so a later value has no effect. The first choice is set in the native
 * environment (unless the environment holds that value already); every later one is answered with
 * the first value, and, when it wanted another, a reason that says so.
 */
final class FirstIsaChoice {
    /** Sets a variable in the process's native environment; throws when it cannot. */
    interface NativeEnvironment {
        void set(String name, String value);
    }

    private final String environmentValue;
    private final NativeEnvironment environment;
    private IsaChoice first;

    /**
     * @param environmentValue {@code ONEDNN_MAX_CPU_ISA} as the process started with it, or null
     * @param environment where a choice is set
     */
    FirstIsaChoice(String environmentValue, NativeEnvironment environment) {
        this.environmentValue = environmentValue;
        this.environment = environment;
    }

    /** Applies {@code wanted} if it is the first choice; returns the choice in effect. */
    synchronized IsaChoice apply(IsaChoice wanted) {
        if (first == null) {
            first = set(wanted);
            return first;
        }
        if (first.value().equals(wanted.value())) {
            return wanted;
        }
        return new IsaChoice(first.value(), "set earlier in this process (" + first.reason() + "); oneDNN keeps"
                + " the value it read first, so " + wanted.value() + " (" + wanted.reason() + ") cannot take effect");
    }

    private IsaChoice set(IsaChoice wanted) {
        if (wanted.value().equals(environmentValue)) {
            return wanted;
        }
        try {
            environment.set(IsaChoice.VARIABLE, wanted.value());
            return wanted;
        } catch (RuntimeException | LinkageError e) {
            String inEffect = environmentValue == null || environmentValue.isBlank() ? IsaChoice.NO_CAP
                    : environmentValue;
            return new IsaChoice(inEffect, wanted.value() + " could not be set in this process (" + e + ") for "
                    + wanted.reason() + "; set " + IsaChoice.VARIABLE + "=" + wanted.value() + " in the environment");
        }
    }
}
