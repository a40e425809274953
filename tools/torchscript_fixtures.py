#!/usr/bin/python3
"""Trains a small CNN in PyTorch on Fashion-MNIST classes 0-4 and exports it as TorchScript.

    tools/torchscript_fixtures.py [OUT]     # default: trainer/src/test/resources/dev/keel/trainer/transfer

Writes, from Debian's python3-torch:
  fmnist5-full.pt      the whole model (logits for classes 0-4), scripted
  fmnist5-features.pt  the same network without its classifier: 32 features per image, scripted
  fmnist5.json         the input normalisation, the classes, and two inputs with both modules'
                       outputs, so a test can check that Keel computes what PyTorch computes
Reads /usr/share/datasets/fashion-mnist (dataset-fashion-mnist), or Keel's bundled sample.
One epoch on 2 threads: about 20 seconds.
"""

import gzip
import json
import os
import struct
import sys

import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEBIAN = "/usr/share/datasets/fashion-mnist"
SAMPLE = os.path.join(ROOT, "datasets/src/main/resources/dev/keel/datasets/fashion-mnist-sample")
CLASSES = 5


def read(name):
    folder = DEBIAN if os.path.exists(os.path.join(DEBIAN, name + ".gz")) else SAMPLE
    with gzip.open(os.path.join(folder, name + ".gz")) as f:
        data = f.read()
    ndims = data[3]
    dims = [struct.unpack(">I", data[4 + 4 * i:8 + 4 * i])[0] for i in range(ndims)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndims:]), dtype=torch.uint8).reshape(dims)


class Features(nn.Module):
    """conv8-bn-relu-pool, conv16-bn-relu-pool, flatten, linear 32, relu."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 32), nn.ReLU())

    def forward(self, x):
        return self.body(x)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "trainer/src/test/resources/dev/keel/trainer/transfer")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    images = read("train-images-idx3-ubyte")
    labels = read("train-labels-idx1-ubyte").long()
    keep = labels < CLASSES
    x = images[keep].float().div(255).unsqueeze(1)
    y = labels[keep]
    mean, std = x.mean().item(), x.std().item()
    x = (x - mean) / std

    features = Features()
    model = nn.Sequential(features, nn.Linear(32, CLASSES))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    order = torch.randperm(len(y))
    for start in range(0, len(y) - 127, 128):
        batch = order[start:start + 128]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(x[-2000:]).argmax(1) == y[-2000:]).float().mean().item()

    example = x[:2]
    # Scripted, not traced: a traced module keeps the mode it was traced in, so its batch norm
    # would never use batch statistics again when fine-tuned.
    torch.jit.script(model).save(os.path.join(out, "fmnist5-full.pt"))
    torch.jit.script(features).save(os.path.join(out, "fmnist5-features.pt"))
    with torch.no_grad():
        description = {
            "torch_version": torch.__version__,
            "classes": list(range(CLASSES)),
            "normalize_mean": mean,
            "normalize_std": std,
            "input_shape": [1, 28, 28],
            "feature_count": 32,
            "inputs": example.reshape(2, -1).tolist(),
            "full_outputs": model(example).tolist(),
            "features_outputs": features(example).tolist(),
            "train_accuracy_last_2000": accuracy,
        }
    with open(os.path.join(out, "fmnist5.json"), "w") as f:
        json.dump(description, f)
    print(f"wrote {out}/fmnist5-full.pt, fmnist5-features.pt, fmnist5.json (accuracy {accuracy:.3f} on classes 0-4)")


if __name__ == "__main__":
    main()
