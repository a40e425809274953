#!/usr/bin/python3
"""Packs Keel for a GPU machine that has Python's PyTorch but no Java and no package registry:
one archive, dist/keel-gpu-<version>.tar.gz, of at most 64 MiB.

    tools/pack_gpu.py [--out-dir dist]

The archive holds one folder, keel-gpu-<version>/, with
  runtime/   a Java 17 runtime made by jlink (the modules jdeps finds in the jars, and
             jdk.management for JMH's profilers; no debug information, man pages or headers;
             the archive's gzip compresses it)
  app/       keel.jar and benchmarks.jar with their dependency jars in app/lib, without
             pytorch-native-cpu (the machine's PyTorch provides libtorch)
  jnilib/    DJL's JNI for linux-x86_64, cu128 and cpu, from the pytorch-jni jar
  bin/       keel and benchmarks: the launcher tools/gpu_launcher.sh, and keel_env.sh, which it
             shares with the keel launcher
  configs/   the repository's configs
The launcher finds the libtorch of `python3 -c 'import torch'` (docs/gpu.md).

Needs the built jars (cd to the repository and run
    mvn -q -B package -DskipTests -pl trainer,benchmarks -am)
and a JDK 17's jlink and jdeps ($JAVA_HOME/bin, else the PATH's). Only the Python standard
library is used. Exit status: 0 when the archive was written, 1 when it could not be or came out
larger than the limit.
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT_MIB = 64
BUILD = "mvn -q -B package -DskipTests -pl trainer,benchmarks -am"
# Modules no jar names but the package needs: JMH's profilers (-prof gc) read com.sun.management.
EXTRA_MODULES = ["jdk.management"]
# The JNI builds the launcher can load: CUDA 12.8 for the GPU, cpu to check the package on a CPU.
JNI_FLAVORS = ["cu128", "cpu"]
# (jar, its dependency folder, the sources it is built from)
JARS = [
    ("trainer/target/keel.jar", "trainer/target/lib", ["pom.xml", "serving", "datasets", "trainer"]),
    ("benchmarks/target/benchmarks.jar", "benchmarks/target/lib", ["pom.xml", "serving", "datasets", "trainer",
                                                                  "benchmarks"]),
]


def fail(message):
    print(f"pack_gpu: {message}", file=sys.stderr)
    sys.exit(1)


def jdk_tool(name):
    home = os.environ.get("JAVA_HOME")
    path = os.path.join(home, "bin", name) if home else shutil.which(name)
    if not path or not os.path.isfile(path):
        fail(f"no {name} found (a JDK 17's; set JAVA_HOME)")
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith("17"):
        fail(f"{path} is version {version}; the package's runtime is Java 17")
    return path


def newer_sources(jar, sources):
    """The first source file newer than the jar (as the keel launcher's check), or None."""
    built = os.path.getmtime(jar)
    for source in sources:
        path = os.path.join(ROOT, source)
        if os.path.isfile(path):
            if os.path.getmtime(path) > built:
                return path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d != "target"]
            for name in files:
                if os.path.getmtime(os.path.join(folder, name)) > built:
                    return os.path.join(folder, name)
    return None


def collect_jars(app):
    """Copies the two jars into app/ and their dependencies, without the CPU natives, into app/lib."""
    lib = os.path.join(app, "lib")
    os.makedirs(lib)
    for jar, deps, sources in JARS:
        jar_path = os.path.join(ROOT, jar)
        if not os.path.isfile(jar_path):
            fail(f"{jar} is missing; build it first: {BUILD}")
        stale = newer_sources(jar_path, sources)
        if stale:
            fail(f"{os.path.relpath(stale, ROOT)} is newer than {jar}; build first: {BUILD}")
        shutil.copy2(jar_path, app)
        for name in sorted(os.listdir(os.path.join(ROOT, deps))):
            if name.startswith("pytorch-native-"):
                continue
            source, target = os.path.join(ROOT, deps, name), os.path.join(lib, name)
            if os.path.exists(target):
                if not filecmp.cmp(source, target, shallow=False):
                    fail(f"two different {name} in the dependency folders; rebuild: {BUILD}")
                continue
            shutil.copy2(source, target)
    return [os.path.join(app, os.path.basename(jar)) for jar, _, _ in JARS], sorted(
        os.path.join(lib, name) for name in os.listdir(lib))


