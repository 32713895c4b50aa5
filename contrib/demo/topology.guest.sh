#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo topology of ARCHITECTURE §6, run where SCTP works (a User-Mode-Linux
# guest on kernels without it; see tests/integration/uml/run.sh):
#
#   SIPp UAC -> Kamailio+secsipid (signs, SP A) -> stiwfd A (PC 100, SIP->ISUP)
#     -> osmo-stp -> stiwfd B (PC 200, ISUP->SIP)
#     -> Kamailio+secsipid (verifies with the signer's certificate) -> SIPp UAS
#
# SIPp also calls stiwfd A directly from three loopback addresses, one per
# policy of A: 127.0.0.2 continue, 127.0.0.3 identity-required,
# 127.0.0.4 reject.  Each call prints what each side verified and signed;
# a line counts them.  Then the roaming part: stiwfd at the MAP border of
# an HLR's network blocks the SigPloit attack set and lets a partner's
# signed dialogues through; the last line counts them.  Output files stay
# in the current directory.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
. "$srcdir/tests/integration/lib-stir.sh"
. "$srcdir/tests/integration/lib-map-attack.sh"
STIWFD=$top_builddir/stiwfd
STIWF=$top_builddir/stiwf
SC=$srcdir/contrib/sipp
TSC=$srcdir/tests/integration/sipp
KAMCFG=$srcdir/contrib/kamailio/secsipid.cfg

calls=0 e2e=0 rejected=0 unexpected=0
die() {
	echo "demo: $*"
	for f in a.log b.log kam-sign.log kam-verify.log stp.log; do
		echo "--- $f"
		tail -n 40 "$f" 2>/dev/null
	done
	exit 1
}

SIP_A=5080 SIP_B=5090 KS=5070 KV=5100 UAS=5110 UAC=5060
VTY_A=4271 VTY_B=4272

. pki/pki.env
mkdir -p tls ops kam-sign kam-verify
httpsd_start tls pki/shaken || die "the x5u server did not start"
X5U_A=https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem
X5U_B=https://127.0.0.1:$HTTPSD_PORT/pem/sp-b-chain.pem
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
cat >map.conf <<MAP
operator op1
 spki-sha256 $PKI_TSCA_OP1_FULL_SPKI
 prefix 1202555
MAP

logcfg() {
	printf 'log stderr\n logging filter all 1\n logging color 0\n logging print category 1\n'
	printf ' logging level set-all notice\n logging level iwf notice\n logging level ss7 info\n'
	# a GRS lost while the STP still sees the peer's AS down is sent
	# again after T22 (Q.764 §2.10.3.1): 2 s instead of 15 for the demo
	printf 'timer isup T22 2\n'
}
{
	logcfg
	cat <<CFG
line vty
 bind 127.0.0.1 $VTY_A
sip
 local 127.0.0.1 $SIP_A
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 credential key $PKI_SHAKEN_SP_A_KEY chain $PKI_SHAKEN_SP_A_CHAIN x5u $X5U_A
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
sip-peer kamailio-sign
 remote 127.0.0.1 $KS
 on-stir-failure reject
 country-code 1
sip-peer direct-continue
 remote 127.0.0.2 $UAC
 on-stir-failure continue
 country-code 1
sip-peer direct-required
 remote 127.0.0.3 $UAC
 identity-required
 country-code 1
sip-peer direct-reject
 remote 127.0.0.4 $UAC
 on-stir-failure reject
 country-code 1
ss7-peer iwf-b
 cs7-instance 0
 point-code 200
 cic 1 31
 country-code 1
 number-format international
route 1 ss7-peer iwf-b
CFG
	cat "$srcdir/contrib/ss7/iwf-a.cs7.cfg"
} >a.cfg
{
	logcfg
	cat <<CFG
line vty
 bind 127.0.0.1 $VTY_B
sip
 local 127.0.0.1 $SIP_B
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 credential key $PKI_SHAKEN_SP_B_KEY chain $PKI_SHAKEN_SP_B_CHAIN x5u $X5U_B
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 map-file $PWD/map.conf
sip-peer kamailio-verify
 remote 127.0.0.1 $KV
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 31
 country-code 1
 number-format international
 sip-peer kamailio-verify
CFG
	cat "$srcdir/contrib/ss7/iwf-b.cs7.cfg"
} >b.cfg

