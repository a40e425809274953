package dev.keel.tune.sampler;

import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A Parzen estimator, the density TPE fits to a set of trials: a weighted mixture with one kernel
 * per trial plus a prior kernel over the whole space. Over several keys a kernel is the product of
 * one kernel per key (the multivariate estimator); over one key it is the univariate one. Numbers
 * get normal kernels truncated to the range, in the logarithm for log scales, and whole numbers
 * the mass of their unit interval (the range widened by half a step each side); choices get
 * kernels that put most of their mass on the observed choice.
 */
final class ParzenEstimator {
    /** The prior kernel's weight before normalising, beside the observations' weights. */
    static final double PRIOR_WEIGHT = 1.0;

    /** The cumulative normalised weights of the kernels, the prior last. */
    private final double[] cumulative;
    /** The log of each kernel's normalised weight. */
    private final double[] logWeights;
    /** One set of kernels per key. */
    private final Kernels[] dimensions;

    /**
     * The estimator over {@code distributions} (one per key) of {@code observations}: one row per
     * trial, its values in internal form in the order of the distributions, each a value of its
     * distribution; {@code weights} has one weight per row, not necessarily normalised.
     */
    ParzenEstimator(Distribution[] distributions, double[][] observations, double[] weights) {
        if (observations.length != weights.length) {
            throw new IllegalArgumentException(observations.length + " observations but " + weights.length
                    + " weights");
        }
        double[] all = Arrays.copyOf(weights, weights.length + 1);
        all[weights.length] = PRIOR_WEIGHT;
        double total = Arrays.stream(all).sum();
        cumulative = new double[all.length];
        logWeights = new double[all.length];
        double sum = 0;
        for (int k = 0; k < all.length; k++) {
            sum += all[k] / total;
            cumulative[k] = sum;
            logWeights[k] = Math.log(all[k] / total);
        }
        cumulative[all.length - 1] = 1;
        dimensions = new Kernels[distributions.length];
        for (int d = 0; d < distributions.length; d++) {
            double[] column = new double[observations.length];
            for (int i = 0; i < column.length; i++) {
                column[i] = observations[i][d];
            }
            dimensions[d] = distributions[d] instanceof Choice choice
                    ? new Categorical(choice.values().size(), column)
                    : new Numerical(distributions[d], column);
        }
    }

    /** The univariate estimator of one key's {@code observations}. */
    static ParzenEstimator of(Distribution distribution, double[] observations, double[] weights) {
        double[][] rows = new double[observations.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {observations[i]};
        }
        return new ParzenEstimator(new Distribution[] {distribution}, rows, weights);
    }

    /** {@code count} draws, each one value per key in internal form: a kernel, then each key from it. */
    double[][] sample(SplittableRandom random, int count) {
        double[][] draws = new double[count][dimensions.length];
        for (int i = 0; i < count; i++) {
            int kernel = kernel(random.nextDouble());
            for (int d = 0; d < dimensions.length; d++) {
                draws[i][d] = dimensions[d].sample(kernel, random);
            }
        }
        return draws;
    }

