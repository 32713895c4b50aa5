#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): the topology of iwf_e2e.guest.sh
# (iwf_topology.sh) for the ARCHITECTURE §4 cases it does not cover:
#   1. the callee hangs up: BYE -> REL 16 -> BYE at the caller
#   2. a PASSporT in non-canonical JSON: A verifies it but cannot carry it;
#      B signs a new one
#   3. IAMs injected towards B by a test ASP (tests/ss7/isup_peer, role
#      inject) at PC 300, B's peer "strict" (hop-required, hop-bind require):
#      HOP by the revoked operator "rogue" -> REL 21; a valid IAM sent twice
#      -> the replay gets REL 21; a valid IAM signed before B started (the
#      startup quiet, no waiting: its iat is set in the past) -> REL 21; a
#      valid IAM bound to another network -> REL 21
#   4. the same from PC 400, B's peer "lenient": the rogue's call goes on
#      with a new PASSporT at attest C
#   5. glare: A and B seize the single circuit between them at once
#   6. early media (180 with SDP <-> ACM with in-band information) and a
#      caller's hold and resume (CPG remote hold / retrieval)
# A and B share one circuit (cic 1 1) so that 5 seizes the same CIC; A binds
# its HOPs to B ("hop-bind send ZZ-B"), and B requires it of A, so that
# every call from A crosses a bound HOP.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
. "$srcdir/tests/integration/lib-stir.sh"
fail() {
	echo "FAIL: $*"
	for f in a.log b.log stp.log dumpcap.log inj*.log tls/httpsd.log; do
		echo "--- $f"
		tail -n 120 "$f" 2>/dev/null
	done
	for f in *.err; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}

. "$srcdir/tests/integration/iwf_topology.sh"
UAS=$((base + 2)) UAC=$((base + 4))
PEER=$top_builddir/tests/ss7/isup_peer
topo_pki
# B finds the rogue operator's certificate by key-id too: only the CRL
# (the national CA revoked the rogue's CA) shuts it out
cp "$PKI_TSCA_ROGUE_CHAIN" ops/

topo_head_a a.cfg
cat >>a.cfg <<EOF
sip-peer uac
 remote 127.0.0.1 $UAC
 on-stir-failure continue
 country-code 1
ss7-peer iwf-b
 cs7-instance 0
 point-code 200
 cic 1 1
 country-code 1
 number-format international
 hop-bind send ZZ-B
route 1 ss7-peer iwf-b
EOF
topo_cs7 a >>a.cfg

topo_head_b b.cfg
{
	for ca in tsca-root national-ca op1-ca rogue-ca op2-ca; do
		echo " crl-file $PKI_TSCA_CRL_DIR/$ca.crl.pem"
	done
	# long enough that the IAM signed before B's start is still inside
	# the window when case 3 sends it (it must fail by the quiet alone)
	echo " hop-window 600"
	cat <<EOF
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
sip-peer uac-b
 remote 127.0.0.4 $UAC
 on-stir-failure continue
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 1
 country-code 1
 number-format international
 hop-bind require ZZ-B
 sip-peer uas
ss7-peer strict
 cs7-instance 0
 point-code 300
 cic 1 8
 country-code 1
 number-format international
 hop-required
 hop-bind require ZZ-B
 sip-peer uas
ss7-peer lenient
 cs7-instance 0
 point-code 400
 cic 1 8
 country-code 1
 number-format international
 sip-peer uas
route 1 ss7-peer iwf-a
EOF
	topo_cs7 b
} >>b.cfg

# osmo-stp with two more static ASPs for the injecting endpoints
{
	cat "$srcdir/contrib/ss7/osmo-stp.cfg"
	for n in 3 4; do
		cat <<EOF
 asp asp-$n 290$((n + 5)) 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 as as-$n m3ua
  asp asp-$n
  routing-key ${n}0 ${n}00
 route-table system
  update route ${n}00 16777215 linkset as-$n
EOF
	done
} >stp.cfg
# inj_cfg N: the endpoint's cs7 node, PC N00
inj_cfg() {
	cat >"inj$1.cfg" <<EOF
log stderr
 logging level set-all notice
cs7 instance 0
 point-code format 24
 point-code ${1}00
 asp asp-$1 2905 290$(($1 + 5)) m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-$1 m3ua
  asp asp-$1
  routing-key ${1}0 ${1}00
EOF
}
inj_cfg 3
inj_cfg 4

# every HOP signed before this is older than B's start (case 3)
before_b=$(date +%s)
topo_start 1 stp.cfg
echo "ok: osmo-stp with 4 ASPs, stiwfd A (PC 100) and B (PC 200) up, their single circuit reset both ways (${SECONDS}s)"

