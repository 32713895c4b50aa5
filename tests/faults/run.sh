#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/faults/run.sh [--short | --full] [--cases F0,F1,...] [--soak-minutes N]
# tests/faults/run.sh --soak [MINUTES]
# The fault suite (docs/RELIABILITY.md): load through the dispatcher, an
# active and a standby stiwfd, osmo-stp and a far-end stiwfd, and one
# fault at a time; every call the caller placed must end with an answer
# or a final response.  Runs tests/faults/faults.guest.sh in a
# User-Mode-Linux guest when this kernel has no SCTP.
#   --short            F0 baseline, F1 kill -9 of the active, F4 Redis down
#                      (the default; what "make check" runs: F7 and F5 take
#                      90 s each even shortened, so they run in --full)
#   --full             F0 F1 F2 F3 F6 F4 F7 F5 ("make check-faults")
#   --cases LIST       these cases, in this order (F0 ... F7), in full
#   --soak-minutes N   afterwards, N minutes of load: a row a minute with
#                      memory, fds and calls in the tables of the active
#                      instance and the far end; they must stay flat
#   --soak [MINUTES]   only the soak, MINUTES (default 30) ("make check-soak")
# FAULT_RATE (calls a second, default 2) and FAULT_HOLD (ms, default 1500)
# set the load; FAULT_KEEP=1 keeps the logs of a passing run.
# Prints a table per case (sent, answered, dropped, failed by code, lost)
# and the measured times.  Exit status 0 when no call was lost and every
# case held.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
cases=F0,F1,F4
short=1
soak=0
while [ $# -gt 0 ]; do
	case $1 in
	--short) cases=F0,F1,F4 short=1 ;;
	--full) cases=F0,F1,F2,F3,F6,F4,F7,F5 short=0 ;;
	--cases) cases=${2:?--cases F0,F1,...} short=0; shift ;;
	--soak-minutes) soak=${2:?--soak-minutes N}; shift ;;
	--soak)
		cases="" soak=30 short=0
		case ${2:-} in [0-9]*) soak=$2; shift ;; esac
		;;
	-h | --help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown argument $1 (see --help)"; exit 2 ;;
	esac
	shift
done
case $soak in *[!0-9]*) echo "run.sh: --soak-minutes wants a whole number"; exit 2 ;; esac
case ,$cases, in *[!F0-9,]*) echo "run.sh: --cases wants a list like F0,F1,F4"; exit 2 ;; esac

mkdir -p "$top_builddir/tests/faults"
out=$(mktemp -d "$top_builddir/tests/faults/faults.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }
for p in redis-server redis-cli kamailio sipp osmo-stp faketime; do
	command -v $p >/dev/null || fail "$p not found (contrib/install-deps.sh installs the Debian packages)"
done
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
# the guest sees no environment of ours: what it needs goes in a file
{
	printf 'FAULT_CASES=%s\nFAULT_SOAK_MIN=%s\nFAULT_SHORT=%s\n' "$cases" "$soak" "$short"
	[ -z "${FAULT_RATE:-}" ] || printf 'FAULT_RATE=%d\n' "$FAULT_RATE"
	[ -z "${FAULT_HOLD:-}" ] || printf 'FAULT_HOLD=%d\n' "$FAULT_HOLD"
} >"$out/faults.env"
n=$(echo "$cases" | tr ',' '\n' | grep -c .)
# a generous bound for a slow, shared machine; the cases wait on events
limit=$(( 300 + n * 300 + soak * 66 + (soak > 0) * 120 ))
STIWF_UML_MEM=${STIWF_UML_MEM:-768M} bash "$srcdir/tests/integration/uml/run.sh" \
	"$srcdir/tests/faults/faults.guest.sh" "$out" "$limit" >"$out/run.log" 2>&1
rc=$?
grep -E '^transport' "$out/run.log"
if [ -s "$out/results.txt" ]; then cat "$out/results.txt"; fi
if [ $rc -ne 0 ]; then
	grep -vxF -f "$out/results.txt" "$out/run.log" 2>/dev/null | tail -n 80
	fail "the fault suite failed (exit $rc)"
fi
[ -n "${FAULT_KEEP:-}" ] || rm -rf "$out"
exit 0
