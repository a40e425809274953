#!/usr/bin/python3
"""Transfer-learning experiments on Fashion-MNIST: the data, parity with PyTorch, and whether
pretrained weights matter on 10 labelled images per class.

    tools/transfer_experiments.py data     # the image folders below, from dataset-fashion-mnist (15 s)
    tools/transfer_experiments.py parity   # fine-tune the TorchScript fixture in PyTorch and in Keel, 3 seeds each
    tools/transfer_experiments.py study    # pretrain on classes 0-4, then probe / fine-tune / scratch, 3 seeds each
    tools/transfer_experiments.py all      # all three

Image folders (PNG, written from Debian's dataset-fashion-mnist; each split drawn with a fixed seed):
  data/fmnist-0-4/           train/ (30,000) and test/ (5,000): classes 0-4, for pretraining
  data/fmnist-5-9-500/       train/ 500 per class, test/ (5,000): classes 5-9, for the parity run
  data/fmnist-5-9-10shot/    train/ 10 per class, valid/ 200 per class (learning curves only),
                             test/ (5,000): classes 5-9

parity: PyTorch 1.13 (Debian's python3-torch) fine-tunes tools/torchscript_fixtures.py's feature
extractor with the recipe of configs/transfer-parity.yaml, step for step as Keel runs it: the same
images and normalisation, a new linear head (PyTorch's default weight init, zero bias, as Keel
initialises it), AdamW (weight decay 0.01, beta2 0.999, beta1 cycled 0.95-0.85-0.95), fastai's
fine_tune (1 epoch with the body frozen, one-cycle with pct_start 0.99, the body's group at lr/10;
then lr/2 with the body at lr/2/100, one-cycle with pct_start 0.3 and div 5), batch norm training
while frozen, the last partial batch dropped. Then Keel runs the config with the same 3 seeds.

study: ./keel trains configs/transfer-pretrain.yaml (classes 0-4) into runs/transfer-pretrain, then
each of configs/transfer-probe.yaml (from the pretrained body, and from a randomly initialised one
with --set model.pretrained=null), configs/transfer-finetune.yaml and configs/transfer-scratch.yaml
with seeds 1, 2, 3.

Results go to benchmarks/results/DATE-transfer-parity.md and DATE-transfer-study.md (+ .csv with
every epoch of every run).
"""

import datetime
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_mnist_folder import CLASSES, SOURCE, png, read_idx  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "trainer/src/test/resources/dev/keel/trainer/transfer")
RESULTS = os.path.join(ROOT, "benchmarks/results")
SEEDS = [1, 2, 3]
TODAY = datetime.date.today().isoformat()


# ---------------------------------------------------------------- data

def load(prefix):
    (count, rows, cols), images = read_idx(f"{prefix}-images-idx3-ubyte")
    _, labels = read_idx(f"{prefix}-labels-idx1-ubyte")
    size = rows * cols
    return [(i, labels[i], images[i * size:(i + 1) * size]) for i in range(count)]


def write_split(folder, split, items):
    for index, label, pixels in items:
        directory = os.path.join(folder, split, CLASSES[label])
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"{index:05d}.png"), "wb") as f:
            f.write(png(28, 28, pixels))


def per_class(items, classes, count, rng, exclude=()):
    chosen = []
    for label in classes:
        pool = [item for item in items if item[1] == label and item[0] not in exclude]
        chosen += rng.sample(pool, count)
    return chosen


def data():
    if not os.path.exists(os.path.join(SOURCE, "train-images-idx3-ubyte.gz")):
        sys.exit(f"{SOURCE} is missing: apt-get install dataset-fashion-mnist")
    train, test = load("train"), load("t10k")
    first, second = range(0, 5), range(5, 10)
    folders = {
        "fmnist-0-4": {"train": [t for t in train if t[1] in first], "test": [t for t in test if t[1] in first]},
        "fmnist-5-9-500": {"train": per_class(train, second, 500, random.Random(500)),
                           "test": [t for t in test if t[1] in second]},
    }
    shot = per_class(train, second, 10, random.Random(10))
    folders["fmnist-5-9-10shot"] = {
        "train": shot,
        "valid": per_class(train, second, 200, random.Random(200), exclude={t[0] for t in shot}),
        "test": [t for t in test if t[1] in second]}
    for name, splits in folders.items():
        folder = os.path.join(ROOT, "data", name)
        shutil.rmtree(folder, ignore_errors=True)
        for split, items in splits.items():
            write_split(folder, split, items)
        print(f"data/{name}: " + ", ".join(f"{split} {len(items)}" for split, items in splits.items()))


