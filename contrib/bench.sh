#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/bench.sh [STIWF-BENCH-OPTIONS...]
# Install what is missing, build stiwf as it is deployed (optimised, no
# sanitizers) in build-bench/, and run every benchmark:
#   stiwf bench all --json-out build-bench/bench.json [options]
# The figures print as text; the JSON holds the same figures under the
# names docs/BENCHMARKS.md documents, and contrib/bench-table.jq turns it
# into that file's tables, printed at the end.  The end-to-end part boots the ARCHITECTURE
# §6 topology (in a User-Mode-Linux guest when the kernel has no SCTP) and
# takes several minutes.  Options go to "stiwf bench", e.g. --no-e2e or
# --rounds 11.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
contrib/install-deps.sh
contrib/build.sh build-bench >build-bench.log 2>&1 || {
	tail -n 40 build-bench.log
	echo "bench: build failed (full log in build-bench.log)"
	exit 1
}
# the end-to-end topology's x5u server
make -C build-bench -j"$(nproc)" tests/certs/httpsd >>build-bench.log 2>&1 || {
	tail -n 20 build-bench.log
	echo "bench: build failed (full log in build-bench.log)"
	exit 1
}
echo "bench: $(build-bench/stiwf version 2>/dev/null | head -n 1), $(nproc) cores, $(openssl version)"
srcdir=$top top_builddir=$top/build-bench \
	build-bench/stiwf bench all --json-out build-bench/bench.json "$@"
echo "bench: JSON in build-bench/bench.json; as the tables of docs/BENCHMARKS.md:"
echo
jq -r -f contrib/bench-table.jq build-bench/bench.json
