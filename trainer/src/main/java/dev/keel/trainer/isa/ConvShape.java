package dev.keel.trainer.isa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One bias-free 2-D convolution of square images as the sweep runs it: the batch, channel counts,
 * image side, kernel side, stride and padding; whether it is run as in training (forward under
 * autograd, then the gradients with respect to input and weight) or as in evaluation (forward
 * only, without autograd); and which networks use it.
 *
 * @param uses where the convolution comes from: {@code grid}, a config file, a resnet depth
 */
public record ConvShape(int batch, int inChannels, int outChannels, int size, int kernel, int stride, int padding,
        boolean training, List<String> uses) {

    public ConvShape {
        if (batch < 1 || inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0
                || size + 2 * padding < kernel) {
            throw new IllegalArgumentException("not a valid convolution: batch " + batch + ", " + inChannels
                    + " -> " + outChannels + " channels, " + size + "x" + size + ", kernel " + kernel + ", stride "
                    + stride + ", padding " + padding);
        }
        uses = List.copyOf(uses);
    }

    /**
     * {@code shapes} without repeats: shapes that are the same work become one, listing the uses of
     * all; in the order each first appears.
     */
    public static List<ConvShape> distinct(List<ConvShape> shapes) {
        Map<ConvShape, ConvShape> byWork = new LinkedHashMap<>();
        for (ConvShape shape : shapes) {
            byWork.merge(shape.withoutUses(), shape, ConvShape::withUsesOf);
        }
        return List.copyOf(byWork.values());
    }

    /** The outputs compared, in the order every run produces them. */
    public List<ConvOutput> outputs() {
        return training ? List.of(ConvOutput.FORWARD, ConvOutput.GRAD_INPUT, ConvOutput.GRAD_WEIGHT)
                : List.of(ConvOutput.FORWARD);
    }

    public int outSize() {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    public int inputLength() {
        return batch * inChannels * size * size;
    }

    public int weightLength() {
        return outChannels * inChannels * kernel * kernel;
    }

    public int outputLength() {
        return batch * outChannels * outSize() * outSize();
    }

    /** The number of values {@code output} has. */
    public int length(ConvOutput output) {
        return switch (output) {
            case FORWARD -> outputLength();
            case GRAD_INPUT -> inputLength();
            case GRAD_WEIGHT -> weightLength();
        };
    }

    /** The same convolution without its uses: what makes two shapes the same work. */
    public ConvShape withoutUses() {
        return new ConvShape(batch, inChannels, outChannels, size, kernel, stride, padding, training, List.of());
    }

    /** This convolution used by its own uses and {@code other}'s, sorted. */
    public ConvShape withUsesOf(ConvShape other) {
        TreeSet<String> all = new TreeSet<>(uses);
        all.addAll(other.uses);
        return new ConvShape(batch, inChannels, outChannels, size, kernel, stride, padding, training, List.copyOf(all));
    }

    /** For example {@code 3x3/2 24->48 14x14 b128 train}. */
    public String label() {
        return String.format(Locale.ROOT, "%dx%d/%d %d->%d %dx%d b%d %s", kernel, kernel, stride, inChannels,
                outChannels, size, size, batch, training ? "train" : "eval");
    }

    /**
     * The problem as oneDNN's verbose log describes a convolution, for example {@code
     * mb16_ic24oc48_ih8oh8kh3sh1dh0ph1_iw8ow8kw3sw1dw0pw1}.
     */
    public String oneDnnProblem() {
        return String.format(Locale.ROOT, "mb%d_ic%doc%d_ih%doh%dkh%dsh%ddh0ph%d_iw%dow%dkw%dsw%ddw0pw%d", batch,
                inChannels, outChannels, size, outSize(), kernel, stride, padding, size, outSize(), kernel, stride,
                padding);
    }
}
