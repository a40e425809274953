package dev.keel.trainer.report;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The points of one series, from the lines of a metrics history: those whose value is missing
 * (NaN) are left out, so a series that has none is not drawn at all.
 *
 * @param x horizontal positions
 * @param y values
 */
record Points(double[] x, double[] y) {

    static <T> Points of(List<T> lines, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
        List<T> present = lines.stream().filter(line -> Double.isFinite(y.applyAsDouble(line))).toList();
        return new Points(present.stream().mapToDouble(x).toArray(), present.stream().mapToDouble(y).toArray());
    }

    boolean isEmpty() {
        return x.length == 0;
    }
}
