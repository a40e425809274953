package dev.keel.drift.prediction;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Confidence-based performance estimation (NannyML's CBPE) of accuracy where the labels are not
 * known: the model's confidence (its largest class probability) is calibrated to correctness on
 * data whose labels are known (the reference's validation split) by isotonic regression, and the
 * estimated accuracy on new data is the mean calibrated confidence of its predictions. It holds as
 * long as the chance of being right at a given confidence is what it was on the validation split:
 * when new data makes the model confidently wrong, the estimate stays too high.
 *
 * <p>The interval is a bootstrap percentile interval that resamples both sides: each resample
 * draws the validation items with replacement and fits the calibration again, draws the new items
 * with replacement, and estimates; the interval is the central {@code level} share of the estimates.
 */
public final class Cbpe {
    private Cbpe() {}

    /**
     * Estimates the accuracy of predictions of confidence {@code newConfidence}, calibrated on
     * {@code referenceConfidence} and whether each of those predictions was right.
     *
     * @param resamples bootstrap resamples of the interval (at least 1)
     * @param level the interval's coverage, such as 0.95
     * @param seed the resampling's seed
     */
    public static AccuracyEstimate estimate(double[] referenceConfidence, boolean[] referenceCorrect,
            double[] newConfidence, int resamples, double level, long seed) {
        if (newConfidence.length == 0) {
            throw new IllegalArgumentException("no new predictions to estimate the accuracy of");
        }
        if (resamples < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("resamples must be at least 1 and level between 0 and 1, got "
                    + resamples + " and " + level);
        }
        IsotonicCalibration calibration = IsotonicCalibration.fit(referenceConfidence, referenceCorrect);
        double estimate = meanCalibrated(calibration, newConfidence);
        SplittableRandom random = new SplittableRandom(seed);
        int m = referenceConfidence.length;
        int n = newConfidence.length;
        double[] estimates = new double[resamples];
        double[] confidence = new double[m];
        boolean[] correct = new boolean[m];
        double[] fresh = new double[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < m; i++) {
                int j = random.nextInt(m);
                confidence[i] = referenceConfidence[j];
                correct[i] = referenceCorrect[j];
            }
            for (int i = 0; i < n; i++) {
                fresh[i] = newConfidence[random.nextInt(n)];
            }
            estimates[r] = meanCalibrated(IsotonicCalibration.fit(confidence, correct), fresh);
        }
        Arrays.sort(estimates);
        double tail = (1 - level) / 2;
        double lower = estimates[(int) Math.floor(tail * (resamples - 1))];
        double upper = estimates[(int) Math.ceil((1 - tail) * (resamples - 1))];
        return new AccuracyEstimate("CBPE: max-softmax confidence calibrated to correctness on the reference's"
                + " validation split by isotonic regression; bootstrap percentile interval", estimate, lower, upper,
                level, resamples, seed, m, n, calibration);
    }

    private static double meanCalibrated(IsotonicCalibration calibration, double[] confidence) {
        double sum = 0;
        for (double c : confidence) {
            sum += calibration.apply(c);
        }
        return sum / confidence.length;
    }
}