# last_call_log FILE: the newest call-log JSON line of an IWF
last_call_log() {
	grep 'call-log {' "$1" | tail -n 1 | sed 's/^.*call-log //'
}
# identity_of MSGS: the first Identity header value the callee received
identity_of() {
	sed -n 's/^Identity: *//p' "$1" | head -n 1 | tr -d '\r'
}
# verify_b IDENTITY ORIG: B's PASSporT, checked as an STI-VS would
verify_b() {
	case $1 in
	*"info=<$X5U_B>"*) ;;
	*) fail "the call arrived without B's PASSporT: '$1'" ;;
	esac
	"$STIWF" passport verify --identity "$1" --orig "$2" --dest 12025550001 \
		--trust "$PKI_SHAKEN_TRUST_DIR" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>>verify.err ||
		fail "stiwf passport verify refused B's PASSporT"
}
n_a=0 n_b=0
# expect_call_logs A B: wait for A and B to have written so many call-log lines
expect_call_logs() {
	n_a=$((n_a + $1)) n_b=$((n_b + $2))
	wait_log a.log 'call-log \{' "$n_a" 10 || fail "A wrote no call-log line for the call"
	wait_log b.log 'call-log \{' "$n_b" 10 || fail "B wrote no call-log line for the call"
}

# 1. The callee hangs up: BYE -> REL 16 -> BYE with Reason cause 16 at the caller.
printf 'SEQUENTIAL\n12025550003;12025550001\n' >plain.csv
uas uas1 "$SC/uas_answer_bye.xml" "$UAS" || fail "SIPp UAS"
uac uac1 "$SC/uac_wait_bye.xml" 127.0.0.1 plain.csv || fail "the caller never got the callee's BYE"
wait_exit "$UAS_PID" 20 || fail "the callee's BYE was not answered"
grep -q '^BYE ' uac1.msgs || fail "no BYE reached the caller"
grep -qi '^Reason: *Q\.850 *; *cause=16' uac1.msgs || fail "the caller's BYE has no Reason: Q.850;cause=16"
expect_call_logs 1 1
for side in a b; do
	l=$(last_call_log $side.log)
	case $l in
	*'"answered":true'*'"cause":16,'*) ;;
	*) fail "$side's call-log for the call the callee ended: $l" ;;
	esac
done
echo "ok: callee hangs up: BYE -> REL 16 -> BYE with Reason: Q.850;cause=16 at the caller, call-log cause 16 on A and B"

# 2. A PASSporT signed over non-canonical JSON (other key order, white
#    space): A verifies it (RFC 8224 checks the bytes received) but B could
#    not rebuild it (ARCHITECTURE §2.2): no PASSPORT TLV, VERDICT passed; B signs
#    a new one, attest B (operator One, full, covers 1202555).
nc_token=$(noncanonical_passport "$PKI_SHAKEN_SP_A_KEY" "$X5U_A" 12025550008 12025550001) ||
	fail "cannot sign the non-canonical PASSporT"
printf 'SEQUENTIAL\n12025550008;12025550001;%s;%s\n' "$nc_token" "$X5U_A" >noncanon.csv
uas uas2 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
uac uac2 "$srcdir/contrib/sipp/uac_call_identity.xml" 127.0.0.1 noncanon.csv ||
	fail "the call with a non-canonical PASSporT was not completed"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
expect_call_logs 1 1
l=$(last_call_log a.log)
case $l in
*'"reason":"sip-verified-noncanonical"'*'"passport":false,"verdict":"TN-Validation-Passed"'*) ;;
*) fail "A's call-log for the non-canonical PASSporT: $l" ;;
esac
got=$(identity_of uas2.msgs)
case $got in "$nc_token"*) fail "the non-canonical PASSporT went through unchanged" ;; esac
out=$(verify_b "$got" 12025550008)
case $out in
*'"verstat":"TN-Validation-Passed"'*'"attest":"B"'*'"spc":"5678"'*) ;;
*) fail "B's PASSporT for the non-canonical call: $out" ;;
esac
grep -qi '^P-Asserted-Identity:.*verstat=TN-Validation-Passed' uas2.msgs ||
	fail "no verstat=TN-Validation-Passed for the callee"
echo "ok: non-canonical PASSporT: A verifies it, sends VERDICT passed without PASSPORT; the callee gets B's PASSporT (attest B, verified)"

# iam CALLING KEY CERT [OPTION...]: a signed IAM to 12025550001 as hex
iam() {
	local calling=$1 key=$2 cert=$3
	shift 3
	"$STIWF" isup iam --called 12025550001 --calling "$calling" --sign-key "$key" --sign-cert "$cert" "$@" ||
		fail "stiwf isup iam"
}
# inject N LOG IAM...: the endpoint at PC N00 sends the IAMs to B, one call after the other
inject() {
	local n=$1 log=$2 args=() x
	shift 2
	for x in "$@"; do args+=(-s "$x"); done
	timeout 40 "$PEER" -c "inj$n.cfg" -r inject -d 200 -T22 1 -t 30000 "${args[@]}" >"$log" 2>&1 ||
		fail "the injecting endpoint at PC ${n}00 failed"
}

