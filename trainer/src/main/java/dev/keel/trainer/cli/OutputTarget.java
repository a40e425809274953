package dev.keel.trainer.cli;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a command that only reads (such as {@code predict}) may write the file its {@code --out}
 * names. It refuses, before anything is read, every place where writing would destroy something
 * of the user's: one of the command's inputs, a file inside a run directory (the run's record and
 * its model), a folder given as input, or a file that is not an ordinary one. It also refuses what
 * could not be written at all, so that the command fails before it works rather than after.
 */
final class OutputTarget {
    private OutputTarget() {}

    /**
     * @param option the option's name, for messages
     * @param runDir the run directory the command reads
     * @param inputs the files and folders the command reads
     * @throws ConfigException naming the option, the path and why it may not be written
     */
    static void check(String option, Path out, Path runDir, List<Path> inputs) {
        String refused = option + " " + out + ": ";
        if (Files.isDirectory(out)) {
            throw new ConfigException(refused + "is a folder (expected a file name, such as "
                    + out.resolve("predictions.csv") + ")");
        }
        if (Files.exists(out) && !Files.isRegularFile(out)) {
            throw new ConfigException(refused + "is not a regular file (a pipe or a device?); the predictions are"
                    + " printed on standard output already");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            throw new ConfigException(refused + "the folder " + parent + " does not exist (create it first)");
        }
        if (!Files.isDirectory(parent)) {
            throw new ConfigException(refused + parent + " is a file, not a folder");
        }
        Path realParent = realPath(refused, parent);
        for (Path input : inputs) {
            refuseInput(refused, out, realParent, input);
        }
        if (Files.isDirectory(runDir) && realParent.startsWith(realPath(refused, runDir))) {
            throw new ConfigException(refused + "is inside the run directory " + runDir + "; a run's files are its"
                    + " record and its model, so predictions are written elsewhere");
        }
        for (Path folder = realParent; folder != null; folder = folder.getParent()) {
            if (isRunDirectory(folder)) {
                throw new ConfigException(refused + "is inside the run directory " + folder + "; a run's files are"
                        + " its record and its model, so predictions are written elsewhere");
            }
        }
        if (Files.exists(out) && !Files.isWritable(out)) {
            throw new ConfigException(refused + "is read-only");
        }
        if (!Files.isWritable(parent)) {
            throw new ConfigException(refused + "cannot write in " + parent + " (permission denied)");
        }
    }

    /** Whether Keel made {@code folder} as a run: it holds a config and a summary, or a saved model. */
    static boolean isRunDirectory(Path folder) {
        return Files.exists(folder.resolve("config.yaml")) && Files.exists(folder.resolve("summary.json"))
                || Files.exists(folder.resolve("model").resolve("keel-model.json"));
    }

    private static void refuseInput(String refused, Path out, Path realParent, Path input) {
        if (!Files.exists(input)) {
            return;
        }
        try {
            if (Files.isDirectory(input)) {
                if (realParent.startsWith(input.toRealPath())) {
                    throw new ConfigException(refused + "is inside the input folder " + input
                            + "; write it outside the data it reads");
                }
            } else if (Files.exists(out) && Files.isSameFile(out, input)) {
                throw new ConfigException(refused + "is the input " + input + "; writing it would destroy the input");
            }
        } catch (IOException e) {
            throw new ConfigException(refused + "cannot be compared with the input " + input + " ("
                    + e.getMessage() + ")");
        }
    }

    private static Path realPath(String refused, Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new ConfigException(refused + path + " cannot be resolved (" + e.getMessage() + ")");
        }
    }
}
