package dev.keel.drift.prediction;

import dev.keel.serving.translate.Probabilities;
import dev.keel.trainer.predict.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Prediction drift, for every kind of model (images and tables): what the model predicts on new
 * data against what it predicts on the reference run's validation split. The shift in the
 * predicted classes (chi-squared test, Jensen-Shannon distance), the mean confidence and the share
 * under the review threshold, the real accuracy when the new labels are known, and an estimate of
 * it from confidence ({@link Cbpe}) either way.
 *
 * <p>The entry point for {@code keel drift} is {@link #measure(TrainedModel, ModelInputs,
 * ModelInputs, double, PredictionDriftOptions)}; {@link #compare} takes class probabilities
 * already computed.
 */
public final class PredictionDrift {
    private PredictionDrift() {}

    /**
     * Runs the model over both sides and compares its predictions.
     *
     * @param referenceValid the reference run's validation split, labelled ({@link ModelInputs#of})
     * @param fresh the new data, model-ready, labelled or not
     * @param reviewBelow the run's {@code interpret.review_below}
     * @throws IllegalArgumentException when the validation split has no labels or either side no items
     */
    public static PredictionDriftResult measure(TrainedModel model, ModelInputs referenceValid, ModelInputs fresh,
            double reviewBelow, PredictionDriftOptions options) {
        double[][] reference = ClassProbabilities.of(model.block(), model.manager(), model.inputShape(),
                referenceValid.inputs(), options.batchSize());
        double[][] predicted = ClassProbabilities.of(model.block(), model.manager(), model.inputShape(),
                fresh.inputs(), options.batchSize());
        return compare(model.classes(), reference, referenceValid.labels(), predicted, fresh.labels(), reviewBelow,
                options);
    }

    /**
     * Compares class probabilities (one row per item, one column per class).
     *
     * @param referenceLabels the validation items' class indices (required: the calibration needs them)
     * @param newLabels the new items' class indices, or null when not known
     */
    public static PredictionDriftResult compare(List<String> classes, double[][] referenceProbabilities,
            int[] referenceLabels, double[][] newProbabilities, int[] newLabels, double reviewBelow,
            PredictionDriftOptions options) {
        if (referenceProbabilities.length == 0 || newProbabilities.length == 0) {
            throw new IllegalArgumentException("prediction drift needs items on both sides, got "
                    + referenceProbabilities.length + " reference and " + newProbabilities.length + " new");
        }
        if (referenceLabels == null || referenceLabels.length != referenceProbabilities.length) {
            throw new IllegalArgumentException("the reference's validation items need one label each");
        }
        int[] referencePredicted = argmax(referenceProbabilities);
        int[] newPredicted = argmax(newProbabilities);
        double[] referenceConfidence = confidence(referenceProbabilities, referencePredicted);
        double[] newConfidence = confidence(newProbabilities, newPredicted);
        boolean[] referenceCorrect = correct(referencePredicted, referenceLabels);
        ClassDistributionShift shift = classShift(classes, referencePredicted, newPredicted, options.alpha());
        ConfidenceSummary confidence = new ConfidenceSummary(mean(referenceConfidence), mean(newConfidence),
                reviewBelow, shareBelow(referenceConfidence, reviewBelow), shareBelow(newConfidence, reviewBelow));
        Double newAccuracy = newLabels == null ? null : share(correct(newPredicted, newLabels));
        AccuracyEstimate estimate = Cbpe.estimate(referenceConfidence, referenceCorrect, newConfidence,
                options.resamples(), options.level(), options.seed());
        return new PredictionDriftResult(referenceProbabilities.length, newProbabilities.length, newLabels != null,
                shift, confidence, share(referenceCorrect), newAccuracy, estimate, shift.drift());
    }

    /** Chi-squared test of homogeneity of the predicted counts, and the Jensen-Shannon distance of the shares. */
    static ClassDistributionShift classShift(List<String> classes, int[] reference, int[] fresh, double alpha) {
        long[] referenceCounts = counts(reference, classes.size());
        long[] newCounts = counts(fresh, classes.size());
        List<ClassShare> shares = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            shares.add(new ClassShare(classes.get(c), (double) referenceCounts[c] / reference.length,
                    (double) newCounts[c] / fresh.length));
            if (referenceCounts[c] + newCounts[c] > 0) {
                seen.add(c);
            }
        }
        double statistic = 0;
        double p = 1;
        if (seen.size() > 1) {
            long[][] table = new long[2][seen.size()];
            for (int k = 0; k < seen.size(); k++) {
                table[0][k] = referenceCounts[seen.get(k)];
                table[1][k] = newCounts[seen.get(k)];
            }
            SignificanceResult result = ChiSquareTest.withDefaults().test(table);
            statistic = result.getStatistic();
            p = result.getPValue();
        }
        double js = jensenShannonDistance(shares);
        return new ClassDistributionShift(shares, "Pearson's chi-squared test of homogeneity (predicted counts)",
                statistic, Math.max(0, seen.size() - 1), p, js, reference.length, fresh.length, alpha, p < alpha);
    }

    /** The square root of the Jensen-Shannon divergence, in bits: between 0 and 1. */
    static double jensenShannonDistance(List<ClassShare> shares) {
        double divergence = 0;
        for (ClassShare share : shares) {
            double p = share.referenceShare();
            double q = share.newShare();
            double m = (p + q) / 2;
            divergence += 0.5 * term(p, m) + 0.5 * term(q, m);
        }
        return Math.sqrt(Math.max(0, divergence));
    }

    private static double term(double p, double m) {
        return p > 0 ? p * Math.log(p / m) / Math.log(2) : 0;
    }

    private static long[] counts(int[] predicted, int classes) {
        long[] counts = new long[classes];
        for (int c : predicted) {
            counts[c]++;
        }
        return counts;
    }

    private static int[] argmax(double[][] probabilities) {
        int[] best = new int[probabilities.length];
        for (int i = 0; i < best.length; i++) {
            best[i] = Probabilities.argmax(probabilities[i]);
        }
        return best;
    }

    private static double[] confidence(double[][] probabilities, int[] predicted) {
        double[] confidence = new double[predicted.length];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = probabilities[i][predicted[i]];
        }
        return confidence;
    }

    private static boolean[] correct(int[] predicted, int[] labels) {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(predicted.length + " predictions but " + labels.length + " labels");
        }
        boolean[] correct = new boolean[predicted.length];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = predicted[i] == labels[i];
        }
        return correct;
    }

    private static double share(boolean[] values) {
        int yes = 0;
        for (boolean v : values) {
            yes += v ? 1 : 0;
        }
        return (double) yes / values.length;
    }

    private static double shareBelow(double[] values, double threshold) {
        int below = 0;
        for (double v : values) {
            below += v < threshold ? 1 : 0;
        }
        return (double) below / values.length;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
