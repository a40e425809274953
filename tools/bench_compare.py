#!/usr/bin/env python3
"""Keel's training step against raw DJL and PyTorch, measured side by side, in one table.

    tools/bench_compare.py [--models mlp,cnn,resnet] [--batch-sizes 128] [--device cpu|gpu]
        [--threads N] [--quick] [--warmup-iterations 3] [--warmup-seconds 5]
        [--iterations 5] [--iteration-seconds 5] [--out-dir benchmarks/results] [--tag TAG]

For each model it runs three measurements, one after the other, each in a fresh process:
  keel     JMH  KeelStepBenchmark.step    one step of Keel's loop (Fit), batch assembled per step
  djl      JMH  RawDjlStepBenchmark.step  the same step written on DJL, on one fixed batch
  pytorch  tools/bench_peer.py            the same step in PyTorch eager, on one fixed batch: Debian's
                                          1.13 (--peer torch1, the default) or PyTorch 2.13 for CPUs
                                          (--peer torch2, see tools/torch_peer.py)
and rotates their order from one model to the next (keel, djl, pytorch; then djl, pytorch, keel;
...), so that a slow spell on the machine does not always hit the same framework. Then, unless
--no-paired, it measures Keel against raw DJL once more, paired:
  paired   dev.keel.benchmarks.StepComparison   Keel's loop, the raw DJL step on the same
           batches (assembled from the data by the same code) and the raw DJL step on one fixed
           batch in one JVM, taking turns for --paired-rounds rounds; the medians of the per-round
           ratios Keel/DJL (same batches: Keel's own overhead; fixed batch: that plus the data),
           each with a 95% confidence interval
Separate processes of the same benchmark differ by up to 15% on a small VM; the paired ratio is the
number to read for differences of a few per cent. All three use
the same intra-op thread count (--threads, default: the machine's CPUs), the same warm-up and
measurement times, the same models (mlp 784-256-10; cnn conv32/conv64 + fc128, dropout 0.25;
resnet-20) and AdamW (lr 1e-3, weight decay 0.01). On a GPU every step ends with a device sync.

Every process gets the `keel` launcher's MALLOC_* settings and ONEDNN_MAX_CPU_ISA=AVX2, the cap
Keel chooses for the cnn and resnet (their first convolution reads 1 channel), so that every
framework runs oneDNN under the same cap for every model (values already in the environment win);
JMH's forks and the peer inherit it. The peer also takes Debian's OpenBLAS, as
tools/bench_peer.py arranges by itself.

Scores are the mean of the measured iterations' ms/step, with their sample standard deviation;
"other CPU" is how many CPUs other processes kept busy meanwhile (above ~0.25 on a small machine,
the row measured contention, not the framework: before each measurement the runner waits up to
--max-wait seconds for the machine to go quiet, and measures again, up to --retries times, when
other processes were busy meanwhile; the JSON keeps every attempt). The table is printed and written, with a
description of the machine and every raw result, to OUT-DIR/<date>-<cpu or gpu>[-TAG].md and .json.

Needs benchmarks/target/benchmarks.jar: cd to the repository and run
    mvn -q -B package -DskipTests -pl benchmarks -am
Only the Python standard library is used.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_peer  # noqa: E402  (the launcher's allocator settings)
import torch_peer  # noqa: E402  (the peer's interpreter)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
PEER = os.path.join(ROOT, "tools", "bench_peer.py")
MODELS = ("mlp", "cnn", "resnet")
FRAMEWORKS = ("keel", "djl", "pytorch")
JMH_BENCHMARKS = {
    "keel": r"dev\.keel\.benchmarks\.KeelStepBenchmark\.step$",
    "djl": r"dev\.keel\.benchmarks\.RawDjlStepBenchmark\.step$",
}
# What the keel launcher exports (see ./keel and docs/engine.md), and the oneDNN cap Keel
# chooses for convolutional networks, for every model alike.
LAUNCHER_ENV = {**bench_peer.ALLOCATOR_ENV, "ONEDNN_MAX_CPU_ISA": "AVX2", "DJL_OFFLINE": "true"}
BUSY_WARNING_CPUS = 0.25


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default=",".join(MODELS),
                   help="comma-separated subset of: " + ",".join(MODELS))
    p.add_argument("--batch-sizes", default="128", type=int_list)
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    p.add_argument("--peer", choices=("torch1", "torch2"), default="torch1",
                   help="the PyTorch that runs tools/bench_peer.py: torch1, Debian's 1.13 (default); "
                        "torch2, PyTorch 2.13 for CPUs, installed by tools/torch_peer.py when missing")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="intra-op threads for libtorch in both frameworks (default: CPUs)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 1 x 2 s warm-up, 2 x 2 s measured (numbers not for keeping)")
    p.add_argument("--warmup-iterations", type=int, default=3)
    p.add_argument("--warmup-seconds", type=float, default=5.0, help="per warm-up iteration")
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--iteration-seconds", type=float, default=5.0, help="per measured iteration")
    p.add_argument("--out-dir", default=os.path.join(ROOT, "benchmarks", "results"))
    p.add_argument("--tag", default="", help="appended to the result files' name")
    p.add_argument("--retries", type=int, default=2,
                   help="measure again (up to this many times) when other processes kept the "
                        "CPUs busy during a measurement")
    p.add_argument("--no-paired", dest="paired", action="store_false",
                   help="skip the paired Keel/DJL comparison (StepComparison)")
    p.add_argument("--paired-rounds", type=int, default=24,
                   help="rounds of the paired comparison (default: 24, about 1 s per side each)")
    p.add_argument("--max-wait", type=float, default=600.0,
                   help="before each measurement, wait up to this many seconds for other "
                        "processes to leave the CPUs idle (0: do not wait)")
    args = p.parse_args(argv)
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        p.error(f"--models: unknown {unknown}; choose from {list(MODELS)}")
    if not args.batch_sizes or min(args.batch_sizes) < 1:
        p.error("--batch-sizes needs positive integers")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    if args.quick:
        args.warmup_iterations, args.warmup_seconds = 1, 2.0
        args.iterations, args.iteration_seconds = 2, 2.0
        args.paired_rounds = min(args.paired_rounds, 6)
    if args.paired_rounds < 1:
        p.error("--paired-rounds must be at least 1")
    if min(args.warmup_iterations, args.iterations) < 1 or min(args.warmup_seconds,
                                                               args.iteration_seconds) <= 0:
        p.error("iterations must be at least 1 and seconds positive")
    return args


# --------------------------------------------------------------------------------------------
# The machine


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def command_output(cmd, env=None):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=env, timeout=120)
        return proc.stdout.strip() if proc.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


# The /proc/cpuinfo flags that decide which kernels oneDNN and PyTorch can choose.
SIMD_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8")


def cpu_flags_text(machine):
    """'avx2 yes, avx512f no, ...' for a result file; from describe_cpu's cpu_flags."""
    flags = machine.get("cpu_flags") or {f: f in machine.get("simd", []) for f in SIMD_FLAGS}
    return ", ".join(f"{f} {'yes' if present else 'no'}" for f, present in flags.items())


