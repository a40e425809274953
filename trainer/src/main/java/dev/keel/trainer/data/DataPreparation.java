package dev.keel.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.DataException;
import dev.keel.datasets.DataSplit;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.ImageStatistics;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.StratifiedSplit;
import dev.keel.datasets.augment.Augmentation;
import dev.keel.datasets.check.DataReport;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.datasets.folder.ImageFiles;
import dev.keel.datasets.folder.ImageFolder;
import dev.keel.datasets.resolve.DataOrigin;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.datasets.resolve.ResolvedDataset;
import dev.keel.datasets.table.LoadedTable;
import dev.keel.datasets.table.TableOptions;
import dev.keel.datasets.table.Tables;
import dev.keel.serving.image.Normalization;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.config.AugmentConfig;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.track.GsonTrees;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Turns the {@code data} section of a config into a {@link PreparedData}: finds and reads the
 * data in its format, checks it, splits it by seed, fits the input transform on the training split
 * only, and builds the three splits the loop reads.
 */
public final class DataPreparation {
    /** How many problems the console shows; data_report.json and {@code keel check} have them all. */
    public static final int PROBLEMS_SHOWN = 10;

    private DataPreparation() {}

    /**
     * @param out where the data lines go (what was read, the split, the check's summary)
     * @param checkOnly read everything and report every problem, whatever {@code data.bad_items} says
     */
    public static PreparedData prepare(DataConfig data, long seed, DatasetResolver resolver, PrintStream out,
            boolean checkOnly) {
        return prepare(data, seed, resolver, out, checkOnly, null);
    }

    /**
     * Prepares data for a trained model: a table is encoded with the model's own transform, never
     * one fitted again on the data, and an image folder's classes take the model's order and names
     * (images take the model's statistics through {@code data.normalize}).
     *
     * @param model what the model fixes, or null to prepare the data as training does
     */
    public static PreparedData prepare(DataConfig data, long seed, DatasetResolver resolver, PrintStream out,
            boolean checkOnly, ModelPreprocessing model) {
        return switch (data.format()) {
            case "image-folder" -> imageFolder(data, seed, out, checkOnly, model);
            case "csv" -> table(data, seed, out, checkOnly, model == null ? null : model.table());
            default -> idx(data, seed, resolver, out);
        };
    }

    private static PreparedData idx(DataConfig config, long seed, DatasetResolver resolver, PrintStream out) {
        ResolvedDataset data = resolver.resolve(config.dataset(), config.path() == null ? null : Path.of(config.path()));
        out.println("data: " + data.describe());
        if (data.origin() == DataOrigin.BUNDLED_SAMPLE) {
            out.println("note: this is Keel's bundled sample of " + data.name() + ", a sixth of the dataset: expect"
                    + " lower accuracy than on the full data (about 88% against 92% for the quickstart). For the"
                    + " full dataset: apt-get install dataset-" + data.name() + " (Debian), or set data.path or"
                    + " $KEEL_DATA to a folder that holds its IDX files.");
        }
        DataSplit split = DataSplit.of(data.train().count(), config.validFraction(), seed);
        Normalization normalization = normalization(config.normalize(), data.train(), split.train());
        ImageDataset train = images(data.train(), split.train(), normalization, data.classNames(), null, seed);
        ImageDataset valid = images(data.train(), split.valid(), normalization, data.classNames(), null, seed);
        ImageDataset test = images(data.test(), null, normalization, data.classNames(), null, seed);
        printSplit(out, train.itemCount(), valid.itemCount(), test.itemCount(), normalization);
        ObjectNode provenance = RunDirectory.JSON.createObjectNode();
        provenance.put("name", data.name());
        provenance.put("origin", data.origin().label());
        provenance.put("location", data.location());
        provenance.put("train_items", data.train().count());
        provenance.put("test_items", data.test().count());
        provenance.put("train_sha256", data.train().fingerprint());
        provenance.put("test_sha256", data.test().fingerprint());
        return new PreparedData(train, valid, test, data.classNames(), train.itemShape(), transform(normalization),
                provenance, null, null);
    }

