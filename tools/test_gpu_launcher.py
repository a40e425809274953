#!/usr/bin/python3
"""Tests of the GPU package's launcher (tools/gpu_launcher.sh) on a fake package: a stand-in
`java` that records its arguments and environment, and a stand-in `torch` module for each case.
Neither Java nor PyTorch runs; about a second.

    tools/test_gpu_launcher.py
"""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(HERE, "gpu_launcher.sh")
FAKE_JAVA = """#!/bin/sh
printf '%s\\n' "$@" > "$(dirname "$0")/args"
env > "$(dirname "$0")/env"
"""


class GpuLauncherTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="keel-launcher-test-")
        self.home = os.path.join(self.tmp, "keel-gpu")
        for folder in ["bin", "runtime/bin", "jnilib/linux-x86_64/cu128", "jnilib/linux-x86_64/cpu", "app"]:
            os.makedirs(os.path.join(self.home, folder))
        shutil.copy(LAUNCHER, os.path.join(self.home, "bin", "keel"))
        shutil.copy(os.path.join(HERE, "keel_env.sh"), os.path.join(self.home, "bin", "keel_env.sh"))
        os.symlink("keel", os.path.join(self.home, "bin", "benchmarks"))
        self.write("runtime/bin/java", FAKE_JAVA, executable=True)
        self.write("jnilib/pytorch.properties", "jni_version=2.7.1-0.36.0\nversion=2.7.1\n")
        for flavor in ["cu128", "cpu"]:
            self.write(f"jnilib/linux-x86_64/{flavor}/libdjl_torch.so", f"{flavor} jni")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, path, text, executable=False):
        path = os.path.join(self.home, path) if not os.path.isabs(path) else path
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if executable:
            os.chmod(path, 0o755)

    def fake_torch(self, version="2.7.1+cu128", cuda="'12.8'", abi=True, libs=("libtorch.so", "libtorch_cuda.so"),
                   broken=False):
        """A torch package under tmp/site: what the launcher's probe reads, and the libs in lib/."""
        package = os.path.join(self.tmp, "site", "torch")
        body = "raise ImportError('libtorch_cpu.so: cannot open shared object file')" if broken else f"""
            import types
            __version__ = {version!r}
            version = types.SimpleNamespace(cuda={cuda})
            _C = types.SimpleNamespace(_GLIBCXX_USE_CXX11_ABI={abi})
            """
        self.write(os.path.join(package, "__init__.py"), textwrap.dedent(body))
        for lib in libs:
            self.write(os.path.join(package, "lib", lib), "")
        return package

    def run_launcher(self, *args, name="keel", **env):
        base = {"PATH": os.environ["PATH"], "HOME": self.tmp, "KEEL_PYTHON": sys.executable,
                "PYTHONPATH": os.path.join(self.tmp, "site"), "PYTHONNOUSERSITE": "1"}
        base.update(env)
        result = subprocess.run([os.path.join(self.home, "bin", name)] + list(args), env=base,
                                capture_output=True, text=True, timeout=60)
        ran = os.path.exists(os.path.join(self.home, "runtime/bin/args"))
        if not ran:
            return result, None, None
        with open(os.path.join(self.home, "runtime/bin/args")) as f:
            java_args = f.read().splitlines()
        with open(os.path.join(self.home, "runtime/bin/env")) as f:
            java_env = dict(line.split("=", 1) for line in f.read().splitlines() if "=" in line)
        return result, java_args, java_env

    def assert_rejected(self, result, java_args, *fragments):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIsNone(java_args, "java must not run")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_cuda_torch_runs_the_cli_on_its_libtorch(self):
        torch = self.fake_torch()
        result, args, env = self.run_launcher("train", "configs/quickstart.yaml")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(env["PYTORCH_LIBRARY_PATH"], os.path.join(torch, "lib"))
        self.assertEqual(env["PYTORCH_VERSION"], "2.7.1")
        self.assertEqual(env["PYTORCH_FLAVOR"], "cu128")
        self.assertEqual(env["DJL_OFFLINE"], "true")
        self.assertEqual(env["MALLOC_ARENA_MAX"], "1")
        self.assertEqual(env["MALLOC_TRIM_THRESHOLD_"], "1073741824")
        self.assertEqual(env["MALLOC_MMAP_THRESHOLD_"], "33554432")
        self.assertNotIn("ONEDNN_MAX_CPU_ISA", env, "Keel chooses the cap from the model")
        self.assertEqual(args, ["-XX:+UseSerialGC", "-Xmn16m", "-Xms32m", "-XX:MinHeapFreeRatio=10",
                                "-XX:MaxHeapFreeRatio=20", "-jar", os.path.join(self.home, "app", "keel.jar"),
                                "train", "configs/quickstart.yaml"])
        jni = os.path.join(env["ENGINE_CACHE_DIR"], "pytorch", "2.7.1-cu128-linux-x86_64", "0.36.0-libdjl_torch.so")
        with open(jni) as f:
            self.assertEqual(f.read(), "cu128 jni")

    def test_an_earlier_2_7_gets_the_jni_under_its_own_version(self):
        self.fake_torch(version="2.7.0+cu126", cuda="'12.6'")
        result, _, env = self.run_launcher("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(env["PYTORCH_VERSION"], "2.7.0")
        self.assertTrue(os.path.isfile(os.path.join(env["ENGINE_CACHE_DIR"], "pytorch", "2.7.0-cu128-linux-x86_64",
                                                    "0.36.0-libdjl_torch.so")))

    def test_benchmarks_run_the_benchmark_jar_with_the_jvm_defaults(self):
        self.fake_torch()
        result, args, env = self.run_launcher("-lp", name="benchmarks", KEEL_JAVA_OPTS="-Xmx8g")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(args, ["-Xmx8g", "-jar", os.path.join(self.home, "app", "benchmarks.jar"), "-lp"])
        self.assertEqual(env["PYTORCH_FLAVOR"], "cu128")

    def test_rejects_an_old_pytorch(self):
        self.fake_torch(version="1.13.0a0", cuda=None, libs=())
        self.assert_rejected(*self.run_launcher("--help")[:2], "has PyTorch 1.13.0a0 (CPU only",
                             "needs PyTorch 2.7.x built for CUDA 12.x with the C++11 ABI")

    def test_rejects_a_cpu_build(self):
        self.fake_torch(version="2.7.1+cpu", cuda=None, libs=("libtorch.so",))
        self.assert_rejected(*self.run_launcher("--help")[:2], "has PyTorch 2.7.1+cpu (CPU only")

    def test_rejects_cuda_11(self):
        self.fake_torch(version="2.7.1+cu118", cuda="'11.8'")
        self.assert_rejected(*self.run_launcher("--help")[:2], "(CUDA 11.8")

    def test_rejects_the_pre_cxx11_abi(self):
        self.fake_torch(abi=False)
        self.assert_rejected(*self.run_launcher("--help")[:2], "C++11 ABI False")

    def test_rejects_a_torch_that_does_not_import(self):
        self.fake_torch(broken=True)
        self.assert_rejected(*self.run_launcher("--help")[:2], "cannot import torch (ImportError: libtorch_cpu.so")

    def test_rejects_a_missing_python(self):
        self.assert_rejected(*self.run_launcher("--help", KEEL_PYTHON="no-such-python3")[:2],
                             "no no-such-python3 found")

    def test_an_explicit_cpu_libtorch_needs_no_python(self):
        lib = os.path.join(self.tmp, "libtorch", "lib")
        self.write(os.path.join(lib, "libtorch.so"), "")
        result, _, env = self.run_launcher("--help", KEEL_PYTHON="no-such-python3", PYTORCH_LIBRARY_PATH=lib,
                                           KEEL_PYTORCH_FLAVOR="cpu")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual((env["PYTORCH_LIBRARY_PATH"], env["PYTORCH_VERSION"], env["PYTORCH_FLAVOR"]),
                         (lib, "2.7.1", "cpu"))
        with open(os.path.join(env["ENGINE_CACHE_DIR"], "pytorch", "2.7.1-cpu-linux-x86_64",
                               "0.36.0-libdjl_torch.so")) as f:
            self.assertEqual(f.read(), "cpu jni")

    def test_an_explicit_libtorch_without_cuda_is_rejected_for_the_gpu(self):
        lib = os.path.join(self.tmp, "libtorch", "lib")
        self.write(os.path.join(lib, "libtorch.so"), "")
        self.assert_rejected(*self.run_launcher("--help", PYTORCH_LIBRARY_PATH=lib)[:2], "no libtorch_cuda.so")

    def test_rejects_a_flavor_without_a_packed_jni(self):
        self.fake_torch()
        self.assert_rejected(*self.run_launcher("--help", KEEL_PYTORCH_FLAVOR="cu118")[:2], "cu128 and cpu only")

    @unittest.skipUnless(subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode == 0,
                         "no torch for /usr/bin/python3")
    def test_rejects_this_machines_python_torch_unless_2_7_cuda(self):
        probe = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__, torch.version.cuda)"],
                               capture_output=True, text=True).stdout.split()
        if probe[0].startswith("2.7.") and probe[1] != "None":
            self.skipTest("/usr/bin/python3 has a CUDA PyTorch 2.7")
        result, args = self.run_launcher("--help", KEEL_PYTHON="/usr/bin/python3", PYTHONPATH="")[:2]
        self.assert_rejected(result, args, f"has PyTorch {probe[0]}")


if __name__ == "__main__":
    unittest.main()
