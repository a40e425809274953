package dev.keel.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import java.util.stream.IntStream;

/** Loss and accuracy of the trainer's model over a dataset, in inference mode. */
public final class Evaluation {
    private Evaluation() {}

    /** Evaluates every item of {@code data} in batches of {@code batchSize}. */
    public static EvalResult evaluate(Trainer trainer, BatchSource data, int batchSize) {
        int n = data.itemCount();
        if (n == 0) {
            return new EvalResult(Double.NaN, Double.NaN, 0);
        }
        int[] order = IntStream.range(0, n).toArray();
        double lossSum = 0;
        long correct = 0;
        BatchBuffer buffer = data.newBuffer(Math.min(batchSize, n));
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(from + batchSize, n);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                Batch batch = data.batch(scope, order, from, to, 0, buffer);
                NDList predictions = trainer.evaluate(batch.getData());
                NDArray labels = batch.getLabels().singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(batch.getLabels(), predictions).getFloat() * (to - from);
                NDArray predicted = predictions.singletonOrThrow().argMax(1).toType(labels.getDataType(), false);
                correct += predicted.eq(labels).countNonzero().getLong();
            }
        }
        return new EvalResult(lossSum / n, (double) correct / n, n);
    }
}
