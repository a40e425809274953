#!/usr/bin/python3
"""Resident memory (RSS) per epoch of a long training run: Keel's launcher against PyTorch.

Trains the same mlp (784-128-10, dropout 0.25 before the output layer, AdamW lr 3e-3, weight
decay 0.01, one-cycle, batch 128, 10% validation) on the full Fashion-MNIST
(/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist) for --epochs epochs, once with
`./keel train` as a user runs it (the launcher's JVM settings, unless KEEL_JAVA_OPTS says
otherwise) and once in PyTorch (Debian's python3-torch, on OpenBLAS when installed), and reads the
RSS after every epoch: Keel's from metrics.jsonl (`rss_mb`), PyTorch's from /proc/self/status.
Writes benchmarks/results/<date>-memory.md and .json.

    tools/memory_long_run.py                 # 50 epochs each: about 5 minutes on 2 cores
    tools/memory_long_run.py --epochs 10 --no-peer
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--no-peer", action="store_true", help="measure Keel only")
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"))
    return parser.parse_args()


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def keel_run(epochs, threads):
    config = f"""name: memory
seed: 42
device: cpu
data: {{dataset: fashion-mnist, batch_size: 128}}
model: {{arch: mlp, hidden: [128], dropout: 0.25}}
optimizer: {{name: adamw, lr: 0.003, weight_decay: 0.01}}
schedule: {{name: one-cycle}}
train: {{epochs: {epochs}, log_every_steps: 1000}}
checkpoint: {{every_steps: 100000, keep_last: 1, keep_best: 0}}
"""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "memory.yaml")
        with open(path, "w") as out:
            out.write(config)
        run = os.path.join(work, "run")
        env = dict(os.environ)
        env.setdefault("KEEL_JAVA_OPTS", "")
        env["KEEL_JAVA_OPTS"] = (env["KEEL_JAVA_OPTS"] + f" -Dai.djl.pytorch.num_threads={threads}").strip()
        started = time.time()
        subprocess.run([os.path.join(ROOT, "keel"), "train", path, "--run-dir", run], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        seconds = time.time() - started
        rss = []
        with open(os.path.join(run, "metrics.jsonl")) as metrics:
            for line in metrics:
                record = json.loads(line)
                if record.get("kind") == "epoch":
                    rss.append(record["rss_mb"])
        return {"rss_mb": rss, "seconds": seconds, "java_opts": os.environ.get("KEEL_JAVA_OPTS", "")}


def read_idx(name):
    import numpy
    with gzip.open(os.path.join(DATA, name + ".gz")) as f:
        raw = f.read()
    ndims = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndims)]
    return numpy.frombuffer(raw, dtype=numpy.uint8, offset=4 + 4 * ndims).reshape(dims)


def peer(epochs, threads):
    """The same run in PyTorch, in this process; prints one JSON object."""
    import numpy
    import torch
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    images = torch.from_numpy(read_idx("train-images-idx3-ubyte").copy())
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte").astype(numpy.int64))
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(42))
    valid_count = len(labels) // 10
    valid, train = order[:valid_count], order[valid_count:]
    mean = images[train].float().mean() / 255
    std = (images[train].float() / 255).std()
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    steps = len(train) // 128
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps * epochs,
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


def peer_run(epochs, threads):
    sys.path.insert(0, HERE)
    import bench_peer
    env = dict(os.environ)
    folder = bench_peer.openblas_dir()
    if folder:
        env["LD_LIBRARY_PATH"] = os.pathsep.join([folder] + [p for p in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p])
    env[PEER_FLAG] = "1"
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer", "--epochs", str(epochs),
                          "--threads", str(threads)], check=True, env=env, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["openblas"] = folder
    return result


def at(series, epoch):
    return series[epoch - 1] if len(series) >= epoch else float("nan")


def report(args, keel, torch_result):
    e10, last = min(10, args.epochs), args.epochs
    lines = [f"# RSS per epoch, mlp on the full Fashion-MNIST, {args.epochs} epochs",
             "",
             f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} CPUs · {args.threads} threads · "
             f"KEEL_JAVA_OPTS={keel['java_opts'] or '(launcher defaults)'}",
             "",
             "| | epoch 1 | epoch 10 | epoch " + str(last) + " | epoch " + str(last) + " / epoch 10 | peak | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, result in (("Keel", keel), ("PyTorch " + torch_result.get("torch", "") if torch_result else None,
                                          torch_result)):
        if not result:
            continue
        rss = result["rss_mb"]
        lines.append(f"| {name} | {at(rss, 1):.0f} MB | {at(rss, e10):.0f} MB | {at(rss, last):.0f} MB | "
                     f"{at(rss, last) / at(rss, e10):.3f} | {max(rss):.0f} MB | {result['seconds']:.0f} |")
    lines += ["", "Keel's RSS per epoch: " + ", ".join(f"{v:.0f}" for v in keel["rss_mb"])]
    if torch_result:
        lines += ["", "PyTorch's RSS per epoch: " + ", ".join(f"{v:.0f}" for v in torch_result["rss_mb"])]
    return "\n".join(lines) + "\n"


def main():
    args = parse_args()
    if args.peer:
        peer(args.epochs, args.threads)
        return
    keel = keel_run(args.epochs, args.threads)
    torch_result = None if args.no_peer else peer_run(args.epochs, args.threads)
    text = report(args, keel, torch_result)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, f"{datetime.date.today()}-memory")
    with open(base + ".md", "w") as out:
        out.write(text)
    with open(base + ".json", "w") as out:
        json.dump({"epochs": args.epochs, "threads": args.threads, "keel": keel, "pytorch": torch_result}, out,
                  indent=2)


if __name__ == "__main__":
    main()