# 3. From B's peer "strict" (hop-required, hop-bind require ZZ-B): the
#    revoked operator's IAM gets REL 21; a valid one is answered; the same
#    IAM again (identical HOP) is a replay and gets REL 21; a valid IAM
#    signed before B started gets REL 21 (hop-startup-quiet, on by
#    default: B cannot know whether it saw it before a restart); a valid
#    IAM bound to another network gets REL 21.
rogue=$(iam 12025550005 "$PKI_TSCA_ROGUE_KEY" "$PKI_TSCA_ROGUE_CERT" --bind ZZ-B)
good=$(iam 12025550006 "$PKI_TSCA_OP1_FULL_KEY" "$PKI_TSCA_OP1_FULL_CERT" --bind ZZ-B)
early=$(iam 12025550007 "$PKI_TSCA_OP1_FULL_KEY" "$PKI_TSCA_OP1_FULL_CERT" --bind ZZ-B --iat $((before_b - 1)))
elsewhere=$(iam 12025550009 "$PKI_TSCA_OP1_FULL_KEY" "$PKI_TSCA_OP1_FULL_CERT" --bind ZZ-C)
uas uas3 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
inject 3 inj3.log "$rogue" "$good" "$good" "$early" "$elsewhere"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
for l in "inject 1: released by the exchange, cause 21" "inject 2: answered" \
	"inject 3: released by the exchange, cause 21" "inject 4: released by the exchange, cause 21" \
	"inject 5: released by the exchange, cause 21" "all 5 calls ended"; do
	grep -q "$l" inj3.log || fail "endpoint at PC 300: no '$l'"
done
[ "$(grep -c '^INVITE ' uas3.msgs)" = 1 ] || fail "the callee did not get exactly the one valid call"
expect_call_logs 0 5
grep 'call-log {' b.log | tail -n 5 >strict.json
l=$(sed -n 1p strict.json)
case $l in
*'"signer_trust":"revoked"'*'"reason":"isup-signer-revoked-release"'*'"cause":21,'*) ;;
*) fail "B's call-log for the revoked operator: $l" ;;
esac
l=$(sed -n 3p strict.json)
case $l in
*'"hop_reason":"replay"'*'"cause":21,'*) ;;
*) fail "B's call-log for the replayed IAM: $l" ;;
esac
l=$(sed -n 4p strict.json)
case $l in
*'"hop_reason":"startup-quiet"'*'"cause":21,'*) ;;
*) fail "B's call-log for the IAM signed before B's start: $l" ;;
esac
l=$(sed -n 5p strict.json)
case $l in
*'"hop_reason":"not-bound"'*'"cause":21,'*) ;;
*) fail "B's call-log for the IAM bound to another network: $l" ;;
esac
echo "ok: hop-required: the revoked operator's IAM gets REL 21 (call-log signer_trust revoked), the replayed IAM REL 21 (hop_reason replay), the IAM signed before B's start REL 21 (startup-quiet), the IAM bound to another network REL 21 (not-bound)"

# 4. From B's peer "lenient": the revoked operator's call goes on, with a
#    new PASSporT by B at attest C and no verstat worth more than
#    No-TN-Validation.
rogue=$(iam 12025550005 "$PKI_TSCA_ROGUE_KEY" "$PKI_TSCA_ROGUE_CERT")
uas uas4 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
inject 4 inj4.log "$rogue"
wait_exit "$UAS_PID" 20 || fail "UAS did not finish"
grep -q "inject 1: answered" inj4.log || fail "endpoint at PC 400: the revoked operator's call was not answered"
out=$(verify_b "$(identity_of uas4.msgs)" 12025550005)
case $out in
*'"attest":"C"'*'"spc":"5678"'*) ;;
*) fail "B's PASSporT for the revoked operator's call: $out" ;;
esac
grep -qi '^P-Asserted-Identity:.*verstat=No-TN-Validation' uas4.msgs ||
	fail "no verstat=No-TN-Validation for the revoked operator's call"
expect_call_logs 0 1
l=$(last_call_log b.log)
case $l in
*'"signer_trust":"revoked"'*'"reason":"isup-signer-revoked-c"'*'"attest":"C"'*) ;;
*) fail "B's call-log for the revoked operator without hop-required: $l" ;;
esac
echo "ok: without hop-required: the revoked operator's call reaches the callee with B's PASSporT at attest C, verstat No-TN-Validation (call-log isup-signer-revoked-c)"