def describe_cpu():
    """The CPU, its cores and SIMD, and the memory, from /proc (nothing is run)."""
    cpuinfo = read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    cores = {(m.group(1), m.group(2)) for m in re.finditer(
        r"physical id\s*:\s*(\d+).*?core id\s*:\s*(\d+)", cpuinfo, re.DOTALL)}
    flags = re.search(r"^flags\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    flags = flags.group(1).split() if flags else []
    mem = re.search(r"MemTotal:\s*(\d+) kB", read("/proc/meminfo"))
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "physical_cores": len(cores) or None,
        "simd": [f for f in SIMD_FLAGS if f in flags],
        "cpu_flags": {f: f in flags for f in SIMD_FLAGS},
        "memory_gb": round(int(mem.group(1)) / 2**20, 1) if mem else None,
    }


def git_commit():
    """The checkout's short commit, with -dirty when tracked files changed; None outside git."""
    commit = command_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
    return (commit + ("-dirty" if dirty else "")) if commit else None


def describe_machine(env):
    gpus = None
    if shutil.which("nvidia-smi"):
        gpus = command_output(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                               "--format=csv,noheader"])
    engine = command_output(["java", f"-Dai.djl.pytorch.num_threads={env['KEEL_BENCH_THREADS']}",
                             "-cp", JAR, "dev.keel.benchmarks.EngineInfo"], env)
    try:
        engine = json.loads(engine[engine.index("{"):]) if engine else None
    except ValueError:
        engine = None
    return {
        **describe_cpu(),
        "gpus": gpus.splitlines() if gpus else [],
        "os": f"{platform.system()} {platform.release()}",
        "hostname": platform.node(),
        "keel_engine": engine,
        "git_commit": git_commit(),
    }


