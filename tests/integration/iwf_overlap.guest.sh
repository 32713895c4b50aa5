#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): overlap address signalling and
# suspend/resume at the border (ARCHITECTURE §8.4).
# IWF B (the topology of iwf_topology.sh, without A) has an ss7-peer "ex"
# at PC 300 with "overlap collect min-digits 8 max-digits 15" and
# hop-required; T35, T6 and T38 are 3 s.  An exchange (tests/ss7/isup_peer)
# at PC 300, SIPp as the callee and the caller:
#   1. IAM with 7 digits, SAM "000", SAM "1"+ST, signed over the whole
#      number: the callee gets one INVITE to +12025550001 with B's
#      PASSporT (attest B: HOP verified against the collected number);
#      after the answer SUS/RES (network) and an APM: no SIP message,
#      the call goes on and the exchange's REL 16 ends it with a BYE
#   2. IAM with 4 digits, nothing more: T35, REL 28, no INVITE
#   3. IAM with 7 digits, SAMs without ST: T35 with 11 digits: INVITE
#   4. answered call, SUS (network), no RES: T38 (the IAM says
#      "international call"), REL 102 to the exchange,
#      BYE with Reason cause 102 to the callee
#   5. IAM signed over the 7 digits it carries, 4 more in SAMs: the HOP
#      does not cover the collected number: REL 21, no INVITE
#   6. SIP to ISUP: an INVITE to a 7-digit number, en bloc IAM, the
#      exchange's REL 28 comes back as 484 Address Incomplete
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
. "$srcdir/tests/integration/lib-stir.sh"
fail() {
	echo "FAIL: $*"
	for f in b.log stp.log dumpcap.log inj*.log ex.log tls/httpsd.log; do
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

topo_head_b b.cfg
cat >>b.cfg <<EOF
timer isup T35 3
timer isup T6 3
timer isup T38 3
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
sip-peer uac
 remote 127.0.0.4 $UAC
 on-stir-failure continue
 country-code 1
ss7-peer ex
 cs7-instance 0
 point-code 300
 cic 1 8
 country-code 1
 number-format international
 overlap collect min-digits 8 max-digits 15
 hop-required
 sip-peer uas
route 1 ss7-peer ex
EOF
topo_cs7 b >>b.cfg

{
	cat "$srcdir/contrib/ss7/osmo-stp.cfg"
	cat <<EOF
 asp asp-3 2908 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 as as-3 m3ua
  asp asp-3
  routing-key 30 300
 route-table system
  update route 300 16777215 linkset as-3
EOF
} >stp.cfg
cat >ex.cfg <<EOF
log stderr
 logging level set-all notice
cs7 instance 0
 point-code format 24
 point-code 300
 asp asp-3 2905 2908 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-3 m3ua
  asp asp-3
  routing-key 30 300
EOF

bg_start dumpcap "Capturing on" dumpcap.log \
	dumpcap -n -i lo -B 64 -f "sctp port 2905" -w capture.pcapng || fail "dumpcap did not start"
bg_start stp "Available via telnet" stp.log osmo-stp -c stp.cfg || fail "osmo-stp did not start"
bg_start b "DMAIN NOTICE ready:" b.log "$STIWFD" -c b.cfg || fail "stiwfd B did not start"
echo "ok: osmo-stp and stiwfd B (PC 200, ss7-peer ex at PC 300 with overlap collect) up (${SECONDS}s)"

# iam CALLING [CALLED]: an IAM to 12025550001 signed by operator One over CALLED
iam() {
	"$STIWF" isup iam --called 12025550001 --calling "$1" --sign-key "$PKI_TSCA_OP1_FULL_KEY" \
		--sign-cert "$PKI_TSCA_OP1_FULL_CERT" || fail "stiwf isup iam"
}
partial=$("$STIWF" isup iam --called 1202555 --calling 12025550025 --sign-key "$PKI_TSCA_OP1_FULL_KEY" \
	--sign-cert "$PKI_TSCA_OP1_FULL_CERT") || fail "stiwf isup iam for 7 digits"

# the callee of calls 1, 3 and 4
sipp_bg UAS_PID -sf "$srcdir/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$UAS" -m 3 -timeout 60s \
	-trace_msg -message_file uas.msgs -trace_err -error_file uas.err || fail "SIPp UAS"
timeout 90 "$PEER" -c ex.cfg -r inject -d 200 -T22 1 -t 80000 \
	-s "$(iam 12025550021)" -x keep:7,st,sus:1,res:1,apm \
	-s "$(iam 12025550022)" -x keep:4,drop \
	-s "$(iam 12025550023)" -x keep:7 \
	-s "$(iam 12025550024)" -x st,sus:1,wait \
	-s "$partial" -x called:12025550001,keep:7,st >inj.log 2>&1 || fail "the exchange injecting the calls failed"
wait_exit "$UAS_PID" 20 || fail "the callee did not get its 3 calls to the end"
for l in "inject 1: answered, REL 16" "inject 2: released by the exchange, cause 28" "inject 3: answered, REL 16" \
	"inject 4: released by the exchange, cause 102" "inject 5: released by the exchange, cause 21" \
	"all 5 calls ended"; do
	grep -q "$l" inj.log || fail "exchange: no '$l'"
done
n=$(grep -c 'inject: SAM on CIC' inj.log)
[ "$n" = 6 ] || fail "the exchange sent $n SAMs, want 6"

# what the callee saw: 3 INVITEs, each to the whole number, no re-INVITE
n=$(grep -c '^INVITE ' uas.msgs)
[ "$n" = 3 ] || fail "the callee got $n INVITEs, want 3 (calls 1, 3, 4)"
n=$(grep -cE '^INVITE sip:\+?12025550001@' uas.msgs)
[ "$n" = 3 ] || fail "not every INVITE is for +12025550001: $(grep '^INVITE ' uas.msgs)"
n=$(grep -c '^BYE ' uas.msgs)
[ "$n" = 3 ] || fail "the callee got $n BYEs, want 3"
grep -qi '^Reason: *Q\.850 *; *cause=102' uas.msgs || fail "no BYE with Reason: Q.850;cause=102 (T38)"
# call 1: B's PASSporT, attest B: operator One's HOP verified against the
# collected number 12025550001
id1=$(sed -n 's/^Identity: *//p' uas.msgs | head -n 1 | tr -d '\r')
case $id1 in *"info=<$X5U_B>"*) ;; *) fail "call 1 arrived without B's PASSporT: '$id1'" ;; esac
out=$("$STIWF" passport verify --identity "$id1" --orig 12025550021 --dest 12025550001 \
	--trust "$PKI_SHAKEN_TRUST_DIR" --x5u-ca "$HTTPSD_CA" --fetch-permit 127.0.0.0/8 2>>verify.err) ||
	fail "stiwf passport verify refused B's PASSporT for call 1"
