#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/bench/e2e.sh [--quick] [--keep] [TOP_BUILDDIR [SRCDIR]]
#
# End-to-end capacity of the reference topology of ARCHITECTURE §6 with real
# peers: SIPp -> stiwfd A -> osmo-stp -> stiwfd B -> SIPp at rising call
# rates, against Kamailio+secsipid on the same machine (signing only; and
# verifying and signing, as one IWF node does, alone and two chained),
# with the post-dial delay the IWFs add and their memory while they hold
# many established calls.  The work is done by
# tests/bench/e2e.guest.sh, run through tests/integration/uml/run.sh (in a
# User-Mode-Linux guest when this kernel has no SCTP).
#
# Progress goes to stderr; stdout gets exactly one JSON object.  --quick:
# two short steps and 1,000 held calls instead of up to 15 steps and
# 10,000 (make check runs it).  Its fields:
#   transport        "uml" (M3UA in a User-Mode-Linux guest) or "host-sctp"
#   quick, step_seconds, call_hold_ms, rates    how it ran
#   pair_signing     how the INVITEs got their Identity
#   pair, kamailio, kam_vs, kam_chain, direct   the five paths (see
#                    e2e.guest.sh), each with
#     steps[]        per rate: target_cps, achieved_cps (200 OKs per second
#                    over the step, SIPp's clock), calls (created),
#                    successful, failed (= calls - successful),
#                    failed_unexpected, failed_retrans, retransmissions,
#                    ok (no failure and at least 90% of the target rate),
#                    rtd_180_ms and rtd_200_ms (SIPp INVITE->180 and
#                    INVITE->200: median, p99, n), and for the pair
#                    transit_a_ms / transit_b_ms: the IWFs' own post-dial
#                    delay from their call-log "transit_us" (INVITE in to
#                    IAM out at A, IAM in to INVITE out at B)
#                    and cpu_ms_per_call_a / _b (user+system CPU time of
#                    stiwfd A / B0 during the step, per call created; for
#                    kam_chain cpu_ms_per_call_hop1 / _hop2, each
#                    Kamailio's processes);
#                    cpu_ms_per_call: the same for all the path puts
#                    between caller and callee (pair: A + B0 + osmo-stp;
#                    kamailio, kam_vs: all its processes; kam_chain: both
#                    Kamailio; direct: 0)
#     max_cps_no_failure   the highest rate whose step was ok (0: none)
#     rtd_180_ms (and transit_*_ms), cpu_ms_per_call (and _a, _b, _hop1,
#                    _hop2)   pooled over the steps that were ok
#   added_delay_ms   pair, kamailio, kam_vs, kam_chain: median and p99 of
#                    INVITE->180 minus the direct run's, pooled over the
#                    rates that were ok on both
#   ratio_pair_to_kamailio, ratio_pair_to_kam_vs, ratio_pair_to_kam_chain
#                    pair max_cps_no_failure / that path's
#   cpu_ratio_a_to_kam_vs, cpu_ratio_b_to_kam_vs   stiwfd A's (B0's) CPU
#                    per call over kam_vs's, each pooled over the rates
#                    that held on both paths (cpu_ratio_method says how)
#   cpu_ratio_pair_to_kam_chain   A + B0 over the two chained Kamailio,
#                    likewise
#   memory           target_calls, held_calls (established at once; fewer
#                    when the time ran out first),
#                    setup_cps, trunks, cics_per_trunk; a: rss_kb_idle,
#                    rss_kb_held, kb_per_call (VmRSS of stiwfd A); b[]:
#                    rss_kb_idle, rss_kb_held of each stiwfd B
# Stops early only on a failure; the rates stop rising at the first step
# that is not ok.
# TOP_BUILDDIR and SRCDIR default to $top_builddir and $srcdir, as in the
# integration tests, else to the current directory and this script's tree.
# Needs a plain (not sanitized) build with tests/certs/httpsd built.
# $STIWFD, $STIWF and $HTTPSD (the x5u server) name other programs than
# TOP_BUILDDIR's, and the logs go to a new directory in $STIWF_BENCH_DIR
# (default TOP_BUILDDIR/tests/bench): an installed "stiwf bench e2e" runs
# the copy of this script in $(pkgdatadir) with the installed programs.
# STIWF_UML_MEM overrides the guest memory (default 1536M).
#
# For memory work: --memory runs one 4 s step of 35 calls/s per path
# (they must still run: the JSON keeps its shape) and then holds 10,000
# calls at 35 calls/s, about 8 minutes in all; --hold N and --hold-rate R
# change the held calls and their rate.  --heap-probe (implies --keep)
# records, once the calls are held, glibc's malloc_stats() of stiwfd A in
# a.log (through gdb, which it then needs), its /proc smaps in heapprobe.smaps, and, when A runs
# under massif, a detailed snapshot in a.massif.  STIWF_BENCH_A_WRAPPER is
# put before stiwfd A's command line, e.g. "valgrind --tool=massif
# --massif-out-file=a.massif.end" (with --hold-rate 10: under valgrind A
# takes a few calls a second).
set -u
quick=0 keep=0 memory=0 probe=0 hold_n="" hold_r=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--keep) keep=1 ;;
	--memory) memory=1 ;;
	--hold) hold_n=$2; shift ;;
	--hold-rate) hold_r=$2; shift ;;
	--heap-probe) probe=1 keep=1 ;;
	-h | --help)
		sed -n '2,/^set -u/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "e2e: unknown option $1" >&2
		exit 2
		;;
	*) break ;;
	esac
	shift
