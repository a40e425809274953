#!/usr/bin/python3
"""Keel's quickstart against the same recipe in PyTorch 2.x and 1.13, run alternately on one machine.

The peers train the quickstart's exact network and recipe in PyTorch eager, fp32: PyTorch 2.x (the
CPU wheel `torch==2.13.0+cpu`, in a virtual environment that tools/torch_peer.py makes in the user's
cache folder and fills with plain pip the first time) and Debian's PyTorch 1.13 (python3-torch in
/usr/bin/python3, on OpenBLAS when libopenblas0-openmp is installed). The recipe: Fashion-MNIST from
/usr/share/datasets/fashion-mnist, 10% of the training images held out for validation,
normalised with the training split's mean and standard deviation; conv 3x3 24 and 48 (no bias),
each with batch norm, ReLU and 2x2 max pooling, then fc 128 with ReLU, dropout 0.25 and fc 10;
AdamW (betas 0.9/0.999, eps 1e-8, weight decay 0.01); one-cycle over every step (peak at 25%,
start at peak/25, end at peak/1e5, beta1 cycled 0.95-0.85-0.95); 5 epochs at batch 128 with the
last partial batch dropped; validation after every epoch and the test split at the end, in
batches of 512. The peak learning rate is --lr for every side (Keel then skips its finder), or
else the one Keel's learning-rate finder chose in the round's Keel run.

Keel runs `./keel train configs/quickstart.yaml` as a user does. --peer chooses the peers: torch2,
torch1 or both (the default). Each round runs Keel, then PyTorch 2.x, then PyTorch 1.13, each
alone, so the sides alternate round after round. All run with the `keel` launcher's allocator
settings and the same number of intra-op threads. Reported per run: the time to the end (process
start to exit), the training time (the loop: Keel's `train_seconds`, the peer's epochs including
validation) and the test accuracy; then the medians and Keel/PyTorch. The result files also name
the CPU and its AVX-512/AMX flags, each PyTorch's version, the kernels each side ran (Keel: its
run's oneDNN cap `onednn_max_cpu_isa`; PyTorch: its CPU capability, e.g. AVX2 or AVX512) and the
thread counts. Writes benchmarks/results/<date>-<cpu>-quickstart-race.md and .json.

    tools/quickstart_race.py                                   # 3 rounds, Keel's finder chooses the rate
    tools/quickstart_race.py --runs 2 --lr 0.0115              # 2 rounds at a fixed rate, both peers
    tools/quickstart_race.py --runs 1 --epochs 1 --peer torch2 # smoke run
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
import bench_peer  # noqa: E402  (the OpenBLAS folder, what a torch runs on)
import torch_peer  # noqa: E402  (the peers' interpreters)

DATA = "/usr/share/datasets/fashion-mnist"
CONFIG = os.path.join(ROOT, "configs", "quickstart.yaml")
DEFAULT_LR = 0.0115  # what the finder chooses for the quickstart; used when Keel's run has no lr_find.json


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (default 3)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results"))
    parser.add_argument("--tag", default="", help="appended to the result file names")
    parser.add_argument("--peer", default="both", choices=("torch1", "torch2", "both"),
                        help="torch2: PyTorch 2.x (pip, installed when missing); torch1: Debian's PyTorch 1.13; "
                             "both (default): Keel, PyTorch 2.x, PyTorch 1.13 in every round")
    parser.add_argument("--lr", type=float,
                        help="peak learning rate for every side (Keel skips its finder); default: the rate "
                             "Keel's finder chooses, given to the peers")
    parser.add_argument("--peer-channels-last", action="store_true",
                        help="the PyTorch peers store the network and its batches channels_last "
                             "(model.to(memory_format=torch.channels_last)); default: PyTorch's contiguous NCHW")
    parser.add_argument("--as-peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.epochs < 1 or args.threads < 1:
        parser.error("--runs, --epochs and --threads must be at least 1")
    return args


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
    runtime = bench_peer.torch_runtime(torch)
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

    memory_format = torch.channels_last if args.peer_channels_last else torch.contiguous_format

    def batch(source, source_labels, items):
        return ((source[items].float() / 255 - mean) / std).contiguous(memory_format=memory_format), source_labels[items]

    model = quickstart_network(nn).to(memory_format=memory_format)
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
                      "lr": args.lr, **runtime, "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA"),
                      "memory_format": "channels_last" if args.peer_channels_last else "contiguous"}))


# ----------------------------------------------------------------------------------------------
# The race


def run_keel(args, work, index):
    run_dir = os.path.join(work, f"keel-{index}")
    env = dict(os.environ)  # the keel launcher sets the allocator itself
    env["KEEL_JAVA_OPTS"] = (env.get("KEEL_JAVA_OPTS", "") + f" -Dai.djl.pytorch.num_threads={args.threads}").strip()
    command = [os.path.join(ROOT, "keel"), "train", CONFIG, "--run-dir", run_dir, "--set",
               f"train.epochs={args.epochs}"]
    if args.lr is not None:
        command += ["--set", f"optimizer.lr={args.lr!r}"]
    started = time.time()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - started
    with open(os.path.join(run_dir, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(run_dir, "provenance.json")) as f:
        provenance = json.load(f)
    lr = args.lr
    lr_find = os.path.join(run_dir, "lr_find.json")
    if lr is None and os.path.exists(lr_find):
        with open(lr_find) as f:
            lr = json.load(f).get("suggestion")
    return {"side": "keel", "wall_seconds": wall, "train_seconds": summary["train_seconds"],
            "test_accuracy": summary["test"]["accuracy"], "lr": lr, "threads": args.threads,
            "keel_version": provenance.get("keel_version"), "djl_version": provenance.get("djl_version"),
            "libtorch": provenance.get("engine_version"),
            "onednn_max_cpu_isa": provenance.get("onednn_max_cpu_isa"),
            "onednn_isa_reason": provenance.get("onednn_isa_reason")}


def run_peer(args, lr, side, python):
    env, folder = bench_peer.peer_environment()
    command = [python, os.path.abspath(__file__), "--as-peer", "--epochs", str(args.epochs), "--threads",
               str(args.threads), "--lr", repr(lr)] + (["--peer-channels-last"] if args.peer_channels_last else [])
    started = time.time()
    out = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    wall = time.time() - started
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update({"side": side, "wall_seconds": wall, "python": python,
                   "openblas": folder if side == "torch1" else None})
    return result


def describe_machine():
    return {**bench_compare.describe_cpu(), "gpus": [], "git_commit": bench_compare.git_commit()}


SIDES = ("keel", "torch2", "torch1")


def label(side, results=()):
    """Keel, or PyTorch with the version that ran (from the results) or the peer's generic name."""
    if side == "keel":
        return "Keel"
    version = next((r["torch"] for r in results if r["side"] == side), None)
    return f"PyTorch {version}" if version else torch_peer.LABELS[side]


