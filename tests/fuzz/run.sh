#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/run.sh NAME|tests/fuzz/NAME.fuzz [SECONDS]
# Run one harness over its seed corpus.  In a --enable-fuzz (clang) build the
# harness is a libFuzzer binary and runs for SECONDS (default 10; "make fuzz"
# passes FUZZ_SECONDS); otherwise it replays the corpus once.
set -eu
name=$(basename "$1" .fuzz)
secs=${2:-${FUZZ_SECONDS:-10}}
srcdir=${srcdir:-.}
bin=tests/fuzz/${name}_fuzzer
corpus=$srcdir/tests/fuzz/corpus/$name
if "$bin" -help=1 2>&1 | grep -q libFuzzer; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	echo "fuzz: $name with libFuzzer for ${secs}s"
	"$bin" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "$work" "$corpus"
else
	echo "fuzz: $name replaying its corpus (build with --enable-fuzz CC=clang to fuzz)"
	"$bin" "$corpus"
fi
