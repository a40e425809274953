package dev.keel.datasets.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableDatasetTest {
    /** Four rows of three features; row r holds r, r + 0.5, -r. */
    private final TableDataset dataset = new TableDataset(
            new float[] {0, 0.5f, 0, 1, 1.5f, -1, 2, 2.5f, -2, 3, 3.5f, -3}, 3, new int[] {1, 0, 1, 2},
            List.of("a", "b", "c"));

    @Test
    void describesItsItems() {
        assertEquals(4, dataset.itemCount());
        assertEquals(new Shape(3), dataset.itemShape());
        assertEquals(List.of("a", "b", "c"), dataset.classes());
        assertEquals(2, dataset.labelAt(3));
    }

    @Test
    void aBatchHoldsTheRowsOfTheOrderRangeAndTheirLabels() {
        int[] order = {2, 0, 3, 1};
        BatchBuffer buffer = dataset.newBuffer(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            // One scope per batch, as the training loop has it; closing it frees the buffer again.
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = dataset.batch(scope, order, 1, 3, 0, buffer);
                assertEquals(2, batch.getSize());
                assertEquals(new Shape(2, 3), batch.getData().singletonOrThrow().getShape());
                assertArrayEquals(new float[] {0, 0.5f, 0, 3, 3.5f, -3},
                        batch.getData().singletonOrThrow().toFloatArray());
                assertArrayEquals(new float[] {1, 2}, batch.getLabels().singletonOrThrow().toFloatArray());
            }
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = dataset.batch(scope, order, 0, 4, 1, buffer);
                assertArrayEquals(new float[] {1, 1, 2, 0}, batch.getLabels().singletonOrThrow().toFloatArray());
            }
        }
    }

    @Test
    void aBufferWhoseBatchIsStillOpenIsRefused() {
        int[] order = {0, 1, 2, 3};
        BatchBuffer buffer = dataset.newBuffer(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            dataset.batch(manager, order, 0, 2, 0, buffer);

            assertThrows(IllegalStateException.class, () -> dataset.batch(manager, order, 2, 4, 0, buffer));
        }
    }

    @Test
    void sizesThatDisagreeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TableDataset(new float[5], 3, new int[2], List.of("a")));
        assertThrows(IllegalArgumentException.class,
                () -> new TableDataset(new float[3], 3, new int[] {1}, List.of("a")));
    }
}
