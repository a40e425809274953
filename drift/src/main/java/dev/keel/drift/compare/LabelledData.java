package dev.keel.drift.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.datasets.DataException;
import dev.keel.trainer.config.AugmentConfig;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.DataConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The labelled data two models are compared on, read whole (no split held out): a CSV file with
 * the label column, or a folder of images with one subfolder per class.
 *
 * <p>Keel's image-folder reader reads {@code ROOT/train/<class>/}; a folder of class subfolders is
 * read through a temporary root whose {@code train} links to it, removed by {@link #close()}.
 */
public final class LabelledData implements AutoCloseable {
    private final String text;
    private final Path path;
    private final boolean images;
    private final Path linkedRoot;

    private LabelledData(String text, Path path, boolean images, Path linkedRoot) {
        this.text = text;
        this.path = path;
        this.images = images;
        this.linkedRoot = linkedRoot;
    }

    /**
     * The data {@code --data} names.
     *
     * @throws ConfigException when it is missing, neither a CSV file nor a folder, or a folder with no class subfolders
     */
    public static LabelledData open(String text) {
        Path path = Path.of(text).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new ConfigException("--data " + text + ": not found (expected a CSV file with the label column, or a"
                    + " folder of images with one subfolder per class)");
        }
        if (Files.isRegularFile(path)) {
            if (!text.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                throw new ConfigException("--data " + text + ": expected a CSV file (.csv) with the label column, or a"
                        + " folder of images with one subfolder per class");
            }
            return new LabelledData(text, path, false, null);
        }
        if (classFolders(path).isEmpty()) {
            throw new ConfigException("--data " + text + ": unlabelled: no class subfolders (compare needs labelled"
                    + " images, in one subfolder per class)");
        }
        try {
            Path root = Files.createTempDirectory("keel-compare-");
            Files.createSymbolicLink(root.resolve("train"), path);
            return new LabelledData(text, path, true, root);
        } catch (IOException e) {
            throw new ConfigException("--data " + text + ": cannot be read as an image folder (" + e.getMessage()
                    + ")");
        }
    }

    /** What the user typed. */
    public String text() {
        return text;
    }

    /** The file or folder, absolute. */
    public Path path() {
        return path;
    }

    /** Whether the data is a folder of images (else a CSV table). */
    public boolean images() {
        return images;
    }

    /**
     * Refuses data of the other kind than the model takes.
     *
     * @param who the model, for the message ({@code champion runs/a})
     */
    public void requireKind(boolean modelTakesImages, String who) {
        if (images && !modelTakesImages) {
            throw new ConfigException("--data " + text + ": a folder of images, but " + who + " takes table rows;"
                    + " give a CSV file with the columns it was trained on and the label column");
        }
        if (!images && modelTakesImages) {
            throw new ConfigException("--data " + text + ": a CSV file, but " + who + " takes images; give a folder"
                    + " of images with one subfolder per class");
        }
    }

    /**
     * The run's data settings pointed at this data: every item read (nothing held out), none
     * augmented, any bad item refused (so both models read the same items), and images normalized
     * with {@code normalize} (the model's own statistics).
     */
    public DataConfig settingsFor(DataConfig run, JsonNode normalize) {
        return new DataConfig(images ? "image-folder" : "csv", run.dataset(),
                images ? linkedRoot.toString() : path.toString(), run.labelColumn(), run.delimiter(), run.columns(),
                "fail", run.batchSize(), run.evalBatchSize(), 0, 0, run.imageSize(), run.channels(), run.cache(),
                new AugmentConfig(0, 1, 0, 0, 0), normalize == null ? run.normalize() : normalize);
    }

    /**
     * A reading error, said of {@code --data}: a table without the model's label column is named
     * unlabelled; any other problem keeps the reader's words.
     */
    public ConfigException explain(DataException e, DataConfig settings, String who) {
        String label = settings.labelColumn();
        if (!images && label != null && !header(settings.delimiter()).contains(label)) {
            return new ConfigException("--data " + text + ": unlabelled for " + who + ": no column '" + label
                    + "' (the label it was trained on); compare needs the true class of every row");
        }
        // The readers' advice is for training (skip the bad items); a comparison must read every item.
        String message = e.getMessage()
                .replace("(data.bad_items is fail; skip trains on the good rows)",
                        "(compare reads every item: correct or remove them)")
                .replace("(data.bad_items is fail; set it to skip to train without them; keel check lists them all)",
                        "(compare reads every item: correct or remove them)");
        if (linkedRoot != null) {
            message = message.replace(linkedRoot.resolve("train").toString(), path.toString())
                    .replace(linkedRoot.toString(), path.toString());
        }
        return new ConfigException("--data " + text + " for " + who + ": " + message);
    }

    /** The header's names, split plainly: enough to tell whether a column is there at all. */
    private List<String> header(String delimiter) {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            if (line == null) {
                return List.of();
            }
            return Arrays.stream(line.split(Pattern.quote(delimiter), -1))
                    .map(name -> name.strip().replaceAll("^\"|\"$", "")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> classFolders(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("--data " + folder + ": cannot be listed (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        if (linkedRoot == null) {
            return;
        }
        try {
            Files.deleteIfExists(linkedRoot.resolve("train"));
            Files.deleteIfExists(linkedRoot);
        } catch (IOException e) {
            // The comparison is done; a link left in the temporary folder harms nothing, but say so.
            System.err.println("keel: warning: could not remove the temporary folder " + linkedRoot + " ("
                    + e.getMessage() + ")");
        }
    }
}
