#!/usr/bin/env python3
"""Writes Keel's bundled Fashion-MNIST sample: a stratified, seeded subset of the real data.

The sample is what Keel trains on when neither a configured path, $KEEL_DATA nor Debian's
dataset-fashion-mnist package is present. It keeps the IDX format, so the same reader serves both.

    tools/make_fashion_mnist_sample.py [--source /usr/share/datasets/fashion-mnist]
        [--train 10000] [--test 2000] [--seed 42] [--out DIR]

Only the Python standard library is used, so the script runs on any machine with python3.
"""
import argparse
import gzip
import random
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "datasets/src/main/resources/dev/keel/datasets/fashion-mnist-sample"
NUM_CLASSES = 10


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    # mtime=0 keeps the output byte-identical from run to run.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + payload)


def stratified_indices(labels, per_class_total, seed):
    rng = random.Random(seed)
    by_class = [[] for _ in range(NUM_CLASSES)]
    for i, label in enumerate(labels):
        by_class[label].append(i)
    chosen = []
    per_class = per_class_total // NUM_CLASSES
    for members in by_class:
        chosen.extend(rng.sample(members, per_class))
    rng.shuffle(chosen)
    return chosen


def subset(source, out, prefix, count, seed):
    image_dims, images = read_idx(source / f"{prefix}-images-idx3-ubyte.gz")
    label_dims, labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
    if image_dims[0] != label_dims[0]:
        raise SystemExit(f"{source}: {prefix} images and labels disagree in count")
    rows, cols = image_dims[1], image_dims[2]
    size = rows * cols
    chosen = stratified_indices(labels, count, seed)
    write_idx(out / f"{prefix}-images-idx3-ubyte.gz", (len(chosen), rows, cols),
              b"".join(images[i * size:(i + 1) * size] for i in chosen))
    write_idx(out / f"{prefix}-labels-idx1-ubyte.gz", (len(chosen),), bytes(labels[i] for i in chosen))
    print(f"{prefix}: {len(chosen)} of {image_dims[0]} images -> {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--train", type=int, default=10000)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    subset(args.source, args.out, "train", args.train, args.seed)
    subset(args.source, args.out, "t10k", args.test, args.seed + 1)


if __name__ == "__main__":
    main()
