#!/usr/bin/env python3
"""Which of oneDNN's convolution kernels give the right numbers on this CPU: runs
dev.keel.benchmarks.onednn.ConvolutionIsaSweep with the `keel` launcher's environment and keeps
its report.

    tools/onednn_sweep.py [--out-dir benchmarks/results] [--tag TAG] [-- SWEEP OPTIONS...]

The sweep runs a grid of convolutions (input channels 1-32, 48, 64 against output channels 1, 3,
8, 15, 16, 17, 24, 32, 48, 64; 3x3 and 1x1, stride 1 and 2) and every convolution of the cnn
configs in configs/ and of resnet-20..110, once per ONEDNN_MAX_CPU_ISA (ALL, AVX512_CORE, AVX2),
each in its own JVM, and compares every output and gradient with a float64 reference and with
AVX2's. oneDNN's verbose log says which ISA and kernels actually ran: on a CPU without AVX-512,
ALL and AVX512_CORE run the AVX2 kernels and the report says AVX-512 was not tested. Options after
`--` go to the sweep (`-- --help` lists them; `-- --in-channels 1-64 --out-channels 1-64` is the
full grid, a few times longer). The Markdown report is printed and written with the JSON to
OUT-DIR/<date>-<cpu>-onednn-sweep[-TAG].md and .json. A few minutes on two cores.

Needs benchmarks/target/benchmarks.jar: cd to the repository and run
    mvn -q -B package -DskipTests -pl benchmarks -am
Only the Python standard library is used. Exit status: the sweep's (0 when every convolution
matched, 1 when some did not, 2 for a usage error).
"""
import argparse
import datetime
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_compare  # noqa: E402  (its result naming)
import bench_peer  # noqa: E402  (the launcher's allocator settings)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
SWEEP = "dev.keel.benchmarks.onednn.ConvolutionIsaSweep"
# What the keel launcher exports (the sweep sets ONEDNN_MAX_CPU_ISA per JVM): the allocator
# settings decide what a kernel that reads memory it never wrote finds there.
LAUNCHER_ENV = {**bench_peer.ALLOCATOR_ENV, "DJL_OFFLINE": "true"}


def cpu_slug():
    """For example amd-epyc-2cpu, as tools/bench_compare.py names its results."""
    return bench_compare.machine_slug(bench_compare.describe_cpu(), "cpu")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    sweep_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own_args = argv[:argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out-dir", default=os.path.join(ROOT, "benchmarks", "results"))
    p.add_argument("--tag", default="", help="appended to the result files' name")
    args = p.parse_args(own_args)
    if not os.path.exists(JAR):
        print(f"{JAR} is missing; build it first:\n  cd {ROOT} && mvn -q -B package -DskipTests "
              "-pl benchmarks -am", file=sys.stderr)
        return 2
    env = dict(os.environ)
    for key, value in LAUNCHER_ENV.items():
        env.setdefault(key, value)
    os.makedirs(args.out_dir, exist_ok=True)
    base = f"{datetime.date.today():%Y-%m-%d}-{cpu_slug()}-onednn-sweep" + (
        f"-{args.tag}" if args.tag else "")
    path = bench_compare.result_path(args.out_dir, base)
    # Run from the repository root: the sweep reads configs/ there.
    sweep = subprocess.run(["java", "-cp", JAR, SWEEP, "--out", path + ".json", *sweep_args],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    print(sweep.stdout, end="")
    if sweep.stdout.startswith("# "):
        with open(path + ".md", "w") as f:
            f.write(sweep.stdout)
        print(f"\nwritten: {path}.md, {path}.json", file=sys.stderr)
    return sweep.returncode


if __name__ == "__main__":
    sys.exit(main())
