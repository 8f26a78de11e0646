#!/usr/bin/env bash
# Builds nclab's native kernels (nclab_kernels.c) into OUT_DIR/libnclab_kernels.so for nclab.linalg.NativeKernels.
# Called by the core module's build (profile native-kernels, active where /usr/bin/gcc exists) with the output
# folder and the JDK's home (for jni.h). Skips, with a note, where the kernels cannot run (not Linux on x86-64) or
# no JNI or C headers are found: the solver then keeps its Java and BLAS paths. A compiler error fails the build.
set -euo pipefail
out_dir="$1"
jdk_home="$2"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/nclab_kernels.c"
lib="$out_dir/libnclab_kernels.so"

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  echo "[native-kernels] skipped: built for Linux on x86-64 only ($(uname -s) $(uname -m) here)"
  exit 0
fi
include="$jdk_home/include"
[ -f "$include/jni.h" ] || include="$(dirname "$jdk_home")/include"  # a JRE home inside a JDK (Java 8 layout)
if [ ! -f "$include/jni.h" ] || [ ! -f "$include/linux/jni_md.h" ]; then
  echo "[native-kernels] skipped: no jni.h under $jdk_home (install the JDK, not only a JRE)"
  exit 0
fi
if ! printf '#include <math.h>\n#include <immintrin.h>\n' | gcc -E -x c - >/dev/null 2>&1; then
  echo "[native-kernels] skipped: gcc finds no C library headers (install libc6-dev)"
  exit 0
fi
if [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$lib" -nt "${BASH_SOURCE[0]}" ]; then
  exit 0  # up to date
fi
mkdir -p "$out_dir"
tmp="$(mktemp "$out_dir/.libnclab_kernels.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
# Plain x86-64 code for the file, AVX2 + FMA only inside the kernels (target attributes): the library loads on any
# x86-64 processor and answers NativeKernels.supported() itself. -ffp-contract=off: only the fused multiply-adds
# written in the source, so the kernels' rounding is the source's, whatever the compiler version.
gcc -O3 -std=gnu11 -fPIC -shared -ffp-contract=off -fno-math-errno -Wall -Wextra -Werror \
  -I"$include" -I"$include/linux" "$src" -o "$tmp" -lm
mv -f "$tmp" "$lib"
trap - EXIT
echo "[native-kernels] built $lib"
