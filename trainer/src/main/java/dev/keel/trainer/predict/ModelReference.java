package dev.keel.trainer.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * A model named on the command line, resolved to the run directory that holds it: a run directory
 * given as such, or a registry reference ({@code NAME@production}, {@code NAME@3}) that Keel's
 * registry resolved after checking the run's files against what it registered.
 *
 * @param text what the user typed, for messages
 * @param runDir the run directory whose {@code model/} to load
 * @param registryVersion the registry's record of the version, or null for a run directory given as such
 */
public record ModelReference(String text, Path runDir, ObjectNode registryVersion) {

    /** A run directory given as such. */
    public static ModelReference runDirectory(Path runDir) {
        return new ModelReference(runDir.toString(), runDir, null);
    }

    /** Whether the text reads as a registry reference ({@code NAME@STAGE}, {@code NAME@VERSION}, {@code NAME@ALIAS}). */
    public static boolean looksLikeRegistryReference(String text) {
        return text.matches("[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9._-]+");
    }
}
