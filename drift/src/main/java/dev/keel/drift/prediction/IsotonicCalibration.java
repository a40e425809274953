package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A monotone map from a prediction's confidence to the probability that it is right, fitted by
 * isotonic regression (pool adjacent violators, equal confidences pooled first so they map to one
 * value). Between the fitted blocks the map is linear in the confidence (each block stands at its
 * mean confidence); below the first and above the last it is flat, as scikit-learn's
 * {@code IsotonicRegression(out_of_bounds="clip")} does.
 *
 * @param confidences the blocks' mean confidences, increasing
 * @param accuracies each block's share of right predictions, non-decreasing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IsotonicCalibration(double[] confidences, double[] accuracies) {

    /**
     * Fits the map to {@code confidence[i]} and whether prediction {@code i} was right.
     *
     * @throws IllegalArgumentException when there are no items or the arrays differ in length
     */
    public static IsotonicCalibration fit(double[] confidence, boolean[] correct) {
        if (confidence.length == 0 || confidence.length != correct.length) {
            throw new IllegalArgumentException("calibration needs as many outcomes as confidences, at least one; got "
                    + confidence.length + " and " + correct.length);
        }
        Integer[] order = new Integer[confidence.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(confidence[a], confidence[b]));
        List<double[]> blocks = new ArrayList<>(); // {sum of x, sum of y, weight}
        int i = 0;
        while (i < order.length) {
            double x = confidence[order[i]];
            double[] block = {0, 0, 0};
            while (i < order.length && confidence[order[i]] == x) {
                block[0] += x;
                block[1] += correct[order[i]] ? 1 : 0;
                block[2]++;
                i++;
            }
            blocks.add(block);
            // Pool while the last block's mean falls below the one before it.
            while (blocks.size() > 1) {
                double[] last = blocks.get(blocks.size() - 1);
                double[] before = blocks.get(blocks.size() - 2);
                if (before[1] / before[2] <= last[1] / last[2]) {
                    break;
                }
                before[0] += last[0];
                before[1] += last[1];
                before[2] += last[2];
                blocks.remove(blocks.size() - 1);
            }
        }
        double[] xs = new double[blocks.size()];
        double[] ys = new double[blocks.size()];
        for (int b = 0; b < xs.length; b++) {
            xs[b] = blocks.get(b)[0] / blocks.get(b)[2];
            ys[b] = blocks.get(b)[1] / blocks.get(b)[2];
        }
        return new IsotonicCalibration(xs, ys);
    }

    /** The calibrated probability that a prediction of confidence {@code c} is right. */
    public double apply(double c) {
        int n = confidences.length;
        if (c <= confidences[0]) {
            return accuracies[0];
        }
        if (c >= confidences[n - 1]) {
            return accuracies[n - 1];
        }
        int hi = Arrays.binarySearch(confidences, c);
        if (hi >= 0) {
            return accuracies[hi];
        }
        hi = -hi - 1;
        int lo = hi - 1;
        double t = (c - confidences[lo]) / (confidences[hi] - confidences[lo]);
        return accuracies[lo] + t * (accuracies[hi] - accuracies[lo]);
    }
}
