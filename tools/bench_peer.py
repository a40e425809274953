#!/usr/bin/env python3
"""PyTorch peer for Keel's JMH benchmarks: one full training step in PyTorch eager.

A step is what Keel's benchmark times: forward, cross-entropy loss, backward, optimizer update, on
one fixed Fashion-MNIST-shaped batch (N x 1 x 28 x 28, 10 classes, random values made once from a
seed). Models, batch sizes, optimizer and timing protocol mirror Keel's, so the numbers can sit
next to each other:

    tools/bench_peer.py [--models mlp,cnn,resnet] [--batch-sizes 32,128,256]
        [--device cpu|gpu] [--threads N] [--optimizer adamw|sgd]
        [--warmup-seconds 5] [--measure-seconds 10] [--iterations 5]
        [--openblas auto|off] [--json OUT.json]

Protocol (JMH-like): torch.set_num_threads(N), model.train(), steps for --warmup-seconds, then
--measure-seconds split into --iterations time-boxed iterations. Each iteration's score is its
mean ms/step; the overall score is the mean and sample stddev of those, plus their minimum. On a
GPU the device is synchronised after every step, before the clock is read. Like JMH's forks, each
(model, batch size) runs in a fresh interpreter (--no-fork to run in-process), which also makes
the peak RSS (getrusage ru_maxrss, which never goes down) belong to that one benchmark.

Fairness note on BLAS. Debian's python3-torch is built with BLAS_INFO=generic and takes its
matrix products from whatever libblas.so.3 resolves to. If that is the reference (netlib) BLAS,
Linear layers run many times slower than with an optimised BLAS (reported as ~30x; measured
here on one thread: the MLP's matmuls ~10x, the whole MLP step ~4.7x; the reference BLAS is
single-threaded, so the gap grows with --threads), which would make PyTorch look far worse than
it is. With --openblas auto (the default) and KEEL_PEER_OPENBLAS unset, the script looks for
Debian's OpenBLAS folders (libopenblas0-openmp installs .../openblas-openmp, libopenblas0-pthread
installs .../openblas-pthread) and, if one exists, re-executes itself with that folder first on
LD_LIBRARY_PATH and KEEL_PEER_OPENBLAS=1, so that libblas.so.3 resolves to OpenBLAS. After
importing torch and running one matmul, the JSON reports the BLAS really in use: "blas_loaded"
and "blas_sgemm_from" (the file libtorch's sgemm_ binds to), and "blas_libraries" (what
/proc/self/maps shows). A torch that links MKL in (pip wheels) does not use libblas.so.3 and is
unaffected. To see the slow case on purpose:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas tools/bench_peer.py --openblas off ...

Trustworthiness. Each row also reports "other_cpu_load", the CPUs that other processes kept busy
while it was measured. A multi-threaded step shares its cores badly: on a 2-CPU machine one
other busy process can slow it down 10x or more, so rows with a high value are not PyTorch's
speed. "page_faults_per_step" shows how often the step faults fresh memory in: glibc returns
large freed tensors to the kernel, and on some VMs those faults cost more than the arithmetic
(on the 2-CPU Firecracker VM this was written on, MALLOC_MMAP_THRESHOLD_=33554432
MALLOC_TRIM_THRESHOLD_=100000000000 took the one-thread MLP step from 6.6 to 1.6 ms). DJL's
libtorch allocates through the same glibc malloc, so compare like with like: set those variables
for both Keel's JVM and this script, or for neither. They are recorded under "env".

Only the standard library and torch are used.
"""
import argparse
import ctypes
import ctypes.util
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import sysconfig
import time

MODELS = ("mlp", "cnn", "resnet")
IMAGE_SHAPE = (1, 28, 28)
NUM_CLASSES = 10
REEXEC_FLAG = "KEEL_PEER_OPENBLAS"
# Environment variables that change threading, kernels or allocation; recorded in the JSON.
THREADING_ENV_PREFIXES = ("OMP_", "GOMP_", "KMP_", "OPENBLAS_", "MKL_", "MALLOC_", "KEEL_PEER_")