def median(results, side, key):
    return statistics.median(r[key] for r in results if r["side"] == side)


def report(args, results, machine, command):
    """The result file's Markdown: the machine, what each side ran, every run and the medians."""
    sides = [side for side in SIDES if any(r["side"] == side for r in results)]
    peers = [side for side in sides if side != "keel"]
    rounds = max(sum(r["side"] == side for r in results) for side in sides)
    lr = next((r["lr"] for r in results if r["side"] != "keel"), args.lr)
    rate = (f"peak lr {lr:.4g} for every side (`--lr`)" if args.lr is not None else
            f"peak lr {lr:.4g} as Keel's finder chose it, given to the PyTorch peers" if lr is not None else
            "peak lr: none recorded")
    keel = [r for r in results if r["side"] == "keel"]
    isa = sorted({f"{r['onednn_max_cpu_isa']} ({r['onednn_isa_reason']})" for r in keel})
    versions = sorted({f"Keel {r.get('keel_version')}, DJL {r.get('djl_version')}, libtorch {r.get('libtorch')}"
                       for r in keel})
    lines = [f"# Quickstart: Keel against {' and '.join(label(p, results) for p in peers)}, "
             f"{rounds} round{'s' if rounds != 1 else ''}, alternately ({datetime.date.today()})", "",
             f"- Machine: {machine['cpu']}, {machine['logical_cpus']} logical CPUs; CPU flags: "
             f"{bench_compare.cpu_flags_text(machine)}; Keel commit {machine['git_commit']}",
             f"- {args.epochs} epoch{'s' if args.epochs != 1 else ''} at batch 128, {rate}; allocator settings of the `keel` launcher for every "
             "side; each round runs " + ", ".join(label(side, results) for side in sides) + ", each alone",
             f"- {'; '.join(versions)}: `./keel train configs/quickstart.yaml`"
             + (" (its learning-rate finder included)" if args.lr is None else "")
             + f", {args.threads} intra-op threads, oneDNN cap {', '.join(isa) or '?'}"]
    for peer in peers:
        runs = [r for r in results if r["side"] == peer]
        first = runs[0]
        capability = sorted({str(r.get("cpu_capability")) for r in runs})
        threads = sorted({str(r.get("threads")) for r in runs})
        lines.append(f"- {label(peer, results)} eager, fp32, {first.get('memory_format', 'contiguous')} memory"
                     f" format ({'Debian' if peer == 'torch1' else 'pip'}): "
                     f"CPU capability {', '.join(capability)}, oneDNN (mkldnn) "
                     f"{'built in' if first.get('mkldnn') else 'absent'}"
                     + (f", ONEDNN_MAX_CPU_ISA={first['onednn_max_cpu_isa']}" if first.get("onednn_max_cpu_isa") else "")
                     + f", {', '.join(threads)} intra-op threads"
                     + (f", OpenBLAS from {first['openblas']}" if first.get("openblas") else ""))
    lines += [f"- Reproduce: `{command}`", "",
              "| run | side | time to the end | training | test accuracy |", "|---:|---|---:|---:|---:|"]
    for index, r in enumerate(results, 1):
        lines.append(f"| {index} | {label(r['side'], results)} | {r['wall_seconds']:.1f} s | "
                     f"{r['train_seconds']:.1f} s | {100 * r['test_accuracy']:.2f}% |")
    lines += ["", "| median | " + " | ".join(label(side, results) for side in sides) + " | "
              + " | ".join(f"Keel/{label(p, results)}" for p in peers) + " |",
              "|---|" + "---:|" * (len(sides) + len(peers))]
    for key, name in (("wall_seconds", "time to the end"), ("train_seconds", "training")):
        values = {side: median(results, side, key) for side in sides}
        lines.append(f"| {name} | " + " | ".join(f"{values[side]:.1f} s" for side in sides) + " | "
                     + " | ".join(f"{values['keel'] / values[p]:.2f}" for p in peers) + " |")
    lines.append("| test accuracy | " + " | ".join(f"{100 * median(results, side, 'test_accuracy'):.2f}%"
                                                  for side in sides) + " |" + " |" * len(peers))
    return "\n".join(lines) + "\n"


