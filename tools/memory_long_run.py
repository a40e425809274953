#!/usr/bin/python3
"""Resident memory (RSS) per epoch of a long training run: Keel's launcher against PyTorch.

Trains the same model (--model mlp: 784-128-10, dropout 0.25 before the output layer, AdamW lr
3e-3; --model resnet: ResNet-20 as DJL builds it, AdamW lr 1e-3; both weight decay 0.01,
one-cycle, batch 128, 10% validation) on Fashion-MNIST (/usr/share/datasets/fashion-mnist, Debian's
dataset-fashion-mnist; --train-items takes the first N training and N/5 test images) for --epochs
epochs, once with `./keel train` as a user runs it (the launcher's JVM settings, unless
KEEL_JAVA_OPTS says otherwise) and once in PyTorch (Debian's python3-torch, on OpenBLAS when
installed, or with --peer torch2 PyTorch 2.13 for CPUs as tools/torch_peer.py installs it; with the
launcher's allocator settings), and reads the RSS after every epoch (Keel's
from metrics.jsonl, `rss_mb`; PyTorch's from /proc/self/status) and each process's peak RSS (the
kernel's high-water mark, from wait4). Writes benchmarks/results/<date>-memory[-resnet].md and .json.

    tools/memory_long_run.py                 # mlp, 50 epochs each: about 5 minutes on 2 cores
    tools/memory_long_run.py --epochs 10 --no-peer
    tools/memory_long_run.py --model resnet --epochs 20 --train-items 2560   # about 12 minutes
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = "/usr/share/datasets/fashion-mnist"
PEER_FLAG = "KEEL_MEMORY_PEER"
MODELS = {
    "mlp": {"keel": "{arch: mlp, hidden: [128], dropout: 0.25}", "lr": 3e-3},
    "resnet": {"keel": "{arch: resnet, layers: 20}", "lr": 1e-3},
}
IDX_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
             "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="mlp")
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--train-items", type=int, default=0,
                        help="train on the first N training images (and N/5 test images); 0: all")
    parser.add_argument("--data", default=DATA, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--no-peer", action="store_true", help="measure Keel only")
    parser.add_argument("--peer", choices=("torch1", "torch2"), default="torch1",
                        help="torch1: Debian's PyTorch 1.13 (default); torch2: PyTorch 2.13 for CPUs, installed by "
                             "tools/torch_peer.py when missing")
    parser.add_argument("--as-peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"))
    return parser.parse_args()


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_measured(command, env, **kwargs):
    """Runs a command to its end; returns its stdout (when captured), seconds and peak RSS in MB."""
    started = time.time()
    process = subprocess.Popen(command, env=env, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        sys.exit(f"{command[0]} exited with {process.returncode}")
    return out, time.time() - started, usage.ru_maxrss / 1024


def keel_run(args, data):
    model = MODELS[args.model]
    config = f"""name: memory