# --------------------------------------------------------------------------------------------
# Command line


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default="mlp,cnn,resnet",
                   help="comma-separated subset of: " + ",".join(MODELS))
    p.add_argument("--batch-sizes", default="32,128,256", type=int_list)
    p.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="torch.set_num_threads (default: os.cpu_count())")
    p.add_argument("--optimizer", choices=("adamw", "sgd"), default="adamw",
                   help="adamw: lr, betas 0.9/0.999, eps 1e-8, weight_decay 0.01; "
                        "sgd: lr, momentum 0.9")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup-seconds", type=float, default=5.0)
    p.add_argument("--measure-seconds", type=float, default=10.0)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--mlp-hidden", default="256", type=int_list,
                   help="hidden layer sizes of the MLP, comma-separated")
    p.add_argument("--cnn-channels", default="32,64", type=int_list)
    p.add_argument("--cnn-hidden", default="128", type=int_list,
                   help="sizes of the CNN's fully connected hidden layers, comma-separated")
    p.add_argument("--openblas", choices=("auto", "off"), default="auto",
                   help="auto: re-exec with Debian's OpenBLAS first on LD_LIBRARY_PATH")
    p.add_argument("--no-fork", dest="fork", action="store_false",
                   help="run every benchmark in this process instead of a fresh one each")
    p.add_argument("--json", help="write the results here as JSON")
    # Internal: run the one benchmark MODEL:BATCH and print its result as JSON on stdout.
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.argv = list(argv)  # handed on unchanged to the per-benchmark child processes

    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        p.error(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    if not args.batch_sizes or min(args.batch_sizes) < 1:
        p.error("--batch-sizes needs positive integers")
    if args.threads < 1 or args.iterations < 1:
        p.error("--threads and --iterations must be at least 1")
    if not 1 <= len(args.cnn_channels) <= 4:  # each block halves 28x28; a 5th leaves 0x0
        p.error("--cnn-channels needs one to four values")
    return args


# --------------------------------------------------------------------------------------------
# BLAS: choosing OpenBLAS before torch is imported, and reporting what got loaded


def openblas_dir():
    """Debian's OpenBLAS folder holding a libblas.so.3, or None. OpenMP variant first: torch's
    CPU backend is OpenMP too, so both share one thread pool and one thread count, instead of
    OpenBLAS's own pthreads spinning next to torch's OpenMP workers."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or f"{platform.machine()}-linux-gnu"
    for variant in ("openblas-openmp", "openblas-pthread"):
        folder = f"/usr/lib/{multiarch}/{variant}"
        if os.path.exists(os.path.join(folder, "libblas.so.3")):
            return folder
    return None


# The glibc allocator settings the keel launcher exports: a run that puts PyTorch beside Keel gives
# both the same (see "page_faults_per_step" in the module docstring).
ALLOCATOR_ENV = {
    "MALLOC_ARENA_MAX": "1",
    "MALLOC_TRIM_THRESHOLD_": "1073741824",
    "MALLOC_MMAP_THRESHOLD_": "33554432",
}


def peer_environment():
    """This process's environment for a PyTorch child: the launcher's allocator settings where not
    set, and Debian's OpenBLAS folder first on LD_LIBRARY_PATH; with that folder (or None)."""
    env = dict(os.environ)
    for key, value in ALLOCATOR_ENV.items():
        env.setdefault(key, value)
    folder = openblas_dir()
    if folder:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            [folder] + [p for p in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p])
    return env, folder


def read_idx(folder, name):
    """A gzipped IDX file (folder/name.gz, as Debian's dataset-fashion-mnist ships them) as a numpy array."""
    import gzip
    import numpy
    with gzip.open(os.path.join(folder, name + ".gz")) as f:
        raw = f.read()
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(raw[3])]
    return numpy.frombuffer(raw, dtype=numpy.uint8, offset=4 + 4 * raw[3]).reshape(dims)


def maybe_reexec_with_openblas(args):
    """Re-exec this script so that libblas.so.3 resolves to OpenBLAS (see module docstring).

    It must happen before torch is imported: the dynamic loader resolves libblas.so.3 once, when
    libtorch_cpu.so is loaded, and LD_LIBRARY_PATH is only read at process start."""
    if args.openblas != "auto" or REEXEC_FLAG in os.environ:
        return
    folder = openblas_dir()
    if folder is None:
        print("note: no Debian OpenBLAS folder found; keeping whatever libblas.so.3 resolves to "
              "(apt-get install libopenblas0-openmp if torch reports the reference BLAS)",
              file=sys.stderr)
        return
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        [folder] + [p for p in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p])
    env[REEXEC_FLAG] = "1"
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + args.argv, env)


def blas_info_from_config(torch):
    """The one BLAS fact torch.__config__.show() states: its BLAS_INFO build setting."""
    config = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,\s]+)", config)
    if m:
        return m.group(1)
    return "mkl" if "Math Kernel Library" in config else "unknown"