def machine_slug(machine, device):
    if device == "gpu" and machine["gpus"]:
        name = machine["gpus"][0].split(",")[0]
    else:
        name = f"{machine['cpu']} {machine['logical_cpus']}cpu"
    name = re.sub(r"\((R|TM)\)|\bprocessor\b|\b\d+-core\b", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --------------------------------------------------------------------------------------------
# Running one measurement


class Load:
    """CPUs kept busy by other processes while a child ran: machine-wide busy time (/proc/stat)
    minus the CPU time of our children (the JMH forks and the peer's interpreters included, once
    they have been waited for), over wall time."""

    def __init__(self):
        self.wall = time.monotonic()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children = usage.ru_utime + usage.ru_stime
        fields = read("/proc/stat").split("\n", 1)[0].split()[1:9]
        ticks = [int(v) for v in fields] if len(fields) == 8 else None
        self.busy = None if ticks is None else (
            (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7])
            / os.sysconf("SC_CLK_TCK"))

    def other_cpus_since(self, earlier):
        wall = self.wall - earlier.wall
        if self.busy is None or earlier.busy is None or wall <= 0:
            return None
        return max(0.0, (self.busy - earlier.busy) - (self.children - earlier.children)) / wall


def wait_for_quiet(max_wait):
    """Waits until other processes keep less than BUSY_WARNING_CPUS busy over 3 s, or max_wait."""
    deadline, said = time.monotonic() + max_wait, False
    while True:
        before = Load()
        time.sleep(3)
        other = Load().other_cpus_since(before)
        if other is None or other < BUSY_WARNING_CPUS:
            return
        if time.monotonic() >= deadline:
            print(f"  (still {other:.2f} CPUs busy after {max_wait:g} s: measuring anyway)")
            return
        if not said:
            print(f"  waiting for other processes to leave the CPUs ({other:.2f} busy)...")
            said = True


def run_logged(cmd, env, log):
    """Runs cmd, its output going to the console and to log; returns (status, other CPUs)."""
    log.write("$ " + " ".join(cmd) + "\n")
    log.flush()
    before = Load()
    # A session of its own, so that an interrupted run takes JMH's forked JVM down with it.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT, start_new_session=True)
    try:
        for line in proc.stdout:
            sys.stdout.write("  | " + line)
            log.write(line)
        status = proc.wait()
    except BaseException:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    sys.stdout.flush()
    return status, Load().other_cpus_since(before)


def summary(iteration_ms):
    return {
        "ms_per_step": statistics.mean(iteration_ms),
        "ms_stddev": statistics.stdev(iteration_ms) if len(iteration_ms) > 1 else 0.0,
        "iteration_ms": iteration_ms,
    }


