package dev.keel.datasets.resolve;

import dev.keel.datasets.DataException;
import dev.keel.datasets.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Finds a dataset by name. An explicit path wins; otherwise {@code $KEEL_DATA/<name>}, then the
 * folder of the Debian package that ships it, then the sample bundled with Keel.
 */
public final class DatasetResolver {
    /** The environment variable naming a folder of datasets, one sub-folder per name. */
    public static final String KEEL_DATA = "KEEL_DATA";

    private record Named(List<String> classNames, Path debianFolder, String debianPackage, String bundledPrefix) {}

    private static final Map<String, Named> NAMED = Map.of(
            "fashion-mnist", new Named(
                    List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
                    Path.of("/usr/share/datasets/fashion-mnist"), "dataset-fashion-mnist",
                    "/dev/keel/datasets/fashion-mnist-sample/"),
            "mnist", new Named(
                    IntStream.range(0, 10).mapToObj(Integer::toString).toList(), null, null, null));

    private final UnaryOperator<String> environment;
    private final Map<String, Path> debianFolders;

    /** A resolver that reads the process environment and the standard Debian folders. */
    public DatasetResolver() {
        this(System::getenv, Map.of());
    }

    /**
     * A resolver with its environment and Debian folders given, so tests can point them elsewhere.
     *
     * @param debianFolders overrides of the Debian folder by dataset name
     */
    public DatasetResolver(UnaryOperator<String> environment, Map<String, Path> debianFolders) {
        this.environment = environment;
        this.debianFolders = debianFolders;
    }

    /** The dataset names this resolver knows. */
    public static List<String> names() {
        return NAMED.keySet().stream().sorted().toList();
    }

    /**
     * Resolves an IDX dataset.
     *
     * @param name a known name, or null when {@code path} is given (classes are then numbered)
     * @param path an explicit folder, or null to search by name
     * @throws DataException when nothing is found or the files found cannot be used
     */
    public ResolvedDataset resolve(String name, Path path) {
        if (path != null) {
            if (!Files.isDirectory(path)) {
                throw new DataException(path + ": data.path is not a folder (expected a folder holding the"
                        + " IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte"
                        + " and t10k-labels-idx1-ubyte, each gzipped or not)");
            }
            String label = name != null ? name : path.getFileName() != null ? path.getFileName().toString() : path.toString();
            return fromFolder(label, DataOrigin.CONFIG_PATH, path,
                    name == null ? null : known(name).classNames());
        }
        if (name == null) {
            throw new DataException("no dataset: give data.dataset (one of " + names() + ") or data.path");
        }
        Named named = known(name);
        List<String> searched = new ArrayList<>();
        String keelData = environment.apply(KEEL_DATA);
        if (keelData != null && !keelData.isBlank()) {
            Path folder = Path.of(keelData).resolve(name);
            if (IdxFolder.isComplete(folder)) {
                return fromFolder(name, DataOrigin.KEEL_DATA, folder, named.classNames());
            }
            searched.add(folder + " ($KEEL_DATA)");
        }
        Path debian = debianFolders.getOrDefault(name, named.debianFolder());
        if (debian != null) {
            if (IdxFolder.isComplete(debian)) {
                return fromFolder(name, DataOrigin.DEBIAN_PACKAGE, debian, named.classNames());
            }
            searched.add(named.debianPackage() == null ? debian.toString()
                    : debian + " (apt-get install " + named.debianPackage() + ")");
        }
        if (named.bundledPrefix() != null) {
            return new ResolvedDataset(name, DataOrigin.BUNDLED_SAMPLE, "classpath:" + named.bundledPrefix(),
                    IdxFolder.readResource(named.bundledPrefix(), IdxFolder.TRAIN, named.classNames().size()),
                    IdxFolder.readResource(named.bundledPrefix(), IdxFolder.TEST, named.classNames().size()),
                    named.classNames());
        }
        throw new DataException("dataset " + name + " not found; looked in " + String.join(", ", searched)
                + (searched.isEmpty() ? "nowhere: set data.path or $KEEL_DATA" : "; set data.path or $KEEL_DATA"));
    }

    private static Named known(String name) {
        Named named = NAMED.get(name);
        if (named == null) {
            throw new DataException("unknown dataset " + name + " (known: " + names() + "; or give data.path)");
        }
        return named;
    }

    private static ResolvedDataset fromFolder(String name, DataOrigin origin, Path folder, List<String> classNames) {
        // An unnamed folder's classes are numbered 0..max label.
        int classes = classNames == null ? 256 : classNames.size();
        LabeledImages train = IdxFolder.read(folder, IdxFolder.TRAIN, classes);
        LabeledImages test = IdxFolder.read(folder, IdxFolder.TEST, classes);
        List<String> names = classNames;
        if (names == null) {
            int max = 0;
            for (LabeledImages split : List.of(train, test)) {
                for (int i = 0; i < split.count(); i++) {
                    max = Math.max(max, split.label(i));
                }
            }
            int numClasses = max + 1;
            names = IntStream.range(0, numClasses).mapToObj(Integer::toString).toList();
            train = withClasses(train, numClasses);
            test = withClasses(test, numClasses);
        }
        return new ResolvedDataset(name, origin, folder.toString(), train, test, names);
    }

    private static LabeledImages withClasses(LabeledImages images, int numClasses) {
        return new LabeledImages(images.source(), images.pixels(), images.labels(), images.channels(),
                images.height(), images.width(), numClasses);
    }
}
