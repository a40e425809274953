package dev.keel.trainer.isa;

/**
 * How far float32 values are from a reference: the largest absolute difference divided by the
 * reference's largest magnitude (its scale, so that one tolerance fits outputs of any size), and
 * how many values are NaN or infinite.
 *
 * @param relative max |value - reference| / max |reference|; infinite when a value or the
 *     reference is not finite
 * @param nonFinite how many of the values are NaN or infinite
 */
public record Discrepancy(double relative, int nonFinite) {
    public static final Discrepancy NONE = new Discrepancy(0, 0);

    public static Discrepancy between(float[] values, double[] reference) {
        checkLengths(values.length, reference.length);
        double scale = 0;
        for (double r : reference) {
            scale = Math.max(scale, Math.abs(r));
        }
        double worst = 0;
        int nonFinite = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                nonFinite++;
            }
            double difference = Math.abs(values[i] - reference[i]);
            worst = Double.isNaN(difference) ? Double.POSITIVE_INFINITY : Math.max(worst, difference);
        }
        return new Discrepancy(Double.isInfinite(worst) ? worst : worst / (scale > 0 ? scale : 1), nonFinite);
    }

    public static Discrepancy between(float[] values, float[] reference) {
        checkLengths(values.length, reference.length);
        double[] doubles = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            doubles[i] = reference[i];
        }
        return between(values, doubles);
    }

    /** The worse of the two: the larger relative difference and the larger count. */
    public Discrepancy worst(Discrepancy other) {
        return new Discrepancy(Math.max(relative, other.relative), Math.max(nonFinite, other.nonFinite));
    }

    public boolean within(double tolerance) {
        return nonFinite == 0 && relative <= tolerance;
    }

    private static void checkLengths(int values, int reference) {
        if (values != reference) {
            throw new IllegalArgumentException(values + " values against a reference of " + reference);
        }
    }
}