def run_jmh(framework, model, args, env, log, scratch):
    out = os.path.join(scratch, f"{framework}-{model}.json")
    cmd = ["java", "-jar", JAR, JMH_BENCHMARKS[framework],
           "-p", f"model={model}", "-p", "batchSize=" + ",".join(map(str, args.batch_sizes)),
           "-p", f"device={args.device}",
           "-f", "1", "-t", "1",
           "-wi", str(args.warmup_iterations), "-w", f"{args.warmup_seconds:g}s",
           "-i", str(args.iterations), "-r", f"{args.iteration_seconds:g}s",
           "-jvmArgsPrepend", f"-Dai.djl.pytorch.num_threads={args.threads}",
           "-rf", "json", "-rff", out]
    status, other = run_logged(cmd, env, log)
    rows, raw = {}, []
    if os.path.exists(out):
        with open(out) as f:
            raw = json.load(f)
        for entry in raw:
            metric = entry["primaryMetric"]
            if metric["scoreUnit"] != "ms/op":
                raise SystemExit(f"unexpected unit {metric['scoreUnit']} in {out}")
            ms = [v for fork in metric["rawData"] for v in fork]
            rows[int(entry["params"]["batchSize"])] = dict(summary(ms), other_cpu_load=other)
    if status != 0:
        for batch in args.batch_sizes:
            rows.setdefault(batch, {"error": f"JMH exited with status {status}"})
    elif not rows:
        for batch in args.batch_sizes:  # KeelBenchmarks printed "no GPU: ... skipping"
            rows[batch] = {"skipped": "no GPU visible to DJL's PyTorch engine"}
    return rows, raw


def run_peer(model, args, env, log, scratch):
    out = os.path.join(scratch, f"pytorch-{model}.json")
    cmd = [args.peer_python, PEER, "--models", model,
           "--batch-sizes", ",".join(map(str, args.batch_sizes)), "--device", args.device,
           "--threads", str(args.threads), "--optimizer", "adamw", "--lr", "1e-3",
           "--warmup-seconds", f"{args.warmup_iterations * args.warmup_seconds:g}",
           "--measure-seconds", f"{args.iterations * args.iteration_seconds:g}",
           "--iterations", str(args.iterations), "--json", out]
    status, other = run_logged(cmd, env, log)
    rows, report = {}, None
    if os.path.exists(out):
        with open(out) as f:
            report = json.load(f)
        for r in report.get("results", []):
            if "error" in r:
                rows[r["batch_size"]] = {"error": r["error"]}
            else:
                rows[r["batch_size"]] = dict(summary(r["iteration_ms"]),
                                             other_cpu_load=r.get("other_cpu_load", other),
                                             peak_rss_mb=r.get("peak_rss_mb"))
        if report.get("skipped"):
            for batch in args.batch_sizes:
                rows[batch] = {"skipped": report.get("reason", "skipped")}
    for batch in args.batch_sizes:
        rows.setdefault(batch, {"error": f"bench_peer.py exited with status {status}"})
    return rows, report


def run_paired(model, args, env, log, scratch):
    """Keel against raw DJL in one JVM (StepComparison): per batch size, the median per-round ratio."""
    out = os.path.join(scratch, f"paired-{model}.json")
    warmup = 2.0 if args.quick else 10.0
    round_seconds = 0.5 if args.quick else 1.0
    cmd = ["java", f"-Dai.djl.pytorch.num_threads={args.threads}", "-cp", JAR,
           "dev.keel.benchmarks.StepComparison", "--models", model,
           "--batch-sizes", ",".join(map(str, args.batch_sizes)), "--device", args.device,
           "--warmup-seconds", f"{warmup:g}", "--rounds", str(args.paired_rounds),
           "--round-seconds", f"{round_seconds:g}", "--json", out]
    status, other = run_logged(cmd, env, log)
    rows, report = {}, None
    if os.path.exists(out):
        with open(out) as f:
            report = json.load(f)
        for r in report.get("results", []):
            rows[r["batchSize"]] = {"ratio": r["ratio"], "ratio_low": r["ratioLow"],
                                    "ratio_high": r["ratioHigh"],
                                    "fixed_batch_ratio": r["fixedBatchRatio"],
                                    "fixed_batch_ratio_low": r["fixedBatchRatioLow"],
                                    "fixed_batch_ratio_high": r["fixedBatchRatioHigh"],
                                    "keel_ms": r["keelMs"], "djl_ms": r["djlMs"],
                                    "djl_fixed_batch_ms": r["djlFixedBatchMs"],
                                    "other_cpu_load": other}
    for batch in args.batch_sizes:
        rows.setdefault(batch, {"error": f"StepComparison exited with status {status}"}
                        if status != 0 else {"skipped": "no GPU visible to DJL's PyTorch engine"})
    return rows, report


