package dev.keel.tune.sampler;

/**
 * The standard normal distribution as the Parzen estimators need it: log densities, log
 * probabilities of intervals and quantiles that stay accurate far in the tails, where a kernel
 * narrowed by many observations puts the search-space bounds tens of standard deviations away.
 */
final class Gaussian {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT_2 = Math.sqrt(2);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** Below it the erf series is used, above it the continued fraction: both converge fast there. */
    private static final double SERIES_LIMIT = 3;

    private Gaussian() {
    }

    /** The log of the standard normal density at {@code z}. */
    static double logDensity(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /**
     * P(0 &lt; Z &lt; z) for {@code z >= 0}, as {@code erf(z / sqrt 2) / 2}: computed directly rather
     * than as a difference of tails, so that a narrow interval around 0 keeps its precision.
     */
    static double centralMass(double z) {
        if (z < SERIES_LIMIT) {
            return 0.5 * erfSeries(z / SQRT_2);
        }
        return 0.5 - Math.exp(logUpperTail(z));
    }

    /** log P(Z &gt; z) for any {@code z}, without underflow however far in the tail. */
    static double logUpperTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (z < 0) {
            return Math.log1p(-Math.exp(logUpperTail(-z)));
        }
        if (z < SERIES_LIMIT) {
            return Math.log(0.5 - 0.5 * erfSeries(z / SQRT_2));
        }
        return logDensity(z) - Math.log(millsDenominator(z));
    }

    /** log P(Z &lt; z). */
    static double logLowerTail(double z) {
        return logUpperTail(-z);
    }

    /** log P(a &lt; Z &lt; b) for {@code a < b}; {@code -infinity} only where it underflows a double's exponent. */
    static double logMass(double a, double b) {
        if (a >= 0) {
            double upperA = logUpperTail(a);
            return upperA + Math.log1p(-Math.exp(logUpperTail(b) - upperA));
        }
        if (b <= 0) {
            return logMass(-b, -a);
        }
        return Math.log(centralMass(b) + centralMass(-a));
    }

    /**
     * A draw of Z conditioned on {@code a <= Z <= b}, by inversion of the distribution function at
     * {@code u} in [0, 1): monotone in {@code u}, so nearby uniforms give nearby values.
     */
    static double truncatedQuantile(double a, double b, double u) {
        if (a >= 0) {
            // Work on the side where the lower bound is negative: there the lower tail is never tiny.
            return -truncatedQuantile(-b, -a, 1 - u);
        }
        double lowerA = Math.exp(logLowerTail(a));
        double mass = Math.exp(logMass(a, b));
        double p = lowerA + u * mass;
        double z = p <= 0.5 ? -upperQuantile(p) : upperQuantile(1 - p);
        return Math.min(b, Math.max(a, z));
    }

    /** The z with P(Z &gt; z) = q, for q in (0, 0.5]; +infinity for q = 0. */
    static double upperQuantile(double q) {
        if (q <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double target = Math.log(q);
        // Start at sqrt(-2 log q), never left of the answer (P(Z > z) <= exp(-z^2 / 2)). log P(Z > z)
        // is concave and decreasing, so Newton's steps from the right stay right of the answer and
        // shrink monotonically onto it.
        double z = Math.sqrt(-2 * target);
        for (int i = 0; i < 200; i++) {
            double logTail = logUpperTail(z);
            double slope = -Math.exp(logDensity(z) - logTail);
            double step = (logTail - target) / slope;
            z -= step;
            if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) {
                break;
            }
        }
        return z;
    }

    /**
     * erf(x) for 0 &lt;= x &lt; ~2.2 by the series of positive terms
     * erf(x) = 2/sqrt(pi) exp(-x^2) sum_n x (2x^2)^n / (1 * 3 * ... * (2n+1)): no cancellation.
     */
    private static double erfSeries(double x) {
        double twoXSquared = 2 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum);
    }

    /**
     * The continued fraction z + 1/(z + 2/(z + 3/(z + ...))), the reciprocal of Mills' ratio
     * P(Z &gt; z) / density(z), for z &gt;= 3, by the modified Lentz method.
     */
    private static double millsDenominator(double z) {
        double tiny = 1e-300;
        double f = z;
        double c = f;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            d = z + n * d;
            if (d == 0) {
                d = tiny;
            }
            c = z + n / c;
            if (c == 0) {
                c = tiny;
            }
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return f;
    }
}
