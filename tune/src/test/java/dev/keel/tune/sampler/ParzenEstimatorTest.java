package dev.keel.tune.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Parzen estimators against reference values that Optuna 5.0.0's {@code _ParzenEstimator}
 * computed for the same observations (prior weight 1, magic clip, no endpoints, default weights),
 * and the normal distribution's tails against their known values.
 */
class ParzenEstimatorTest {

    private static void assertLogPdfs(Distribution distribution, double[] observations, double[] points,
            double... expected) {
        ParzenEstimator estimator = ParzenEstimator.of(distribution, observations,
                TpeSampler.weights(observations.length));
        for (int i = 0; i < points.length; i++) {
            assertEquals(expected[i], estimator.logPdf(new double[] {points[i]}), 1e-8, "at " + points[i]);
        }
    }

    @Test
    void uniformKernelsMatchOptuna() {
        double[] points = {-5, -1, 0.15, 5, 10};
        assertLogPdfs(new Uniform(-5, 10), new double[0], points,
                -2.792072401, -2.694294623, -2.679344623, -2.680961290, -2.792072401);
        assertLogPdfs(new Uniform(-5, 10), new double[] {-4.9, 0.1, 0.2, 3.3, 9.99, 7.0}, points,
                -3.087220125, -2.690429228, -2.639340926, -2.685587689, -2.713772083);
    }

    @Test
    void logUniformKernelsMatchOptuna() {
        double[] points = {1e-5, 1e-4, 2.5e-3, 0.9, 1};
        assertLogPdfs(new LogUniform(1e-5, 1), new double[] {1e-5, 3e-3, 2e-3, 0.5}, points,
                -2.602096874, -2.435795286, -2.353076191, -2.658619923, -2.669829269);
    }

    @Test
    void intKernelsMatchOptuna() {
        assertLogPdfs(new IntRange(1, 20, false), new double[0], new double[] {1, 2, 10, 20},
                -3.067647635, -3.045152322, -2.955171070, -3.067647635);
        assertLogPdfs(new IntRange(1, 20, false), new double[] {1, 1, 7, 20, 13}, new double[] {1, 2, 10, 20},
                -2.522732722, -2.526278643, -3.116237031, -3.375039945);
        assertLogPdfs(new IntRange(1, 1000, true), new double[] {1, 2, 50, 999}, new double[] {1, 3, 100, 1000},
                -1.698684412, -2.939443042, -6.742279583, -9.156214760);
    }

    @Test
    void choiceKernelsMatchOptuna() {
        Choice choice = new Choice(List.of(IntNode.valueOf(0), IntNode.valueOf(1), IntNode.valueOf(2),
                IntNode.valueOf(3)));
        assertLogPdfs(choice, new double[] {0, 0, 2, 3, 2}, new double[] {0, 1, 2, 3},
                -1.123930097, -2.079441542, -1.123930097, -1.491654877);
    }

    @Test
    void drawsStayInsideTheRangeAndFollowTheKernels() {
        IntRange range = new IntRange(1, 20, false);
        ParzenEstimator estimator = ParzenEstimator.of(range, new double[] {5, 5, 5, 5, 5, 5, 5, 5, 5},
                TpeSampler.weights(9));
        double[][] draws = estimator.sample(new SplittableRandom(1), 2000);
        int atFive = 0;
        for (double[] draw : draws) {
            assertTrue(range.contains(draw[0]), "draw " + draw[0]);
            atFive += draw[0] == 5 ? 1 : 0;
        }
        // Nine kernels at 5 with bandwidth 2 (the magic clip's 20/10) and the prior over 1..20:
        // about 0.9 * 0.2 + 0.1 * 0.05 = 18.5% of the draws at 5.
        assertEquals(0.185, atFive / 2000.0, 0.03);
    }

    @Test
    void normalTailsAreAccurateFarOut() {
        assertEquals(-0.381715146302, Gaussian.logMass(-1, 1), 1e-11);
        assertEquals(-7.82669397885, Gaussian.logMass(0, 0.001), 1e-10);
        assertEquals(-454.321243956, Gaussian.logMass(30, 31), 1e-8);
        assertEquals(-765.083156564, Gaussian.logMass(-40, -39), 1e-8);
        assertEquals(-5005.52420869, Gaussian.logMass(100, 101), 1e-7);
        assertEquals(3.09023230616781, Gaussian.upperQuantile(1e-3), 1e-12);
        assertEquals(37.0470962993612, Gaussian.upperQuantile(1e-300), 1e-10);
        assertEquals(0, Gaussian.upperQuantile(0.5), 1e-12);
        assertEquals(-0.857986447007135, Gaussian.truncatedQuantile(-50, 2, 0.2), 1e-12);
        assertEquals(3.34937572115742, Gaussian.truncatedQuantile(3, 60, 0.7), 1e-12);
    }
}
