package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import dev.keel.serving.image.Normalization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
    private static final float MEAN = 0.5f;
    private static final float STD = 0.25f;

    private final LabeledImages images = IdxFiles.images(4, 2, 3, 3);
    private final Normalization normalization = Normalization.of(1, MEAN, STD);

    @Test
    void getReturnsNormalisedPixelsAndLabel() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).items(new int[] {2, 0}).normalization(normalization).build();

        try (NDManager manager = NDManager.newBaseManager()) {
            Record record = dataset.get(manager, 0);
            NDArray data = record.getData().singletonOrThrow();
            NDArray label = record.getLabels().singletonOrThrow();

            assertEquals(new Shape(1, 2, 3), data.getShape());
            assertArrayEquals(expectedPixels(2), data.toFloatArray(), 1e-5f);
            assertEquals(new Shape(), label.getShape());
            assertEquals(2f, label.getFloat());
        }
    }

    @Test
    void withoutNormalizationPixelsAreScaledToUnitRange() throws Exception {
        LabeledImages bright = new LabeledImages("memory", new byte[] {0, (byte) 51, (byte) 255, (byte) 128},
                new byte[] {0}, 1, 2, 2, 1);
        ImageDataset dataset = ImageDataset.builder(bright).build();

        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pixels = dataset.get(manager, 0).getData().singletonOrThrow().toFloatArray();

            assertArrayEquals(new float[] {0f, 0.2f, 1f, 128 / 255f}, pixels, 1e-6f);
        }
    }

    @Test
    void batchEqualsStackedRecords() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).items(new int[] {3, 1, 2, 0})
                .normalization(normalization).build();
        int[] order = {2, 0, 3, 1};

        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = dataset.batch(manager, order, 1, 4);

            NDList data = new NDList();
            NDList labels = new NDList();
            for (int i = 1; i < 4; i++) {
                Record record = dataset.get(manager, order[i]);
                data.add(record.getData().singletonOrThrow());
                labels.add(record.getLabels().singletonOrThrow());
            }
            NDArray batchData = batch.getData().singletonOrThrow();
            NDArray batchLabels = batch.getLabels().singletonOrThrow();

            assertEquals(3, batch.getSize());
            assertEquals(new Shape(3, 1, 2, 3), batchData.getShape());
            assertEquals(new Shape(3), batchLabels.getShape());
            assertArrayEquals(NDArrays.stack(data).toFloatArray(), batchData.toFloatArray());
            assertArrayEquals(NDArrays.stack(labels).toFloatArray(), batchLabels.toFloatArray());
            assertArrayEquals(new float[] {0f, 0f, 1f}, batchLabels.toFloatArray());
        }
    }

    @Test
    void batchesIntoOneReusedBufferEqualFreshBatches() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).normalization(normalization).build();
        int[] order = {3, 1, 0, 2};
        BatchBuffer buffer = new BatchBuffer(2, images.imageSize());

        try (NDManager manager = NDManager.newBaseManager()) {
            for (int from = 0; from < 4; from += 2) {
                float[] expectedData;
                float[] expectedLabels;
                try (NDManager fresh = manager.newSubManager()) {
                    Batch batch = dataset.batch(fresh, order, from, from + 2);
                    expectedData = batch.getData().singletonOrThrow().toFloatArray();
                    expectedLabels = batch.getLabels().singletonOrThrow().toFloatArray();
                }
                try (NDManager step = manager.newSubManager()) {
                    Batch batch = dataset.batch(step, order, from, from + 2, buffer);

                    assertEquals(new Shape(2, 1, 2, 3), batch.getData().singletonOrThrow().getShape());
                    assertArrayEquals(expectedData, batch.getData().singletonOrThrow().toFloatArray());
                    assertArrayEquals(expectedLabels, batch.getLabels().singletonOrThrow().toFloatArray());
                }
            }
            try (NDManager step = manager.newSubManager()) {
                Batch partial = dataset.batch(step, order, 3, 4, buffer);

                assertEquals(new Shape(1, 1, 2, 3), partial.getData().singletonOrThrow().getShape());
                assertArrayEquals(expectedPixels(2), partial.getData().singletonOrThrow().toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void reusedBufferRefusesToOverwriteAnOpenBatch() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).normalization(normalization).build();
        int[] order = {0, 1, 2, 3};
        BatchBuffer buffer = new BatchBuffer(2, images.imageSize());

        try (NDManager manager = NDManager.newBaseManager()) {
            Batch open = dataset.batch(manager, order, 0, 2, buffer);
            float[] before = open.getData().singletonOrThrow().toFloatArray();

            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> dataset.batch(manager, order, 2, 4, buffer));
            assertTrue(error.getMessage().contains("still open"), error.getMessage());
            assertArrayEquals(before, open.getData().singletonOrThrow().toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> new BatchBuffer(0, images.imageSize()));
        }
    }

    @Test
    void reusedBufferRejectsABatchLargerThanItsCapacity() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).build();
        BatchBuffer buffer = new BatchBuffer(2, images.imageSize());

        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> dataset.batch(manager, new int[] {0, 1, 2}, 0, 3, buffer));
        }
    }

    @Test
    void dataIteratesEveryItemThroughTheSampler() throws Exception {
        ImageDataset dataset = ImageDataset.builder(images).setSampling(new SeededSampler(3, 5, false)).build();
        List<Float> labels = new ArrayList<>();

        try (NDManager manager = NDManager.newBaseManager()) {
            for (Batch batch : dataset.getData(manager)) {
                for (float label : batch.getLabels().singletonOrThrow().toFloatArray()) {
                    labels.add(label);
                }
                batch.close();
            }
        }

        assertEquals(4, labels.size());
        assertEquals(List.of(0f, 0f, 1f, 2f), labels.stream().sorted().toList());
    }

    @Test
    void sizeIsTheNumberOfItems() {
        ImageDataset all = ImageDataset.builder(images).build();
        ImageDataset some = ImageDataset.builder(images).items(new int[] {1, 3}).build();

        assertEquals(4, all.size());
        assertEquals(4, all.itemCount());
        assertEquals(2, some.size());
        assertEquals(2, some.itemCount());
        assertEquals(1, some.labelAt(0));
        assertEquals(0, some.labelAt(1));
        assertSame(images, some.images());
    }

    @Test
    void defaultsToNoNormalization() {
        Normalization defaults = ImageDataset.builder(images).build().normalization();

        assertArrayEquals(new float[] {0f}, defaults.mean());
        assertArrayEquals(new float[] {1f}, defaults.std());
    }

    @Test
    void itemsAreCopied() {
        int[] items = {0, 1};
        ImageDataset dataset = ImageDataset.builder(images).items(items).build();
        items[0] = 2;

        assertEquals(0, dataset.labelAt(0));
    }

    @Test
    void builderRejectsItemsOutsideTheImages() {
        ImageDataset.Builder builder = ImageDataset.builder(images);

        assertThrows(IllegalArgumentException.class, () -> builder.items(new int[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> builder.items(new int[] {4}));
    }

    @Test
    void builderRejectsNormalizationForOtherChannelCount() {
        ImageDataset.Builder builder = ImageDataset.builder(images);

        assertThrows(IllegalArgumentException.class, () -> builder.normalization(Normalization.none(3)));
    }

    private float[] expectedPixels(int item) {
        float[] expected = new float[images.imageSize()];
        for (int p = 0; p < expected.length; p++) {
            int value = images.pixels()[item * images.imageSize() + p] & 0xff;
            expected[p] = (value / 255f - MEAN) / STD;
        }
        return expected;
    }
}