def extract_jni(jars, out):
    """DJL's JNI for linux-x86_64 (JNI_FLAVORS) and its pytorch.properties from the pytorch-jni jar."""
    found = [jar for jar in jars if os.path.basename(jar).startswith("pytorch-jni-")]
    if len(found) != 1:
        fail(f"expected one pytorch-jni jar in the dependencies, found {len(found)}")
    names = ["jnilib/pytorch.properties"] + [f"jnilib/linux-x86_64/{f}/libdjl_torch.so" for f in JNI_FLAVORS]
    with zipfile.ZipFile(found[0]) as jar:
        for name in names:
            target = os.path.join(out, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with jar.open(name) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            os.chmod(target, 0o755 if name.endswith(".so") else 0o644)
    with open(os.path.join(out, names[0])) as properties:
        return dict(line.strip().split("=", 1) for line in properties if "=" in line)["jni_version"]


def make_runtime(mains, deps, out):
    """A jlink runtime with the modules the jars use; returns the module list."""
    jdeps, jlink = jdk_tool("jdeps"), jdk_tool("jlink")
    result = subprocess.run([jdeps, "-q", "-R", "--ignore-missing-deps", "--multi-release", "17",
                             "--print-module-deps", "--class-path", os.pathsep.join(deps)] + mains,
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"jdeps failed: {result.stderr.strip()}")
    modules = sorted(set(result.stdout.strip().split(",")) | set(EXTRA_MODULES))
    # The archive's gzip compresses the class files better than jlink's own zip of each one
    # (--compress=2: 31.6 MB of runtime in the archive, --compress=0: 25.6 MB), and the JVM then
    # reads them without unzipping.
    subprocess.run([jlink, "--add-modules", ",".join(modules), "--strip-debug", "--no-man-pages",
                    "--no-header-files", "--compress=0", "--output", out], check=True)
    return modules


def tree_size(path):
    return sum(os.path.getsize(os.path.join(folder, name)) for folder, _, files in os.walk(path)
               for name in files if not os.path.islink(os.path.join(folder, name)))


def version():
    with open(os.path.join(ROOT, "trainer/target/maven-archiver/pom.properties")) as properties:
        return dict(line.strip().split("=", 1) for line in properties if "=" in line)["version"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "dist"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="keel-gpu-") as staging:
        name = f"keel-gpu-{version()}"
        top = os.path.join(staging, name)
        os.makedirs(top)
        mains, deps = collect_jars(os.path.join(top, "app"))
        jni_version = extract_jni(deps, top)
        modules = make_runtime(mains, deps, os.path.join(top, "runtime"))
        os.makedirs(os.path.join(top, "bin"))
        shutil.copy(os.path.join(ROOT, "tools", "gpu_launcher.sh"), os.path.join(top, "bin", "keel"))
        os.chmod(os.path.join(top, "bin", "keel"), 0o755)
        os.symlink("keel", os.path.join(top, "bin", "benchmarks"))
        shutil.copy(os.path.join(ROOT, "tools", "keel_env.sh"), os.path.join(top, "bin", "keel_env.sh"))
        shutil.copytree(os.path.join(ROOT, "configs"), os.path.join(top, "configs"))
        print(f"runtime: {', '.join(modules)} ({tree_size(os.path.join(top, 'runtime')) / 2**20:.1f} MiB)")
        print(f"jars: {len(mains) + len(deps)} ({tree_size(os.path.join(top, 'app')) / 2**20:.1f} MiB); "
              f"DJL JNI {jni_version} for {', '.join(JNI_FLAVORS)}")

        os.makedirs(args.out_dir, exist_ok=True)
        archive = os.path.join(args.out_dir, name + ".tar.gz")
        with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
            tar.add(top, arcname=name, filter=owned_by_root)
    size = os.path.getsize(archive)
    if size > LIMIT_MIB * 2**20:
        os.remove(archive)
        fail(f"{archive} came out at {size / 2**20:.1f} MiB, over the {LIMIT_MIB} MiB limit; removed it")
    print(f"{archive}: {size / 2**20:.1f} MiB ({size:,} bytes; limit {LIMIT_MIB} MiB)")


def owned_by_root(info):
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


if __name__ == "__main__":
    main()
