#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): a forwarded call through the
# reference topology of ARCHITECTURE §6 (docs/FORWARDING.md):
#   SIPp UAC (INVITE with Diversion) -> stiwfd A (SIP->ISUP) -> osmo-stp
#   -> stiwfd B (ISUP->SIP) -> SIPp UAS
# A puts the Diversion into the IAM's Original Called Number, Redirecting
# Number and Redirection Information; B turns them into a Diversion header
# again.  A malformed Diversion is dropped with a log line naming the
# field, and the call goes on.  A signed forwarded call keeps its
# attestation (RFC 8946): A verifies the div PASSporT, carries it in the
# DIV TLV, and B rebuilds both Identity headers; an unsigned one gets B's
# SHAKEN and div PASSporTs.
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
# unsigned: B signs anew, the SHAKEN PASSporT for the number first called
# and a div PASSporT to the new target (docs/FORWARDING.md §4)
sed -n 's/^Identity: *//Ip' uas1.msgs | tr -d '\r' >ids1.txt
mapfile -t ids <ids1.txt
[ "${#ids[@]}" -eq 2 ] || fail "the unsigned forwarded call reached the callee with ${#ids[@]} Identity headers, not 2"
case ${ids[1]} in *';info=<'"$X5U_B"'>;alg=ES256;ppt=div') ;; *) fail "B's second Identity is no div PASSporT: ${ids[1]}" ;; esac
out=$("$STIWF" passport verify --identity "${ids[0]}" --identity "${ids[1]}" --orig 12025550002 --dest 12025550177 \
	--trust "$PKI_SHAKEN_TRUST_DIR" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>verify1.err) ||
	fail "stiwf passport verify refused B's PASSporTs: $out $(cat verify1.err)"
case $out in
*'"verstat":"TN-Validation-Passed"'*'"attest":"B"'*'"spc":"5678"'*'"div":"passed"'*'"judged_dest":"12025550100"'*) ;;
*) fail "B's PASSporTs for the unsigned forwarded call: $out" ;;
esac
echo "ok: unsigned forwarded call: B signed a SHAKEN PASSporT for +12025550100 and a div PASSporT to +12025550177: $out"

# 2. Signed and forwarded (RFC 8946): SP A signed the call to +12025550100,
#    SP B's div PASSporT says it went on to +12025550177.  A verifies both
#    (the SHAKEN PASSporT against the number first called), the IAM carries
#    them in the PASSPORT and DIV TLVs, and B rebuilds both headers byte for
#    byte.
shaken=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U_A" --attest A \
	--orig 12025550002 --dest 12025550100) || fail "stiwf passport sign"
divpp=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_B_KEY" --x5u "$X5U_B" --div 12025550100 \
	--orig 12025550002 --dest 12025550177) || fail "stiwf passport sign --div"
printf 'SEQUENTIAL\n12025550002;12025550177;12025550100;%s;%s;%s;%s\n' "${shaken%%;*}" "$X5U_A" "${divpp%%;*}" \
	"$X5U_B" >fwdsigned.csv
uas uas3 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac3 "$SC/uac_forwarded_signed.xml" 127.0.0.1 fwdsigned.csv || fail "signed forwarded call not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
grep -q "'div' PASSporT (RFC 8946) verified: diverted from 12025550100" a.log ||
	fail "A did not verify the div PASSporT"
grep -q "IAM 12025550002 -> 12025550177 .*(HOP yes, PASSPORT yes, DIV yes" a.log ||
	fail "A's IAM did not carry the PASSPORT and DIV TLVs"
sed -n 's/^Identity: *//Ip' uas3.msgs | tr -d '\r' >ids3.txt
mapfile -t ids <ids3.txt
[ "${#ids[@]}" -eq 2 ] || fail "the signed forwarded call reached the callee with ${#ids[@]} Identity headers, not 2"
[ "${ids[0]}" = "$shaken" ] || fail "the callee's first Identity is not SP A's SHAKEN PASSporT: ${ids[0]}"
[ "${ids[1]}" = "$divpp" ] || fail "the callee's second Identity is not SP B's div PASSporT: ${ids[1]}"
grep -qi '^P-Asserted-Identity:.*verstat=TN-Validation-Passed' uas3.msgs ||
	fail "no verstat=TN-Validation-Passed on the callee's P-Asserted-Identity"
grep -q "INVITE +12025550002 -> +12025550177 to uas (.*div PASSporT rebuilt" b.log ||
	fail "B did not say it rebuilt the div PASSporT"
echo "ok: signed forwarded call: A verified the div PASSporT and sent DIV; the callee got both original Identity headers and verstat=TN-Validation-Passed"

# 3. A malformed Diversion: dropped with a log line, the call goes on.
uas uas2 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac2 "$SC/uac_forwarded_bad.xml" 127.0.0.1 fwd.csv || fail "call with a malformed Diversion not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
grep -qi '^Diversion:' uas2.msgs && fail "a malformed Diversion was carried to the callee"
grep -q "Diversion: entry 1: 'counter' is not 1..99" a.log || fail "A did not log which Diversion field was wrong"
echo "ok: malformed Diversion dropped with \"Diversion: entry 1: 'counter' is not 1..99\"; the call completed"

# 4. The verdicts on the div PASSporTs count on the sip-peer the calls
#    came from: one verified (call 2), none failed.
out=$("$STIWF" vty --port "$VTY_A" 'show metrics') || fail "VTY show metrics: $out"
echo "$out" | grep -q '^stiwf_sip_peer_div_passed_total{index="0",name="uac"} 1$' ||
	fail "A's sip-peer uac did not count one div PASSporT verified: $(echo "$out" | grep div_)"
echo "$out" | grep -q '^stiwf_sip_peer_div_failed_total{index="0",name="uac"} 0$' ||
	fail "A's sip-peer uac counted a failed div PASSporT: $(echo "$out" | grep div_)"
echo "ok: sip-peer uac counters: div:passed 1, div:failed 0"

topo_stop
exit 0
