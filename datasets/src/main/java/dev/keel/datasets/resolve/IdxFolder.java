package dev.keel.datasets.resolve;

import dev.keel.datasets.DataException;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.idx.IdxArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The four files of an MNIST-style dataset ({@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}),
 * each gzipped or not, in a folder or among the resources on the class path.
 */
final class IdxFolder {
    static final String TRAIN = "train";
    static final String TEST = "t10k";

    private IdxFolder() {}

    /** Whether {@code folder} holds all four files. */
    static boolean isComplete(Path folder) {
        return List.of(TRAIN, TEST).stream().allMatch(
                split -> find(folder, split, "images-idx3").isPresent() && find(folder, split, "labels-idx1").isPresent());
    }

    /** Reads one split ({@link #TRAIN} or {@link #TEST}) from a folder. */
    static LabeledImages read(Path folder, String split, int numClasses) {
        Path images = find(folder, split, "images-idx3").orElseThrow(() -> missing(folder, split, "images-idx3"));
        Path labels = find(folder, split, "labels-idx1").orElseThrow(() -> missing(folder, split, "labels-idx1"));
        return LabeledImages.fromIdx(IdxArray.read(images), IdxArray.read(labels), numClasses);
    }

    /** Reads one split from class-path resources under {@code prefix} (gzipped files). */
    static LabeledImages readResource(String prefix, String split, int numClasses) {
        return LabeledImages.fromIdx(
                resource(prefix + split + "-images-idx3-ubyte.gz"),
                resource(prefix + split + "-labels-idx1-ubyte.gz"),
                numClasses);
    }

    private static IdxArray resource(String name) {
        try (InputStream in = IdxFolder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new DataException("classpath:" + name + ": missing from Keel's jar");
            }
            return IdxArray.read(in, "classpath:" + name);
        } catch (IOException e) {
            throw new DataException("classpath:" + name + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<Path> find(Path folder, String split, String kind) {
        // MNIST's own files are named both "train-images-idx3-ubyte" and "train-images.idx3-ubyte".
        String[] stems = {split + "-" + kind + "-ubyte", split + "-" + kind.replace('-', '.') + "-ubyte"};
        for (String stem : stems) {
            for (String name : new String[] {stem + ".gz", stem}) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return java.util.Optional.of(candidate);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static DataException missing(Path folder, String split, String kind) {
        return new DataException(folder + ": no " + split + "-" + kind + "-ubyte[.gz] file (an IDX dataset folder"
                + " holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                + " t10k-labels-idx1-ubyte, each gzipped or not)");
    }
}
