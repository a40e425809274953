package dev.keel.datasets.augment;

import java.util.SplittableRandom;

/**
 * Train-time image augmentation as a pure function of the run's seed, the epoch and the item: a
 * random resized crop, a horizontal flip and a small rotation, combined into one affine map
 * sampled with bilinear interpolation, then brightness and contrast. The same seed, epoch and item
 * always give the same image, so a resumed run sees exactly the images of the run it continues,
 * and items can be augmented on any thread in any order.
 *
 * @param flip the probability of a horizontal flip
 * @param cropScale the smallest share of the area a crop keeps; 1 turns cropping off
 * @param rotate the largest rotation in degrees, either way
 * @param brightness the largest brightness shift, as a share of the full range
 * @param contrast the largest relative contrast change
 */
public record Augmentation(double flip, double cropScale, double rotate, double brightness, double contrast) {
    private static final double MIN_RATIO = 3.0 / 4;
    private static final double MAX_RATIO = 4.0 / 3;

    /** Whether this augmentation changes anything. */
    public boolean any() {
        return flip > 0 || cropScale < 1 || rotate > 0 || brightness > 0 || contrast > 0;
    }

    /**
     * Writes the augmented {@code source} (unsigned bytes, channel-major, {@code channels x size x
     * size}) into {@code target} as floats in [0, 255], from {@code offset}.
     */
    public void apply(byte[] source, int sourceOffset, int channels, int size, long seed, int epoch, int item,
            float[] target, int offset) {
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, item));
        // The crop: a share of the area and an aspect ratio, placed anywhere it fits (torchvision's
        // RandomResizedCrop), as the output's footprint in source pixels.
        double area = cropScale >= 1 ? 1 : cropScale + random.nextDouble() * (1 - cropScale);
        double ratio = cropScale >= 1 ? 1 : Math.exp(Math.log(MIN_RATIO)
                + random.nextDouble() * (Math.log(MAX_RATIO) - Math.log(MIN_RATIO)));
        double cropWidth = Math.min(1, Math.sqrt(area * ratio)) * size;
        double cropHeight = Math.min(1, Math.sqrt(area / ratio)) * size;
        double centreX = cropWidth / 2 + random.nextDouble() * (size - cropWidth);
        double centreY = cropHeight / 2 + random.nextDouble() * (size - cropHeight);
        boolean flipped = random.nextDouble() < flip;
        double angle = Math.toRadians((random.nextDouble() * 2 - 1) * rotate);
        double gain = 1 + (random.nextDouble() * 2 - 1) * contrast;
        double shift = (random.nextDouble() * 2 - 1) * brightness * 255;

        // Output pixel (x, y) -> source point: scale to the crop, flip, rotate about the crop's centre.
        double scaleX = cropWidth / size * (flipped ? -1 : 1);
        double scaleY = cropHeight / size;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double half = (size - 1) / 2.0;
        int plane = size * size;
        for (int c = 0; c < channels; c++) {
            int sourcePlane = sourceOffset + c * plane;
            double mean = contrast > 0 ? planeMean(source, sourcePlane, plane) : 0;
            int out = offset + c * plane;
            for (int y = 0; y < size; y++) {
                double dy = (y - half) * scaleY;
                for (int x = 0; x < size; x++) {
                    double dx = (x - half) * scaleX;
                    double sx = centreX - 0.5 + cos * dx - sin * dy;
                    double sy = centreY - 0.5 + sin * dx + cos * dy;
                    double value = bilinear(source, sourcePlane, size, sx, sy);
                    value = mean + (value - mean) * gain + shift;
                    target[out + y * size + x] = (float) Math.max(0, Math.min(255, value));
                }
            }
        }
    }

    private static double planeMean(byte[] source, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += source[i] & 0xff;
        }
        return (double) sum / length;
    }

    /** The source sampled at (x, y) between pixel centres, edges repeated outward. */
    private static double bilinear(byte[] source, int plane, int size, double x, double y) {
        double cx = Math.max(0, Math.min(size - 1, x));
        double cy = Math.max(0, Math.min(size - 1, y));
        int x0 = (int) cx;
        int y0 = (int) cy;
        int x1 = Math.min(x0 + 1, size - 1);
        int y1 = Math.min(y0 + 1, size - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = (source[plane + y0 * size + x0] & 0xff) * (1 - fx) + (source[plane + y0 * size + x1] & 0xff) * fx;
        double bottom = (source[plane + y1 * size + x0] & 0xff) * (1 - fx)
                + (source[plane + y1 * size + x1] & 0xff) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /** The stream's seed: seed, epoch and item mixed (SplitMix64's finaliser) so that neighbours differ. */
    static long mix(long seed, int epoch, int item) {
        long z = seed * 0x9E3779B97F4A7C15L + ((long) epoch << 32 | (item & 0xffffffffL));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
