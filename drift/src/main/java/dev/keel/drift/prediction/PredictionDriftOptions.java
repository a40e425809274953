package dev.keel.drift.prediction;

/**
 * How predictions are compared.
 *
 * @param alpha the level under which the chi-squared test's p-value means drift
 * @param resamples bootstrap resamples of the accuracy estimate's interval
 * @param level the interval's coverage
 * @param seed the bootstrap's seed
 * @param batchSize items per forward pass
 */
public record PredictionDriftOptions(double alpha, int resamples, double level, long seed, int batchSize) {

    public PredictionDriftOptions {
        if (!(alpha > 0 && alpha < 1) || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("alpha and level must be between 0 and 1, got " + alpha + " and "
                    + level);
        }
        if (resamples < 1 || batchSize < 1) {
            throw new IllegalArgumentException("resamples and batchSize must be at least 1, got " + resamples
                    + " and " + batchSize);
        }
    }

    /** p < 0.05, a 95% interval from 200 bootstrap resamples, seed 0, batches of 256. */
    public static PredictionDriftOptions defaults() {
        return new PredictionDriftOptions(0.05, 200, 0.95, 0, 256);
    }
}