# 5. Glare (Q.764 §2.9.1.4): with the STP stopped, A and B each send an IAM
#    on their only circuit; then both IAMs cross.  PC 200 > 100: B controls
#    the even CICs, A the odd CIC 1.  A keeps its call; B's call backs off,
#    finds no circuit for a repeat attempt and ends in 503 (cause 34).
ia=$(grep -c 'IAM .* on CIC 1 of iwf-b' a.log)
ib=$(grep -c 'IAM .* on CIC 1 of iwf-a' b.log)
printf 'SEQUENTIAL\n12025550011;12025550001\n' >glare_a.csv
printf 'SEQUENTIAL\n12025550012;12025550021\n' >glare_b.csv
uas uas5 "$srcdir/contrib/sipp/uas_answer.xml" "$UAS" || fail "SIPp UAS"
kill -STOP "$(bg_pid stp)"
uac uac5a "$srcdir/contrib/sipp/uac_call.xml" 127.0.0.1 glare_a.csv &
pid_a=$!
uac uac5b "$SC/uac_expect_503.xml" 127.0.0.4 glare_b.csv "$SIP_B" &
pid_b=$!
ok=0
wait_log a.log 'IAM .* on CIC 1 of iwf-b' $((ia + 1)) 10 && wait_log b.log 'IAM .* on CIC 1 of iwf-a' $((ib + 1)) 10 &&
	ok=1
kill -CONT "$(bg_pid stp)"
[ $ok = 1 ] || fail "A and B did not both seize CIC 1"
wait $pid_a || fail "glare: A's caller (controlling side) did not complete its call"
wait $pid_b || fail "glare: B's caller did not end in 503"
wait_exit "$UAS_PID" 20 || fail "glare: the callee of A's call did not finish"
grep -q 'iwf-b: CIC 1: dual seizure, we control this circuit' a.log || fail "A did not see the dual seizure"
grep -q 'iwf-a: CIC 1: dual seizure, the peer controls this circuit' b.log || fail "B did not back off"
grep -qi '^Reason: *Q\.850 *; *cause=34' uac5b.msgs || fail "B's 503 has no Reason: Q.850;cause=34"
# A: its call; B: its backed-off call and A's call it took
expect_call_logs 1 2
l=$(last_call_log a.log)
case $l in *'"answered":true'*) ;; *) fail "A's call-log for its glare call: $l" ;; esac
grep 'call-log {' b.log | tail -n 2 >glare.json
grep -q '"sip_status":503,"cause":34' glare.json || fail "B's call-log has no 503/34 for its backed-off call: $(cat glare.json)"
grep -q '"answered":true' glare.json || fail "B's call-log has no answered call from A: $(cat glare.json)"
echo "ok: glare on CIC 1: A (controls odd CICs) keeps its call, answered; B backs off, no circuit for a repeat: 503 with Reason cause 34 at its caller"

# 6. Early media and hold: the callee rings with SDP, so B's ACM says
#    in-band information is available (Q.763 §3.37) and A's 180 carries
#    the early media SDP; once answered, the caller holds and resumes: A
#    answers each re-INVITE itself (a=recvonly, then a=sendrecv) and tells
#    the ISUP side in a CPG "remote hold" / "remote retrieval" (Q.733.2),
#    which B logs; the call stays up until the caller's BYE.
printf 'SEQUENTIAL\n12025550013;12025550001\n' >hold.csv
uas uas6 "$SC/uas_180_sdp.xml" "$UAS" || fail "SIPp UAS"
uac uac6 "$SC/uac_early_hold.xml" 127.0.0.1 hold.csv || fail "early media, hold, resume: $(cat uac6.err 2>/dev/null)"
wait_exit "$UAS_PID" 20 || fail "the callee of the held call did not finish"
wait_log a.log 'SIP hold: CPG with remote hold sent on CIC' 1 10 || fail "A sent no CPG remote hold"
wait_log a.log 'SIP resume: CPG with remote retrieval sent on CIC' 1 10 || fail "A sent no CPG remote retrieval"
wait_log b.log 'CPG: remote hold from the ISUP side' 1 10 || fail "B did not see the remote hold"
wait_log b.log 'CPG: remote retrieval from the ISUP side' 1 10 || fail "B did not see the remote retrieval"
expect_call_logs 1 1
echo "ok: early media: callee's 180 with SDP -> ACM with in-band information -> 180 with SDP at the caller; hold/resume answered recvonly/sendrecv by A, CPG remote hold/retrieval to B"

grep 'call-log {' a.log b.log | sed 's/^.*call-log /  /' | cut -c1-300
topo_stop
exit 0
