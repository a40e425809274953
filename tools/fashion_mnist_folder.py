#!/usr/bin/python3
"""Writes Fashion-MNIST (Debian's dataset-fashion-mnist) as an image folder of PNG files.

    tools/fashion_mnist_folder.py [OUT]        # default: data/fashion-mnist-png

OUT/train/<class>/<index>.png (60,000 images) and OUT/test/<class>/<index>.png (10,000), 28x28
grayscale. A folder name cannot hold a slash, so the class folders are a file-system-safe form of
Keel's class names (t-shirt_top for T-shirt/top, ankle_boot for Ankle boot): `keel evaluate --data`
matches them to a model's classes and prints the pairs. Python's standard library only (zlib and
struct write the PNGs): about 10 seconds on 2 cores.
"""

import gzip
import os
import struct
import sys
import zlib

SOURCE = "/usr/share/datasets/fashion-mnist"
CLASSES = ["t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
           "ankle_boot"]


def read_idx(name):
    with gzip.open(os.path.join(SOURCE, name + ".gz")) as f:
        data = f.read()
    dims = [struct.unpack(">I", data[4 + 4 * i:8 + 4 * i])[0] for i in range(data[3])]
    return dims, data[4 + 4 * len(dims):]


def png(width, height, pixels):
    """A grayscale 8-bit PNG: signature, IHDR, one IDAT (each row prefixed by filter type 0), IEND."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def write(out, split, prefix):
    (count, rows, cols), images = read_idx(f"{prefix}-images-idx3-ubyte")
    _, labels = read_idx(f"{prefix}-labels-idx1-ubyte")
    size = rows * cols
    for name in CLASSES:
        os.makedirs(os.path.join(out, split, name), exist_ok=True)
    for i in range(count):
        path = os.path.join(out, split, CLASSES[labels[i]], f"{i:05d}.png")
        with open(path, "wb") as f:
            f.write(png(cols, rows, images[i * size:(i + 1) * size]))
    print(f"{split}: {count} images in {os.path.join(out, split)}")


def main():
    if not os.path.exists(os.path.join(SOURCE, "train-images-idx3-ubyte.gz")):
        sys.exit(f"{SOURCE} is missing: apt-get install dataset-fashion-mnist")
    out = sys.argv[1] if len(sys.argv) > 1 else "data/fashion-mnist-png"
    write(out, "train", "train")
    write(out, "test", "t10k")


if __name__ == "__main__":
    main()
