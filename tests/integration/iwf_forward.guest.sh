#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): a forwarded call through the
# reference topology of ARCHITECTURE §6 (docs/FORWARDING.md):
#   SIPp UAC (INVITE with Diversion) -> stiwfd A (SIP->ISUP) -> osmo-stp
#   -> stiwfd B (ISUP->SIP) -> SIPp UAS
# A puts the Diversion into the IAM's Original Called Number, Redirecting
# Number and Redirection Information; B turns them into a Diversion header
# again.  A malformed Diversion is dropped with a log line naming the
# field, and the call goes on.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
fail() {
	echo "FAIL: $*"
	for f in a.log b.log stp.log dumpcap.log tls/httpsd.log; do
		echo "--- $f"
		tail -n 120 "$f" 2>/dev/null
	done
	for f in *.err; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}

. "$srcdir/tests/integration/iwf_topology.sh"
UAS=$((base + 2)) UAC=$((base + 4))
topo_pki

topo_head_a a.cfg
cat >>a.cfg <<EOC
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
EOC
topo_cs7 a >>a.cfg

topo_head_b b.cfg
cat >>b.cfg <<EOC
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 31
 country-code 1
 number-format international
 sip-peer uas
EOC
topo_cs7 b >>b.cfg

topo_start 31
echo "ok: osmo-stp, stiwfd A (PC 100) and B (PC 200) up (${SECONDS}s)"

# 1. +12025550100 was busy and forwarded the call to +12025550177.
printf 'SEQUENTIAL\n12025550002;12025550177;12025550100\n' >fwd.csv
uas uas1 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac1 "$SC/uac_forwarded.xml" 127.0.0.1 fwd.csv || fail "forwarded call not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
got=$(sed -n 's/^Diversion: *//Ip' uas1.msgs | head -n 1 | tr -d '\r')
[ "$got" = "<tel:+12025550100>;reason=user-busy;counter=1;privacy=off" ] ||
	fail "the callee's Diversion is '$got', not the redirecting number +12025550100, user busy"
grep -q '^INVITE sip:+12025550177@' uas1.msgs || fail "the INVITE did not reach the new target +12025550177"
echo "ok: forwarded call answered; the callee got Diversion: $got"

# 2. A malformed Diversion: dropped with a log line, the call goes on.
uas uas2 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac2 "$SC/uac_forwarded_bad.xml" 127.0.0.1 fwd.csv || fail "call with a malformed Diversion not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
grep -qi '^Diversion:' uas2.msgs && fail "a malformed Diversion was carried to the callee"
grep -q "Diversion: entry 1: 'counter' is not 1..99" a.log || fail "A did not log which Diversion field was wrong"
echo "ok: malformed Diversion dropped with \"Diversion: entry 1: 'counter' is not 1..99\"; the call completed"

topo_stop
exit 0
