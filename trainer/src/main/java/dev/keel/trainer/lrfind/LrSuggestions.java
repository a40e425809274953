package dev.keel.trainer.lrfind;

import java.util.Arrays;

/**
 * The learning-rate suggestions from a finder's sweep: fastai's three and Keel's bottom/10, pure
 * functions of the rates and the smoothed losses, together.
 *
 * <p>As fastai's {@code lr_find} does, {@link #of} looks only at the sweep's window from step
 * {@code requestedSteps / 10} to five steps before the end (the first steps are noisy, the last ones
 * are where the loss blows up), cut short at the first loss that is not finite. When that leaves
 * fewer than two points (a sweep that diverged within its first steps), it uses every finite point
 * from the start instead.
 *
 * @param valley fastai's default: a rate from the middle of the longest valley of the loss curve
 * @param valleyIndex the index of {@code valley} in the sweep, or -1 when there is no suggestion
 * @param steep the rate where the loss falls fastest against log10 of the rate
 * @param steepIndex the index of {@code steep} in the sweep, or -1
 * @param minimumDiv10 a tenth of the rate at the lowest loss
 * @param minimumIndex the index of the lowest loss in the sweep, or -1
 * @param bottomDiv10 a tenth of the rate in the middle (geometric mean) of the curve's bottom
 * @param bottomFrom the index in the sweep where the bottom begins, or -1
 * @param bottomTo the index in the sweep where the bottom ends (inclusive), or -1
 */
public record LrSuggestions(double valley, int valleyIndex, double steep, int steepIndex, double minimumDiv10,
        int minimumIndex, double bottomDiv10, int bottomFrom, int bottomTo) {
    /**
     * How far above its lowest value the smoothed loss may lie and still be in the curve's bottom,
     * as a share of the window's drop (its first loss minus its lowest). Chosen on recorded sweeps
     * of the quickstart (seeds 1-5), the breast-cancer table and the fine-tuning parity run: it puts
     * every quickstart seed's choice inside the rates that train it to 92%; a wider bottom lowers
     * every choice, a narrower one follows the noise of the minimum.
     */
    public static final double BOTTOM_SHARE = 0.15;

    /** What a sweep with too few finite losses suggests: nothing. */
    public static final LrSuggestions NONE = new LrSuggestions(Double.NaN, -1, Double.NaN, -1, Double.NaN, -1,
            Double.NaN, -1, -1);

    /** Whether the sweep had enough finite points to suggest rates. */
    public boolean any() {
        return valleyIndex >= 0;
    }

    /**
     * The suggestions for a sweep, over fastai's window (see the type's description).
     *
     * @param lrs the rate of each step of the sweep
     * @param smoothedLosses the smoothed loss after each step
     * @param requestedSteps the steps the sweep was asked for (it may have stopped early)
     */
    public static LrSuggestions of(double[] lrs, double[] smoothedLosses, int requestedSteps) {
        if (lrs.length != smoothedLosses.length) {
            throw new IllegalArgumentException(lrs.length + " rates but " + smoothedLosses.length + " losses");
        }
        int from = requestedSteps / 10;
        int to = Math.min(finitePrefix(smoothedLosses, from), smoothedLosses.length - 5);
        if (to - from < 2) {
            from = 0;
            to = finitePrefix(smoothedLosses, 0);
        }
        if (to - from < 2) {
            return NONE;
        }
        double[] windowLrs = Arrays.copyOfRange(lrs, from, to);
        double[] windowLosses = Arrays.copyOfRange(smoothedLosses, from, to);
        int valley = from + valleyIndex(windowLosses);
        int steep = from + steepIndex(windowLrs, windowLosses);
        int minimum = from + minimumIndex(windowLosses);
        int[] bottom = bottomRange(windowLosses);
        int bottomFrom = from + bottom[0];
        int bottomTo = from + bottom[1];
        return new LrSuggestions(lrs[valley], valley, lrs[steep], steep, lrs[minimum] / 10, minimum,
                Math.sqrt(lrs[bottomFrom] * lrs[bottomTo]) / 10, bottomFrom, bottomTo);
    }

    /**
     * The curve's bottom: the run of consecutive points around the lowest loss whose losses are at
     * most {@code lowest + BOTTOM_SHARE * (losses[0] - lowest)}.
     *
     * @param losses smoothed losses, at least one, all finite
     * @return the first and last index of the bottom
     */
    public static int[] bottomRange(double[] losses) {
        int lowest = minimumIndex(losses);
        double limit = losses[lowest] + BOTTOM_SHARE * (losses[0] - losses[lowest]);
        int first = lowest;
        while (first > 0 && losses[first - 1] <= limit) {
            first--;
        }
        int last = lowest;
        while (last + 1 < losses.length && losses[last + 1] <= limit) {
            last++;
        }
        return new int[] {first, last};
    }

    /**
     * fastai's {@code valley}: the rate in the middle of the longest valley.
     *
     * @see #valleyIndex(double[])
     */
    public static double valley(double[] lrs, double[] losses) {
        return lrs[valleyIndex(losses)];
    }

    /**
     * The index fastai's {@code valley} picks. {@code lds[i]} is the length of the longest strictly
     * decreasing subsequence of the losses that ends at {@code i} (O(n^2) dynamic programming); the
     * valley ends at the {@code i} with the largest {@code lds[i]} (the first, on ties) and starts
     * {@code lds[i]} points before it. With {@code s = (end - start) / 3}, the pick is
     * {@code start + floor(s) + floor(s / 2)}: about halfway down the valley, where the loss still
     * falls steadily. fastai's start can be -1 (a valley that begins at the first point), and for a
     * valley of under three points Python would then index from the end; here the pick is kept at 0.
     *
     * @param losses smoothed losses, at least one, all finite
     */
    public static int valleyIndex(double[] losses) {
        int n = losses.length;
        int[] lds = new int[n];
        Arrays.fill(lds, 1);
        int maxStart = 0;
        int maxEnd = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[maxEnd] < lds[i]) {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        int index = maxStart + (int) sections + (int) (sections / 2);
        return Math.max(0, Math.min(n - 1, index));
    }

    /** fastai's {@code steep}: the rate where the loss falls fastest against the log of the rate. */
    public static double steep(double[] lrs, double[] losses) {
        return lrs[steepIndex(lrs, losses)];
    }

    /**
     * The index of the left end of the steepest negative slope {@code (loss[i+1] - loss[i]) /
     * (ln lr[i+1] - ln lr[i])}, the first on ties; 0 for fewer than two points.
     */
    public static int steepIndex(double[] lrs, double[] losses) {
        int best = 0;
        double steepest = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < losses.length; i++) {
            double slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
            if (slope < steepest) {
                steepest = slope;
                best = i;
            }
        }
        return best;
    }

    /** fastai's {@code minimum}: a tenth of the rate at the lowest loss. */
    public static double minimumDiv10(double[] lrs, double[] losses) {
        return lrs[minimumIndex(losses)] / 10;
    }

    /** The index of the lowest loss, the first on ties. */
    public static int minimumIndex(double[] losses) {
        int best = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The end of the run of finite values that starts at {@code from}. */
    private static int finitePrefix(double[] values, int from) {
        int end = from;
        while (end < values.length && Double.isFinite(values[end])) {
            end++;
        }
        return end;
    }
}
