package dev.keel.drift.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The {@code drift:} section of a config: which test each kind of column gets, the thresholds at
 * which a column and the whole dataset count as drifted, and the sample sizes of images. Every
 * value is checked when the section is read ({@link DriftConfigFile}).
 *
 * @param share the share of drifted columns at or above which the dataset has drifted, in (0, 1]
 * @param numericTest the test of numeric columns
 * @param categoricalTest the test of categorical columns
 * @param ksP a Kolmogorov-Smirnov p-value below this is drift, in (0, 1)
 * @param wasserstein a normed Wasserstein distance at or above this is drift, positive
 * @param chiP a chi-squared p-value below this is drift, in (0, 1)
 * @param zP a proportion Z-test p-value below this is drift, in (0, 1)
 * @param js a Jensen-Shannon distance at or above this is drift, in (0, sqrt(ln 2)]
 * @param referenceSizeLimit {@code auto} tests a column whose reference holds at most this many
 *     values with a p-value test, a larger one with a distance
 * @param imageSample how many images of each side image drift samples
 */
public record DriftConfig(double share, NumericTest numericTest, CategoricalTest categoricalTest, double ksP,
        double wasserstein, double chiP, double zP, double js, int referenceSizeLimit, int imageSample) {

    /** Evidently's defaults. */
    public static final DriftConfig DEFAULTS = new DriftConfig(0.5, NumericTest.AUTO, CategoricalTest.AUTO, 0.05, 0.1,
            0.05, 0.05, 0.1, 1000, 500);

    /** {@code numeric_test}. */
    public enum NumericTest {
        /** Kolmogorov-Smirnov up to {@code reference_size_limit} reference values, else Wasserstein. */
        AUTO,
        /** The two-sample Kolmogorov-Smirnov test. */
        KS,
        /** The Wasserstein distance in units of the reference's standard deviation. */
        WASSERSTEIN;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code categorical_test}. */
    public enum CategoricalTest {
        /** Up to {@code reference_size_limit} reference values chi-squared (Z with two values), else Jensen-Shannon. */
        AUTO,
        /** Pearson's chi-squared test against the reference's proportions. */
        CHISQUARE,
        /** The two-proportion Z-test (a column of two values; chi-squared for more). */
        Z,
        /** The Jensen-Shannon distance. */
        JENSENSHANNON;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
