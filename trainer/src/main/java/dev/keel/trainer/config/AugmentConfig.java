package dev.keel.trainer.config;

/**
 * Train-time augmentation of image folders ({@code data.augment}); validation and test images are
 * never augmented. Each image's draws come from a random stream of its own, a pure function of the
 * run's seed, the epoch and the item, so a resumed run augments exactly as the run it continues.
 *
 * @param flip the probability of a horizontal flip, in [0, 1]
 * @param cropScale the smallest share of the image's area a random resized crop keeps, in (0, 1];
 *     1 turns cropping off
 * @param rotate the largest rotation, in degrees either way; 0 turns it off
 * @param brightness the largest change of brightness, as a share of the full range, in [0, 1)
 * @param contrast the largest relative change of contrast, in [0, 1)
 */
public record AugmentConfig(double flip, double cropScale, double rotate, double brightness, double contrast) {
    /** Whether any augmentation is on. */
    public boolean any() {
        return flip > 0 || cropScale < 1 || rotate > 0 || brightness > 0 || contrast > 0;
    }
}
