#!/usr/bin/env bash
# Keel's launcher inside the GPU package (tools/pack_gpu.py): runs the packed Java runtime on the
# libtorch of the machine's Python PyTorch. Packed as bin/keel (the CLI) and bin/benchmarks (the
# JMH benchmarks, a link to bin/keel).
#
#   KEEL_PYTHON           the Python whose torch to use (default: python3)
#   PYTORCH_LIBRARY_PATH  a libtorch lib folder to use instead (PyTorch 2.7.x; then PYTORCH_VERSION
#                         says its version when it is not the JNI's)
#   KEEL_PYTORCH_FLAVOR   DJL's JNI to load: cu128 (default) or cpu (a CPU-only libtorch)
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

# DJL's JNI was built for one libtorch version: jni_version=<libtorch>-<DJL>, e.g. 2.7.1-0.36.0.
jni_version="$(sed -n 's/^jni_version=//p' "$home/jnilib/pytorch.properties")"
jni_torch="${jni_version%%-*}"
djl_version="${jni_version#*-}"
series="${jni_torch%.*}"

flavor="${KEEL_PYTORCH_FLAVOR:-cu128}"
case "$flavor" in
  cu128) need="PyTorch $series.x built for CUDA 12.x with the C++11 ABI" ;;
  cpu) need="PyTorch $series.x with the C++11 ABI" ;;
  *) echo "keel: KEEL_PYTORCH_FLAVOR=$flavor, but this package holds DJL's JNI for cu128 and cpu only" >&2
     exit 2 ;;
esac
hint=""
fail() {
  echo "keel: $1; needs $need$hint" >&2
  exit 2
}

if [ -n "${PYTORCH_LIBRARY_PATH:-}" ]; then
  lib="$PYTORCH_LIBRARY_PATH"
  version="${PYTORCH_VERSION:-$jni_torch}"
  found="PYTORCH_LIBRARY_PATH=$lib with PYTORCH_VERSION=$version"
else
  hint=" (or PYTORCH_LIBRARY_PATH=<its lib folder>)"
  python="${KEEL_PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 || fail "no $python found"
  where="$python ($(command -v "$python"))"
  # One line: torch's folder, version, CUDA version (None for a CPU build), C++11 ABI (True/False).
  probe="$("$python" -c '
import os, sys
try:
    import torch
except Exception as e:
    print("error\t%s: %s" % (type(e).__name__, e))
    sys.exit()
print("\t".join([os.path.dirname(torch.__file__), torch.__version__, str(torch.version.cuda),
                 str(torch._C._GLIBCXX_USE_CXX11_ABI)]))' 2>/dev/null | tail -n 1)" || true
  IFS=$'\t' read -r dir version cuda abi <<<"$probe" || true
  case "$dir" in
    error) fail "$where cannot import torch (${version:-no message})" ;;
    "") fail "$where printed nothing for torch" ;;
  esac
  lib="$dir/lib"
  build="CUDA $cuda"
  [ "$cuda" = None ] && build="CPU only"
  found="$where has PyTorch $version ($build, C++11 ABI $abi) at $dir"
  [ "$flavor" = cpu ] || case "$cuda" in 12.*) ;; *) fail "$found" ;; esac
  [ "$abi" = True ] || fail "$found"
fi
# DJL wants the bare X.Y.Z: 2.7.1+cu128 is 2.7.1.
[[ "$version" =~ ^([0-9]+\.[0-9]+\.[0-9]+) ]] || fail "$found"
version="${BASH_REMATCH[1]}"
case "$version" in "$series".*) ;; *) fail "$found" ;; esac
[ -f "$lib/libtorch.so" ] || fail "$found, but $lib holds no libtorch.so"
[ "$flavor" = cpu ] || [ -f "$lib/libtorch_cuda.so" ] || fail "$found, but $lib holds no libtorch_cuda.so"

# DJL loads libtorch from PYTORCH_LIBRARY_PATH and looks for its JNI first in its engine cache
# under <version>-<flavor>-<platform>; putting the packed JNI there serves every 2.7.x (DJL would
# take the JNI from pytorch-jni's jar only for the version it was built for). DJL_OFFLINE keeps
# DJL off the network.
export PYTORCH_LIBRARY_PATH="$lib" PYTORCH_VERSION="$version" PYTORCH_FLAVOR="$flavor" DJL_OFFLINE=true
export ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$home/engine-cache}"
jni="$home/jnilib/linux-x86_64/$flavor/libdjl_torch.so"
cached="$ENGINE_CACHE_DIR/pytorch/$version-$flavor-linux-x86_64/$djl_version-libdjl_torch.so"
if ! cmp -s "$jni" "$cached"; then
  mkdir -p "$(dirname "$cached")"
  cp "$jni" "$cached.$$"
  mv -f "$cached.$$" "$cached"
fi

# As the keel launcher at the repository's root: the allocator settings and the JVM's memory
# options (keel_memory_opts). Keel chooses oneDNN's CPU kernel cap from the model itself.
. "$home/bin/keel_env.sh"

java="$home/runtime/bin/java"
if [ "$(basename "$0")" = benchmarks ]; then
  # JMH's forks inherit the JVM's options: the benchmarks run with the JVM's defaults and, as
  # tools/bench_compare.py runs them on a CPU, oneDNN capped at AVX2.
  export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
  exec "$java" ${KEEL_JAVA_OPTS:-} -jar "$home/app/benchmarks.jar" "$@"
fi
exec "$java" $keel_memory_opts ${KEEL_JAVA_OPTS:-} -jar "$home/app/keel.jar" "$@"
