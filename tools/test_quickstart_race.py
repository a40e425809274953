#!/usr/bin/python3
"""Tests of the quickstart race's pure parts: the result file's Markdown on made-up runs, the CPU
flags line, and where tools/torch_peer.py puts PyTorch 2.x and how it installs it. Neither Java nor
PyTorch runs, nothing is installed; well under a second.

    tools/test_quickstart_race.py
"""
import argparse
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_compare  # noqa: E402
import quickstart_race  # noqa: E402
import torch_peer  # noqa: E402

MACHINE = {"cpu": "Made-up CPU", "logical_cpus": 2, "simd": ["avx2", "avx512f"],
           "cpu_flags": {f: f in ("avx2", "avx512f") for f in bench_compare.SIMD_FLAGS}, "git_commit": "abc1234"}


def keel_run(wall, train, accuracy, lr=0.0115):
    return {"side": "keel", "wall_seconds": wall, "train_seconds": train, "test_accuracy": accuracy, "lr": lr,
            "threads": 2, "keel_version": "0.1.0", "djl_version": "0.36.0", "libtorch": "2.7.1",
            "onednn_max_cpu_isa": "AVX2", "onednn_isa_reason": "the model's first convolution"}


def peer_run(side, version, capability, wall, train, accuracy):
    return {"side": side, "wall_seconds": wall, "train_seconds": train, "test_accuracy": accuracy, "lr": 0.0115,
            "torch": version, "cpu_capability": capability, "mkldnn": True, "threads": 2,
            "onednn_max_cpu_isa": None, "openblas": "/usr/lib/x86_64-linux-gnu/openblas-openmp"
            if side == "torch1" else None}


