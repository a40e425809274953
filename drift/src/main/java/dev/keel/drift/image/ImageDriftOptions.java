package dev.keel.drift.image;

/**
 * How images are compared.
 *
 * @param samplePerSide images per side whose embeddings the MMD test and the domain classifier
 *     compare (fewer when a side has fewer), chosen by {@code seed}; 2 to 2,500, as the MMD test
 *     holds a square matrix of both sides' rows (8 MB at 500 a side, 200 MB at 2,500)
 * @param permutations permutations of the MMD test
 * @param alpha the level under which a p-value (MMD, Kolmogorov-Smirnov) means drift
 * @param aucThreshold the domain classifier's AUC above which it reports drift
 * @param folds k of the domain classifier's k-fold cross-validation
 * @param seed the seed of the subsamples, the permutations and the folds
 * @param batchSize images per forward pass
 */
public record ImageDriftOptions(int samplePerSide, int permutations, double alpha, double aucThreshold, int folds,
        long seed, int batchSize) {

    public ImageDriftOptions {
        if (samplePerSide < 2 || samplePerSide > 2500) {
            throw new IllegalArgumentException("samplePerSide must be 2 to 2500, got " + samplePerSide);
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be at least 1, got " + permutations);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1, got " + alpha);
        }
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be at least 2, got " + folds);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }

    /** 500 images per side, 100 permutations, p < 0.05, AUC > 0.55, 5 folds, seed 0, batches of 64. */
    public static ImageDriftOptions defaults() {
        return new ImageDriftOptions(500, 100, 0.05, 0.55, 5, 0, 64);
    }

    public ImageDriftOptions withSeed(long seed) {
        return new ImageDriftOptions(samplePerSide, permutations, alpha, aucThreshold, folds, seed, batchSize);
    }

    public ImageDriftOptions withSamplePerSide(int samplePerSide) {
        return new ImageDriftOptions(samplePerSide, permutations, alpha, aucThreshold, folds, seed, batchSize);
    }
}