seed: 42
device: cpu
data: {{dataset: fashion-mnist, path: {data}, batch_size: 128}}
model: {model["keel"]}
optimizer: {{name: adamw, lr: {model["lr"]}, weight_decay: 0.01}}
schedule: {{name: one-cycle}}
train: {{epochs: {args.epochs}, log_every_steps: 1000}}
checkpoint: {{every_steps: 100000, keep_last: 1, keep_best: 0}}
"""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "memory.yaml")
        with open(path, "w") as out:
            out.write(config)
        run = os.path.join(work, "run")
        env = dict(os.environ)
        env.setdefault("KEEL_JAVA_OPTS", "")
        env["KEEL_JAVA_OPTS"] = (env["KEEL_JAVA_OPTS"] + f" -Dai.djl.pytorch.num_threads={args.threads}").strip()
        _, seconds, peak = run_measured([os.path.join(ROOT, "keel"), "train", path, "--run-dir", run], env,
                                        stdout=subprocess.DEVNULL)
        rss = []
        with open(os.path.join(run, "metrics.jsonl")) as metrics:
            for line in metrics:
                record = json.loads(line)
                if record.get("kind") == "epoch":
                    rss.append(record["rss_mb"])
        return {"rss_mb": rss, "peak_rss_mb": peak, "seconds": seconds,
                "java_opts": os.environ.get("KEEL_JAVA_OPTS", "")}


def write_subset(folder, train_items):
    """The first train_items training images and train_items / 5 test images as IDX files in folder."""
    for split, count in (("train", train_items), ("test", max(1, train_items // 5))):
        for name in IDX_FILES[split]:
            with gzip.open(os.path.join(DATA, name + ".gz")) as f:
                raw = f.read()
            ndims = raw[3]
            dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndims)]
            item = 1
            for d in dims[1:]:
                item *= d
            header = raw[:4] + count.to_bytes(4, "big") + raw[8:4 + 4 * ndims]
            body = raw[4 + 4 * ndims:4 + 4 * ndims + count * item]
            with gzip.open(os.path.join(folder, name + ".gz"), "wb") as out:
                out.write(header + body)


def read_idx(name, data=DATA):
    sys.path.insert(0, HERE)
    import bench_peer
    return bench_peer.read_idx(data, name)


def peer(args):
    """The same run in PyTorch, in this process; prints one JSON object."""
    import numpy
    import torch
    from torch import nn
    sys.path.insert(0, HERE)
    import bench_peer
    epochs = args.epochs
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    images = torch.from_numpy(read_idx("train-images-idx3-ubyte", args.data).copy()).unsqueeze(1)
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte", args.data).astype(numpy.int64))
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(42))
    valid_count = len(labels) // 10
    valid, train = order[:valid_count], order[valid_count:]
    mean = images[train].float().mean() / 255
    std = (images[train].float() / 255).std()
    if args.model == "mlp":
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))
    else:
        model = bench_peer.build_resnet20(nn)
    lr = MODELS[args.model]["lr"]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = len(train) // 128
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps * epochs,
                                                   pct_start=0.25)
    loss_fn = nn.CrossEntropyLoss()

    def batch(items):
        return (images[items].float() / 255 - mean) / std, labels[items]

    rss = []
    started = time.time()
    for epoch in range(epochs):
        model.train()
        shuffled = train[torch.randperm(len(train))]
        for step in range(steps):
            x, y = batch(shuffled[step * 128:(step + 1) * 128])
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            optimizer.step()
            schedule.step()
        model.eval()
        with torch.no_grad():
            for start in range(0, valid_count, 512):
                x, y = batch(valid[start:start + 512])
                model(x)
        rss.append(rss_mb())
    print(json.dumps({"rss_mb": rss, "seconds": time.time() - started, "torch": torch.__version__}))


def peer_run(args, data):
    sys.path.insert(0, HERE)
    import bench_peer
    import torch_peer
    env, folder = bench_peer.peer_environment()
    env[PEER_FLAG] = "1"
    python = torch_peer.peer_python(args.peer)
    out, _, peak = run_measured([python, os.path.abspath(__file__), "--as-peer", "--model", args.model,
                                 "--epochs", str(args.epochs), "--threads", str(args.threads), "--data", data],
                                env, stdout=subprocess.PIPE, text=True)
    result = json.loads(out.strip().splitlines()[-1])
    result["openblas"] = folder if args.peer == "torch1" else None
    result["python"] = python
    result["peak_rss_mb"] = peak
    return result


def at(series, epoch):
    return series[epoch - 1] if len(series) >= epoch else float("nan")


def report(args, keel, torch_result):
    last = args.epochs
    marks = [e for e in (1, 2, 10) if e < last] + [last]
    data = f"the first {args.train_items:,} images of Fashion-MNIST" if args.train_items else "the full Fashion-MNIST"
    lines = [f"# RSS per epoch, {args.model} on {data}, {args.epochs} epochs",
             "",
             f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} CPUs · {args.threads} threads · "
             f"KEEL_JAVA_OPTS={keel['java_opts'] or '(launcher defaults)'}",
             "",
             "Reproduce: `tools/memory_long_run.py --model " + args.model + f" --epochs {args.epochs}"
             + (f" --train-items {args.train_items}" if args.train_items else "")
             + (f" --peer {args.peer}" if args.peer != "torch1" else "") + "`",
             "",
             "| | " + " | ".join(f"epoch {e}" for e in marks) + f" | epoch {last} / epoch 2 | peak RSS | seconds |",
             "|---|" + "---:|" * (len(marks) + 3)]
    for name, result in (("Keel", keel), ("PyTorch " + torch_result.get("torch", "") if torch_result else None,
                                          torch_result)):
        if not result:
            continue
        rss = result["rss_mb"]
        lines.append(f"| {name} | " + " | ".join(f"{at(rss, e):.0f} MB" for e in marks)
                     + f" | {at(rss, last) / at(rss, min(2, last)):.3f} | {result['peak_rss_mb']:.0f} MB"
                     + f" | {result['seconds']:.0f} |")
    lines += ["", "Keel's RSS per epoch: " + ", ".join(f"{v:.0f}" for v in keel["rss_mb"])]
    if torch_result:
        lines += ["", "PyTorch's RSS per epoch: " + ", ".join(f"{v:.0f}" for v in torch_result["rss_mb"]),
                  "", f"Peak RSS Keel / PyTorch: {keel['peak_rss_mb'] / torch_result['peak_rss_mb']:.2f}"]
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    if args.as_peer:
        peer(args)
        return
    subprocess.run([os.path.join(ROOT, "keel"), "--version"], check=True, stdout=subprocess.DEVNULL)  # builds first
    with tempfile.TemporaryDirectory() as subset:
        data = DATA
        if args.train_items:
            write_subset(subset, args.train_items)
            data = subset
        keel = keel_run(args, data)
        torch_result = None if args.no_peer else peer_run(args, data)
    text = report(args, keel, torch_result)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    suffix = "" if args.model == "mlp" else "-" + args.model
    base = os.path.join(args.out, f"{datetime.date.today()}-memory{suffix}")
    with open(base + ".md", "w") as out:
        out.write(text)
    with open(base + ".json", "w") as out:
        json.dump({"model": args.model, "epochs": args.epochs, "train_items": args.train_items,
                   "threads": args.threads, "keel": keel, "pytorch": torch_result}, out, indent=2)


if __name__ == "__main__":
    main()
