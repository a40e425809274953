#!/usr/bin/python3
"""Keel's quickstart against the same recipe in PyTorch, run alternately on one machine.

The peer trains the quickstart's exact network and recipe in PyTorch eager (Debian's
python3-torch, on OpenBLAS when libopenblas0-openmp is installed): Fashion-MNIST from
/usr/share/datasets/fashion-mnist, 10% of the training images held out for validation,
normalised with the training split's mean and standard deviation; conv 3x3 24 and 48 (no bias),
each with batch norm, ReLU and 2x2 max pooling, then fc 128 with ReLU, dropout 0.25 and fc 10;
AdamW (betas 0.9/0.999, eps 1e-8, weight decay 0.01); one-cycle over every step (peak at 25%,
start at peak/25, end at peak/1e5, beta1 cycled 0.95-0.85-0.95); 5 epochs at batch 128 with the
last partial batch dropped; validation after every epoch and the test split at the end, in
batches of 512. Its peak learning rate is the one Keel's learning-rate finder chose in the first
Keel run, so both sides train with the same rate.

Keel runs `./keel train configs/quickstart.yaml` as a user does (the finder included). Both run
with the `keel` launcher's allocator settings and the same number of intra-op threads. Reported
per run: the time to the end (process start to exit), the training time (the loop: Keel's
`train_seconds`, the peer's epochs including validation) and the test accuracy; then the medians
and Keel/PyTorch. Writes benchmarks/results/<date>-<cpu>-quickstart-race.md and .json.

    tools/quickstart_race.py              # 3 runs each, alternately: about 10 minutes on 2 cores
    tools/quickstart_race.py --runs 1 --epochs 1
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench_compare  # noqa: E402  (machine description and result file names)
import bench_peer  # noqa: E402  (the OpenBLAS folder)

DATA = "/usr/share/datasets/fashion-mnist"
CONFIG = os.path.join(ROOT, "configs", "quickstart.yaml")
DEFAULT_LR = 0.0115  # what the finder chooses for the quickstart; used when Keel's run has no lr_find.json


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"))
    parser.add_argument("--tag", default="", help="appended to the result file names")
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lr", type=float, default=DEFAULT_LR, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    return parser.parse_args()


# ----------------------------------------------------------------------------------------------
# The PyTorch peer (runs in its own interpreter, prints one JSON line)


def read_idx(name):
    return bench_peer.read_idx(DATA, name)


def quickstart_network(nn):
    layers, channels = [], 1
    for filters in (24, 48):
        layers += [nn.Conv2d(channels, filters, 3, padding=1, bias=False), nn.BatchNorm2d(filters), nn.ReLU(),
                   nn.MaxPool2d(2)]
        channels = filters
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(48 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25),
                         nn.Linear(128, 10))


def peer(args):
    import numpy
    import torch
    from torch import nn
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = torch.from_numpy(read_idx("train-images-idx3-ubyte").copy()).unsqueeze(1)
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte").astype(numpy.int64))
    test_images = torch.from_numpy(read_idx("t10k-images-idx3-ubyte").copy()).unsqueeze(1)
    test_labels = torch.from_numpy(read_idx("t10k-labels-idx1-ubyte").astype(numpy.int64))
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(args.seed))
    valid_count = len(labels) // 10
    valid, train = order[:valid_count], order[valid_count:]
    pixels = images[train].float() / 255
    mean, std = pixels.mean(), pixels.std()
    del pixels

    def batch(source, source_labels, items):
        return (source[items].float() / 255 - mean) / std, source_labels[items]

    model = quickstart_network(nn)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
                                  weight_decay=0.01)
    batch_size = 128
    steps = len(train) // batch_size
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, total_steps=steps * args.epochs, pct_start=0.25, anneal_strategy="cos",
        cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0,
        final_div_factor=1e5 / 25.0)
    loss_fn = nn.CrossEntropyLoss()

    def accuracy(source, source_labels, items):
        model.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, len(items), 512):
                x, y = batch(source, source_labels, items[start:start + 512])
                correct += (model(x).argmax(1) == y).sum().item()
        return correct / len(items)

    started = time.time()
    valid_accuracy = []
    for epoch in range(args.epochs):
        model.train()
        shuffled = train[torch.randperm(len(train))]
        for step in range(steps):
            x, y = batch(images, labels, shuffled[step * batch_size:(step + 1) * batch_size])
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            schedule.step()
            loss.item()  # as Keel reads every step's loss
        valid_accuracy.append(accuracy(images, labels, valid))
    train_seconds = time.time() - started
    test = accuracy(test_images, test_labels, torch.arange(len(test_labels)))
    print(json.dumps({"train_seconds": train_seconds, "test_accuracy": test, "valid_accuracy": valid_accuracy,
                      "torch": torch.__version__, "lr": args.lr}))


# ----------------------------------------------------------------------------------------------
# The race


def run_keel(args, work, index):
    run_dir = os.path.join(work, f"keel-{index}")
    env = dict(os.environ)  # the keel launcher sets the allocator itself
    env["KEEL_JAVA_OPTS"] = (env.get("KEEL_JAVA_OPTS", "") + f" -Dai.djl.pytorch.num_threads={args.threads}").strip()
    command = [os.path.join(ROOT, "keel"), "train", CONFIG, "--run-dir", run_dir, "--set",
               f"train.epochs={args.epochs}"]
    started = time.time()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - started
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    lr = None
    lr_find = os.path.join(run_dir, "lr_find.json")
    if os.path.exists(lr_find):
        with open(lr_find) as f:
            lr = json.load(f).get("suggestion")
    return {"side": "keel", "wall_seconds": wall, "train_seconds": summary["train_seconds"],
            "test_accuracy": summary["test"]["accuracy"], "lr": lr}


def run_peer(args, lr):
    env, folder = bench_peer.peer_environment()
    command = [sys.executable, os.path.abspath(__file__), "--peer", "--epochs", str(args.epochs), "--threads",
               str(args.threads), "--lr", repr(lr)]
    started = time.time()
    out = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    wall = time.time() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update({"side": "pytorch", "wall_seconds": wall, "openblas": folder})
    return result


def describe_machine():
    return {**bench_compare.describe_cpu(), "gpus": [], "git_commit": bench_compare.git_commit()}


def median(results, side, key):
    return statistics.median(r[key] for r in results if r["side"] == side)


def report(args, results, machine):
    lines = [f"# Quickstart: Keel against PyTorch, {args.runs} runs each, alternately ({datetime.date.today()})", "",
             f"- Machine: {machine['cpu']}, {machine['logical_cpus']} logical CPUs, "
             f"{', '.join(machine['simd']) or 'no AVX'}; Keel commit {machine['git_commit']}",
             f"- {args.threads} intra-op threads each; allocator settings of the `keel` launcher for both; "
             f"{args.epochs} epochs at batch 128, peak lr {results[1]['lr'] if len(results) > 1 else DEFAULT_LR:.4g}",
             f"- PyTorch {next((r['torch'] for r in results if r['side'] == 'pytorch'), '?')}; Keel as "
             "`./keel train configs/quickstart.yaml` (its learning-rate finder included)",
             "- Reproduce: `tools/quickstart_race.py`", "",
             "| run | side | time to the end | training | test accuracy |", "|---:|---|---:|---:|---:|"]
    for index, r in enumerate(results, 1):
        lines.append(f"| {index} | {r['side']} | {r['wall_seconds']:.1f} s | {r['train_seconds']:.1f} s | "
                     f"{100 * r['test_accuracy']:.2f}% |")
    lines += ["", "| median | Keel | PyTorch | Keel/PyTorch |", "|---|---:|---:|---:|"]
    for key, label in (("wall_seconds", "time to the end"), ("train_seconds", "training")):
        keel, torch = median(results, "keel", key), median(results, "pytorch", key)
        lines.append(f"| {label} | {keel:.1f} s | {torch:.1f} s | {keel / torch:.2f} |")
    keel, torch = median(results, "keel", "test_accuracy"), median(results, "pytorch", "test_accuracy")
    lines.append(f"| test accuracy | {100 * keel:.2f}% | {100 * torch:.2f}% | |")
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    if args.peer:
        peer(args)
        return
    if not os.path.isdir(DATA):
        sys.exit(f"quickstart_race: {DATA} is missing (apt-get install dataset-fashion-mnist)")
    subprocess.run([os.path.join(ROOT, "keel"), "--version"], check=True, stdout=subprocess.DEVNULL)  # builds first
    results = []
    lr = DEFAULT_LR
    with tempfile.TemporaryDirectory() as work:
        for index in range(args.runs):
            keel = run_keel(args, work, index)
            lr = keel["lr"] or lr
            results.append(keel)
            print(f"keel    {keel['wall_seconds']:6.1f} s to the end, {keel['train_seconds']:6.1f} s training, "
                  f"{100 * keel['test_accuracy']:.2f}%", flush=True)
            torch = run_peer(args, lr)
            results.append(torch)
            print(f"pytorch {torch['wall_seconds']:6.1f} s to the end, {torch['train_seconds']:6.1f} s training, "
                  f"{100 * torch['test_accuracy']:.2f}%", flush=True)
    machine = describe_machine()
    text = report(args, results, machine)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    name = f"{datetime.date.today()}-{bench_compare.machine_slug(machine, 'cpu')}-quickstart-race"
    base = bench_compare.result_path(args.out, name + (f"-{args.tag}" if args.tag else ""))
    with open(base + ".md", "w") as out:
        out.write(text)
    with open(base + ".json", "w") as out:
        json.dump({"machine": machine, "epochs": args.epochs, "threads": args.threads, "runs": results}, out,
                  indent=2)
    print(f"wrote {base}.md and .json")


if __name__ == "__main__":
    main()