# --------------------------------------------------------------------------------------------
# Reporting


def cell(result):
    if result is None:
        return "-"
    if "skipped" in result:
        return "skipped"
    if "error" in result:
        return "error"
    return f"{result['ms_per_step']:.2f} ± {result['ms_stddev']:.2f}"


def ratio(a, b):
    if not a or not b or "ms_per_step" not in a or "ms_per_step" not in b:
        return "-"
    return f"{a['ms_per_step'] / b['ms_per_step']:.2f}"


def other_load(results):
    loads = [r.get("other_cpu_load") for r in results if r and r.get("other_cpu_load") is not None]
    return max(loads) if loads else None


def paired_cell(result, key="ratio"):
    if result is None:
        return "-"
    if key not in result:
        return "skipped" if "skipped" in result else "error"
    return f"{result[key]:.3f} ({result[key + '_low']:.3f}-{result[key + '_high']:.3f})"


def table_rows(rows):
    header = ["model", "batch", "Keel ms/step", "raw DJL ms/step", "PyTorch ms/step", "Keel/DJL",
              "Keel/DJL paired, same batches (95% CI)", "Keel/DJL paired, fixed batch (95% CI)",
              "Keel/PyTorch", "other CPU"]
    body = []
    for row in rows:
        k, d, p, paired = row["keel"], row["djl"], row["pytorch"], row.get("paired")
        load = other_load([k, d, p, paired])
        body.append([row["model"], str(row["batch_size"]), cell(k), cell(d), cell(p), ratio(k, d),
                     paired_cell(paired), paired_cell(paired, "fixed_batch_ratio"), ratio(k, p),
                     "n/a" if load is None else f"{load:.2f}"])
    return header, body


def print_table(header, body):
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    line = "  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))
    print(line)
    print("-" * len(line))
    for r in body:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


def markdown(report, header, body):
    m, s = report["machine"], report["settings"]
    engine = m.get("keel_engine") or {}
    peer = report.get("peer_environment") or {}
    lines = [
        f"# Keel training step vs raw DJL vs PyTorch — {report['date']}",
        "",
        f"- Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs"
        + (f" ({m['physical_cores']} cores)" if m.get("physical_cores") else "")
        + (f", {', '.join(m['simd'])}" if m.get("simd") else "")
        + (f", {m['memory_gb']} GB RAM" if m.get("memory_gb") else "") + f"; {m['os']}",
        f"- GPU: {'; '.join(m['gpus']) if m['gpus'] else 'none'}; measured on: {s['device']}",
        f"- Keel side: Java {engine.get('java_version', '?')} ({engine.get('java_vm', '?')}), "
        f"DJL {engine.get('djl_version', '?')}, libtorch {engine.get('engine_version', '?')}, "
        f"{s['threads']} intra-op threads",
        f"- PyTorch side: PyTorch {peer.get('torch_version', '?')} eager "
        f"({'pip' if s.get('peer') == 'torch2' else 'Debian'}), CPU capability "
        f"{peer.get('cpu_capability', '?')}, BLAS: {peer.get('blas_loaded', '?')}, {s['threads']} threads",
        f"- CPU flags: {cpu_flags_text(m)}",
        f"- Protocol: {s['warmup_iterations']} x {s['warmup_seconds']:g} s warm-up, "
        f"{s['iterations']} x {s['iteration_seconds']:g} s measured, one process per "
        f"measurement, order rotated per model; AdamW lr 1e-3, weight decay 0.01",
        "- Environment: " + ", ".join(f"{k}={v}" for k, v in report["environment"].items()),
        f"- Keel commit: {m.get('git_commit')}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    lines += [
        "",
        "Mean ± sample standard deviation of the measured iterations. Keel's step is its loop "
        "(`Fit`) and includes assembling each batch from the dataset, reading the loss back and "
        "the gradients hook; raw DJL and PyTorch train on one fixed batch. \"Keel/DJL\" divides "
        "two separate processes' means. The paired columns are medians of per-round ratios, with "
        "Keel and two raw DJL steps taking turns in one JVM "
        f"({report['settings']['paired_rounds']} rounds), and their distribution-free 95% "
        "confidence intervals: \"same batches\" against raw DJL assembling the same batches from "
        "the data with the same code (what Keel's loop itself costs), \"fixed batch\" against raw "
        "DJL on one fixed batch (that plus reading real data). \"other CPU\" is the most CPUs "
        "that other processes kept busy during the row's measurements.",
        "",
    ]
    if reference_blas(peer):
        lines += [f"**Warning:** {REFERENCE_BLAS_WARNING}", ""]
    return "\n".join(lines)


