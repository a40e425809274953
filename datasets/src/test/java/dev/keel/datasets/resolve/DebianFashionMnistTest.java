package dev.keel.datasets.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.datasets.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist package, where it is installed (CI installs it). */
@EnabledIf("installed")
class DebianFashionMnistTest {
    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

    static boolean installed() {
        return Files.isRegularFile(DEBIAN.resolve("train-images-idx3-ubyte.gz"));
    }

    @Test
    void resolvesTheFullDatasetWithBalancedClasses() {
        ResolvedDataset data = new DatasetResolver(name -> null, java.util.Map.of()).resolve("fashion-mnist", null);
        assertEquals(DataOrigin.DEBIAN_PACKAGE, data.origin());
        assertEquals(60_000, data.train().count());
        assertEquals(10_000, data.test().count());
        assertEquals(28, data.train().height());
        assertEquals(28, data.train().width());
        assertBalanced(data.train(), 6_000);
        assertBalanced(data.test(), 1_000);
    }

    private static void assertBalanced(LabeledImages images, int perClass) {
        int[] counts = new int[10];
        for (int i = 0; i < images.count(); i++) {
            counts[images.label(i)]++;
        }
        for (int count : counts) {
            assertEquals(perClass, count);
        }
    }
}