def torch_runtime(torch):
    """The version, CPU kernels and threads of the imported torch: torch.backends.cpu's
    get_cpu_capability() (PyTorch 2.0 on: AVX2, AVX512, ...), or in 1.13 the "CPU capability usage"
    that torch.__config__.show() states; whether oneDNN (mkldnn) is built in, and the intra-op
    thread count as set now."""
    get = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
    capability = get() if get else None
    if capability is None:
        m = re.search(r"CPU capability usage:\s*(\S+)", torch.__config__.show())
        capability = m.group(1) if m else None
    return {"torch": torch.__version__, "cpu_capability": capability,
            "mkldnn": torch.backends.mkldnn.is_available(), "threads": torch.get_num_threads()}


def mapped_libraries(pattern):
    """Real paths of the shared objects mapped into this process whose file name matches."""
    found = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                path = parts[5].strip()
                if re.search(pattern, os.path.basename(path), re.IGNORECASE):
                    real = os.path.realpath(path)
                    if real not in found:
                        found.append(real)
    return found


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def sgemm_provider():
    """Real path of the library whose sgemm_ libtorch's calls bind to, or None.

    Which BLAS files are mapped is not enough to know: Debian's liblapack.so.3 can pull in
    libopenblas.so.0 while libblas.so.3 is still the reference one, and libtorch binds to
    whichever comes first in the lookup order. So look the symbol up in that same order (global
    scope, then libtorch_cpu's own dependencies) and ask the loader which file holds it."""
    try:
        libc = ctypes.CDLL(None)
        dladdr = getattr(libc, "dladdr", None)
        if dladdr is None:  # glibc before 2.34 keeps it in libdl
            dladdr = ctypes.CDLL(ctypes.util.find_library("dl")).dladdr
        scopes = [libc] + [ctypes.CDLL(p) for p in mapped_libraries(r"^libtorch_cpu\.so")]
        for scope in scopes:
            func = getattr(scope, "sgemm_", None)
            if func is not None:
                info = _DlInfo()
                if dladdr(ctypes.cast(func, ctypes.c_void_p), ctypes.byref(info)):
                    return os.path.realpath(info.dli_fname.decode())
    except OSError:
        pass
    return None  # a libtorch with MKL linked in statically may export no sgemm_


def openblas_config(threads):
    """OpenBLAS's own description of itself, after pinning its thread count to --threads (the
    pthread variant otherwise sizes its pool from the machine, not from torch)."""
    for path in mapped_libraries(r"^libopenblas"):
        try:
            lib = ctypes.CDLL(path)  # already loaded: dlopen hands back the same handle
            lib.openblas_set_num_threads(ctypes.c_int(threads))
            lib.openblas_get_config.restype = ctypes.c_char_p
            modes = {0: "sequential", 1: "pthread", 2: "openmp"}
            mode = modes.get(lib.openblas_get_parallel(), "?")
            return f"{lib.openblas_get_config().decode().strip()} ({mode} build)"
        except (OSError, AttributeError):
            continue
    return None


def loaded_blas(torch, threads):
    """What really serves torch's matmuls: (short description, sgemm_ provider, BLAS-like
    libraries mapped into the process)."""
    a = torch.randn(64, 64)
    (a @ a).sum().item()  # one sgemm, so a lazily loaded BLAS is mapped too
    libs = mapped_libraries(r"blas|mkl|blis|lapack")
    provider = sgemm_provider()
    config = openblas_config(threads)
    if provider is None or os.path.basename(provider).startswith("libtorch"):
        # pip wheels link MKL into libtorch_cpu.so, which then exports sgemm_ itself
        desc = "MKL (linked into libtorch)" if torch.backends.mkl.is_available() else "unknown"
    elif "openblas" in provider:
        desc = config or "OpenBLAS"
    elif "mkl" in provider:
        desc = "MKL"
    elif "blis" in provider:
        desc = "BLIS"
    elif os.path.basename(provider).startswith("libblas.so"):
        desc = "reference BLAS (netlib): slow, see --openblas"
    else:
        desc = "unknown"
    return desc, provider, libs


# --------------------------------------------------------------------------------------------
# Models: the same layers as Keel's. Initialisation differs (DJL defaults to Xavier), which does
# not change the cost of a step.


