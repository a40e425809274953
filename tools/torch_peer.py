#!/usr/bin/env python3
"""The Python interpreters that run Keel's PyTorch peers, and what each one is.

Two peers:
  torch1  Debian's PyTorch 1.13 (python3-torch) in /usr/bin/python3, on Debian's OpenBLAS
  torch2  PyTorch 2.13 for CPUs (`torch==2.13.0+cpu`, fp32 eager) in a virtual environment of its
          own: KEEL_TORCH2_VENV, or <cache>/keel/torch-2.13-cpu where <cache> is XDG_CACHE_HOME or
          ~/.cache. When that environment is missing or lacks the packages, it is made with
          `python3 -m venv` (KEEL_TORCH2_PYTHON names another interpreter) and filled with plain
          `pip install 'torch==2.13.0+cpu' numpy`, so pip finds the wheel wherever this machine's pip
          configuration (pip.conf, PIP_* variables) says. Where plain pip does not know PyTorch's CPU
          wheels, KEEL_TORCH2_PIP_ARGS adds arguments, e.g.
          KEEL_TORCH2_PIP_ARGS='--extra-index-url https://download.pytorch.org/whl/cpu'.

    tools/torch_peer.py                 # makes the torch2 environment if needed, prints both peers
    tools/torch_peer.py --peer torch2

Only the Python standard library is used.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

TORCH1_PYTHON = "/usr/bin/python3"  # Debian's python3-torch lives there, whatever python runs the tools
TORCH2_REQUIREMENT = "torch==2.13.0+cpu"
TORCH2_VERSION = "2.13.0+cpu"
TORCH2_PACKAGES = (TORCH2_REQUIREMENT, "numpy")
PEERS = ("torch1", "torch2")
LABELS = {"torch1": "PyTorch 1.13 (Debian)", "torch2": "PyTorch 2.x (pip, CPU)"}

HERE = os.path.dirname(os.path.abspath(__file__))
# Run by a peer's interpreter: what the tools record of it (bench_peer.torch_runtime), numpy's
# version too, as the quickstart's peer needs numpy.
PROBE = (f"import json, sys; sys.path.insert(0, {HERE!r}); import bench_peer, numpy, torch; "
         "print(json.dumps(dict(bench_peer.torch_runtime(torch), numpy=numpy.__version__)))")


def split_peers(text):
    """--peer's value as the list of peers it names, torch2 first: 'both' is both."""
    if text == "both":
        return ["torch2", "torch1"]
    if text not in PEERS:
        raise ValueError(f"unknown peer {text!r}; choose from torch1, torch2, both")
    return [text]


def torch2_venv(environ=None):
    environ = os.environ if environ is None else environ
    if environ.get("KEEL_TORCH2_VENV"):
        return os.path.abspath(os.path.expanduser(environ["KEEL_TORCH2_VENV"]))
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "keel", "torch-2.13-cpu")


def probe(python, env=None):
    """What PROBE prints in `python`, or None when torch (or numpy) does not import there."""
    if not os.path.exists(python):
        return None
    proc = subprocess.run([python, "-c", PROBE], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def install_command(venv, environ=None):
    environ = os.environ if environ is None else environ
    extra = shlex.split(environ.get("KEEL_TORCH2_PIP_ARGS", ""))
    return [os.path.join(venv, "bin", "python"), "-m", "pip", "install", *extra, *TORCH2_PACKAGES]


def ensure_torch2(log=sys.stderr):
    """The torch2 environment's python, made and filled first where it is missing or incomplete."""
    venv = torch2_venv()
    python = os.path.join(venv, "bin", "python")
    found = probe(python)
    if found and found["torch"] == TORCH2_VERSION:
        return python
    if not os.path.exists(python):
        base = os.environ.get("KEEL_TORCH2_PYTHON", "python3")
        print(f"torch_peer: making a virtual environment for PyTorch 2 in {venv}", file=log, flush=True)
        subprocess.run([base, "-m", "venv", venv], check=True)
    command = install_command(venv)
    print("torch_peer: " + " ".join(shlex.quote(c) for c in command), file=log, flush=True)
    subprocess.run(command, check=True, stdout=log, stderr=log)
    found = probe(python)
    if not found or found["torch"] != TORCH2_VERSION:
        raise SystemExit(f"torch_peer: {venv} has torch {found and found['torch']} after installing, "
                         f"not {TORCH2_VERSION}")
    return python


def peer_python(peer, log=sys.stderr):
    """The interpreter that runs `peer`; exits with a hint when Debian's PyTorch is missing."""
    if peer == "torch2":
        return ensure_torch2(log)
    if probe(TORCH1_PYTHON) is None:
        raise SystemExit(f"torch_peer: {TORCH1_PYTHON} cannot import torch and numpy: the PyTorch 1.13 peer "
                         "needs Debian's python3-torch (apt-get install python3-torch libopenblas0-openmp), "
                         "or choose --peer torch2")
    return TORCH1_PYTHON


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", default="both", choices=("torch1", "torch2", "both"))
    args = parser.parse_args()
    for peer in split_peers(args.peer):
        python = peer_python(peer)
        print(f"{peer}: {python} {json.dumps(probe(python))}")


if __name__ == "__main__":
    main()
