package dev.keel.trainer.isa;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One convolution shape as the per-CPU check ran it under {@code ONEDNN_MAX_CPU_ISA=ALL}: how far
 * its output and both gradients were from the float64 reference (relative to each reference's
 * largest magnitude, infinite when a value was NaN or infinite) and how many values were not finite.
 *
 * @param shape the shape's {@link ConvShape#label()}, for example {@code 3x3/1 1->24 8x8 b16 train}
 */
public record CheckedShape(@JsonProperty("shape") String shape, @JsonProperty("forward") double forward,
        @JsonProperty("grad_input") double gradInput, @JsonProperty("grad_weight") double gradWeight,
        @JsonProperty("non_finite") int nonFinite) {

    /** The largest of the three errors; infinite when a value was not finite. */
    public double worst() {
        return nonFinite > 0 ? Double.POSITIVE_INFINITY : Math.max(forward, Math.max(gradInput, gradWeight));
    }

    /** Whether every value is finite and within {@code tolerance} of float64. */
    public boolean passes(double tolerance) {
        return worst() <= tolerance;
    }
}