def build_mlp(nn, hidden):
    """Keel's ModelFactory.mlp as the benchmarks build it (dropout 0): flatten, Linear -> ReLU
    per hidden size, Linear to 10."""
    layers, width = [nn.Flatten()], IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * IMAGE_SHAPE[2]
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, NUM_CLASSES))
    return nn.Sequential(*layers)


def build_cnn(nn, channels, hidden):
    """Keel's ModelFactory.cnn: per channel count Conv3x3 (pad 1) -> BatchNorm -> ReLU ->
    MaxPool 2x2, then flatten, Linear -> ReLU per hidden size, Dropout(0.25), Linear to 10."""
    layers, in_ch, side = [], IMAGE_SHAPE[0], IMAGE_SHAPE[1]
    for ch in channels:
        # No conv bias: Keel builds these with optBias(false), as the BatchNorm's shift replaces
        # it. PyTorch's BatchNorm2d defaults (eps 1e-5, momentum 0.1) are DJL's (eps 1e-5,
        # momentum 0.9: DJL weights the running value, PyTorch the new batch).
        layers += [nn.Conv2d(in_ch, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch), nn.ReLU(),
                   nn.MaxPool2d(2)]
        in_ch, side = ch, side // 2
    layers.append(nn.Flatten())
    width = in_ch * side * side
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers += [nn.Dropout(0.25), nn.Linear(width, NUM_CLASSES)]
    return nn.Sequential(*layers)


def build_resnet20(nn):
    """ResNet-20 exactly as DJL 0.36's ResNetV1 builds it for a 1x28x28 image with numLayers 20
    (model-zoo/.../basicmodelzoo/cv/classification/ResNetV1.java):

    - height <= 28 and (20 - 2) % 6 == 0: 3 stages of (20 - 2) / 6 = 3 basic (non-bottleneck)
      units, filters {16, 16, 32, 64} (the first is the stem's).
    - stem (height <= 32): Conv2d 3x3, 16 filters, stride 1, padding 1, no bias, and nothing
      else: no BatchNorm, ReLU or pooling after it (those are only in the >32px ImageNet stem).
    - residual unit: Conv3x3(stride, pad 1, no bias) -> BN -> ReLU -> Conv3x3(stride 1, pad 1,
      no bias) -> BN, added to the shortcut, then ReLU.
    - the FIRST unit of every stage is built with dimMatch=false, so it has a projection
      shortcut Conv1x1(stride, no bias) -> BN, even in stage 1 where 16 -> 16 at stride 1 would
      not need one. The other units use the identity.
    - stride 1 in stage 1, stride 2 for the first unit of stages 2 and 3 (28 -> 14 -> 7).
    - BatchNorm eps 1e-5, momentum 0.9 (DJL) == momentum 0.1 here.
    - global average pooling -> flatten -> Linear(64, 10) with bias.
    """

    class ResidualUnit(nn.Module):
        def __init__(self, in_ch, out_ch, stride, dim_match):
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False),
                nn.BatchNorm2d(out_ch),
                nn.ReLU(),
                nn.Conv2d(out_ch, out_ch, 3, stride=1, padding=1, bias=False),
                nn.BatchNorm2d(out_ch),
            )
            if dim_match:
                self.shortcut = nn.Identity()
            else:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(in_ch, out_ch, 1, stride=stride, padding=0, bias=False),
                    nn.BatchNorm2d(out_ch),
                )
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.body(x) + self.shortcut(x))

    filters, units_per_stage = (16, 16, 32, 64), 3
    layers = [nn.Conv2d(IMAGE_SHAPE[0], filters[0], 3, stride=1, padding=1, bias=False)]
    in_ch, stride = filters[0], 1
    for stage in range(3):
        out_ch = filters[stage + 1]
        layers.append(ResidualUnit(in_ch, out_ch, stride, dim_match=False))
        layers += [ResidualUnit(out_ch, out_ch, 1, dim_match=True)
                   for _ in range(units_per_stage - 1)]
        in_ch, stride = out_ch, 2
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(in_ch, NUM_CLASSES)]
    return nn.Sequential(*layers)


def build_model(torch, name, args):
    nn = torch.nn
    if name == "mlp":
        return build_mlp(nn, args.mlp_hidden)
    if name == "cnn":
        return build_cnn(nn, args.cnn_channels, args.cnn_hidden)
    return build_resnet20(nn)


def build_optimizer(torch, params, args):
    if args.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8,
                                 weight_decay=0.01)
    return torch.optim.SGD(params, lr=args.lr, momentum=0.9)