done
top_builddir=$(readlink -f "${1:-${top_builddir:-.}}")
srcdir=$(readlink -f "${2:-${srcdir:-$(dirname "$0")/../..}}")
export top_builddir srcdir
say() { echo "e2e: $*" >&2; }
fail() {
	say "FAIL: $*"
	[ -n "${out:-}" ] && say "logs kept in $out"
	exit 1
}

# absolute: the guest runs in its output directory
STIWFD=$(readlink -f "${STIWFD:-$top_builddir/stiwfd}")
STIWF=$(readlink -f "${STIWF:-$top_builddir/stiwf}")
HTTPSD=$(readlink -f "${HTTPSD:-$top_builddir/tests/certs/httpsd}")
bench_dir=${STIWF_BENCH_DIR:-$top_builddir/tests/bench}
[ -x "$STIWFD" ] || fail "no $STIWFD (build first)"
[ -x "$STIWF" ] || fail "no $STIWF (build first)"
[ -x "$HTTPSD" ] || fail "no $HTTPSD (make tests/certs/httpsd)"
mkdir -p "$bench_dir"
out=$(mktemp -d "$bench_dir/e2e.XXXXXX") || exit 1

if [ $quick = 1 ]; then
	# a first step slow enough that a loaded machine carries it
	rates="10 25" secs=2 hold=1000 cics=400 hold_rate=100 hold_min=10 until=200 hold_until=330 limit=400
else
	# 3 x 4000 circuits carry the 10,000 held calls with room for the
	# calls a failed step leaves behind; rates rise by about sqrt(2) from
	# 12, low enough for two chained Kamailio verify+sign in the guest; no
	# new rate starts after 300 s.  The held calls are set up at the
	# pair's highest rate without failure: above it, failed and
	# retransmitted setups leave their transactions' memory behind and the
	# figure is no longer that of established calls.  At 35 calls/s that
	# takes about 5 minutes, so the whole run takes about 12.
	rates="12 18 25 35 50 70 100 140 200 280 400 560 800 1100 1600" secs=4 hold=10000 cics=4000
	hold_rate=100 hold_min=10 until=500 hold_until=920 limit=1000
fi
if [ $memory = 1 ]; then
	rates=35 hold_rate=35 hold_min=35
fi
case "$hold_n$hold_r" in
*[!0-9]*) fail "--hold and --hold-rate take a number" ;;
esac
[ -n "$hold_n" ] && hold=$hold_n
# malloc_stats() is called through gdb (not among the build's dependencies)
[ $probe = 1 ] && [ -z "${STIWF_BENCH_A_WRAPPER:-}" ] && ! command -v gdb >/dev/null &&
	fail "--heap-probe needs gdb (apt-get install gdb) or STIWF_BENCH_A_WRAPPER with massif"
[ -n "$hold_r" ] && hold_rate=$hold_r hold_min=$hold_r
cat >"$out/bench.env" <<EOF
E2E_QUICK=$([ $quick = 1 ] && echo true || echo false)
E2E_RATES="$rates"
E2E_STEP_SECS=$secs
E2E_CALL_MS=100
E2E_HOLD_CALLS=$hold
E2E_HOLD_RATE=$hold_rate
E2E_HOLD_RATE_MIN=$hold_min
E2E_HOLD_UNTIL=$hold_until
E2E_CICS=$cics
E2E_STEPS_UNTIL=$until
E2E_HEAP_PROBE=$probe
E2E_A_WRAPPER=$(printf %q "${STIWF_BENCH_A_WRAPPER:-}")
STIWFD=$(printf %q "$STIWFD")
STIWF=$(printf %q "$STIWF")
HTTPSD=$(printf %q "$HTTPSD")
EOF

# the test PKI is made here: openssl is much slower inside the guest
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI (see $out/pki.log)"
say "running tests/bench/e2e.guest.sh ($([ $quick = 1 ] && echo quick || echo full)); logs in $out"
STIWF_UML_MEM=${STIWF_UML_MEM:-1536M} bash "$srcdir/tests/integration/uml/run.sh" \
	"$srcdir/tests/bench/e2e.guest.sh" "$out" "$limit" >"$out/run.log" 2>&1
rc=$?
cat "$out/run.log" >&2
case $(sed -n 's/^transport: //p' "$out/run.log" | head -n 1) in
*User-Mode-Linux*) transport=uml ;;
*"host SCTP"*) transport=host-sctp ;;
*) transport=none ;;
esac
say "transport: $transport"
[ $rc = 0 ] || fail "the benchmark run failed (exit $rc)"
[ -s "$out/result.json" ] || fail "no result from the guest"
# the one JSON object, with the transport first
printf '{"transport":"%s",%s\n' "$transport" "$(sed 's/^{//' "$out/result.json")"
[ $keep = 1 ] || rm -rf "$out"
