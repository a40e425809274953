package dev.keel.trainer.interpret;

import dev.keel.serving.translate.Probabilities;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a model is right and wrong on a split: the confusion matrix, precision, recall and F1 per
 * class, the items with the highest loss (what teaches most about the data: mislabelled items,
 * odd cases), and the predictions too unsure to trust without a look.
 *
 * @param classes one name per class index
 * @param confusion counts by true class (row) and predicted class (column)
 * @param perClass the metrics of each class, in class order
 * @param accuracy the share of items predicted right
 * @param macroF1 the mean of the classes' F1
 * @param topLosses the items with the highest loss, highest first
 * @param review the items whose confidence is below {@code reviewBelow}, least confident first
 * @param reviewBelow the confidence threshold of the review queue
 */
public record Interpretation(List<String> classes, long[][] confusion, List<ClassMetrics> perClass, double accuracy,
        double macroF1, List<Item> topLosses, List<Item> review, double reviewBelow) {

    /**
     * One class's metrics.
     *
     * @param precision of the items predicted as this class, the share that are; 0 when none is
     * @param recall of the items of this class, the share predicted as it; 0 when there are none
     * @param f1 the harmonic mean of precision and recall; 0 when both are 0
     * @param support the number of items of this class
     */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {}

    /**
     * One prediction.
     *
     * @param position the item's index in the split
     * @param name its file, or {@code #index}
     * @param confidence the probability of the predicted class
     * @param loss the cross-entropy of the true class
     */
    public record Item(int position, String name, String trueClass, String predicted, double confidence,
            double loss) {}

    /** The interpretation of {@code predictions}. */
    public static Interpretation of(Predictions predictions, int topLosses, double reviewBelow) {
        List<String> classes = predictions.classes();
        int k = classes.size();
        long[][] confusion = new long[k][k];
        List<Item> items = new ArrayList<>(predictions.size());
        long correct = 0;
        for (int i = 0; i < predictions.size(); i++) {
            double[] p = predictions.probabilities(i);
            int predicted = Probabilities.argmax(p);
            int truth = predictions.labels()[i];
            confusion[truth][predicted]++;
            correct += truth == predicted ? 1 : 0;
            items.add(new Item(i, predictions.name(i), classes.get(truth), classes.get(predicted), p[predicted],
                    predictions.loss(i)));
        }
        List<ClassMetrics> perClass = new ArrayList<>(k);
        double f1Sum = 0;
        for (int c = 0; c < k; c++) {
            long predictedAs = 0;
            long support = 0;
            for (int other = 0; other < k; other++) {
                predictedAs += confusion[other][c];
                support += confusion[c][other];
            }
            double precision = predictedAs == 0 ? 0 : (double) confusion[c][c] / predictedAs;
            double recall = support == 0 ? 0 : (double) confusion[c][c] / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(classes.get(c), precision, recall, f1, support));
            f1Sum += f1;
        }
        List<Item> byLoss = items.stream()
                .sorted(Comparator.comparingDouble(Item::loss).reversed().thenComparingInt(Item::position))
                .limit(topLosses).toList();
        List<Item> review = items.stream().filter(item -> item.confidence() < reviewBelow)
                .sorted(Comparator.comparingDouble(Item::confidence).thenComparingInt(Item::position)).toList();
        return new Interpretation(classes, confusion, List.copyOf(perClass),
                predictions.size() == 0 ? Double.NaN : (double) correct / predictions.size(), k == 0 ? 0 : f1Sum / k,
                byLoss, review, reviewBelow);
    }
}
