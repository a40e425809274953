package dev.keel.trainer.runs;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runs under a runs root, newest first, one line each: id, kind, config name, test accuracy,
 * duration, when it started, and its status. No run directory, however broken, stops the listing:
 * a run that is training, half-written or unreadable is listed as such.
 */
public final class RunListing {
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final Path root;
    private final List<RunFolder> runs;
    private final List<String> others;

    /** {@code runs} newest first; {@code others}: the names of the root's folders that are not runs. */
    private RunListing(Path root, List<RunFolder> runs, List<String> others) {
        this.root = root;
        this.runs = runs;
        this.others = others;
    }

    /**
     * Reads every folder under {@code root}; a root that does not exist holds no runs.
     *
     * @throws ConfigException when {@code root} is a file or cannot be read
     */
    public static RunListing read(Path root) {
        if (!Files.exists(root)) {
            return new RunListing(root, List.of(), List.of());
        }
        if (!Files.isDirectory(root)) {
            throw new ConfigException("--runs-root " + root + ": is a file (expected a folder)");
        }
        List<Path> folders;
        try (Stream<Path> entries = Files.list(root)) {
            folders = entries.filter(Files::isDirectory).toList();
        } catch (AccessDeniedException e) {
            throw new ConfigException("--runs-root " + root + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new ConfigException("--runs-root " + root + ": cannot be read (" + e.getMessage() + ")");
        }
        List<RunFolder> runs = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Path folder : folders) {
            RunFolder run = RunFolder.read(folder);
            if (run.isRun()) {
                runs.add(run);
            } else {
                others.add(run.id());
            }
        }
        runs.sort(Comparator.comparing(RunListing::startedOrModified).thenComparing(RunFolder::id).reversed());
        others.sort(Comparator.naturalOrder());
        return new RunListing(root, List.copyOf(runs), List.copyOf(others));
    }

    /** The listing as printed, times in {@code zone}. */
    public List<String> lines(ZoneId zone) {
        if (runs.isEmpty()) {
            String why = !Files.exists(root) ? root + " does not exist" : "no runs in " + root;
            List<String> lines = new ArrayList<>(List.of(
                    why + " yet; train one with ./keel train CONFIG, or name another folder with --runs-root DIR"));
            notRuns().ifPresent(lines::add);
            return lines;
        }
        TextTable table = new TextTable(List.of("ID", "KIND", "CONFIG", "TEST ACC", "DURATION", "STARTED", "STATUS"),
                Set.of(3, 4));
        for (RunFolder run : runs) {
            Double accuracy = run.isLrFind() ? null : run.values().testAccuracy();
            Instant started = run.started();
            table.add(run.id(), run.isLrFind() ? "lr-find" : "train", orDash(run.configName()),
                    accuracy == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * accuracy),
                    Durations.of(run.seconds()), started == null ? "-" : STARTED.format(started.atZone(zone)),
                    RunStatus.of(run));
        }
        List<String> lines = new ArrayList<>(table.lines(""));
        notRuns().ifPresent(lines::add);
        return lines;
    }

    private Optional<String> notRuns() {
        return others.isEmpty() ? Optional.empty()
                : Optional.of("not runs (no Keel run files): " + String.join(", ", others));
    }

    /** A run that has not recorded its start (killed before provenance.json) sorts by its folder's last change. */
    private static Instant startedOrModified(RunFolder run) {
        Instant started = run.started();
        if (started != null) {
            return started;
        }
        try {
            return Files.getLastModifiedTime(run.dir()).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
