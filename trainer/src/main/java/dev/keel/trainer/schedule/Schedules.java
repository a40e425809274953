package dev.keel.trainer.schedule;

/** The schedules Keel offers, each a pure function of the step. */
public final class Schedules {
    private Schedules() {}

    /**
     * fastai's one-cycle: {@code pctStart} of the run rises by cosine from {@code start} to
     * {@code peak}, the rest falls by cosine from {@code peak} to {@code end}. The position in the
     * run is {@code step / totalSteps}, as fastai computes it before each batch.
     */
    public static Schedule oneCycle(double start, double peak, double end, double pctStart) {
        if (!(pctStart > 0 && pctStart < 1)) {
            throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
        }
        return (step, total) -> {
            double pos = (double) step / total;
            if (pos < pctStart) {
                return Schedule.cosine(start, peak, pos / pctStart);
            }
            return Schedule.cosine(peak, end, (pos - pctStart) / (1 - pctStart));
        };
    }

    /** The one-cycle learning rate: from {@code lrMax / div} up to {@code lrMax}, down to {@code lrMax / divFinal}. */
    public static Schedule oneCycleLr(double lrMax, double div, double divFinal, double pctStart) {
        return oneCycle(lrMax / div, lrMax, lrMax / divFinal, pctStart);
    }

    /** The one-cycle momentum: from {@code max} down to {@code min} while the rate rises, back to {@code max}. */
    public static Schedule oneCycleMomentum(double max, double min, double pctStart) {
        return oneCycle(max, min, max, pctStart);
    }

    /**
     * A linear warm-up over {@code warmupFraction} of the run, from {@code lr / warmupSteps} to
     * {@code lr}, then a cosine decay to zero.
     */
    public static Schedule cosineWithWarmup(double lr, double warmupFraction) {
        return (step, total) -> {
            long warmup = Math.round(warmupFraction * total);
            if (step < warmup) {
                return lr * (step + 1) / warmup;
            }
            return Schedule.cosine(lr, 0, (double) (step - warmup) / Math.max(1, total - warmup));
        };
    }

    /** {@code lr * gamma^k} in the k-th block of {@code stepsPerDecay} steps. */
    public static Schedule stepDecay(double lr, double gamma, long stepsPerDecay) {
        if (stepsPerDecay < 1) {
            throw new IllegalArgumentException("stepsPerDecay must be >= 1, got " + stepsPerDecay);
        }
        return (step, total) -> lr * Math.pow(gamma, step / stepsPerDecay);
    }
}