def read_folder(folder, split):
    """The images of an image folder as Keel reads them: class folders sorted by name, 8-bit grey / 255."""
    import torch
    import zlib
    classes = sorted(os.listdir(os.path.join(folder, "train")))
    xs, ys = [], []
    for label, name in enumerate(classes):
        directory = os.path.join(folder, split, name)
        for file in sorted(os.listdir(directory)):
            with open(os.path.join(directory, file), "rb") as f:
                raw = f.read()
            # The PNGs written above: one IDAT of 28 rows, each a filter byte 0 and 28 grey bytes.
            start = raw.index(b"IDAT") + 4
            length = int.from_bytes(raw[start - 8:start - 4], "big")
            rows = zlib.decompress(raw[start:start + length])
            xs.append(bytes(b for r in range(28) for b in rows[r * 29 + 1:(r + 1) * 29]))
            ys.append(label)
    x = torch.frombuffer(bytearray(b"".join(xs)), dtype=torch.uint8).reshape(-1, 1, 28, 28).float().div(255)
    return x, torch.tensor(ys)


# ---------------------------------------------------------------- parity

def one_cycle(start, peak, end, pct, pos):
    """fastai's one-cycle: cosine from start to peak over pct of the phase, then from peak to end."""
    def cos(a, b, p):
        return b + (a - b) / 2 * (math.cos(math.pi * p) + 1)
    return cos(start, peak, pos / pct) if pos < pct else cos(peak, end, (pos - pct) / (1 - pct))


def pytorch_finetune(seed, config, x, y, x_test, y_test):
    import torch
    from torch import nn
    torch.manual_seed(seed)
    torch.set_num_threads(2)
    lr, batch = config["lr"], config["batch_size"]
    body = torch.jit.load(os.path.join(FIXTURES, "fmnist5-features.pt"))
    head = nn.Linear(32, 5)
    nn.init.zeros_(head.bias)  # Keel, like DJL, starts biases at zero
    optimizer = torch.optim.AdamW([{"params": list(body.parameters())}, {"params": list(head.parameters())}],
                                  lr=lr, betas=(0.95, 0.999), eps=1e-8, weight_decay=0.01)
    steps_per_epoch = len(y) // batch
    generator = torch.Generator().manual_seed(seed)
    curve = []
    for frozen, epochs in ((True, config["freeze_epochs"]), (False, config["epochs"])):
        for p in body.parameters():
            p.requires_grad_(not frozen)
        total = epochs * steps_per_epoch
        peak = lr if frozen else lr / 2
        div, pct = (25.0, 0.99) if frozen else (5.0, 0.3)
        body_factor = 0.1 if frozen else 1 / 100
        body.train()
        head.train()
        step = 0
        for _ in range(epochs):
            order = torch.randperm(len(y), generator=generator)
            losses = []
            for s in range(steps_per_epoch):
                pos = step / total
                rate = one_cycle(peak / div, peak, peak / 1e5, pct, pos)
                beta1 = one_cycle(0.95, 0.85, 0.95, pct, pos)
                for group, factor in zip(optimizer.param_groups, (body_factor, 1)):
                    group["lr"] = rate * factor
                    group["betas"] = (beta1, 0.999)
                items = order[s * batch:(s + 1) * batch]
                loss = nn.functional.cross_entropy(head(body(x[items])), y[items])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
                step += 1
            curve.append(sum(losses) / len(losses))
    body.eval()
    head.eval()
    with torch.no_grad():
        accuracy = (head(body(x_test)).argmax(1) == y_test).float().mean().item()
    return accuracy, curve


