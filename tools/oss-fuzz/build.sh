#!/bin/bash -eu
# SPDX-License-Identifier: MIT
# OSS-Fuzz / ClusterFuzzLite build script (docs/oss-fuzz.md). Follows the
# build.sh conventions: compiles with $CC and $CFLAGS (the engine's and the
# sanitizer's flags), links each fuzzer with $LIB_FUZZING_ENGINE (libFuzzer:
# -fsanitize=fuzzer; AFL++: libAFLDriver.a with CC=afl-clang-fast), and
# writes into $OUT, per predefined target NAME:
#   $OUT/emu-libfuzzer-NAME                  the fuzzer (afl/emu-libfuzzer.c;
#                                            its name picks the target)
#   $OUT/emu-libfuzzer-NAME_seed_corpus.zip  its seeds (tools/seeds)
#   $OUT/emu-libfuzzer-NAME.dict             its dictionary (tools/seeds)
#   $OUT/emu-libfuzzer-NAME.options          engine options
# and $OUT/lib/ with the shared libraries the runner image lacks (glib).
# $SRC is the folder above the checkout (default: this tree's parent); the
# build goes to $WORK/emufuzz-build, and a plain one that makes the seeds
# and dictionaries (tools/seeds) to $WORK/emufuzz-seeds. $FUZZING_ENGINE
# (libfuzzer, afl, ...)
# is only reported: the flags carry the engine.
#
# Locally, with clang and libFuzzer:
#   OUT=/tmp/out WORK=/tmp/work CC=clang \
#   CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer tools/oss-fuzz/build.sh
here=$(cd "$(dirname "$0")/../.." && pwd)
: "${SRC:=$(dirname "$here")}"
: "${OUT:?set OUT to the output folder}"
: "${WORK:=$(mktemp -d)}"
: "${CC:=clang}"
: "${CFLAGS:=}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${FUZZING_ENGINE:=libfuzzer}"
build=$WORK/emufuzz-build
mkdir -p "$OUT" "$OUT/lib" "$WORK"
cd "$here"
echo "oss-fuzz build: engine $FUZZING_ENGINE, CC $CC, output $OUT" >&2

# The libraries with the engine's flags: every object gets the coverage and
# sanitizer instrumentation of $CFLAGS. No -Werror: the flags are not ours.
if [ ! -f "$build/build.ninja" ]; then
    CC="$CC" CFLAGS="$CFLAGS" meson setup "$build" -Dtests=false -Dlibfuzzer=false \
        -Dwerror=false -Db_lundef=false --buildtype=plain >/dev/null
fi
ninja -C "$build" libharness.a libhw.a libemu.a >/dev/null

# shellcheck disable=SC2086
"$CC" $CFLAGS -std=c11 -D_GNU_SOURCE -I. $(pkg-config --cflags glib-2.0) \
    -c afl/emu-libfuzzer.c -o "$build/emu-libfuzzer.o"
# shellcheck disable=SC2086
"$CC" $CFLAGS "$build/emu-libfuzzer.o" $LIB_FUZZING_ENGINE \
    "$build/libharness.a" "$build/libhw.a" "$build/libemu.a" \
    $(pkg-config --libs glib-2.0) -Wl,-rpath,'$ORIGIN/lib' -o "$build/emu-fuzz"

# glib and what it needs, for runner images that do not have them.
ldd "$build/emu-fuzz" | awk '/=> \// {print $3}' | grep -E 'libglib|libpcre' |
    while read -r lib; do cp -L "$lib" "$OUT/lib/"; done

# The seeds and dictionaries, made from targets/ by a plain build of
# emu-seeds (no engine or sanitizer flags: it runs here, not in $OUT).
seeds_build=$WORK/emufuzz-seeds
if [ ! -f "$seeds_build/build.ninja" ]; then
    CC="$CC" CFLAGS="" LDFLAGS="" meson setup "$seeds_build" -Dtests=false \
        -Dlibfuzzer=false -Dwerror=false --buildtype=plain >/dev/null
fi
ninja -C "$seeds_build" emu-seeds >/dev/null
python3 tools/seeds --build "$seeds_build" >&2

# The targets, from the fuzzer itself (it lists them when given none).
targets=$("$build/emu-fuzz" 2>&1 | awk '/^  [A-Za-z]/ && $1 != "generic-fuzz" {print $1}' || true)
[ -n "$targets" ] || { echo "oss-fuzz build: no targets listed" >&2; exit 1; }
for t in $targets; do
    name=emu-libfuzzer-$t
    cp "$build/emu-fuzz" "$OUT/$name"
    if [ -d "$seeds_build/seeds/$t" ]; then
        python3 -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for f in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], f), f)' "$OUT/${name}_seed_corpus.zip" \
            "$seeds_build/seeds/$t"
    fi
    [ -f "$seeds_build/dictionaries/$t.dict" ] && cp "$seeds_build/dictionaries/$t.dict" "$OUT/$name.dict"
    cat >"$OUT/$name.options" <<EOF
[libfuzzer]
max_len = 65536
dict = $name.dict
[afl]
dict = $name.dict
EOF
    echo "oss-fuzz build: $OUT/$name" >&2
done