    private static PreparedData imageFolder(DataConfig config, long seed, PrintStream out, boolean checkOnly,
            ModelPreprocessing model) {
        Path root = Path.of(config.path());
        DataReport report = new DataReport(root.toString());
        boolean skip = checkOnly || config.badItems().equals("skip");
        boolean modelOrder = model != null && model.classFolders() != null;
        ImageFolder.Loaded read = ImageFolder.read(root, config.channels(), config.imageSize(), skip,
                config.cache() && !checkOnly, report, out, modelOrder ? model.classFolders() : null);
        List<String> unseen = report.errors().stream()
                .filter(p -> p.kind().equals(ImageFolder.EMPTY_AFTER_SKIPPING)).map(DataReport.Problem::describe).toList();
        if (!checkOnly && !unseen.isEmpty()) {
            throw new DataException(root + ": " + String.join("; ", unseen));
        }
        // Labels follow the model's class order: its names stand for the folders that hold them.
        ImageFolder.Loaded folder = modelOrder ? new ImageFolder.Loaded(model.classNames(), read.splits(), read.files(),
                read.labels(), read.sums(), read.fingerprints()) : read;
        boolean hasValid = folder.files().containsKey("valid");
        boolean hasTest = folder.files().containsKey("test");
        // A split the folder lacks is held out from train/, stratified by class.
        StratifiedSplit split = StratifiedSplit.of(folder.labels().get("train"), folder.classes().size(),
                hasValid ? 0 : config.validFraction(), hasTest ? 0 : config.testFraction(), seed);
        String validFrom = hasValid ? "valid" : "train";
        String testFrom = hasTest ? "test" : "train";
        int[] trainItems = split.train();
        int[] validItems = hasValid ? all(folder, "valid") : split.valid();
        int[] testItems = hasTest ? all(folder, "test") : split.test();
        int plane = config.imageSize() * config.imageSize();
        Normalization normalization = normalization(config.normalize(), config.channels(),
                () -> Normalization.fromSums(config.channels(), plane, folder.sums().get("train"), trainItems));
        AugmentConfig a = config.augment();
        Augmentation augmentation = new Augmentation(a.flip(), a.cropScale(), a.rotate(), a.brightness(), a.contrast());
        BatchSource train = folderSplit(folder, config, "train", trainItems, normalization, augmentation, seed);
        BatchSource valid = folderSplit(folder, config, validFrom, validItems, normalization, null, seed);
        BatchSource test = folderSplit(folder, config, testFrom, testItems, normalization, null, seed);
        out.printf(Locale.ROOT, "data: image folder %s: %d classes, %s%s; images squished to %dx%d, %s, %s%n",
                root, folder.classes().size(), String.join(", ", folder.files().keySet()),
                hasTest ? "" : " (test held out from train/)", config.imageSize(), config.imageSize(),
                config.channels() == 1 ? "grayscale" : "RGB",
                config.cache() ? "kept in memory" : "decoded from their files every batch");
        printSplit(out, train.itemCount(), valid.itemCount(), test.itemCount(), normalization);
        report.describe(checkOnly ? Integer.MAX_VALUE : PROBLEMS_SHOWN).forEach(out::println);
        ObjectNode provenance = RunDirectory.JSON.createObjectNode();
        provenance.put("name", root.getFileName().toString());
        provenance.put("origin", "image-folder");
        provenance.put("location", root.toAbsolutePath().toString());
        folder.files().forEach((name, files) -> provenance.put(name + "_items", files.size()));
        folder.fingerprints().forEach((name, sha256) -> provenance.put(name + "_sha256", sha256));
        List<Path> testFiles = folder.files().get(testFrom);
        List<String> testNames = Arrays.stream(testItems).mapToObj(i -> root.relativize(testFiles.get(i)).toString())
                .toList();
        return new PreparedData(train, valid, test, folder.classes(), train.itemShape(), transform(normalization),
                provenance, report, testNames);
    }

