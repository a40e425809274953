package dev.keel.trainer;

import dev.keel.datasets.fingerprint.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every entry under some folders with the SHA-256 of each regular file, to prove that a command
 * changed nothing: no file edited, added or removed. Pipes and devices are listed by kind, never
 * opened (opening a FIFO would wait for a writer).
 */
public record FileSnapshot(Map<Path, String> entries) {
    /** The snapshot of everything under {@code folders}. */
    public static FileSnapshot of(Path... folders) throws IOException {
        Map<Path, String> entries = new TreeMap<>();
        for (Path folder : folders) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path path : walk.toList()) {
                    entries.put(path, describe(path));
                }
            }
        }
        return new FileSnapshot(entries);
    }

    /** What differs from {@code before}, one line per path; empty when nothing does. */
    public List<String> changesSince(FileSnapshot before) {
        List<String> changes = new ArrayList<>();
        before.entries.forEach((path, was) -> {
            String now = entries.get(path);
            if (now == null) {
                changes.add("removed " + path);
            } else if (!now.equals(was)) {
                changes.add("changed " + path);
            }
        });
        entries.keySet().stream().filter(p -> !before.entries.containsKey(p)).forEach(p -> changes.add("added " + p));
        return changes;
    }

    private static String describe(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return "link " + Files.readSymbolicLink(path);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return "folder";
        }
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return Sha256.ofFile(path);
        }
        return "other";
    }
}
