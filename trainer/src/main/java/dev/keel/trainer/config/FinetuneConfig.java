package dev.keel.trainer.config;

import java.util.List;

/**
 * fastai's {@code fine_tune} recipe: the head alone for {@code freezeEpochs} epochs, then every
 * group with discriminative learning rates for {@code train.epochs} epochs, one-cycle in each
 * phase.
 *
 * @param freezeEpochs epochs with every group but the head frozen (one-cycle with pct_start 0.99)
 * @param lrMult the first group's rate is the head's divided by this, after unfreezing
 * @param pctStart the share of the unfrozen phase spent raising the rate
 * @param div the unfrozen phase starts at its peak rate divided by this
 * @param groups parameter-name prefixes, one per group from the input to the head; empty for two
 *     groups, {@code body} and {@code head}
 * @param trainBn whether the frozen body keeps training its batch-norm layers (running statistics,
 *     and the scale and shift of Keel's own batch-norm layers); false runs it in inference mode
 */
public record FinetuneConfig(int freezeEpochs, double lrMult, double pctStart, double div, List<String> groups,
        boolean trainBn) {

    /** fastai's {@code fine_tune} keeps the head's rate rising for almost all of the frozen phase. */
    public static final double FROZEN_PCT_START = 0.99;
}
