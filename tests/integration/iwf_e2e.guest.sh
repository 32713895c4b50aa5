#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): the reference topology of ARCHITECTURE
# §6 with two IWFs back to back through a real STP:
#   SIPp UAC -> stiwfd A (PC 100, SIP->ISUP) -> osmo-stp -> stiwfd B
#   (PC 200, ISUP->SIP) -> SIPp UAS
# with the test PKI, an HTTPS x5u server (tests/certs/httpsd) and SIP
# callers on three loopback addresses, one per policy of A:
#   127.0.0.1 continue, 127.0.0.2 identity-required, 127.0.0.3 reject.
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
UAS=$((base + 2)) BUSY=$((base + 3)) UAC=$((base + 4))
topo_pki

topo_head_a a.cfg
cat >>a.cfg <<EOF
sip-peer uac
 remote 127.0.0.1 $UAC
 on-stir-failure continue
 country-code 1
sip-peer uac-required
 remote 127.0.0.2 $UAC
 identity-required
 country-code 1
sip-peer uac-reject
 remote 127.0.0.3 $UAC
 on-stir-failure reject
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

topo_head_b b.cfg
cat >>b.cfg <<EOF
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
sip-peer busy
 remote 127.0.0.1 $BUSY
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 31
 country-code 1
 number-format international
 sip-peer uas
route 12025550017 sip-peer busy
EOF
topo_cs7 b >>b.cfg

topo_start 31
echo "ok: osmo-stp, stiwfd A (PC 100) and B (PC 200) up, circuits reset both ways (${SECONDS}s)"

# 1. A signed call: the original PASSporT reaches the callee.
value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U_A" --attest A \
	--orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
token=${value%%;*}
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "$token" "$X5U_A" >signed.csv
uas uas1 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac1 "$srcdir/contrib/sipp/uac_call_identity.xml" 127.0.0.1 signed.csv || fail "signed call not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
got=$(sed -n 's/^Identity: *//p' uas1.msgs | head -n 1 | tr -d '\r')
[ -n "$got" ] || fail "no Identity header reached the callee"
case $got in
"$token;info=<$X5U_A>;alg=ES256;ppt=shaken") ;;
*) fail "the callee's Identity is not the original one: $got" ;;
esac
out=$("$STIWF" passport verify --identity "$got" --orig 12025550002 --dest 12025550001 \
	--trust "$PKI_SHAKEN_TRUST_DIR" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>verify1.err) ||
	fail "stiwf passport verify refused the carried PASSporT: $out"
case $out in
*'"verstat":"TN-Validation-Passed"'*'"attest":"A"'*'"spc":"1234"'*) ;;
*) fail "carried PASSporT: $out" ;;
esac
grep -qi '^P-Asserted-Identity:.*verstat=TN-Validation-Passed' uas1.msgs ||
	fail "no verstat=TN-Validation-Passed on the callee's P-Asserted-Identity"
echo "ok: signed call answered and released; the callee got the original Identity (SP A, attest A, $out) and verstat=TN-Validation-Passed"

# 2. An unsigned call, policy continue: B signs a new PASSporT (attest B:
#    operator One is full and the map lets it vouch for 1202555).
printf 'SEQUENTIAL\n12025550003;12025550001\n' >plain.csv
uas uas2 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac2 "$srcdir/contrib/sipp/uac_call.xml" 127.0.0.1 plain.csv || fail "unsigned call not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
got=$(sed -n 's/^Identity: *//p' uas2.msgs | head -n 1 | tr -d '\r')
case $got in
*"info=<$X5U_B>"*) ;;
*) fail "the unsigned call arrived without B's PASSporT: '$got'" ;;
esac
out=$("$STIWF" passport verify --identity "$got" --orig 12025550003 --dest 12025550001 \
	--trust "$PKI_SHAKEN_TRUST_DIR" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>verify2.err) ||
	fail "stiwf passport verify refused B's PASSporT: $out"
case $out in
*'"attest":"B"'*'"spc":"5678"'*) ;;
*) fail "B's new PASSporT: $out" ;;
esac
echo "ok: unsigned call under 'continue' arrives with a new PASSporT by SP B (attest B): $out"

# 3. An unsigned call from the peer that requires Identity: 428.
uac uac3 "$SC/uac_expect_428.xml" 127.0.0.2 plain.csv || fail "no 428 for an unsigned call under identity-required"
echo "ok: unsigned call under 'identity-required' refused with 428"

# 4. A bad signature from the peer under 'reject': 438 with a Reason header.
sig=${token##*.}
first=${sig:0:1}
if [ "$first" = A ]; then repl=B; else repl=A; fi
bad="${token%.*}.${repl}${sig:1}"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "$bad" "$X5U_A" >bad.csv
uac uac4 "$srcdir/contrib/sipp/uac_call_rejected.xml" 127.0.0.3 bad.csv || fail "no 438 with Reason for a bad signature"
echo "ok: bad signature under 'reject' refused with 438 and Reason: cause=438"

# 5. Busy: the callee answers 486, B sends REL 17, A answers 486.
printf 'SEQUENTIAL\n12025550004;12025550017\n' >busy.csv
uas uas5 "$SC/uas_busy.xml" "$BUSY" || fail "SIPp busy UAS"
uac uac5 "$SC/uac_expect_486.xml" 127.0.0.1 busy.csv || fail "busy call did not end in 486"
wait_exit "$UAS_PID" 20 || fail "busy UAS did not finish"
echo "ok: busy callee: 486 -> REL 17 -> 486 at the caller"

# 6. The caller gives up while the callee rings, and has no number to
#    assert: CANCEL -> REL 16 -> CANCEL; the IAM has no Calling Party
#    Number, so B asserts none (no P-Asserted-Identity, From anonymous).
uas uas6 "$SC/uas_ring_cancel.xml" "$UAS" || fail "SIPp ringing UAS"
uac uac6 "$SC/uac_cancel.xml" 127.0.0.1 plain.csv || fail "cancelled call: no 200/487 at the caller"
wait_exit "$UAS_PID" 20 || fail "the ringing callee never got the CANCEL"
grep -q '^CANCEL ' uas6.msgs || fail "no CANCEL reached the callee"
grep -qi '^P-Asserted-Identity:' uas6.msgs && fail "a P-Asserted-Identity without a calling number"
grep -qi '^From:.*anonymous.invalid' uas6.msgs || fail "the callee's From is not anonymous"
echo "ok: caller CANCELs while ringing: REL 16, CANCEL and 487 at the callee; no calling number: anonymous, no PAI"

# the per-call log lines
wait_log a.log 'call-log \{' 6 10
wait_log b.log 'call-log \{' 4 10
na=$(grep -c 'call-log {' a.log)
nb=$(grep -c 'call-log {' b.log)
[ "$na" -ge 6 ] || fail "A wrote $na call-log lines, want 6"
[ "$nb" -ge 4 ] || fail "B wrote $nb call-log lines, want 4"
grep 'call-log {' a.log b.log | sed 's/^.*call-log /  /' | cut -c1-400

topo_stop
exit 0
