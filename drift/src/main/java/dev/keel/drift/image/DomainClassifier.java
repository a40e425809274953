package dev.keel.drift.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A second opinion on embedding drift: can a classifier tell reference rows from new ones? An L2
 * regularised logistic regression (features standardised on each fold's training part, full-batch
 * gradient descent) is trained to say "new" on k-1 folds and scores the held-out fold; the ROC AUC
 * of the pooled held-out scores is about 0.5 when the two samples cannot be told apart and 1 when
 * they separate completely. Folds are stratified (each holds its share of both sides) and seeded.
 */
public final class DomainClassifier {
    /** Gradient steps per fold. */
    static final int STEPS = 300;
    /** Step size of gradient descent on standardised features. */
    static final double STEP_SIZE = 0.5;
    /** L2 penalty on the weights (not the bias). */
    static final double L2 = 0.01;

    private DomainClassifier() {}

    /**
     * Cross-validates the classifier on {@code reference} (label 0) against {@code fresh} (label 1).
     *
     * @param folds k of k-fold cross-validation, at least 2 and at most the smaller side's rows
     * @param threshold drift is reported when the AUC is above it
     */
    public static DomainClassifierResult test(double[][] reference, double[][] fresh, int folds, double threshold,
            long seed) {
        int smaller = Math.min(reference.length, fresh.length);
        if (folds < 2 || folds > smaller) {
            throw new IllegalArgumentException("folds must be 2 to " + smaller + " (the smaller side's rows), got "
                    + folds);
        }
        int n = reference.length + fresh.length;
        double[][] rows = new double[n][];
        int[] labels = new int[n];
        System.arraycopy(reference, 0, rows, 0, reference.length);
        System.arraycopy(fresh, 0, rows, reference.length, fresh.length);
        Arrays.fill(labels, reference.length, n, 1);
        int[] fold = new int[n];
        SplittableRandom random = new SplittableRandom(seed);
        assignFolds(fold, 0, reference.length, folds, random);
        assignFolds(fold, reference.length, n, folds, random);
        double[] scores = new double[n];
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (fold[i] == f ? held : train).add(i);
            }
            Model model = fit(rows, labels, train);
            for (int i : held) {
                scores[i] = model.score(rows[i]);
            }
        }
        double auc = auc(scores, labels);
        return new DomainClassifierResult("logistic regression (L2 " + L2 + ", standardised features)", folds, auc,
                reference.length, fresh.length, seed, threshold, auc > threshold);
    }

    /** Items {@code from..to} spread over the folds round-robin in a seeded order. */
    private static void assignFolds(int[] fold, int from, int to, int folds, SplittableRandom random) {
        int[] order = new int[to - from];
        for (int i = 0; i < order.length; i++) {
            order[i] = from + i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < order.length; i++) {
            fold[order[i]] = i % folds;
        }
    }

    /** A fitted logistic regression with the standardisation it was fitted on. */
    private record Model(double[] mean, double[] std, double[] weights, double bias) {
        double score(double[] row) {
            double z = bias;
            for (int d = 0; d < weights.length; d++) {
                z += weights[d] * (row[d] - mean[d]) / std[d];
            }
            return z;
        }
    }

    private static Model fit(double[][] rows, int[] labels, List<Integer> items) {
        int width = rows[0].length;
        int n = items.size();
        double[] mean = new double[width];
        double[] std = new double[width];
        for (int i : items) {
            for (int d = 0; d < width; d++) {
                mean[d] += rows[i][d];
            }
        }
        for (int d = 0; d < width; d++) {
            mean[d] /= n;
        }
        for (int i : items) {
            for (int d = 0; d < width; d++) {
                double diff = rows[i][d] - mean[d];
                std[d] += diff * diff;
            }
        }
        for (int d = 0; d < width; d++) {
            std[d] = Math.sqrt(std[d] / n);
            if (!(std[d] > 1e-12)) {
                std[d] = 1; // a constant feature: it stays 0 after centring
            }
        }
        double[][] x = new double[n][width];
        double[] y = new double[n];
        for (int k = 0; k < n; k++) {
            int i = items.get(k);
            for (int d = 0; d < width; d++) {
                x[k][d] = (rows[i][d] - mean[d]) / std[d];
            }
            y[k] = labels[i];
        }
        double[] w = new double[width];
        double b = 0;
        double[] gradient = new double[width];
        for (int step = 0; step < STEPS; step++) {
            Arrays.fill(gradient, 0);
            double gradientBias = 0;
            for (int k = 0; k < n; k++) {
                double z = b;
                for (int d = 0; d < width; d++) {
                    z += w[d] * x[k][d];
                }
                double error = 1 / (1 + Math.exp(-z)) - y[k];
                for (int d = 0; d < width; d++) {
                    gradient[d] += error * x[k][d];
                }
                gradientBias += error;
            }
            for (int d = 0; d < width; d++) {
                w[d] -= STEP_SIZE * (gradient[d] / n + L2 * w[d]);
            }
            b -= STEP_SIZE * gradientBias / n;
        }
        return new Model(mean, std, w, b);
    }

    /**
     * The ROC AUC of {@code scores} for {@code labels} (1 positive): the Mann-Whitney probability
     * that a positive scores above a negative, ties counting half.
     */
    static double auc(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
