package dev.keel.trainer.predict;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which of an image folder's class folders holds each of a model's classes. A folder is named
 * after its class, or after a file-system-safe form of it: {@code t-shirt_top} for
 * {@code T-shirt/top} (a class name may hold a slash, which no folder name can).
 */
public final class ClassFolders {
    private ClassFolders() {}

    /**
     * The folders of {@code train} in the order of {@code classes}; the pairs are printed when
     * names differ. Null when the folders are not the classes in any of these forms (the caller
     * reports the difference).
     */
    public static List<String> match(Path train, List<String> classes, PrintStream out) {
        List<String> folders = folders(train);
        if (new HashSet<>(folders).equals(new HashSet<>(classes))) {
            return classes;
        }
        Map<String, String> folderBySafeName = new HashMap<>();
        for (String folder : folders) {
            if (folderBySafeName.put(safe(folder), folder) != null) {
                return null;
            }
        }
        List<String> order = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (String name : classes) {
            String folder = folderBySafeName.get(safe(name));
            if (folder == null || order.contains(folder)) {
                return null;
            }
            order.add(folder);
            if (!folder.equals(name)) {
                pairs.add(folder + " = " + name);
            }
        }
        if (order.size() != folders.size()) {
            return null;
        }
        out.println("classes: folders named in a file-system-safe form of the model's classes: "
                + String.join(", ", pairs));
        return order;
    }

    /** {@code T-shirt/top} and {@code t-shirt_top} alike become {@code t_shirt_top}. */
    public static String safe(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_").replaceAll("^_|_$", "");
    }

    private static List<String> folders(Path train) {
        if (!Files.isDirectory(train)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(train)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(train + ": cannot be listed: " + e.getMessage());
        }
    }
}
