#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/syscalls.sh [--calls N] [--rate R] [--rounds K] [TOP_BUILDDIR [SRCDIR]]
# System calls, clock reads and event-loop turns (ppoll) per call of
# stiwfd A (SIP->ISUP) and B (ISUP->SIP) under SIPp load, counted with
# `strace -c -f` in tests/bench/syscalls.guest.sh (see there), inside the
# User-Mode-Linux guest when this kernel has no SCTP: there clock reads
# are system calls, as they are for stiwfd wherever there is no vDSO.
# Prints, per node, each system call's count per call (median of the
# rounds, the idle cost of as long a time subtracted), and the totals.
# STIWFD=PATH measures another stiwfd binary (e.g. an older build).
# Not a test: nothing is asserted.  docs/BENCHMARKS.md quotes its figures.
set -u
calls=500 rate=25 rounds=3
while [ $# -gt 0 ]; do
	case $1 in
	--calls) calls=$2; shift 2 ;;
	--rate) rate=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	*) break ;;
	esac
done
top_builddir=$(readlink -f "${1:-${top_builddir:-.}}")
srcdir=$(readlink -f "${2:-${srcdir:-$(dirname "$0")/../..}}")
export top_builddir srcdir
STIWFD=$(readlink -f "${STIWFD:-$top_builddir/stiwfd}")
mkdir -p "$top_builddir/tests/bench"
out=$(mktemp -d "$top_builddir/tests/bench/syscalls.XXXXXX") || exit 1
{
	echo "SC_CALLS=$calls"
	echo "SC_RATE=$rate"
	echo "SC_ROUNDS=\"$(seq -s ' ' 1 "$rounds")\""
	echo "STIWFD=$(printf %q "$STIWFD")"
} >"$out/sc.env"
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || { echo "test PKI failed: $out/pki.log" >&2; exit 1; }
STIWF_UML_MEM=${STIWF_UML_MEM:-768M} bash "$srcdir/tests/integration/uml/run.sh" \
	"$srcdir/tests/bench/syscalls.guest.sh" "$out" $((rounds * (2 * calls / rate + 20) + 200)) >"$out/run.log" 2>&1
rc=$?
cat "$out/run.log" >&2
[ $rc = 0 ] && [ -s "$out/result.txt" ] || { echo "syscalls: the run failed; logs in $out" >&2; exit 1; }
echo "stiwfd $STIWFD: $calls calls at $rate/s, $rounds rounds; per call, median of the rounds (load minus idle)"
# median M of the values of each key (first field), values sorted numerically
median() {
	sort -k1,1 -k2,2g | awk '
		function out() { if (n) printf "%s %.2f\n", k, v[int((n + 1) / 2)] }
		$1 != k { out(); k = $1; n = 0 }
		{ v[++n] = $2 }
		END { out() }'
}
for n in a b; do
	{
		awk -v n="$n" -v c="$calls" '$2 == n && $3 != "total" { printf "%s %.4f\n", $3, ($4 - $5) / c }' "$out/result.txt" | median
		awk -v n="$n" -v c="$calls" '$2 == n && $3 != "total" { s[$1] += ($4 - $5) / c } END { for (r in s) printf "TOTAL %.4f\n", s[r] }' \
			"$out/result.txt" | median
	} | sort -k2,2gr | sed "s/^/$n /"
done
echo "logs in $out"
