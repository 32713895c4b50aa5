#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): two IWFs back to back through a
# real STP, and two SIPp carriers p1 and p2 behind B, both answering
# OPTIONS (-aa) and calls.  B routes 1202... to p1 and 1... to p2, and
# probes both every second (down after 2 failures):
#   1. both up: a call to 12025550001 reaches p1;
#   2. p1 stops: down; the next call reaches p2, B logs the skipped route;
#   3. p2 stops too: down; the next call is released with cause 41, which
#      A's caller sees as 503, and B's call-log says "peer-down";
#   4. p1 starts again: up; the next call reaches p1 again.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
fail() {
	echo "FAIL: $*"
	for f in a.log b.log stp.log; do
		echo "--- $f"
		tail -n 120 "$f" 2>/dev/null
	done
	for f in *.err; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}

. "$srcdir/tests/integration/iwf_topology.sh"
P1=$((base + 2)) P2=$((base + 3)) UAC=$((base + 4))

topo_common_log >a.cfg
cat >>a.cfg <<EOF
line vty
 bind 127.0.0.1 $VTY_A
sip
 local 127.0.0.1 $SIP_A
 transport udp
sip-peer uac
 remote 127.0.0.1 $UAC
 on-stir-failure continue
 country-code 1
ss7-peer iwf-b
 cs7-instance 0
 point-code 200
 cic 1 31
 country-code 1
 number-format international
route 1 ss7-peer iwf-b
EOF
topo_cs7 a >>a.cfg

topo_common_log >b.cfg
cat >>b.cfg <<EOF
line vty
 bind 127.0.0.1 $VTY_B
sip
 local 127.0.0.1 $SIP_B
 transport udp
sip-peer p1
 remote 127.0.0.1 $P1
 keepalive interval 1
 keepalive failures 2
 country-code 1
sip-peer p2
 remote 127.0.0.1 $P2
 keepalive interval 1
 keepalive failures 2
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 31
 country-code 1
 number-format international
route 1202 sip-peer p1
route 1 sip-peer p2
EOF
topo_cs7 b >>b.cfg

# carrier VAR NAME PORT: SIPp's built-in callee, answering OPTIONS too
carrier() {
	sipp_bg "$1" -sn uas -aa -i 127.0.0.1 -p "$3" -trace_msg -message_file "$2.msgs" \
		-trace_err -error_file "$2.err" || fail "SIPp $2 did not start"
}
# invites FILE: the INVITEs a carrier got
invites() { grep -c "^INVITE sip:" "$1" 2>/dev/null; }	# retransmissions count too

carrier P1_PID p1 "$P1"
carrier P2_PID p2 "$P2"
topo_start 31
echo "ok: osmo-stp, stiwfd A and B up, circuits reset (${SECONDS}s)"
wait_log b.log 'sip-peer p1: up \(OPTIONS answered 200' 1 20 || fail "p1 never came up"
wait_log b.log 'sip-peer p2: up \(OPTIONS answered 200' 1 20 || fail "p2 never came up"

printf 'SEQUENTIAL\n12025550003;12025550001\n' >call.csv
# 1. both up: the longest route, p1
uac call1 "$srcdir/contrib/sipp/uac_call.xml" 127.0.0.1 call.csv || fail "call 1 not completed"
[ "$(invites p1.msgs)" -ge 1 ] || fail "call 1 did not reach p1"
[ "$(invites p2.msgs)" = 0 ] || fail "call 1 reached p2"
echo "ok: both carriers up: the call takes route 1202, p1"

# 2. p1 stops: down after 2 failures, calls go to p2
kill "$P1_PID"
wait_exit "$P1_PID" 10 || fail "SIPp p1 did not stop"
wait_log b.log 'sip-peer p1: down after 2 failed OPTIONS' 1 30 || fail "p1 not marked down"
"$STIWF" vty --port "$VTY_B" 'show routes' | grep -Eq '^1202 +sip-peer +p1 \(down\)' ||
	fail "show routes does not mark p1's route down"
uac call2 "$srcdir/contrib/sipp/uac_call.xml" 127.0.0.1 call.csv || fail "call 2 not completed"
[ "$(invites p2.msgs)" -ge 1 ] || fail "call 2 did not reach p2"
grep -q '1 route(s) for 12025550001 skipped (sip-peer down): to sip-peer p2' b.log ||
	fail "B did not log the skipped route"
grep 'call-log {' b.log | tail -n 1 | grep -q '"sip_peer":"p2"' || fail "B's call-log: not p2"
echo "ok: p1 down: the call fails over to route 1, p2"

# 3. p2 stops too: cause 41, 503 at the caller, "peer-down"
kill "$P2_PID"
wait_exit "$P2_PID" 10 || fail "SIPp p2 did not stop"
wait_log b.log 'sip-peer p2: down after 2 failed OPTIONS' 1 30 || fail "p2 not marked down"
uac call3 "$SC/uac_expect_503.xml" 127.0.0.1 call.csv || fail "call 3 did not end in 503"
grep -q 'every sip-peer for 12025550001 is down: released (peer-down)' b.log || fail "no peer-down log line"
grep 'call-log {' b.log | tail -n 1 | grep -q '"cause":41,"end":"peer-down"' ||
	fail "B's call-log: not cause 41 / peer-down: $(grep 'call-log {' b.log | tail -n 1)"
echo "ok: both down: REL cause 41 (peer-down), 503 at the caller"

# 4. p1 back: up on its first answer, calls go to it again
carrier P1B_PID p1b "$P1"
wait_log b.log 'sip-peer p1: up \(OPTIONS answered 200' 2 30 || fail "p1 did not come up again"
uac call4 "$srcdir/contrib/sipp/uac_call.xml" 127.0.0.1 call.csv || fail "call 4 not completed"
[ "$(invites p1b.msgs)" -ge 1 ] || fail "call 4 did not reach p1"
echo "ok: p1 up again: the call takes route 1202 again"

kill "$P1B_PID"
topo_stop
exit 0
