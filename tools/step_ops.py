#!/usr/bin/python3
"""Counts the libtorch operators of one training step in PyTorch, as dev.keel.benchmarks.StepProfile
counts Keel's: the same models as tools/bench_peer.py (mlp, cnn, resnet), AdamW, batch size and
sample, libtorch's profiler, top-level aten ops only (those no other op called), per step.

    tools/step_ops.py [MODEL] [BATCH] [STEPS]       # default: cnn 128 10
    java -cp benchmarks/target/benchmarks.jar dev.keel.benchmarks.StepProfile MODEL BATCH STEPS trace.json
"""

import collections
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_peer  # noqa: E402


def main():
    model_name = sys.argv[1] if len(sys.argv) > 1 else "cnn"
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    torch.manual_seed(42)
    torch.set_num_threads(2)
    model = {"mlp": lambda: bench_peer.build_mlp(nn, [256]),
             "cnn": lambda: bench_peer.build_cnn(nn, [32, 64], [128]),
             "resnet": lambda: bench_peer.build_resnet20(nn)}[model_name]()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(3):
        step()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profiler:
        for _ in range(steps):
            step()
    events = sorted((e for e in profiler.events() if e.name.startswith("aten::")),
                    key=lambda e: e.time_range.start)
    counts, times, end = collections.Counter(), collections.Counter(), -1
    for e in events:
        if e.time_range.start < end:
            continue  # called by an op already counted
        end = e.time_range.end
        counts[e.name] += 1
        times[e.name] += e.time_range.elapsed_us()
    print(f"PyTorch {torch.__version__} {model_name} batch {batch}: "
          f"{sum(counts.values()) / steps:.1f} top-level aten ops per step")
    for name, t in times.most_common(25):
        print(f"  {name:<36} {counts[name] / steps:7.1f} per step {t / 1000 / steps:9.3f} ms per step")


if __name__ == "__main__":
    main()
