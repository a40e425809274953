package dev.keel.serving.engine;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * oneDNN's instruction-set cap, {@code ONEDNN_MAX_CPU_ISA}, set in this process's native environment.
 * oneDNN reads it once, the first time libtorch asks it about the CPU (the first convolution or
 * matrix product), so it must be set before a model first runs; Java cannot change its own
 * environment, so it is set with the C library's {@code setenv}, through JNA.
 */
public final class OneDnnCap {
    /** The environment variable oneDNN reads. */
    public static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";

    private OneDnnCap() {}

    /** Sets {@code name} to {@code value} in this process's native environment, replacing what it held. */
    public static void setInNativeEnvironment(String name, String value) {
        Native.load("c", CLibrary.class).setenv(name, value, 1);
    }

    /**
     * Caps oneDNN at {@code value} unless the process was started with {@code ONEDNN_MAX_CPU_ISA} set,
     * which wins. Does nothing for a null or blank value.
     *
     * @return the value in effect as far as this process's environment says
     */
    public static synchronized String applyUnlessSet(String value) {
        String started = System.getenv(VARIABLE);
        if (started != null && !started.isBlank()) {
            return started;
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        setInNativeEnvironment(VARIABLE, value);
        return value;
    }

    /** The C library's {@code setenv(3)}. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite) throws LastErrorException;
    }
}
