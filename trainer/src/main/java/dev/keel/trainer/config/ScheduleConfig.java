package dev.keel.trainer.config;

/**
 * How the learning rate (and momentum) change over the run, step by step.
 *
 * @param name {@code one-cycle}, {@code cosine}, {@code step} or {@code constant}
 * @param pctStart one-cycle: share of the steps spent rising to the peak
 * @param div one-cycle: the rate starts at {@code lr / div}
 * @param divFinal one-cycle: the rate ends at {@code lr / div_final}
 * @param cycleMomentum one-cycle: move momentum (sgd) or beta1 (adam) opposite to the rate
 * @param momentumMax one-cycle: momentum at the start and the end
 * @param momentumMin one-cycle: momentum at the peak of the rate
 * @param warmupFraction cosine: share of the steps spent warming up linearly from zero
 * @param stepEpochs step: epochs between decays
 * @param gamma step: factor applied at each decay
 */
public record ScheduleConfig(
        String name,
        double pctStart,
        double div,
        double divFinal,
        boolean cycleMomentum,
        double momentumMax,
        double momentumMin,
        double warmupFraction,
        int stepEpochs,
        double gamma) {}
