package dev.keel.datasets.folder;

import dev.keel.datasets.DataException;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.check.DataReport;
import dev.keel.datasets.fingerprint.ImageFingerprint;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.serving.image.Normalization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A folder of images, one subfolder per class: {@code train/<class>/*} and optionally {@code
 * valid/<class>/*} and {@code test/<class>/*}. Reading it checks every file (empty, not an image,
 * truncated or corrupt, stray files beside the class folders, empty classes, classes in valid/ or
 * test/ that train/ lacks, colour or size unlike the rest, duplicates by content within train/ and
 * across splits, class imbalance) into a {@link DataReport}, and decodes the images on a thread
 * pool into memory.
 */
public final class ImageFolder {
    /** Splits a folder may hold, in order. */
    public static final List<String> SPLITS = List.of("train", "valid", "test");
    /** The problem of a class whose every training image is unusable. */
    public static final String EMPTY_AFTER_SKIPPING = "no_usable_training_image";
    /** Problems of a class folder rather than of an item in it. */
    private static final Set<String> CLASS_PROBLEMS = Set.of("empty_class", "unknown_label", EMPTY_AFTER_SKIPPING);
    /** Files per decoding task at most. */
    private static final int MAX_SLICE = 16;
    /** Decoding tasks per thread submitted ahead of the one being hashed. */
    private static final int SLICES_PER_THREAD = 4;

    /**
     * The checked splits present ({@code train}, and {@code valid}, {@code test} when given), each
     * split's items in the same order in every map.
     *
     * @param classes the class names: train/'s subfolders, sorted
     * @param splits the decoded images of each split, when they were kept in memory; else empty
     * @param files the file of each usable image, per split
     * @param labels the class index of each usable image, per split
     * @param sums each image's per-channel pixel sums and sums of squares ({@link
     *     dev.keel.serving.image.Normalization#sums}), per split, for statistics without the pixels
     * @param fingerprints each split's {@link ImageFingerprint} over its usable images, whether or not
     *     their pixels were kept: what {@link LabeledImages#fingerprint()} gives for the split in memory
     */
    public record Loaded(List<String> classes, Map<String, LabeledImages> splits, Map<String, List<Path>> files,
            Map<String, int[]> labels, Map<String, double[][]> sums, Map<String, String> fingerprints) {}

    private ImageFolder() {}

    /**
     * Checks and decodes every image under {@code root}.
     *
     * @param channels 1 (grayscale) or 3 (RGB)
     * @param size the side every image is resized to
     * @param skipBad whether to leave out unusable files (each is listed in the report) rather than fail
     * @param keepPixels whether to keep the decoded images in memory ({@code data.cache}); either way
     *     every file is decoded once, to check it
     * @param progress where a progress line goes while decoding, or null
     * @throws DataException when there is no train/ folder, no class, or an unusable file and not {@code skipBad}
     */
    public static Loaded read(Path root, int channels, int size, boolean skipBad, boolean keepPixels,
            DataReport report, PrintStream progress) {
        return read(root, channels, size, skipBad, keepPixels, report, progress, null);
    }

    /**
     * As {@link #read(Path, int, int, boolean, boolean, DataReport, PrintStream)}, with the classes
     * in a given order (a trained model's) instead of sorted: label {@code i} is the folder
     * {@code classOrder.get(i)}.
     *
     * @param classOrder the class folders in the order of the labels, or null for train/'s subfolders sorted
     * @throws DataException also when train/'s subfolders are not exactly {@code classOrder}'s
     */
    public static Loaded read(Path root, int channels, int size, boolean skipBad, boolean keepPixels,
            DataReport report, PrintStream progress, List<String> classOrder) {
        Path train = root.resolve("train");
        if (!Files.isDirectory(train)) {
            throw new DataException(root + ": no train/ folder (an image folder holds train/<class>/ with the images"
                    + " of each class, and optionally valid/ and test/ alike)");
        }
        Map<String, List<Path>> listed = new LinkedHashMap<>();
        Map<String, List<Integer>> labels = new LinkedHashMap<>();
        List<String> found = classFolders(train, report);
        if (classOrder != null && !new HashSet<>(found).equals(new HashSet<>(classOrder))) {
            throw new DataException(train + ": its class folders " + found + " are not the classes " + classOrder);
        }
        List<String> classes = classOrder == null ? found : List.copyOf(classOrder);
        if (classes.isEmpty()) {
            throw new DataException(train + ": no class folders (expected train/<class>/ with images in each)");
        }
        for (String split : SPLITS) {
            Path folder = root.resolve(split);
            if (Files.isDirectory(folder)) {
                list(folder, split, classes, listed, labels, report);
            }
        }
        for (String name : classes) {
            long count = labels.get("train").stream().filter(l -> classes.get(l).equals(name)).count();
            if (count == 0) {
                report.error("empty_class", train.resolve(name).toString(), 0,
                        "class \"" + name + "\" has no images");
            }
        }
        if (!skipBad && !report.errors().isEmpty()) {
            throw failure(root, report);
        }

        Map<String, LabeledImages> splits = new LinkedHashMap<>();
        Map<String, List<Path>> files = new LinkedHashMap<>();
        Map<String, int[]> keptLabelsBySplit = new LinkedHashMap<>();
        Map<String, double[][]> sumsBySplit = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, Path> seen = new TreeMap<>();
        Dimensions dimensions = new Dimensions();
        for (Map.Entry<String, List<Path>> entry : listed.entrySet()) {
            String split = entry.getKey();
            List<Path> paths = entry.getValue();
            ImageFingerprint fingerprint = new ImageFingerprint(channels, size, size, classes.size());
            Checked[] checked = checkAll(paths, channels, size, keepPixels, fingerprint, split, progress);
            List<Integer> splitLabels = labels.get(split);
            List<Path> kept = new ArrayList<>();
            List<Integer> keptLabels = new ArrayList<>();
            List<byte[]> pixels = new ArrayList<>();
            List<double[]> sums = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                Checked image = checked[i];
                Path file = paths.get(i);
                if (image.problemKind() != null) {
                    report.error(image.problemKind(), file.toString(), 0, image.problem());
                    if (skipBad) {
                        report.skipped(file.toString());
                    }
                    continue;
                }
                dimensions.add(file, image, channels);
                Path earlier = seen.putIfAbsent(image.hash(), file);
                if (earlier != null) {
                    boolean across = !earlier.startsWith(root.resolve(split));
                    report.warning(across ? "duplicate_across_splits" : "duplicate", file.toString(), 0,
                            "identical to " + earlier + (across ? " (the same image in two splits: "
                                    + "results on " + split + " overstate how well the model generalises)" : ""));
                }
                kept.add(file);
                keptLabels.add(splitLabels.get(i));
                pixels.add(image.pixels());
                sums.add(image.sums());
            }
            if (!skipBad && !report.errors().isEmpty()) {
                throw failure(root, report);
            }
            byte[] classOf = new byte[keptLabels.size()];
            for (int i = 0; i < classOf.length; i++) {
                classOf[i] = (byte) (int) keptLabels.get(i);
            }
            fingerprints.put(split, fingerprint.finish(classOf));
            if (keepPixels) {
                byte[] all = new byte[pixels.size() * channels * size * size];
                for (int i = 0; i < pixels.size(); i++) {
                    System.arraycopy(pixels.get(i), 0, all, i * pixels.get(i).length, pixels.get(i).length);
                }
                splits.put(split, new LabeledImages(root.resolve(split).toString(), all, classOf, channels, size, size,
                        classes.size()));
            }
            files.put(split, List.copyOf(kept));
            keptLabelsBySplit.put(split, keptLabels.stream().mapToInt(Integer::intValue).toArray());
            sumsBySplit.put(split, sums.toArray(new double[0][]));
            report.classCounts(split, counts(classes, keptLabels));
        }
        dimensions.report(report, root, channels, size);
        reportClassesLeftEmpty(train, classes, keptLabelsBySplit.get("train"), report);
        report.warnIfImbalanced(train.toString(), counts(classes,
                java.util.Arrays.stream(keptLabelsBySplit.get("train")).boxed().toList()), "images");
        return new Loaded(classes, splits, files, keptLabelsBySplit, sumsBySplit, fingerprints);
    }

    /**
     * What checking one file found: a problem, or its colour, size, content hash and pixel sums,
     * and its pixels (until they are fingerprinted, when they are not kept).
     */
    private record Checked(String problemKind, String problem, boolean colour, int width, int height, String hash,
            double[] sums, byte[] pixels) {
        Checked withoutPixels() {
            return new Checked(problemKind, problem, colour, width, height, hash, sums, null);
        }
    }

    private static List<String> classFolders(Path train, DataReport report) {
        List<String> classes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(train)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    classes.add(name);
                } else {
                    report.warning("stray_file", entry.toString(), 0,
                            "a file beside the class folders: not used (images go in train/<class>/)");
                }
            }
        } catch (IOException e) {
            throw new DataException(train + ": cannot be listed: " + e.getMessage(), e);
        }
        if (classes.size() > 256) {
            throw new DataException(train + ": " + classes.size() + " class folders; Keel takes up to 256 classes");
        }
        return classes;
    }

    private static void list(Path folder, String split, List<String> classes, Map<String, List<Path>> listed,
            Map<String, List<Integer>> labels, DataReport report) {
        List<Path> files = new ArrayList<>();
        List<Integer> classOf = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!Files.isDirectory(entry)) {
                    if (!split.equals("train")) {
                        report.warning("stray_file", entry.toString(), 0, "a file beside the class folders: not used");
                    }
                    continue;
                }
                int label = classes.indexOf(name);
                if (label < 0) {
                    report.error("unknown_label", entry.toString(), 0, "class \"" + name + "\" is not among train/'s "
                            + "classes " + classes + closeMatch(name, classes));
                    continue;
                }
                try (Stream<Path> images = Files.walk(entry)) {
                    for (Path file : images.filter(Files::isRegularFile).sorted().toList()) {
                        if (!file.getFileName().toString().startsWith(".")) {
                            files.add(file);
                            classOf.add(label);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new DataException(folder + ": cannot be listed: " + e.getMessage(), e);
        }
        listed.put(split, files);
        labels.put(split, classOf);
    }

    private static String closeMatch(String name, List<String> classes) {
        String plain = name.strip().toLowerCase(Locale.ROOT);
        return classes.stream().filter(c -> c.strip().toLowerCase(Locale.ROOT).equals(plain)).findFirst()
                .map(c -> "; it differs from \"" + c + "\" only by case or spaces").orElse("");
    }

    /**
     * Decodes every file on a thread pool, and adds the pixels of each usable image to {@code
     * fingerprint} in the files' order.
     */
    private static Checked[] checkAll(List<Path> paths, int channels, int size, boolean keepPixels,
            ImageFingerprint fingerprint, String split, PrintStream progress) {
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "keel-decode");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // Slices of files decode in parallel, each in order, while this thread hashes the slices
            // in order; a bounded number of slices in flight bounds the pixels held when they are
            // not kept.
            int sliceSize = Math.max(1, Math.min(MAX_SLICE, paths.size() / (threads * 8)));
            int slices = (paths.size() + sliceSize - 1) / sliceSize;
            Checked[] decoded = new Checked[paths.size()];
            AtomicInteger done = new AtomicInteger();
            Deque<Future<?>> inFlight = new ArrayDeque<>();
            int submitted = 0;
            long start = System.nanoTime();
            long lastShown = start;
            for (int s = 0; s < slices; s++) {
                while (submitted < slices && submitted < s + threads * SLICES_PER_THREAD) {
                    int from = submitted * sliceSize;
                    int to = Math.min(paths.size(), from + sliceSize);
                    inFlight.add(pool.submit(() -> {
                        for (int i = from; i < to; i++) {
                            decoded[i] = check(paths.get(i), channels, size);
                            done.incrementAndGet();
                        }
                    }));
                    submitted++;
                }
                inFlight.remove().get();
                for (int i = s * sliceSize; i < Math.min(paths.size(), (s + 1) * sliceSize); i++) {
                    if (decoded[i].problemKind() == null) {
                        fingerprint.addPixels(decoded[i].pixels());
                        if (!keepPixels) {
                            decoded[i] = decoded[i].withoutPixels();
                        }
                    }
                }
                long now = System.nanoTime();
                if (progress != null && now - lastShown > 2_000_000_000L) {
                    lastShown = now;
                    progress.printf(Locale.ROOT, "decoding %s: %,d of %,d images%n", split, done.get(), paths.size());
                }
            }
            if (progress != null && paths.size() > 0) {
                progress.printf(Locale.ROOT, "decoded %,d %s images in %.1fs on %d threads%n", paths.size(), split,
                        (System.nanoTime() - start) / 1e9, threads);
            }
            return decoded;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("decoding " + split + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new DataException("decoding " + split + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Decodes and hashes one read of the file's bytes. */
    private static Checked check(Path file, int channels, int size) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Checked("unreadable", "cannot be read (" + e.getMessage() + ")", false, 0, 0, null, null, null);
        }
        ImageDecoder.Decoded image = ImageDecoder.decode(bytes, channels, size);
        if (image.pixels() == null) {
            return new Checked(image.problemKind(), image.problem(), false, 0, 0, null, null, null);
        }
        return new Checked(null, null, image.colour(), image.width(), image.height(), Sha256.of(bytes),
                Normalization.sums(image.pixels(), channels), image.pixels());
    }

    private static Map<String, Integer> counts(List<String> classes, List<Integer> labels) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        classes.forEach(c -> counts.put(c, 0));
        labels.forEach(l -> counts.merge(classes.get(l), 1, Integer::sum));
        return counts;
    }

    /** A class whose every training image was skipped as unusable: an error, a model must not have a class it never saw. */
    private static void reportClassesLeftEmpty(Path train, List<String> classes, int[] trainLabels,
            DataReport report) {
        Map<String, Integer> counts = counts(classes, Arrays.stream(trainLabels).boxed().toList());
        for (String name : classes) {
            if (counts.get(name) == 0 && report.errors().stream().noneMatch(p -> p.kind().equals("empty_class")
                    && p.file().equals(train.resolve(name).toString()))) {
                report.error(EMPTY_AFTER_SKIPPING, train.resolve(name).toString(), 0, "class \"" + name
                        + "\" has no usable training image: a model cannot learn a class it never sees (fix or add"
                        + " its images, or remove its folder)");
            }
        }
    }

    /** The heading of a failure: items first, then what is wrong with class folders, each counted apart. */
    private static DataException failure(Path root, DataReport report) {
        long classes = report.errors().stream().filter(p -> CLASS_PROBLEMS.contains(p.kind())).count();
        long items = report.errors().size() - classes;
        List<String> counted = new ArrayList<>();
        if (items > 0) {
            counted.add(items + " unusable item" + (items == 1 ? "" : "s"));
        }
        if (classes > 0) {
            counted.add(classes + " class folder problem" + (classes == 1 ? "" : "s"));
        }
        return report.failure(root + ": " + String.join(" and ", counted)
                + " (data.bad_items is fail; set it to skip to train without them; keel check lists them all)",
                p -> !CLASS_PROBLEMS.contains(p.kind()));
    }

    /** Images whose colour or size differs from what the folder mostly holds, reported once per kind. */
    private static final class Dimensions {
        private final Map<String, Integer> sizes = new TreeMap<>();
        private final Map<String, Path> exampleOfSize = new TreeMap<>();
        private int colourMismatch;
        private Path colourExample;

        void add(Path file, Checked image, int channels) {
            String key = image.width() + "x" + image.height();
            sizes.merge(key, 1, Integer::sum);
            exampleOfSize.putIfAbsent(key, file);
            if (image.colour() != (channels == 3)) {
                colourMismatch++;
                if (colourExample == null) {
                    colourExample = file;
                }
            }
        }

        void report(DataReport report, Path root, int channels, int size) {
            if (colourMismatch > 0) {
                report.warning("unexpected_mode", colourExample.toString(), 0, String.format(Locale.ROOT,
                        "%,d image%s %s, converted to %s (data.channels is %d); this is one", colourMismatch,
                        colourMismatch == 1 ? " is" : "s are", channels == 1 ? "colour" : "grayscale", channels == 1 ? "grayscale" : "RGB", channels));
            }
            if (sizes.size() > 1) {
                String common = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                int others = sizes.entrySet().stream().filter(e -> !e.getKey().equals(common))
                        .mapToInt(Map.Entry::getValue).sum();
                String example = sizes.keySet().stream().filter(k -> !k.equals(common)).findFirst().orElseThrow();
                report.warning("unexpected_size", exampleOfSize.get(example).toString(), 0, String.format(Locale.ROOT,
                        "%,d image%s not %s like most (this one is %s); all are squished to %dx%d", others,
                        others == 1 ? " is" : "s are", common, example, size, size));
            }
        }
    }
}