REFERENCE_BLAS_WARNING = (
    "PyTorch ran on the reference (netlib) BLAS, whose matrix products are many times slower than "
    "OpenBLAS's: the PyTorch column is not a fair peer. Install Debian's libopenblas0-openmp and run "
    "again.")


def reference_blas(peer_environment):
    return "reference BLAS" in str((peer_environment or {}).get("blas_loaded", ""))


def result_path(out_dir, base):
    path, n = os.path.join(out_dir, base), 2
    while os.path.exists(path + ".json") or os.path.exists(path + ".md"):
        path = os.path.join(out_dir, f"{base}-{n}")
        n += 1
    return path


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not os.path.exists(JAR):
        print(f"{JAR} is missing; build it first:\n  cd {ROOT} && mvn -q -B package -DskipTests "
              "-pl benchmarks -am", file=sys.stderr)
        return 2
    args.peer_python = torch_peer.peer_python(args.peer)
    env = dict(os.environ)
    for key, value in LAUNCHER_ENV.items():
        env.setdefault(key, value)
    env["KEEL_BENCH_THREADS"] = str(args.threads)

    started = datetime.datetime.now()
    machine = describe_machine(env)
    print(f"{machine['cpu']}, {machine['logical_cpus']} CPUs; GPU: "
          f"{'; '.join(machine['gpus']) or 'none'}; device {args.device}, {args.threads} threads")
    print(f"warm-up {args.warmup_iterations} x {args.warmup_seconds:g} s, measured "
          f"{args.iterations} x {args.iteration_seconds:g} s; models {', '.join(args.models)}; "
          f"batch sizes {', '.join(map(str, args.batch_sizes))}\n")

    os.makedirs(args.out_dir, exist_ok=True)
    base = f"{started:%Y-%m-%d}-{machine_slug(machine, args.device)}" + (
        f"-{args.tag}" if args.tag else "")
    path = result_path(args.out_dir, base)
    # The console output of every process, kept out of the results folder (it is long).
    log_path = os.path.join(ROOT, "benchmarks", "target", os.path.basename(path) + ".log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    results = {m: {} for m in args.models}
    raw = {"jmh": [], "peer": []}
    peer_environment = None
    with tempfile.TemporaryDirectory(prefix="keel-bench-") as scratch, \
            open(log_path, "w") as log:
        for i, model in enumerate(args.models):
            order = FRAMEWORKS[i % 3:] + FRAMEWORKS[:i % 3]
            for framework in order:
                for attempt in range(1, args.retries + 2):
                    print(f"== {model}: {framework}" + (f" (attempt {attempt})" if attempt > 1 else ""))
                    if args.max_wait > 0:
                        wait_for_quiet(args.max_wait)
                    if framework == "pytorch":
                        rows, report = run_peer(model, args, env, log, scratch)
                        if report:
                            raw["peer"].append(dict(report, attempt=attempt))
                            peer_environment = peer_environment or {
                                k: report.get(k) for k in ("torch_version", "cpu_capability", "blas",
                                                           "blas_loaded",
                                                           "blas_sgemm_from", "device_name", "env")}
                    else:
                        rows, entries = run_jmh(framework, model, args, env, log, scratch)
                        raw["jmh"] += [dict(e, framework=framework, attempt=attempt) for e in entries]
                    load = other_load(rows.values())
                    for row in rows.values():
                        row["attempt"] = attempt
                    if load is None or load <= BUSY_WARNING_CPUS:
                        break
                    print(f"  other processes kept {load:.2f} CPUs busy during this measurement"
                          + ("; measuring again" if attempt <= args.retries else "; keeping it"))
                results[model][framework] = rows
        if args.paired:
            for model in args.models:
                for attempt in range(1, args.retries + 2):
                    print(f"== {model}: paired Keel/DJL" + (f" (attempt {attempt})" if attempt > 1 else ""))
                    if args.max_wait > 0:
                        wait_for_quiet(args.max_wait)
                    rows, report = run_paired(model, args, env, log, scratch)
                    if report:
                        raw.setdefault("paired", []).append(dict(report, attempt=attempt))
                    load = other_load(rows.values())
                    if load is None or load <= BUSY_WARNING_CPUS:
                        break
                    print(f"  other processes kept {load:.2f} CPUs busy during this measurement"
                          + ("; measuring again" if attempt <= args.retries else "; keeping it"))
                results[model]["paired"] = rows
    rows = [{"model": m, "batch_size": b,
             **{f: results[m].get(f, {}).get(b) for f in FRAMEWORKS + ("paired",)}}
            for m in args.models for b in args.batch_sizes]
    report = {
        "date": f"{started:%Y-%m-%d %H:%M}",
        "machine": machine,
        "peer_environment": peer_environment,
        "settings": {
            "device": args.device, "threads": args.threads,
            "warmup_iterations": args.warmup_iterations, "warmup_seconds": args.warmup_seconds,
            "iterations": args.iterations, "iteration_seconds": args.iteration_seconds,
            "quick": args.quick, "optimizer": "adamw lr 1e-3 betas 0.9/0.999 eps 1e-8 wd 0.01",
            "keel": "JMH KeelStepBenchmark.step (Fit, 4 steps per invocation)",
            "djl": "JMH RawDjlStepBenchmark.step",
            "pytorch": "tools/bench_peer.py", "peer": args.peer, "peer_python": args.peer_python,
            "paired": ("StepComparison (Keel's Fit vs RawDjlSteps.stepOnData and RawDjlSteps.step in one JVM)"
                       if args.paired else None),
            "paired_rounds": args.paired_rounds,
        },
        "environment": {k: env[k] for k in LAUNCHER_ENV},
        "rows": rows,
        "raw": raw,
    }
    header, body = table_rows(rows)
    print()
    print_table(header, body)
    busy = [r for r in body if r[-1] != "n/a" and float(r[-1]) > BUSY_WARNING_CPUS]
    if busy:
        print(f"\nWARNING: other processes kept CPUs busy during {len(busy)} row(s) (\"other CPU\" "
              f"above {BUSY_WARNING_CPUS}); those rows measured contention.")
    if reference_blas(peer_environment):
        print(f"\nWARNING: {REFERENCE_BLAS_WARNING}")
    with open(path + ".json", "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(path + ".md", "w") as f:
        f.write(markdown(report, header, body))
    print(f"\nwrote {path}.json and {path}.md (console log: {log_path})")
    failed = any(r[f] is None or "error" in r[f] for r in rows for f in FRAMEWORKS)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