case $out in *'"attest":"B"'*) ;; *) fail "call 1: B's PASSporT is not attest B: $out" ;; esac
echo "ok: IAM 1202555 + SAM 000 + SAM 1/ST -> one INVITE to +12025550001, PASSporT attest B (HOP verified on the collected number)"

# the IAMs say "international call" (FCI bit A): T38, not T6
grep -q 'ex-CIC[0-9]*.*SUS (network initiated): call suspended, T38' b.log || fail "B did not suspend call 1 on SUS"
grep -q 'RES: call resumed, T38 stopped' b.log || fail "B did not resume call 1 on RES"
grep -q 'APM for application context 100 .*no APM user, discarded' b.log || fail "B did not discard the APM"
grep -q 'ex: CIC [0-9]*: .*circuit reset' b.log && fail "B reset a circuit"
echo "ok: SUS/RES and an APM on an answered call: no SIP message, no circuit reset, the call ends normally"
grep -q 'T35 expired with 4 digits (fewer than 8): REL cause 28' b.log || fail "B: no T35 REL 28 for call 2"
grep -q 'T35 expired with 11 digits: number complete' b.log || fail "B: call 3 not completed by T35"
grep -q 'T38 expired, no RES: REL cause 102' b.log || fail "B: no T38 expiry for call 4"
l=$(grep 'call-log {' b.log | grep '"calling":"12025550025"')
case $l in
*'"called":"12025550001"'*'"hop":"invalid"'*'"cause":21,'*) ;;
*) fail "B's call-log for the IAM signed over 7 digits: $l" ;;
esac
echo "ok: T35 with 4 digits -> REL 28 and no INVITE; T35 with 11 digits -> INVITE; T38 -> REL 102 and BYE with Reason cause 102; a HOP over the IAM's 7 digits fails on the collected number: REL 21"

# 6. SIP -> ISUP: en bloc; the exchange finds 7 digits incomplete
# B resets its circuits again if it saw PC 300 go and come back; the
# exchange resets its own (GRS, B's GRA)
r0=$(grep -c 'ex: peer 300 reachable' b.log) g0=$(grep -c 'ex: all 8 circuits reset' b.log)
bg_start ex "state available" ex.log "$PEER" -c ex.cfg -r exchange -d 200 -T22 1 ||
	fail "the exchange did not start"
wait_log ex.log 'to-caller: all 8 circuits reset' 1 30 || fail "B did not answer the exchange's GRS"
if [ "$(grep -c 'ex: peer 300 reachable' b.log)" -gt "$r0" ]; then
	wait_log b.log 'ex: all 8 circuits reset' $((g0 + 1)) 30 || fail "B's circuits to the exchange were not reset"
fi
printf 'SEQUENTIAL\n12025550031;1202555\n' >short.csv
timeout 40 sipp -sf "$SC/uac_expect_484.xml" "127.0.0.1:$SIP_B" -i 127.0.0.4 -p "$UAC" -inf short.csv -m 1 \
	-nostdin -timeout 30s -timeout_error -trace_msg -message_file uac.msgs -trace_err -error_file uac.err \
	>/dev/null 2>&1 || fail "the caller of an incomplete number did not get 484"
grep -q 'exchange: 1202555 incomplete, REL 28' ex.log || fail "the exchange did not get the 7-digit IAM"
grep -qi '^Reason: *Q\.850 *; *cause=28' uac.msgs || fail "the 484 has no Reason: Q.850;cause=28"
echo "ok: INVITE to +1202555 -> en bloc IAM -> REL 28 -> 484 Address Incomplete with Reason cause 28"

kill -TERM "$(bg_pid ex)"
wait "$(bg_pid ex)"
kill -TERM "$(bg_pid b)"
wait "$(bg_pid b)" || fail "stiwfd B did not stop cleanly"
kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
exit 0