def console_line(r):
    if r["side"] == "keel":
        kernels = f"oneDNN cap {r.get('onednn_max_cpu_isa')}"
    else:
        kernels = f"torch {r['torch']}, CPU capability {r.get('cpu_capability')}"
    return (f"{r['side']:<7} {r['wall_seconds']:6.1f} s to the end, {r['train_seconds']:6.1f} s training, "
            f"{100 * r['test_accuracy']:.2f}%, {kernels}, {r['threads']} threads")


def main():
    args = parse_args()
    if args.as_peer:
        peer(args)
        return
    if not os.path.isdir(DATA):
        sys.exit(f"quickstart_race: {DATA} is missing (apt-get install dataset-fashion-mnist)")
    # Every peer's interpreter first (PyTorch 2.x is installed here when missing), then Keel's build:
    # neither belongs to a run's time.
    pythons = {peer: torch_peer.peer_python(peer) for peer in torch_peer.split_peers(args.peer)}
    subprocess.run([os.path.join(ROOT, "keel"), "--version"], check=True, stdout=subprocess.DEVNULL)
    command = " ".join(["tools/quickstart_race.py"] + sys.argv[1:])
    results = []
    lr = args.lr if args.lr is not None else DEFAULT_LR
    with tempfile.TemporaryDirectory() as work:
        for index in range(args.runs):
            keel = run_keel(args, work, index)
            lr = keel["lr"] or lr
            results.append(keel)
            print(console_line(keel), flush=True)
            for side, python in pythons.items():
                peer_result = run_peer(args, lr, side, python)
                results.append(peer_result)
                print(console_line(peer_result), flush=True)
    machine = describe_machine()
    text = report(args, results, machine, command)
    print(text)
    os.makedirs(args.out, exist_ok=True)
    name = f"{datetime.date.today()}-{bench_compare.machine_slug(machine, 'cpu')}-quickstart-race"
    base = bench_compare.result_path(args.out, name + (f"-{args.tag}" if args.tag else ""))
    with open(base + ".md", "w") as out:
        out.write(text)
    with open(base + ".json", "w") as out:
        json.dump({"machine": machine, "command": command, "epochs": args.epochs, "threads": args.threads,
                   "lr": args.lr, "peers": list(pythons), "runs": results}, out, indent=2)
    print(f"wrote {base}.md and .json")


if __name__ == "__main__":
    main()