echo "demo: starting osmo-stp, stiwfd A and B, two Kamailio+secsipid and an x5u server"
bg_start stp "Available via telnet" stp.log osmo-stp -c "$srcdir/contrib/ss7/osmo-stp.cfg" ||
	die "osmo-stp did not start"
bg_start b "DMAIN NOTICE ready:" b.log "$STIWFD" -c b.cfg || die "stiwfd B did not start"
bg_start a "DMAIN NOTICE ready:" a.log "$STIWFD" -c a.cfg || die "stiwfd A did not start"
bg_start ks "kamailio ready" kam-sign.log kamailio -f "$KAMCFG" -DD -E -Y "$PWD/kam-sign" \
	-A WITH_SIGN -A "LISTEN=udp:127.0.0.1:$KS" -A "NEXT_HOP=\"sip:127.0.0.1:$SIP_A\"" \
	-A "X5U=\"$X5U_A\"" -A "SIGN_KEY=\"$PKI_SHAKEN_SP_A_KEY\"" || die "Kamailio (signing) did not start"
bg_start kv "kamailio ready" kam-verify.log kamailio -f "$KAMCFG" -DD -E -Y "$PWD/kam-verify" \
	-A WITH_VERIFY -A "LISTEN=udp:127.0.0.1:$KV" -A "NEXT_HOP=\"sip:127.0.0.1:$UAS\"" \
	-A "VERIFY_CERT=\"$PKI_SHAKEN_SP_A_CERT\"" -A "VERIFY_CERT2=\"$PKI_SHAKEN_SP_B_CERT\"" ||
	die "Kamailio (verifying) did not start"
wait_log a.log "GRA, 31 circuits reset" 1 30 || die "A's circuits were never reset"
wait_log b.log "GRA, 31 circuits reset" 1 30 || die "B's circuits were never reset"
echo "demo: M3UA up through osmo-stp, 31 circuits reset both ways (${SECONDS}s)"