    private static PreparedData table(DataConfig config, long seed, PrintStream out, boolean checkOnly,
            TableTransform fitted) {
        Path file = Path.of(config.path());
        DataReport report = new DataReport(file.toString());
        boolean skip = checkOnly || config.badItems().equals("skip");
        TableOptions options = tableOptions(config, seed, skip);
        LoadedTable table = fitted == null ? Tables.load(file, options, report)
                : Tables.loadWith(file, options, fitted, report);
        out.println("data: " + table.description());
        out.printf(Locale.ROOT, "split: %,d train / %,d valid / %,d test (stratified); %d features: %s%n",
                table.train().itemCount(), table.valid().itemCount(), table.test().itemCount(),
                table.transform().featureNames().size(), abbreviated(table.transform().featureNames()));
        report.describe(checkOnly ? Integer.MAX_VALUE : PROBLEMS_SHOWN).forEach(out::println);
        ObjectNode provenance = RunDirectory.JSON.createObjectNode();
        provenance.put("name", file.getFileName().toString());
        provenance.put("origin", "csv");
        provenance.put("location", file.toAbsolutePath().toString());
        provenance.put("rows", table.train().itemCount() + table.valid().itemCount() + table.test().itemCount());
        provenance.put("sha256", sha256(file));
        ObjectNode transform = RunDirectory.JSON.createObjectNode();
        transform.set("table_transform", GsonTrees.toJackson(table.transform().toJson()));
        return new PreparedData(table.train(), table.valid(), table.test(), table.classes(), table.train().itemShape(),
                transform, provenance, report, null);
    }

    /**
     * How training reads and splits a CSV table of {@code data}: the same options give the same
     * rows in the same splits.
     *
     * @param skipBadItems leave out rows with errors ({@code data.bad_items: skip}) instead of failing
     */
    public static TableOptions tableOptions(DataConfig data, long seed, boolean skipBadItems) {
        return new TableOptions(data.labelColumn(), data.delimiter().charAt(0), data.columns(), skipBadItems,
                data.validFraction(), data.testFraction(), seed);
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 8)) + ", ... (" + (names.size() - 8) + " more)";
    }

    private static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static int[] all(ImageFolder.Loaded folder, String split) {
        return java.util.stream.IntStream.range(0, folder.files().get(split).size()).toArray();
    }

    /** A split of the folder: its images in memory, or read from their files batch by batch. */
    private static BatchSource folderSplit(ImageFolder.Loaded folder, DataConfig config, String split, int[] items,
            Normalization normalization, Augmentation augmentation, long seed) {
        LabeledImages images = folder.splits().get(split);
        if (images != null) {
            return images(images, items, normalization, folder.classes(), augmentation, seed);
        }
        return new ImageFiles(folder.files().get(split), folder.labels().get(split), items, config.channels(),
                config.imageSize(), normalization, folder.classes(), augmentation, seed);
    }

    private static ImageDataset images(LabeledImages images, int[] items, Normalization normalization,
            List<String> classes, Augmentation augmentation, long seed) {
        ImageDataset.Builder builder = ImageDataset.builder(images).normalization(normalization).classes(classes);
        if (items != null) {
            builder.items(items);
        }
        if (augmentation != null) {
            builder.augmentation(augmentation, seed);
        }
        return builder.build();
    }

    private static Normalization normalization(JsonNode setting, LabeledImages images, int[] trainItems) {
        return normalization(setting, images.channels(), () -> ImageStatistics.fit(images, trainItems));
    }

    /** {@code data.normalize}: given statistics, none, or {@code auto}'s fitted on the training split. */
    private static Normalization normalization(JsonNode setting, int channels, Supplier<Normalization> fitted) {
        if (setting.isArray() && setting.get(0).isArray()) {
            // Per-channel statistics, as a pretrained model records them.
            return Normalization.fromJson(GsonTrees.toGson(setting.get(0)), GsonTrees.toGson(setting.get(1)));
        }
        if (setting.isArray()) {
            return Normalization.of(channels, (float) setting.get(0).asDouble(), (float) setting.get(1).asDouble());
        }
        return setting.asText().equals("none") ? Normalization.none(channels) : fitted.get();
    }


    private static ObjectNode transform(Normalization normalization) {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.putPOJO("normalize_mean", normalization.mean());
        json.putPOJO("normalize_std", normalization.std());
        return json;
    }

    private static void printSplit(PrintStream out, int train, int valid, int test, Normalization normalization) {
        out.printf(Locale.ROOT, "split: %,d train / %,d valid / %,d test; normalize mean %s std %s%n", train, valid,
                test, Arrays.toString(normalization.mean()), Arrays.toString(normalization.std()));
    }
}
