package dev.keel.trainer.runs;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The hyperparameter studies under a studies root ({@code keel tune}'s), newest first, one line
 * each: id, status, trials by state, the best objective and its trial, and epochs trained. It reads
 * only each study's {@code study.json}; no study folder, however broken, stops the listing.
 */
public final class StudyListing {
    private final List<StudyFolder> studies;

    private StudyListing(List<StudyFolder> studies) {
        this.studies = studies;
    }

    /**
     * Reads every folder under {@code root}; a root that does not exist holds no studies.
     *
     * @throws ConfigException when {@code root} is a file or cannot be read
     */
    public static StudyListing read(Path root) {
        if (!Files.exists(root)) {
            return new StudyListing(List.of());
        }
        if (!Files.isDirectory(root)) {
            throw new ConfigException("--studies-root " + root + ": is a file (expected a folder)");
        }
        List<StudyFolder> studies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).map(StudyFolder::read).filter(StudyFolder::isStudy)
                    .forEach(studies::add);
        } catch (AccessDeniedException e) {
            throw new ConfigException("--studies-root " + root + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new ConfigException("--studies-root " + root + ": cannot be read (" + e.getMessage() + ")");
        }
        // Study ids start with the time they started (yyyyMMdd-HHmmss-name).
        studies.sort(Comparator.comparing(StudyFolder::id).reversed());
        return new StudyListing(List.copyOf(studies));
    }

    /** Whether the root holds no study. */
    public boolean isEmpty() {
        return studies.isEmpty();
    }

    /** The table as printed: a header and a line a study; nothing when there are none. */
    public List<String> lines() {
        if (studies.isEmpty()) {
            return List.of();
        }
        TextTable table = new TextTable(List.of("STUDY", "STATUS", "TRIALS", "BEST", "EPOCHS"), Set.of(4));
        for (StudyFolder study : studies) {
            table.add(study.id(), study.status(), study.trials(), study.best(), study.epochs());
        }
        return table.lines("");
    }
}
