package dev.keel.tune.study;

/**
 * How a study searches, after the space file and the command's options.
 *
 * @param trials how many trials the study starts
 * @param objective the metric optimised and its direction
 * @param sampler {@code tpe}, {@code random} or {@code grid}
 * @param multivariate tpe: one estimator over all keys together (Optuna 5's default), else one per key
 * @param pruner {@code asha} or {@code none}
 * @param graceEpochs ASHA: the first rung, in epochs
 * @param reduction ASHA: the reduction factor (a quarter of the trials at a rung go on)
 * @param seed the study's seed: the same seed proposes the same trials
 * @param parallel how many trials train at once on this machine
 */
public record StudySettings(int trials, Objective objective, String sampler, boolean multivariate, String pruner, int graceEpochs,
        int reduction, long seed, int parallel) {

    /** These settings starting {@code count} trials. */
    public StudySettings withTrials(int count) {
        return new StudySettings(count, objective, sampler, multivariate, pruner, graceEpochs, reduction, seed, parallel);
    }

    /** These settings keeping {@code count} trials out at once. */
    public StudySettings withParallel(int count) {
        return new StudySettings(trials, objective, sampler, multivariate, pruner, graceEpochs, reduction, seed, count);
    }
}
