# The environment and JVM memory options of Keel's launchers: ./keel, and bin/keel of the GPU
# package (tools/pack_gpu.py packs this file next to it). Sourced, not run.

# glibc's allocator makes many arenas and page-faults heavily under libtorch; these settings keep
# native memory compact and training faster on small machines.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
# ONEDNN_MAX_CPU_ISA is not set here: Keel chooses it per model before the first convolution (by
# its per-CPU check of the model's convolutions against float64, else AVX2 when a convolution's
# input channels are not a multiple of 16, where libtorch 2.7.1's AVX-512 kernels gave NaN on one
# CPU) and records it in provenance.json. A value exported by the user passes through and wins.
export DJL_OFFLINE=true
# The JVM's heap holds the data (libtorch's tensors are native memory). The serial collector with a
# small fixed young generation and a heap kept 10-20% above what is live grows the heap only as far
# as the data needs, so a long run's memory stays flat (the JVM's default lets the heap wander up
# toward a quarter of the machine). KEEL_JAVA_MEMORY replaces these options; KEEL_JAVA_OPTS adds
# options after them (a later -Xmx wins).
keel_memory_opts="${KEEL_JAVA_MEMORY--XX:+UseSerialGC -Xmn16m -Xms32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20}"
