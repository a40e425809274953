package dev.keel.datasets.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The fingerprint of a split of images: a SHA-256 over their shape ({@code CxHxW/classes}), their
 * decoded pixels in order, then their labels. Pixels can be added all at once or image by image
 * as they are decoded, so images held in memory and images read from their files every batch
 * record the same fingerprint.
 */
public final class ImageFingerprint {
    private final MessageDigest digest = Sha256.newDigest();

    /** A fingerprint of images of this shape, before any pixels. */
    public ImageFingerprint(int channels, int height, int width, int numClasses) {
        digest.update((channels + "x" + height + "x" + width + "/" + numClasses).getBytes(StandardCharsets.US_ASCII));
    }

    /** Adds the pixels of the next image, or of several images one after the other. */
    public void addPixels(byte[] pixels) {
        digest.update(pixels);
    }

    /** The fingerprint, with the images' labels (one byte each, in the images' order); call it once. */
    public String finish(byte[] labels) {
        digest.update(labels);
        return Sha256.hex(digest);
    }
}
