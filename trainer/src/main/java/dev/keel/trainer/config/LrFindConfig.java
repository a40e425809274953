package dev.keel.trainer.config;

import java.util.List;

/**
 * The learning-rate finder's sweep, for {@code keel lr-find} and for {@code optimizer.lr: auto}.
 *
 * @param startLr the first step's rate
 * @param endLr the last step's rate
 * @param steps the steps of a full sweep (it stops sooner once the loss blows up)
 * @param suggestion which suggestion to train with: {@code bottom_div_10} (the default: stable across
 *     seeds and CPUs), {@code valley} (fastai's default), {@code steep} or {@code minimum_div_10}
 */
public record LrFindConfig(double startLr, double endLr, int steps, String suggestion) {
    /** The values {@code lr_find.suggestion} takes. */
    public static final List<String> SUGGESTIONS = List.of("bottom_div_10", "valley", "steep", "minimum_div_10");
}