# uas NAME SCENARIO: the callee behind the verifying Kamailio, one call
uas() {
	sipp_bg UAS_PID -sf "$2" -i 127.0.0.1 -p "$UAS" -m 1 -timeout 40s \
		-trace_msg -message_file "$1.uas.msgs" -trace_err -error_file "$1.uas.err"
}
# uac NAME SCENARIO TARGET SRCADDR CSV
uac() {
	timeout 40 sipp -sf "$2" "$3" -i "$4" -p "$UAC" -inf "$5" -m 1 -nostdin -timeout 30s \
		-timeout_error -trace_msg -message_file "$1.uac.msgs" -trace_err -error_file "$1.uac.err" \
		>/dev/null 2>&1
}
# obj JSON NAME: the members of a first-level object of the call-log line;
# field JSON KEY: a scalar member (sed: no JSON tool needed)
obj() {
	printf '%s' "$1" | sed -n "s/.*\"$2\":{\([^}]*\)}.*/\1/p" | head -n 1
}
field() {
	printf '%s' "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}
# report NA [NB]: what A logged for its call NA and B for its call NB
report() {
	local la lb="" si io dec ii so
	wait_log a.log 'call-log \{' "$1" 10
	la=$(grep 'call-log {' a.log | sed -n "${1}p" | sed 's/^.*call-log //')
	si=$(obj "$la" sip_in) io=$(obj "$la" isup_out) dec=$(obj "$la" decision)
	printf '  A: from %s: Identity %s (code %s, SPC %s, attest %s) -> %s; IAM: HOP %s, PASSPORT %s, VERDICT %s\n' \
		"$(field "$la" sip_peer)" "$(field "$si" verstat)" "$(field "$si" code)" "$(field "$si" spc)" \
		"$(field "$la" attest_in)" "$(field "$dec" reason)" "$(field "$io" hop)" "$(field "$io" passport)" \
		"$(field "$io" verdict)"
	[ -n "${2:-}" ] || return 0
	wait_log b.log 'call-log \{' "$2" 10
	lb=$(grep 'call-log {' b.log | sed -n "${2}p" | sed 's/^.*call-log //')
	ii=$(obj "$lb" isup_in) so=$(obj "$lb" sip_out) dec=$(obj "$lb" decision)
	printf '  B: HOP %s (signer %s, trust %s), PASSporT carried %s, verifies %s -> %s; INVITE: Identity %s (attest %s), verstat %s\n' \
		"$(field "$ii" hop)" "$(field "$ii" signer)" "$(field "$ii" signer_trust)" \
		"$(field "$ii" passport)" "$(field "$ii" passport_verifies)" "$(field "$dec" reason)" \
		"$(field "$dec" identity)" "$(field "$lb" attest_out)" "$(field "$so" verstat)"
}
n_a=0 n_b=0
result() {	# result OK LABEL KIND: KIND e2e|rejected
	calls=$((calls + 1))
	if [ "$1" = 0 ]; then
		[ "$3" = e2e ] && e2e=$((e2e + 1))
		[ "$3" = rejected ] && rejected=$((rejected + 1))
		echo "call $calls: $2: as expected"
	else
		unexpected=$((unexpected + 1))
		echo "call $calls: $2: UNEXPECTED"
	fi
}

printf 'SEQUENTIAL\n12025550002;12025550001\n' >plain.csv

echo "call 1: caller -> Kamailio signs (SP A, attest A) -> A -> STP -> B -> Kamailio verifies -> callee"
uas c1 "$SC/uas_answer.xml" || die "SIPp UAS"
ok=1
if uac c1 "$SC/uac_call.xml" "127.0.0.1:$KS" 127.0.0.1 plain.csv && wait_exit "$UAS_PID" 20 &&
	grep -q '^X-Secsipid-Verified: yes' c1.uas.msgs &&
	grep -qi '^P-Asserted-Identity:.*verstat=TN-Validation-Passed' c1.uas.msgs; then
	ok=0
fi
n_a=$((n_a + 1)); n_b=$((n_b + 1)); report $n_a $n_b
echo "  Kamailio at the far end: $(grep -c 'verified' kam-verify.log) verified so far; the callee got X-Secsipid-Verified and verstat=TN-Validation-Passed"
result $ok "signed by Kamailio, carried end to end through ISUP, verified by Kamailio with SP A's certificate" e2e

echo "call 2: unsigned caller -> A (policy continue) -> STP -> B signs anew (SP B) -> Kamailio verifies -> callee"
printf 'SEQUENTIAL\n12025550003;12025550001\n' >plain3.csv
uas c2 "$SC/uas_answer.xml" || die "SIPp UAS"
ok=1
if uac c2 "$SC/uac_call.xml" "127.0.0.1:$SIP_A" 127.0.0.2 plain3.csv && wait_exit "$UAS_PID" 20 &&
	grep -q '^X-Secsipid-Verified: yes' c2.uas.msgs && grep -q "^Identity: .*info=<$X5U_B>" c2.uas.msgs; then
	ok=0
fi
n_a=$((n_a + 1)); n_b=$((n_b + 1)); report $n_a $n_b
result $ok "no Identity: VERDICT no-validation over ISUP, B signed a new PASSporT, Kamailio verified it with SP B's certificate" e2e

echo "call 3: unsigned caller -> A (policy identity-required)"
ok=1
uac c3 "$TSC/uac_expect_428.xml" "127.0.0.1:$SIP_A" 127.0.0.3 plain.csv && ok=0
n_a=$((n_a + 1)); report $n_a
result $ok "no Identity where it is required: 428 Use Identity Header" rejected

echo "call 4: caller with a forged signature -> A (policy reject)"
value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_B_KEY" --x5u "$X5U_A" --attest A \
	--orig 12025550002 --dest 12025550001) || die "stiwf passport sign"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "${value%%;*}" "$X5U_A" >forged.csv
ok=1
uac c4 "$SC/uac_call_rejected.xml" "127.0.0.1:$SIP_A" 127.0.0.4 forged.csv && ok=0
n_a=$((n_a + 1)); report $n_a
result $ok "signed with SP B's key but pointing at SP A's certificate: 438 Invalid Identity Header with Reason" rejected

echo "call 5: signed caller -> Kamailio -> A -> B -> Kamailio -> busy callee"
uas c5 "$TSC/uas_busy.xml" || die "SIPp UAS"
ok=1
if uac c5 "$TSC/uac_expect_486.xml" "127.0.0.1:$KS" 127.0.0.1 plain.csv && wait_exit "$UAS_PID" 20; then
	ok=0
fi
n_a=$((n_a + 1)); n_b=$((n_b + 1)); report $n_a $n_b
result $ok "busy: 486 -> REL cause 17 -> 486 at the caller" rejected

echo "call 6: caller whose PASSporT is valid but not canonical JSON -> A (continue) -> STP -> B re-signs -> Kamailio verifies -> callee"
nc=$(noncanonical_passport "$PKI_SHAKEN_SP_A_KEY" "$X5U_A" 12025550002 12025550001) ||
	die "cannot make the non-canonical PASSporT"
printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "$nc" "$X5U_A" >noncanon.csv
uas c6 "$SC/uas_answer.xml" || die "SIPp UAS"
ok=1
if uac c6 "$SC/uac_call_identity.xml" "127.0.0.1:$SIP_A" 127.0.0.2 noncanon.csv && wait_exit "$UAS_PID" 20 &&
	grep -q '^X-Secsipid-Verified: yes' c6.uas.msgs && grep -q "^Identity: .*info=<$X5U_B>" c6.uas.msgs; then
	ok=0
fi
n_a=$((n_a + 1)); n_b=$((n_b + 1)); report $n_a $n_b
result $ok "verified at A but not carriable over ISUP (ARCHITECTURE §2.2): VERDICT passed, B re-signed (SP B), Kamailio verified it with B's certificate" e2e

kill -TERM "$(bg_pid a)" "$(bg_pid b)"
wait "$(bg_pid a)" || die "stiwfd A did not stop cleanly"
wait "$(bg_pid b)" || die "stiwfd B did not stop cleanly"
echo "demo: $calls calls, $e2e verified end to end, $rejected rejected as expected, $unexpected unexpected"

# Roaming: stiwfd as the MAP border of an HLR's network
# (tests/integration/lib-map-attack.sh, docs/MAP.md), under policy reject.
# A roaming partner's border signs its nodes' dialogues with its TSCA
# certificate; an interconnect point code sends the SigPloit attack set
# (messages from other projects' public test vectors).
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
EP=$top_builddir/tests/ss7/sccp_endpoint
echo "roaming: osmo-stp, a partner's border A (signs), our border B (policy reject), an attacker, our HLR/VLR"
ma_start || { ma_logs ma-a.log; die "the roaming topology did not come up"; }
ma_phase reject || { ma_logs ma-a.log ma-reject-b.log ma-reject-x.log; die "roaming: $MA_ERR"; }
ma_stop || die "stiwfd A (roaming) did not stop cleanly"
echo "demo: $MA_BLOCKED MAP attacks blocked, $MA_LEGIT legitimate dialogues passed"
[ "$unexpected" -eq 0 ] && [ "$MA_BLOCKED" -eq ${#MA_ATTACKS[@]} ] && [ "$MA_PASSED" -eq 0 ] &&
	[ "$MA_LEGIT" -eq ${#MA_LEGIT_MSGS[@]} ]
