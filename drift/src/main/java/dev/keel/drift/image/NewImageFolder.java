package dev.keel.drift.image;

import ai.djl.ndarray.types.Shape;
import dev.keel.datasets.DataException;
import dev.keel.datasets.folder.ImageDecoder;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.serving.image.Normalization;
import dev.keel.trainer.predict.ClassFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of new images to compare with a model's training data: either images directly in it
 * (no labels), or class subfolders named after the model's classes (labels known); entries whose
 * names start with a dot are passed over. Images are decoded as Keel's {@code predict} decodes them: squished to the model's square size in its
 * channels; their original sizes are kept so the report can say they were resized.
 *
 * @param folder the folder as given
 * @param files every image file, sorted by path
 * @param labels the class index of each file, or null when the folder has no class subfolders
 */
public record NewImageFolder(Path folder, List<Path> files, int[] labels) {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /**
     * Lists the images of {@code folder}.
     *
     * @param classes the model's class names: a subfolder must be named after one of them, or a
     *     file-system-safe form of it ({@code t-shirt_top} for {@code T-shirt/top})
     * @throws DataException naming the folder when it is missing, not a folder, holds no image, mixes
     *     loose images with class subfolders, or has a subfolder that names no class of the model
     */
    public static NewImageFolder scan(Path folder, List<String> classes) {
        if (!Files.isDirectory(folder)) {
            throw new DataException(folder + ": " + (Files.exists(folder) ? "is not a folder" : "not found")
                    + " (expected a folder of images, or of class subfolders of images)");
        }
        List<Path> loose = new ArrayList<>();
        List<Path> subfolders = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue; // hidden: a tool's folder or file, not data
                }
                if (Files.isDirectory(entry)) {
                    subfolders.add(entry);
                } else if (isImage(entry)) {
                    loose.add(entry);
                }
            }
        } catch (IOException e) {
            throw new DataException(folder + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (!loose.isEmpty() && !subfolders.isEmpty()) {
            throw new DataException(folder + ": holds both images (" + loose.get(0).getFileName() + ", ...) and"
                    + " subfolders (" + subfolders.get(0).getFileName() + ", ...); expected images only (no labels) or"
                    + " class subfolders only (labelled by their names)");
        }
        if (subfolders.isEmpty()) {
            if (loose.isEmpty()) {
                throw new DataException(folder + ": holds no image files (png, jpg, jpeg, bmp, gif)");
            }
            return new NewImageFolder(folder, List.copyOf(loose), null);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path subfolder : subfolders) {
            String name = subfolder.getFileName().toString();
            int label = classIndex(name, classes);
            if (label < 0) {
                throw new DataException(subfolder + ": a class subfolder, but the model has no class \"" + name
                        + "\" (its classes: " + String.join(", ", classes) + ")");
            }
            for (Path file : imagesUnder(subfolder)) {
                files.add(file);
                labels.add(label);
            }
        }
        if (files.isEmpty()) {
            throw new DataException(folder + ": its class subfolders hold no image files (png, jpg, jpeg, bmp, gif)");
        }
        return new NewImageFolder(folder, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The class a subfolder names: by its name, or by a file-system-safe form of it ({@code t-shirt_top}). */
    private static int classIndex(String folder, List<String> classes) {
        int exact = classes.indexOf(folder);
        if (exact >= 0) {
            return exact;
        }
        List<String> safe = classes.stream().map(ClassFolders::safe).toList();
        String wanted = ClassFolders.safe(folder);
        return safe.indexOf(wanted) == safe.lastIndexOf(wanted) ? safe.indexOf(wanted) : -1;
    }

    /** Whether the images came with labels (class subfolders). */
    public boolean labelled() {
        return labels != null;
    }

    /**
     * Decodes image {@code i} to {@code channels} planes of {@code size x size} unsigned bytes.
     *
     * @throws DataException naming the file when it cannot be decoded
     */
    public ImageDecoder.Decoded decode(int i, int channels, int size) {
        Path file = files.get(i);
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, channels, size);
        if (decoded.pixels() == null) {
            throw new DataException(file + ": " + decoded.problem());
        }
        return decoded;
    }

    /**
     * Every image decoded and normalised as the model takes them, with the labels when the folder
     * has class subfolders: the new side of {@link dev.keel.drift.prediction.PredictionDrift}.
     *
     * @param itemShape the model's input shape (channels, size, size)
     * @throws DataException naming an image that cannot be decoded
     */
    public ModelInputs modelInputs(Shape itemShape, Normalization normalization) {
        int channels = (int) itemShape.get(0);
        int size = (int) itemShape.get(1);
        float[][] inputs = new float[files.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = modelInput(decode(i, channels, size).pixels(), normalization, size * size);
        }
        return new ModelInputs(inputs, labels);
    }

    /** Pixels as the model takes them: scaled to [0, 1] and normalised per channel. */
    public static float[] modelInput(byte[] pixels, Normalization normalization, int plane) {
        float[] values = new float[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            values[p] = pixels[p] & 0xff;
        }
        normalization.applyInPlace(values, 0, plane);
        return values;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(file);
    }

    private static List<Path> imagesUnder(Path subfolder) {
        try (Stream<Path> walk = Files.walk(subfolder)) {
            return walk.filter(NewImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new DataException(subfolder + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