# --------------------------------------------------------------------------------------------
# Timing


class Snapshot:
    """Counters read around the measured phase, to tell how trustworthy it was.

    - other_cpu_load: CPUs kept busy by everything except this process (machine-wide busy time
      from /proc/stat minus our own user+sys time, over wall time). Another process computing
      next to a multi-threaded step makes its OpenMP barriers wait for descheduled threads, which
      can slow it down by 10x or more; the number makes that visible instead of silent.
    - page faults: glibc returns big freed tensors to the kernel, so each step can fault its
      activations in again; on some VMs that costs more than the arithmetic.
    """

    def __init__(self):
        self.wall = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own_cpu = usage.ru_utime + usage.ru_stime
        self.faults = usage.ru_minflt
        self.machine_busy = self.machine_busy_seconds()

    @staticmethod
    def machine_busy_seconds():
        try:
            with open("/proc/stat") as f:
                # cpu user nice system idle iowait irq softirq steal ...
                ticks = [int(v) for v in f.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / os.sysconf("SC_CLK_TCK")

    def since(self, earlier):
        wall = self.wall - earlier.wall
        other = None
        if self.machine_busy is not None and earlier.machine_busy is not None and wall > 0:
            other = max(0.0, (self.machine_busy - earlier.machine_busy)
                        - (self.own_cpu - earlier.own_cpu)) / wall
        return {"other_cpu_load": other, "page_faults": self.faults - earlier.faults}


def run_for(step, sync, seconds):
    """Run steps until `seconds` have passed (at least one); return (steps, elapsed seconds)."""
    steps, start = 0, time.perf_counter()
    while True:
        step()
        sync()  # on a GPU the clock must only see finished work
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps, elapsed


def bench_one(torch, args, model_name, batch_size):
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if args.device == "gpu" else "cpu")
    model = build_model(torch, model_name, args).to(device)
    model.train()
    optimizer = build_optimizer(torch, model.parameters(), args)
    loss_fn = torch.nn.CrossEntropyLoss()
    # One fixed batch, made once: the benchmark times the step, not data loading.
    generator = torch.Generator().manual_seed(args.seed)
    x = torch.randn((batch_size,) + IMAGE_SHAPE, generator=generator).to(device)
    y = torch.randint(0, NUM_CLASSES, (batch_size,), generator=generator).to(device)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    run_for(step, sync, args.warmup_seconds)
    before = Snapshot()
    per_iteration = args.measure_seconds / args.iterations
    iteration_ms, total_steps = [], 0
    for _ in range(args.iterations):
        steps, elapsed = run_for(step, sync, per_iteration)
        iteration_ms.append(elapsed * 1000.0 / steps)
        total_steps += steps
    counters = Snapshot().since(before)

    result = {
        "model": model_name,
        "batch_size": batch_size,
        "device": args.device,
        "ms_per_step": statistics.mean(iteration_ms),
        "ms_stddev": statistics.stdev(iteration_ms) if len(iteration_ms) > 1 else 0.0,
        "ms_min": min(iteration_ms),
        "iterations": len(iteration_ms),
        "steps": total_steps,
        "iteration_ms": iteration_ms,
        "parameters": sum(p.numel() for p in model.parameters()),
        "page_faults_per_step": counters["page_faults"] / total_steps,
        "other_cpu_load": counters["other_cpu_load"],
        # ru_maxrss is in KiB on Linux. Host memory only; GPU memory is reported separately.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    if device.type == "cuda":
        result["peak_gpu_mem_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return result


def bench_in_child(args, model_name, batch_size):
    """Run one benchmark in a fresh interpreter with the same arguments and environment."""
    cmd = [sys.executable, os.path.abspath(__file__)] + args.argv + [
        "--child", f"{model_name}:{batch_size}"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # stderr passes through
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        return {"model": model_name, "batch_size": batch_size, "device": args.device,
                "error": f"child exited with status {proc.returncode}"}
    return json.loads(lines[-1])


# --------------------------------------------------------------------------------------------
# Reporting


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()} ({os.cpu_count()} logical CPUs)"
    except OSError:
        pass
    return platform.processor() or platform.machine()


ROW = "{:<7} {:>6} {:>10} {:>9} {:>10} {:>6} {:>7} {:>8} {:>7} {:>12} {:>10}"
BUSY_WARNING_CPUS = 0.25  # other_cpu_load above this: the row was measured on a shared machine


def print_header():
    print(ROW.format("model", "batch", "ms/step", "stddev", "min ms", "iters", "steps",
                     "img/s", "RSS MB", "faults/step", "other CPU"))
    print("-" * 107)


def print_row(r):
    if "error" in r:
        print(f"{r['model']:<7} {r['batch_size']:>6}  ERROR: {r['error']}")
    else:
        print(ROW.format(r["model"], r["batch_size"], f"{r['ms_per_step']:.2f}",
                         f"{r['ms_stddev']:.2f}", f"{r['ms_min']:.2f}", r["iterations"],
                         r["steps"], f"{r['batch_size'] * 1000.0 / r['ms_per_step']:.0f}",
                         f"{r['peak_rss_mb']:.0f}", f"{r['page_faults_per_step']:.0f}",
                         "n/a" if r["other_cpu_load"] is None else f"{r['other_cpu_load']:.2f}"))
    sys.stdout.flush()


def write_json(path, report):
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    maybe_reexec_with_openblas(args)

    import torch  # only now: the BLAS choice above must precede loading libtorch

    torch.set_num_threads(args.threads)

    if args.child:
        model_name, batch = args.child.split(":")
        openblas_config(args.threads)  # pins OpenBLAS's own thread count, if it is loaded
        print(json.dumps(bench_one(torch, args, model_name, int(batch))))
        return 0

    report = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "cpu_capability": torch_runtime(torch)["cpu_capability"],
        "blas": blas_info_from_config(torch),
        "threads": args.threads,
        "device": args.device,
        "device_name": None,
        "optimizer": args.optimizer,
        "protocol": {
            "warmup_seconds": args.warmup_seconds,
            "measure_seconds": args.measure_seconds,
            "iterations": args.iterations,
            "seed": args.seed,
            "forked": args.fork,
            "cuda_sync_per_step": args.device == "gpu",
        },
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    blas_desc, blas_provider, blas_libs = loaded_blas(torch, args.threads)
    report["blas_loaded"] = blas_desc
    report["blas_sgemm_from"] = blas_provider
    report["blas_libraries"] = blas_libs
    report["openblas_reexec"] = os.environ.get(REEXEC_FLAG) == "1" and args.openblas == "auto"
    report["env"] = {k: v for k, v in sorted(os.environ.items())
                     if k == "LD_LIBRARY_PATH" or k.startswith(THREADING_ENV_PREFIXES)}
    report["skipped"] = False
    report["results"] = []

    if args.device == "gpu":
        if not torch.cuda.is_available():
            reason = (f"--device gpu asked for, but torch {torch.__version__} sees no CUDA device "
                      f"(built with CUDA: {torch.version.cuda})")
            print(f"SKIPPED: {reason}")
            report.update(skipped=True, reason=reason)  # "results" stays empty
            if args.json:
                write_json(args.json, report)
            return 0
        report["device_name"] = torch.cuda.get_device_name(0)
        report["cuda_version"] = torch.version.cuda
        # Left at PyTorch's default (off), as DJL leaves it unless -Dai.djl.pytorch.cudnn_benchmark.
        report["cudnn_benchmark"] = torch.backends.cudnn.benchmark
    else:
        report["device_name"] = cpu_name()

    print(f"PyTorch {torch.__version__} eager, {args.device} ({report['device_name']}), "
          f"{args.threads} threads, {args.optimizer}")
    print(f"BLAS: build {report['blas']}, loaded {blas_desc}; CPU kernels {report['cpu_capability']}")
    print(f"warmup {args.warmup_seconds:g} s, measure {args.measure_seconds:g} s in "
          f"{args.iterations} iterations\n")
    print_header()
    for model_name in args.models:
        for batch_size in args.batch_sizes:
            if args.fork:
                result = bench_in_child(args, model_name, batch_size)
            else:
                result = bench_one(torch, args, model_name, batch_size)
            report["results"].append(result)
            print_row(result)

    busy = [r for r in report["results"] if (r.get("other_cpu_load") or 0) > BUSY_WARNING_CPUS]
    if busy:
        print(f"\nWARNING: other processes kept up to "
              f"{max(r['other_cpu_load'] for r in busy):.2f} CPUs busy while {len(busy)} row(s) "
              f"were measured; those numbers are slowed down by contention, not by PyTorch.")
    if args.json:
        write_json(args.json, report)
        print(f"\nwrote {args.json}")
    return 1 if any("error" in r for r in report["results"]) else 0


if __name__ == "__main__":
    sys.exit(main())
