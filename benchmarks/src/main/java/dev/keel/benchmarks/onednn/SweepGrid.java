package dev.keel.benchmarks.onednn;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keel.trainer.isa.ConvShape;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The channel grid: every (in, out) pair of channel counts, for each kind of convolution Keel's
 * networks contain, on small images so that thousands of them run in seconds.
 */
final class SweepGrid {
    /** The kinds of convolution in Keel's cnn and resnet: 3x3 with padding 1, 1x1 without, stride 1 or 2. */
    enum Kind {
        CONV3X3_S1("3x3/1", 3, 1, 1),
        CONV3X3_S2("3x3/2", 3, 2, 1),
        CONV1X1_S1("1x1/1", 1, 1, 0),
        CONV1X1_S2("1x1/2", 1, 2, 0);

        @JsonValue
        final String label;
        final int kernel;
        final int stride;
        final int padding;

        Kind(String label, int kernel, int stride, int padding) {
            this.label = label;
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
        }

        /** The kind a label such as {@code 3x3/2} names. */
        static Kind parse(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label.trim())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("\"" + label + "\" is not one of 3x3/1, 3x3/2, 1x1/1, 1x1/2");
        }
    }

    private SweepGrid() {}

    /** Every pair of {@code inChannels} and {@code outChannels} for every kind, as training runs. */
    static List<ConvShape> shapes(List<Integer> inChannels, List<Integer> outChannels, List<Kind> kinds, int size,
            int batch) {
        List<ConvShape> shapes = new ArrayList<>();
        for (Kind kind : kinds) {
            for (int in : inChannels) {
                for (int out : outChannels) {
                    shapes.add(new ConvShape(batch, in, out, size, kind.kernel, kind.stride, kind.padding, true,
                            List.of("grid")));
                }
            }
        }
        return shapes;
    }

    /** Channel counts written as {@code 1-32,48,64}: single counts and inclusive ranges, sorted, without repeats. */
    static List<Integer> parseChannels(String text) {
        TreeSet<Integer> channels = new TreeSet<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            String[] range = item.split("-", -1);
            try {
                int first = Integer.parseInt(range[0].trim());
                int last = range.length == 2 ? Integer.parseInt(range[1].trim()) : first;
                if (range.length > 2 || first < 1 || last < first) {
                    throw new IllegalArgumentException();
                }
                for (int c = first; c <= last; c++) {
                    channels.add(c);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + item + "\" is not a channel count (1 or more) or a range such"
                        + " as 1-32", e);
            }
        }
        return List.copyOf(channels);
    }
}
