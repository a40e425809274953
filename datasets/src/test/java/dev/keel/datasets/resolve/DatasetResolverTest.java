package dev.keel.datasets.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.datasets.DataException;
import dev.keel.datasets.IdxFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {
    private static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path dir;

    @Test
    void knowsItsNames() {
        assertEquals(List.of("fashion-mnist", "mnist"), DatasetResolver.names());
    }

    @Test
    void explicitPathWinsOverEverythingElse() {
        Path explicit = IdxFiles.writeDataset(dir.resolve("explicit"), 3, 2, 2, 2, 10, false);
        IdxFiles.writeDataset(dir.resolve("keel/fashion-mnist"), 4, 2, 2, 2, 10, false);
        Path debian = IdxFiles.writeDataset(dir.resolve("debian"), 5, 2, 2, 2, 10, false);

        ResolvedDataset resolved = resolver(keelData(dir.resolve("keel")), debian).resolve("fashion-mnist", explicit);

        assertEquals(DataOrigin.CONFIG_PATH, resolved.origin());
        assertEquals(explicit.toString(), resolved.location());
        assertEquals("fashion-mnist", resolved.name());
        assertEquals(3, resolved.train().count());
        assertEquals(2, resolved.test().count());
        assertEquals(FASHION_CLASSES, resolved.classNames());
    }

    @Test
    void keelDataFolderComesNext() {
        Path folder = IdxFiles.writeDataset(dir.resolve("keel/fashion-mnist"), 4, 2, 2, 2, 10, true);
        Path debian = IdxFiles.writeDataset(dir.resolve("debian"), 5, 2, 2, 2, 10, false);

        ResolvedDataset resolved = resolver(keelData(dir.resolve("keel")), debian).resolve("fashion-mnist", null);

        assertEquals(DataOrigin.KEEL_DATA, resolved.origin());
        assertEquals(folder.toString(), resolved.location());
        assertEquals(4, resolved.train().count());
        assertEquals(10, resolved.train().numClasses());
    }

    @Test
    void incompleteKeelDataFolderIsSkipped() throws IOException {
        Path folder = IdxFiles.writeDataset(dir.resolve("keel/fashion-mnist"), 4, 2, 2, 2, 10, false);
        Files.delete(folder.resolve("t10k-labels-idx1-ubyte"));
        Path debian = IdxFiles.writeDataset(dir.resolve("debian"), 5, 2, 2, 2, 10, false);

        ResolvedDataset resolved = resolver(keelData(dir.resolve("keel")), debian).resolve("fashion-mnist", null);

        assertEquals(DataOrigin.DEBIAN_PACKAGE, resolved.origin());
        assertEquals(5, resolved.train().count());
    }

    @Test
    void debianFolderIsUsedWhenKeelDataIsUnset() {
        Path debian = IdxFiles.writeDataset(dir.resolve("debian"), 5, 3, 2, 2, 10, true);

        ResolvedDataset resolved = resolver(name -> null, debian).resolve("fashion-mnist", null);

        assertEquals(DataOrigin.DEBIAN_PACKAGE, resolved.origin());
        assertEquals(debian.toString(), resolved.location());
        assertEquals(5, resolved.train().count());
        assertEquals(3, resolved.test().count());
    }

    @Test
    void blankKeelDataIsIgnored() {
        Path debian = IdxFiles.writeDataset(dir.resolve("debian"), 5, 3, 2, 2, 10, false);

        ResolvedDataset resolved = resolver(keelData(Path.of(" ")), debian).resolve("fashion-mnist", null);

        assertEquals(DataOrigin.DEBIAN_PACKAGE, resolved.origin());
    }

    @Test
    void fallsBackToBundledSample() {
        ResolvedDataset resolved = resolver(keelData(dir.resolve("keel")), dir.resolve("no-debian"))
                .resolve("fashion-mnist", null);

        assertEquals(DataOrigin.BUNDLED_SAMPLE, resolved.origin());
        assertTrue(resolved.location().startsWith("classpath:"), resolved.location());
        assertEquals(10_000, resolved.train().count());
        assertEquals(2_000, resolved.test().count());
        assertEquals(28, resolved.train().height());
        assertEquals(28, resolved.train().width());
        assertEquals(FASHION_CLASSES, resolved.classNames());
        assertEquals(10, resolved.train().numClasses());
        assertTrue(resolved.describe().contains("10,000 training and 2,000 test images, 10 classes"),
                resolved.describe());
    }

    @Test
    void acceptsMnistStyleDottedNames() throws IOException {
        Path folder = IdxFiles.writeDataset(dir.resolve("dotted"), 3, 2, 2, 2, 10, false);
        Files.move(folder.resolve("train-images-idx3-ubyte"), folder.resolve("train-images.idx3-ubyte"));
        Files.move(folder.resolve("t10k-labels-idx1-ubyte"), folder.resolve("t10k-labels.idx1-ubyte"));

        ResolvedDataset resolved = resolver(name -> null, dir.resolve("no-debian")).resolve("mnist", folder);

        assertEquals(3, resolved.train().count());
        assertEquals(2, resolved.test().count());
    }

    @Test
    void unnamedFolderGetsNumberedClasses() {
        Path folder = IdxFiles.writeDataset(dir.resolve("my-digits"), 6, 3, 2, 2, 4, false);

        ResolvedDataset resolved = resolver(name -> null, dir.resolve("no-debian")).resolve(null, folder);

        assertEquals("my-digits", resolved.name());
        assertEquals(DataOrigin.CONFIG_PATH, resolved.origin());
        assertEquals(List.of("0", "1", "2", "3"), resolved.classNames());
        assertEquals(4, resolved.train().numClasses());
        assertEquals(4, resolved.test().numClasses());
    }

    @Test
    void unknownName() {
        DataException e = assertThrows(DataException.class,
                () -> resolver(name -> null, dir.resolve("no-debian")).resolve("cifar-10", null));

        assertContains(e, "unknown dataset cifar-10");
        assertContains(e, "fashion-mnist");
        assertContains(e, "mnist");
    }

    @Test
    void neitherNameNorPath() {
        DataException e = assertThrows(DataException.class,
                () -> resolver(name -> null, dir.resolve("no-debian")).resolve(null, null));

        assertContains(e, "no dataset");
        assertContains(e, "data.path");
    }

    @Test
    void missingPath() {
        Path absent = dir.resolve("absent");

        DataException e = assertThrows(DataException.class,
                () -> resolver(name -> null, dir.resolve("no-debian")).resolve("fashion-mnist", absent));

        assertContains(e, absent.toString());
        assertContains(e, "is not a folder");
    }

    @Test
    void folderMissingAFile() throws IOException {
        Path folder = IdxFiles.writeDataset(dir.resolve("partial"), 3, 2, 2, 2, 10, false);
        Files.delete(folder.resolve("t10k-images-idx3-ubyte"));

        DataException e = assertThrows(DataException.class,
                () -> resolver(name -> null, dir.resolve("no-debian")).resolve(null, folder));

        assertContains(e, folder.toString());
        assertContains(e, "no t10k-images-idx3-ubyte[.gz] file");
    }

    @Test
    void truncatedFileIsNamedRatherThanSkipped() throws IOException {
        Path folder = IdxFiles.writeDataset(dir.resolve("keel/fashion-mnist"), 3, 2, 2, 2, 10, true);
        Path broken = folder.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));

        DataException e = assertThrows(DataException.class,
                () -> resolver(keelData(dir.resolve("keel")), dir.resolve("no-debian")).resolve("fashion-mnist", null));

        assertContains(e, broken.toString());
        assertContains(e, "truncated");
    }

    @Test
    void datasetWithoutSampleReportsWhereItLooked() {
        Path keel = dir.resolve("keel");

        DataException e = assertThrows(DataException.class,
                () -> resolver(keelData(keel), dir.resolve("no-debian")).resolve("mnist", null));

        assertContains(e, "dataset mnist not found");
        assertContains(e, keel.resolve("mnist").toString());
        assertContains(e, "$KEEL_DATA");
    }

    @Test
    void datasetWithoutSampleOrEnvironment() {
        DataException e = assertThrows(DataException.class,
                () -> new DatasetResolver(name -> null, Map.of()).resolve("mnist", null));

        assertContains(e, "dataset mnist not found");
        assertContains(e, "set data.path or $KEEL_DATA");
    }

    private static UnaryOperator<String> keelData(Path folder) {
        return name -> DatasetResolver.KEEL_DATA.equals(name) ? folder.toString() : null;
    }

    private static DatasetResolver resolver(UnaryOperator<String> environment, Path debianFolder) {
        return new DatasetResolver(environment, Map.of("fashion-mnist", debianFolder));
    }

    private static void assertContains(DataException e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