def keel_config(path):
    """The few keys of a Keel config the PyTorch peer mirrors (flat YAML, as the configs here are written)."""
    values, section = {}, None
    for line in open(path):
        text = line.split("#")[0].rstrip()
        if not text:
            continue
        if not text.startswith(" "):
            section = text.rstrip(":").strip()
            continue
        key, _, value = text.strip().partition(":")
        values[f"{section}.{key.strip()}"] = value.strip()
    return values


def keel(*args):
    result = subprocess.run([os.path.join(ROOT, "keel"), *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"./keel {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def keel_run(config, run_dir, *sets):
    shutil.rmtree(os.path.join(ROOT, run_dir), ignore_errors=True)
    arguments = ["train", config, "--run-dir", run_dir]
    for s in sets:
        arguments += ["--set", s]
    keel(*arguments)
    with open(os.path.join(ROOT, run_dir, "summary.json")) as f:
        summary = json.load(f)
    epochs = []
    with open(os.path.join(ROOT, run_dir, "metrics.jsonl")) as f:
        for line in f:
            entry = json.loads(line)
            if entry["kind"] == "epoch":
                epochs.append(entry)
    return summary, epochs


def mean_spread(values):
    return f"{100 * statistics.mean(values):.2f} ± {100 * statistics.stdev(values):.2f}"


def parity():
    import torch
    keys = keel_config(os.path.join(ROOT, "configs/transfer-parity.yaml"))
    folder = os.path.join(ROOT, keys["data.path"])
    mean, std = json.loads(keys["data.normalize"])
    config = {"lr": float(keys["optimizer.lr"]), "batch_size": int(keys["data.batch_size"]),
              "freeze_epochs": int(keys["finetune.freeze_epochs"]), "epochs": int(keys["train.epochs"])}
    x, y = read_folder(folder, "train")
    x_test, y_test = read_folder(folder, "test")
    x, x_test = (x - mean) / std, (x_test - mean) / std
    rows, torch_accuracies, keel_accuracies = [], [], []
    for seed in SEEDS:
        accuracy, curve = pytorch_finetune(seed, config, x, y, x_test, y_test)
        torch_accuracies.append(accuracy)
        summary, epochs = keel_run("configs/transfer-parity.yaml", f"runs/transfer-parity-{seed}", f"seed={seed}")
        keel_accuracies.append(summary["test"]["accuracy"])
        rows.append((seed, accuracy, summary["test"]["accuracy"], curve, [e["train_loss"] for e in epochs]))
        print(f"seed {seed}: PyTorch {100 * accuracy:.2f}%  Keel {100 * summary['test']['accuracy']:.2f}%")
    lines = [f"# Fine-tuning the TorchScript feature extractor: Keel and PyTorch ({TODAY})", "",
             f"`tools/transfer_experiments.py parity`: `configs/transfer-parity.yaml` ({len(y)} training images of "
             f"classes 5-9, {len(y_test)} test images) in Keel, and the same recipe in PyTorch {torch.__version__}, "
             "seeds " + ", ".join(map(str, SEEDS)) + ".", "",
             "| seed | PyTorch test accuracy | Keel test accuracy | PyTorch train loss per epoch | Keel train loss per epoch |",
             "|---|---|---|---|---|"]
    for seed, t, k, tc, kc in rows:
        lines.append(f"| {seed} | {100 * t:.2f}% | {100 * k:.2f}% | {' '.join(f'{v:.3f}' for v in tc)} | "
                     f"{' '.join(f'{v:.3f}' for v in kc)} |")
    lines += ["", f"Mean ± standard deviation: PyTorch {mean_spread(torch_accuracies)}, Keel "
              f"{mean_spread(keel_accuracies)}; difference of the means "
              f"{100 * (statistics.mean(keel_accuracies) - statistics.mean(torch_accuracies)):+.2f} points."]
    write_result(f"{TODAY}-transfer-parity.md", lines)


# ---------------------------------------------------------------- study

ARMS = [
    ("linear probe, pretrained body", "configs/transfer-probe.yaml", []),
    ("linear probe, random body", "configs/transfer-probe.yaml", ["model.pretrained=null"]),
    ("fine-tune, pretrained", "configs/transfer-finetune.yaml", []),
    ("from scratch", "configs/transfer-scratch.yaml", []),
    # The default cut keeps the pretrained fc 32 layer; cut 9 keeps the convolutions and flatten only.
    ("linear probe on conv features, pretrained", "configs/transfer-probe.yaml", ["model.cut=9"]),
    ("linear probe on conv features, random", "configs/transfer-probe.yaml", ["model.cut=9", "model.pretrained=null"]),
    ("fine-tune from conv features, pretrained", "configs/transfer-finetune.yaml", ["model.cut=9"]),
]


def study():
    print("pretraining on classes 0-4 ...")
    summary, _ = keel_run("configs/transfer-pretrain.yaml", "runs/transfer-pretrain")
    pretrain_accuracy = summary["test"]["accuracy"]
    print(f"pretrained: {100 * pretrain_accuracy:.2f}% test accuracy on classes 0-4")
    results, csv = {}, ["arm,seed,epoch,train_loss,valid_loss,valid_accuracy"]
    for arm, config, sets in ARMS:
        for seed in SEEDS:
            slug = f"arm{ARMS.index((arm, config, sets)) + 1}"
            summary, epochs = keel_run(config, f"runs/transfer-{slug}-{seed}", f"seed={seed}", *sets)
            results.setdefault(arm, []).append((summary["test"]["accuracy"], epochs))
            for e in epochs:
                csv.append(f"{arm},{seed},{e['epoch']},{e['train_loss']:.5f},{e['valid_loss']:.5f},"
                           f"{e['valid_accuracy']:.5f}")
            print(f"{arm}, seed {seed}: {100 * summary['test']['accuracy']:.2f}%")
    marks = sorted({1, 2, 5, 10, 15, len(results[ARMS[0][0]][0][1])})
    lines = [f"# Do pretrained weights matter? 10 labelled images per class ({TODAY})", "",
             "`tools/transfer_experiments.py study`: a cnn (conv 8, conv 16, fc 32) trained on Fashion-MNIST "
             f"classes 0-4 (`configs/transfer-pretrain.yaml`, {100 * pretrain_accuracy:.2f}% test accuracy there), "
             "then classes 5-9 from 50 training images (`data/fmnist-5-9-10shot`), tested on their 5,000 test "
             "images; seeds " + ", ".join(map(str, SEEDS)) + ". The valid/ split (200 per class) only draws the "
             "curves; nothing was tuned on it.", "",
             "| arm | config | test accuracy, mean ± sd | per seed |", "|---|---|---|---|"]
    for arm, config, sets in ARMS:
        accuracies = [a for a, _ in results[arm]]
        extra = "".join(f" `--set {s}`" for s in sets)
        lines.append(f"| {arm} | `{config}`{extra} | {mean_spread(accuracies)}% | "
                     + " / ".join(f"{100 * a:.2f}" for a in accuracies) + " |")
    lines += ["", "Learning curves: validation accuracy (%) after each epoch, mean of the seeds (every epoch of every "
              f"run in `{TODAY}-transfer-study.csv`).", "",
              "| arm | " + " | ".join(f"epoch {m}" for m in marks) + " |", "|---|" + "---|" * len(marks)]
    for arm, _, _ in ARMS:
        cells = []
        for m in marks:
            values = [epochs[m - 1]["valid_accuracy"] for _, epochs in results[arm] if len(epochs) >= m]
            cells.append(f"{100 * statistics.mean(values):.1f}" if values else "")
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    write_result(f"{TODAY}-transfer-study.md", lines)
    with open(os.path.join(RESULTS, f"{TODAY}-transfer-study.csv"), "w") as f:
        f.write("\n".join(csv) + "\n")


def write_result(name, lines):
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote benchmarks/results/{name}")


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what not in ("data", "parity", "study", "all"):
        sys.exit(__doc__)
    if what in ("data", "all"):
        data()
    if what in ("parity", "all"):
        parity()
    if what in ("study", "all"):
        study()


if __name__ == "__main__":
    main()
