package dev.keel.trainer.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.keel.datasets.DataException;
import dev.keel.datasets.folder.ImageDecoder;
import dev.keel.datasets.table.CsvTable;
import dev.keel.serving.translate.Probabilities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Predicts the class of image files (given one by one or as folders, searched recursively) or of
 * the rows of a CSV file, applying the preprocessing the model was trained with: images decoded and
 * squished to its input size, in its channels, normalised with its statistics; rows encoded by its
 * table transform.
 */
public final class Predictor {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** An input that could not be read, and why. */
    public record Failure(String input, String problem) {}

    private final TrainedModel model;
    private final int batchSize;

    public Predictor(TrainedModel model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * Predicts every input, in order, batch by batch.
     *
     * @param keepGoing go on past inputs that cannot be read; otherwise the first one ends the run
     * @param predictions receives each prediction as its batch completes
     * @return the inputs that could not be read (at most one without {@code keepGoing})
     */
    public List<Failure> predict(List<Path> inputs, char delimiter, boolean keepGoing,
            Consumer<Prediction> predictions) {
        List<Failure> failures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Item item : items(inputs, delimiter)) {
            if (item.problem() != null) {
                failures.add(new Failure(item.name(), item.problem()));
                if (!keepGoing) {
                    break;
                }
                continue;
            }
            names.add(item.name());
            rows.add(item.values());
            if (rows.size() == batchSize) {
                run(names, rows, predictions);
            }
        }
        if (!rows.isEmpty()) {
            run(names, rows, predictions);
        }
        return failures;
    }

    private void run(List<String> names, List<float[]> rows, Consumer<Prediction> predictions) {
        int width = Math.toIntExact(model.inputShape().size());
        float[] batch = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, batch, i * width, width);
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray input = scope.create(batch, new Shape(rows.size()).addAll(model.inputShape()));
            NDArray output = model.block().forward(new ParameterStore(scope, false), new NDList(input), false)
                    .singletonOrThrow();
            int classes = model.classes().size();
            float[] logits = output.toFloatArray();
            for (int i = 0; i < rows.size(); i++) {
                double[] p = Probabilities.softmax(Arrays.copyOfRange(logits, i * classes, (i + 1) * classes));
                int best = Probabilities.argmax(p);
                predictions.accept(new Prediction(names.get(i), model.classes().get(best), p[best], p));
            }
        }
        names.clear();
        rows.clear();
    }

    /** One input ready for the model, or why it is not. */
    private record Item(String name, float[] values, String problem) {}

    /** The inputs, expanded (folders to their images, a CSV file to its rows), lazily decoded. */
    private Iterable<Item> items(List<Path> inputs, char delimiter) {
        List<Item> items = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                items.add(new Item(input.toString(), null, "not found"));
            } else if (!Files.isDirectory(input) && !Files.isRegularFile(input)) {
                // A FIFO or a device would block the read or never end.
                items.add(new Item(input.toString(), null, "not a regular file or folder (a pipe or a device?)"));
            } else if (Files.isDirectory(input)) {
                List<Path> found = imagesUnder(input);
                if (found.isEmpty()) {
                    items.add(new Item(input.toString(), null, "a folder with no image files (png, jpg, jpeg, bmp, gif)"));
                }
                images.addAll(found);
            } else if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                items.addAll(tableRows(input, delimiter));
            } else {
                images.add(input);
            }
        }
        if (!images.isEmpty() && !model.takesImages()) {
            items.add(0, new Item(images.get(0).toString(), null,
                    "an image, but this model takes table rows (give it a CSV file)"));
            images.clear();
        }
        // Images are decoded as the loop reaches them, so a folder of any size streams through.
        List<Item> decodedLazily = new ArrayList<>(items);
        return () -> Stream.concat(decodedLazily.stream(), images.stream().map(this::image)).iterator();
    }

    private Item image(Path file) {
        int channels = (int) model.inputShape().get(0);
        int size = (int) model.inputShape().get(1);
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, channels, size);
        if (decoded.pixels() == null) {
            return new Item(file.toString(), null, decoded.problem());
        }
        byte[] pixels = decoded.pixels();
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xff;
        }
        model.normalization().applyInPlace(values, 0, size * size);
        return new Item(file.toString(), values, null);
    }

    private List<Item> tableRows(Path csv, char delimiter) {
        if (model.takesImages()) {
            return List.of(new Item(csv.toString(), null, "a CSV file, but this model takes images"));
        }
        CsvTable table;
        try {
            table = CsvTable.read(csv, delimiter);
        } catch (DataException e) {
            return List.of(new Item(csv.toString(), null, e.getMessage().replaceFirst("^" + csv + ":?\\s*", "")));
        }
        List<String> columns = model.tableTransform().inputColumns();
        List<String> used = model.tableTransform().usedColumns();
        int[] at = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            at[i] = table.header().indexOf(columns.get(i));
            if (at[i] < 0 && used.contains(columns.get(i))) {
                return List.of(new Item(csv.toString(), null, "no column \"" + columns.get(i)
                        + "\" (the model was trained on the columns " + String.join(", ", used) + ")"));
            }
        }
        List<Item> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            String name = csv + ":" + row.line();
            String[] fields = new String[at.length];
            for (int i = 0; i < at.length; i++) {
                // The label and ignored columns may be absent: nothing reads them.
                fields[i] = at[i] >= 0 && at[i] < row.fields().length ? row.fields()[at[i]] : "";
            }
            try {
                rows.add(new Item(name, model.tableTransform().apply(fields), null));
            } catch (IllegalArgumentException e) {
                rows.add(new Item(name, null, e.getMessage()));
            }
        }
        return rows;
    }

    private static List<Path> imagesUnder(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(Predictor::isImage).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            // Files.walk reports a subfolder it cannot open while it walks, unchecked.
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            String why = cause instanceof AccessDeniedException ? "permission denied" : cause.getMessage();
            throw new DataException((cause instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile()
                    : folder) + ": cannot be listed (" + why + ")", cause);
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
