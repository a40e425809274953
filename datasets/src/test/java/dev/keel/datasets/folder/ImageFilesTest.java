package dev.keel.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.ImageStatistics;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.augment.Augmentation;
import dev.keel.datasets.check.DataReport;
import dev.keel.serving.image.Normalization;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images read from their files every batch give exactly the batches of the same images kept in memory. */
class ImageFilesTest {
    @TempDir
    Path temp;

    @Test
    void streamedBatchesEqualCachedOnesWithAndWithoutAugmentation() {
        Path root = ImageFolders.clean(temp.resolve("folder"), "train", 20, 12);
        ImageFolder.Loaded cached = ImageFolder.read(root, 3, 10, false, true, new DataReport("x"), null);
        ImageFolder.Loaded streamed = ImageFolder.read(root, 3, 10, false, false, new DataReport("x"), null);
        assertTrue(streamed.splits().isEmpty(), "no pixels kept");
        LabeledImages images = cached.splits().get("train");
        int[] items = IntStream.range(0, images.count()).filter(i -> i % 4 != 0).toArray();
        Normalization fitted = ImageStatistics.fit(images, items);
        Normalization fromSums = Normalization.fromSums(3, 100, streamed.sums().get("train"), items);
        assertArrayEquals(fitted.mean(), fromSums.mean(), 1e-6f);
        assertArrayEquals(fitted.std(), fromSums.std(), 1e-6f);

        for (Augmentation augmentation : new Augmentation[] {null, new Augmentation(0.5, 0.6, 12, 0.1, 0.1)}) {
            ImageDataset.Builder builder = ImageDataset.builder(images).items(items).normalization(fitted);
            if (augmentation != null) {
                builder.augmentation(augmentation, 9);
            }
            BatchSource inMemory = builder.build();
            BatchSource fromFiles = new ImageFiles(streamed.files().get("train"), streamed.labels().get("train"), items,
                    3, 10, fitted, cached.classes(), augmentation, 9);
            assertEquals(inMemory.itemShape(), fromFiles.itemShape());
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int epoch = 0; epoch < 2; epoch++) {
                    int[] order = EpochOrder.of(items.length, 9, epoch);
                    for (int from = 0; from + 8 <= items.length; from += 8) {
                        assertArrayEquals(batch(inMemory, manager, order, from, epoch),
                                batch(fromFiles, manager, order, from, epoch), "epoch " + epoch + " from " + from);
                    }
                }
            }
        }
    }

    private static float[] batch(BatchSource source, NDManager manager, int[] order, int from, int epoch) {
        try (NDManager scope = manager.newSubManager()) {
            Batch batch = source.batch(scope, order, from, from + 8, epoch, source.newBuffer(8));
            float[] data = batch.getData().singletonOrThrow().toFloatArray();
            float[] labels = batch.getLabels().singletonOrThrow().toFloatArray();
            float[] both = new float[data.length + labels.length];
            System.arraycopy(data, 0, both, 0, data.length);
            System.arraycopy(labels, 0, both, data.length, labels.length);
            return both;
        }
    }
}