    /** The log density (log probability for whole numbers and choices) of one value per key. */
    double logPdf(double[] point) {
        double[] terms = new double[logWeights.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < terms.length; k++) {
            double term = logWeights[k];
            for (int d = 0; d < dimensions.length; d++) {
                term += dimensions[d].logPdf(k, point[d]);
            }
            terms[k] = term;
            max = Math.max(max, term);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return max + Math.log(sum);
    }

    private int kernel(double u) {
        for (int k = 0; k < cumulative.length - 1; k++) {
            if (u < cumulative[k]) {
                return k;
            }
        }
        return cumulative.length - 1;
    }

    /** One key's kernels: one per observation, the prior last. */
    private abstract static class Kernels {
        abstract double sample(int kernel, SplittableRandom random);

        abstract double logPdf(int kernel, double internal);
    }

    /** Truncated normal kernels over a number's range, in its logarithm on a log scale. */
    private static final class Numerical extends Kernels {
        private final double low;
        private final double high;
        private final boolean log;
        private final boolean integer;
        /** The kernels' range in the transformed space, widened by half a step for whole numbers. */
        private final double lower;
        private final double upper;
        private final double[] mus;
        private final double[] sigmas;
        /** Each kernel's log mass inside [lower, upper], its truncation's normaliser. */
        private final double[] logNormalisers;

        Numerical(Distribution distribution, double[] observations) {
            if (distribution instanceof Uniform u) {
                low = u.low();
                high = u.high();
                log = false;
                integer = false;
            } else if (distribution instanceof LogUniform u) {
                low = u.low();
                high = u.high();
                log = true;
                integer = false;
            } else if (distribution instanceof IntRange r) {
                low = r.low();
                high = r.high();
                log = r.log();
                integer = true;
            } else {
                throw new IllegalArgumentException("no numerical kernels for " + distribution);
            }
            double half = integer ? 0.5 : 0;
            lower = transform(low - half);
            upper = transform(high + half);
            int n = observations.length;
            mus = new double[n + 1];
            sigmas = new double[n + 1];
            for (int i = 0; i < n; i++) {
                mus[i] = transform(observations[i]);
            }
            bandwidths(n);
            // The prior: one wide kernel in the middle of the range.
            mus[n] = 0.5 * (lower + upper);
            sigmas[n] = upper - lower;
            logNormalisers = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                logNormalisers[k] = Gaussian.logMass((lower - mus[k]) / sigmas[k], (upper - mus[k]) / sigmas[k]);
            }
        }

        private double transform(double value) {
            return log ? Math.log(value) : value;
        }

        /**
         * Each observation's bandwidth: the larger gap to its neighbours in sorted order, the range's
         * ends counting as neighbours, except that the outermost observations of two or more take the
         * gap to their inner neighbour (the range's end says nothing about the objective there).
         * Then clipped into [range / min(100, kernels + 1), range] (the "magic clip"), so that no
         * kernel collapses onto a point while few observations are in.
         */
        private void bandwidths(int n) {
            if (n == 0) {
                return;
            }
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            // A stable sort: equal values keep their trials' order, which decides which of them
            // gets which neighbour's gap (and their weights differ once older trials weigh less).
            Arrays.sort(order, Comparator.comparingDouble(i -> mus[i]));
            double[] sorted = new double[n + 2];
            sorted[0] = lower;
            for (int i = 0; i < n; i++) {
                sorted[i + 1] = mus[order[i]];
            }
            sorted[n + 1] = upper;
            double[] sortedSigmas = new double[n];
            for (int i = 0; i < n; i++) {
                sortedSigmas[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            }
            if (n >= 2) {
                sortedSigmas[0] = sorted[2] - sorted[1];
                sortedSigmas[n - 1] = sorted[n] - sorted[n - 1];
            }
            double range = upper - lower;
            int kernels = n + 1;
            double minSigma = range / Math.min(100.0, 1.0 + kernels);
            for (int i = 0; i < n; i++) {
                sigmas[order[i]] = Math.min(range, Math.max(minSigma, sortedSigmas[i]));
            }
        }

        @Override
        double sample(int kernel, SplittableRandom random) {
            double mu = mus[kernel];
            double sigma = sigmas[kernel];
            double z = Gaussian.truncatedQuantile((lower - mu) / sigma, (upper - mu) / sigma, random.nextDouble());
            double value = mu + sigma * z;
            if (log) {
                value = Math.exp(value);
            }
            if (integer) {
                value = Math.rint(value);
            }
            // exp and rounding can step a hair (or half a step) past the range.
            return Math.min(high, Math.max(low, value));
        }

        @Override
        double logPdf(int kernel, double internal) {
            double mu = mus[kernel];
            double sigma = sigmas[kernel];
            if (integer) {
                double left = (transform(internal - 0.5) - mu) / sigma;
                double right = (transform(internal + 0.5) - mu) / sigma;
                return Gaussian.logMass(left, right) - logNormalisers[kernel];
            }
            double z = (transform(internal) - mu) / sigma;
            return Gaussian.logDensity(z) - Math.log(sigma) - logNormalisers[kernel];
        }
    }

    /**
     * Kernels over a choice's indices: an observation's kernel gives its choice a weight of 1 and
     * every choice a weight of prior weight / kernels, normalised; the prior kernel is uniform.
     */
    private static final class Categorical extends Kernels {
        private final double[][] probabilities;

        Categorical(int choices, double[] observations) {
            int kernels = observations.length + 1;
            probabilities = new double[kernels][choices];
            for (int k = 0; k < observations.length; k++) {
                double base = PRIOR_WEIGHT / kernels;
                Arrays.fill(probabilities[k], base);
                probabilities[k][(int) observations[k]] += 1;
                double total = 1 + choices * base;
                for (int c = 0; c < choices; c++) {
                    probabilities[k][c] /= total;
                }
            }
            Arrays.fill(probabilities[kernels - 1], 1.0 / choices);
        }

        @Override
        double sample(int kernel, SplittableRandom random) {
            double u = random.nextDouble();
            double[] p = probabilities[kernel];
            double sum = 0;
            for (int c = 0; c < p.length - 1; c++) {
                sum += p[c];
                if (u < sum) {
                    return c;
                }
            }
            return p.length - 1;
        }

        @Override
        double logPdf(int kernel, double internal) {
            return Math.log(probabilities[kernel][(int) internal]);
        }
    }
}