class ReportTest(unittest.TestCase):
    def args(self, *argv):
        return quickstart_race.parse_args(list(argv))

    def test_both_peers_each_named_with_version_kernels_and_threads(self):
        results = [keel_run(90.0, 80.0, 0.9234), peer_run("torch2", "2.13.0+cpu", "AVX512", 75.0, 72.0, 0.9224),
                   peer_run("torch1", "1.13.1", "AVX2", 97.0, 95.0, 0.9207),
                   keel_run(88.0, 78.0, 0.9230), peer_run("torch2", "2.13.0+cpu", "AVX512", 77.0, 74.0, 0.9220),
                   peer_run("torch1", "1.13.1", "AVX2", 99.0, 97.0, 0.9201)]
        text = quickstart_race.report(self.args("--runs", "2", "--lr", "0.0115"), results, MACHINE,
                                      "tools/quickstart_race.py --runs 2 --lr 0.0115")
        self.assertIn("# Quickstart: Keel against PyTorch 2.13.0+cpu and PyTorch 1.13.1, 2 rounds", text)
        self.assertIn("avx2 yes, avx512f yes, avx512_bf16 no, avx512_fp16 no, amx_tile no", text)
        self.assertIn("peak lr 0.0115 for every side (`--lr`)", text)
        self.assertIn("- Keel 0.1.0, DJL 0.36.0, libtorch 2.7.1: `./keel train configs/quickstart.yaml`, "
                      "2 intra-op threads, oneDNN cap AVX2 (the model's first convolution)", text)
        self.assertIn("- PyTorch 2.13.0+cpu eager, fp32, contiguous memory format (pip): CPU capability AVX512, oneDNN"
                      " (mkldnn) built in, 2 intra-op threads", text)
        self.assertIn("- PyTorch 1.13.1 eager, fp32, contiguous memory format (Debian): CPU capability AVX2", text)
        self.assertIn("| median | Keel | PyTorch 2.13.0+cpu | PyTorch 1.13.1 | Keel/PyTorch 2.13.0+cpu | "
                      "Keel/PyTorch 1.13.1 |", text)
        self.assertIn("| training | 79.0 s | 73.0 s | 96.0 s | 1.08 | 0.82 |", text)
        self.assertIn("| test accuracy | 92.32% | 92.22% | 92.04% | | |", text)
        self.assertIn("| 3 | PyTorch 1.13.1 | 97.0 s | 95.0 s | 92.07% |", text)
        self.assertNotIn("finder included", text)

    def test_one_peer_with_the_finders_rate(self):
        results = [keel_run(20.0, 15.0, 0.89, lr=0.0098), peer_run("torch2", "2.13.0+cpu", "AVX2", 16.0, 14.0, 0.88)]
        results[1]["lr"] = 0.0098  # what the race hands the peer
        text = quickstart_race.report(self.args("--peer", "torch2", "--runs", "1"), results, MACHINE, "x")
        self.assertIn("Keel against PyTorch 2.13.0+cpu, 1 round,", text)
        self.assertIn("peak lr 0.0098 as Keel's finder chose it", text)
        self.assertIn("(its learning-rate finder included)", text)
        self.assertNotIn("1.13", text)
        self.assertIn("| time to the end | 20.0 s | 16.0 s | 1.25 |", text)
        self.assertIn("- 5 epochs at batch 128", text)
        one_epoch = quickstart_race.report(self.args("--epochs", "1"), results, MACHINE, "x")
        self.assertIn("- 1 epoch at batch 128", one_epoch)

    def test_a_channels_last_peer_says_so(self):
        self.assertTrue(self.args("--peer-channels-last").peer_channels_last)
        self.assertFalse(self.args().peer_channels_last)
        results = [keel_run(20.0, 15.0, 0.89), peer_run("torch2", "2.13.0+cpu", "AVX2", 16.0, 14.0, 0.88)]
        results[1]["memory_format"] = "channels_last"
        text = quickstart_race.report(self.args("--peer", "torch2", "--peer-channels-last"), results, MACHINE, "x")
        self.assertIn("- PyTorch 2.13.0+cpu eager, fp32, channels_last memory format (pip)", text)

    def test_flags_of_an_older_result_without_cpu_flags(self):
        self.assertTrue(bench_compare.cpu_flags_text({"simd": ["avx2"]}).startswith("avx2 yes, avx512f no"))

    def test_peer_choice(self):
        self.assertEqual(torch_peer.split_peers("both"), ["torch2", "torch1"])
        self.assertEqual(torch_peer.split_peers("torch1"), ["torch1"])
        self.assertRaises(ValueError, torch_peer.split_peers, "torch3")
        with self.assertRaises(SystemExit), open(os.devnull, "w") as quiet:
            stderr, sys.stderr = sys.stderr, quiet
            try:
                self.args("--peer", "torch3")
            finally:
                sys.stderr = stderr


class Torch2EnvironmentTest(unittest.TestCase):
    def test_where(self):
        self.assertEqual(torch_peer.torch2_venv({"KEEL_TORCH2_VENV": "/x/venv"}), "/x/venv")
        self.assertEqual(torch_peer.torch2_venv({"XDG_CACHE_HOME": "/c"}), "/c/keel/torch-2.13-cpu")
        self.assertEqual(torch_peer.torch2_venv({}),
                         os.path.join(os.path.expanduser("~"), ".cache", "keel", "torch-2.13-cpu"))

    def test_plain_pip_and_extra_arguments(self):
        self.assertEqual(torch_peer.install_command("/v", {}),
                         ["/v/bin/python", "-m", "pip", "install", "torch==2.13.0+cpu", "numpy"])
        self.assertEqual(torch_peer.install_command(
            "/v", {"KEEL_TORCH2_PIP_ARGS": "--extra-index-url https://download.pytorch.org/whl/cpu"})[4:6],
            ["--extra-index-url", "https://download.pytorch.org/whl/cpu"])

    def test_a_missing_interpreter_has_no_torch(self):
        self.assertIsNone(torch_peer.probe("/nonexistent/python"))


if __name__ == "__main__":
    unittest.main()
