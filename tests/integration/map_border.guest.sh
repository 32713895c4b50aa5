#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh): osmo-stp with the two-ASP test
# configuration (contrib/ss7/), stiwfd as a MAP border node at PC 100, and
# an SCCP endpoint at PC 200 that sends five TC-BEGINs through it and
# receives what the border makes of them (every route of stiwfd leads back
# to PC 200):
#   1. the attacker's anyTimeInterrogation (cat1, policy screen,
#      block-action udts): comes back as a UDTS;
#   2. the attacker's sendRoutingInfoForSM (sms passes): relayed;
#   3. the partner's updateLocation signed by operator Two: valid, relayed
#      to our HLR without the token (strip-signature);
#   4. the partner's unsigned anyTimeInterrogation (block-action tc-abort):
#      refused with a TC-ABORT;
#   5. our VLR's updateLocation: relayed to the partner signed with our
#      credential (operator One), which stiwf tcap verify accepts.
# The border and its partner agreed on their own signature OID
# ("map-signature oid"), not stiwf's default: the partner signs with it,
# and stiwfd looks for it and signs with it.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
STIWFD=$top_builddir/stiwfd
STIWF=$top_builddir/stiwf
EP=$top_builddir/tests/ss7/sccp_endpoint
VTY=31270
OID=1.3.6.1.4.1.99999.3057
SIP=31260
. pki/pki.env
fail() {
	echo "FAIL: $*"
	for f in a.log b.log stp.log dumpcap.log; do echo "--- $f"; tail -n 80 "$f" 2>/dev/null; done
	exit 1
}

# TC-BEGINs built from TS 29.002 (AARQ with the operation's v3 context, one
# Invoke): anyTimeInterrogation of MSISDN 4917012345 by gsmSCF
# 44700000001, sendRoutingInfoForSM of 4917012345 from SC 44700000001,
# updateLocation of our IMSI 262019876543210 from the partner's VLR
# 3360000001, anyTimeInterrogation from 3360000001, updateLocation of the
# partner's IMSI 208011234567890 from our VLR 4930000002.
ATI=62494804440000016b1e281c060700118605010101a011600f80020780a109060704000001001d036c21a11f0201010201473017a0088106919471103254a10280008307914407000000f1
SRISM=62464804440000026b1e281c060700118605010101a011600f80020780a1090607040000010014036c1ea11c02010102012d301480069194711032548101ff8207914407000000f1
UL_P=624c4804330000016b1e281c060700118605010101a011600f80020780a1090607040000010001036c24a122020101020102301a040862029178563412f081069133060000100406913306000010
ATI_P=62484804330000026b1e281c060700118605010101a011600f80020780a109060704000001001d036c20a11e0201010201473016a0088106919471103254a10280008306913306000010
UL_H=624c4804490000016b1e281c060700118605010101a011600f80020780a1090607040000010001036c24a122020101020102301a040802081132547698f081069194030000200406919403000020

mkdir -p ops
cp "$PKI_TSCA_OP2_FULL_CHAIN" ops/
cat >map.conf <<EOM
operator home
 spki-sha256 $PKI_TSCA_OP1_FULL_SPKI
 gt-prefix 4930
 imsi-prefix 26201
operator partner
 spki-sha256 $PKI_TSCA_OP2_FULL_SPKI
 gt-prefix 33
 imsi-prefix 20801
operator attacker
 gt-prefix 44
EOM
{
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
line vty
 bind 127.0.0.1 $VTY
sip
 local 127.0.0.1 $SIP
 transport udp
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
 map-file $PWD/map.conf
EOM
	cat "$srcdir/contrib/ss7/iwf-a.cs7.cfg"
	cat <<EOM
sccp
 cs7-instance 0
 local-gt 4930000000
 route gt 4930 pc 200 strip-signature
 route gt 33 pc 200
 route gt 44 pc 200
 route default pc 200
map-signature oid $OID
map-peer home
 calling-gt 4930
 sign
map-peer partner
 calling-gt 33
 policy screen
 block-action tc-abort
map-peer attacker
 calling-gt 44
 policy screen
 block-action udts
map-peer others
 calling-gt default
 policy reject
EOM
} >a.cfg
{
	printf 'log stderr\n logging level set-all notice\n'
	cat "$srcdir/contrib/ss7/iwf-b.cs7.cfg"
} >b.cfg

bg_start dumpcap "Capturing on" dumpcap.log \
	dumpcap -n -i lo -B 64 -f "sctp port 2905" -w capture.pcapng || fail "dumpcap did not start"
bg_start stp "Available via telnet" stp.log osmo-stp -c "$srcdir/contrib/ss7/osmo-stp.cfg" ||
	fail "osmo-stp did not start"
# ready comes before the loop runs; the AS turns active after it, and only
# then does the STP hand it anything
bg_start a "user part SI 3 available" a.log "$STIWFD" -c a.cfg || fail "stiwfd's SCCP did not come up"
grep -q "DMAIN NOTICE ready:" a.log || fail "stiwfd not ready"
grep -q "MAP border: 4 map-peer(s), TSCA trust on, signing on" a.log || fail "stiwfd: no MAP border"
grep -q "MAP border: signature EXTERNAL with direct-reference $OID" a.log || fail "stiwfd: not our OID"
echo "ok: osmo-stp and stiwfd (PC 100, MAP border, 4 map-peers) up (${SECONDS}s)"

# the partner signs now, after stiwfd started (hop-startup-quiet)
UL_PS=$("$STIWF" tcap sign --sign-key "$PKI_TSCA_OP2_FULL_KEY" --sign-cert "$PKI_TSCA_OP2_FULL_CHAIN" \
	--oid "$OID" --orig 3360000001 "$UL_P") || fail "stiwf tcap sign"
timeout 30 "$EP" -c b.cfg -d 100 -n 5 -t 20000 \
	-x "44700000001,4930000001,$ATI" -x "44700000001,4930000001,$SRISM" \
	-x "3360000001,4930000001,$UL_PS" -x "3360000001,4930000001,$ATI_P" \
	-x "4930000002,3360000009,$UL_H" >b.log 2>&1 || fail "the endpoint did not get five answers"

# 1. the attacker's ATI came back as a UDTS, "no translation for this address"
grep -q "^notice UDTS cause 1 opc=100 called=44700000001 [0-9]* $ATI\$" b.log ||
	fail "no UDTS returning the attacker's ATI"
# 2. its SRI-SM went on, unchanged
grep -q "^rx UDT opc=100 dpc=200 .* called=4930000001 calling=44700000001 [0-9]* $SRISM\$" b.log ||
	fail "the attacker's SRI-SM was not relayed as it came"
# 3. the partner's signed UL reached our HLR as it was before signing
grep -q "^rx UDT opc=100 dpc=200 .* called=4930000001 calling=3360000001 [0-9]* $UL_P\$" b.log ||
	fail "the partner's signed UL did not reach our HLR without the token"
# 4. the partner's unsigned ATI: a TC-ABORT refusing the dialogue, DTID its OTID
abort=$(grep "^rx UDT opc=100 dpc=200 .* called=3360000001 calling=4930000001 " b.log | awk '{print $NF}')
[ -n "$abort" ] || fail "no TC-ABORT to the partner"
"$STIWF" tcap decode "$abort" >abort.json || fail "the TC-ABORT does not decode"
grep -q '"message_type": "Abort"' abort.json && grep -q '"dtid": "33000002"' abort.json ||
	fail "not an Abort with DTID 33000002: $(cat abort.json)"
# 5. our VLR's UL left signed by operator One, for our VLR's GT
signed=$(grep "^rx UDT opc=100 dpc=200 .* called=3360000009 calling=4930000002 " b.log | awk '{print $NF}')
[ -n "$signed" ] || fail "our VLR's UL was not relayed"
"$STIWF" tcap verify --oid "$OID" --cert "$PKI_TSCA_OP1_FULL_CERT" "$signed" >verify.json ||
	fail "stiwf tcap verify refuses our signature: $(cat verify.json)"
grep -q '"valid": true' verify.json && grep -q '"orig": "4930000002"' verify.json ||
	fail "our signature: $(cat verify.json)"
echo "ok: ATI -> UDTS, SRI-SM relayed, signed UL relayed stripped, unsigned ATI -> TC-ABORT, our UL signed (${SECONDS}s)"

out=$("$STIWF" vty --port "$VTY" 'show map-peers' 'show map dialogues') || fail "VTY: $out"
echo "$out" | sed 's/^/  vty| /'
echo "$out" | grep -Eq '^attacker +2 +1 +1 ' || fail "show map-peers: the attacker's counters"
echo "$out" | grep -Eq '^partner +2 +1 +1 +0 +1 ' || fail "show map-peers: the partner's counters"
echo "$out" | grep -Eq '^home +1 +1 +0 +1 ' || fail "show map-peers: our counters"
echo "$out" | grep -q '^3 dialogue(s) of at most 65536' || fail "show map dialogues: not the three open ones"

kill -TERM "$(bg_pid a)"
wait "$(bg_pid a)" || fail "stiwfd did not stop cleanly"
grep -c 'DMAP NOTICE map-log ' a.log | grep -qx 5 || fail "not 5 map-log lines: $(grep map-log a.log)"
grep -q 'map-log {"peer":"attacker".*"op_name":"anyTimeInterrogation".*"action":"blocked","action_reason":"cat1","block_action":"udts"' a.log ||
	fail "map-log of the attacker's ATI"
grep -q 'map-log {"peer":"partner".*"op_name":"updateLocation".*"imsi":"262019876\*\*\*\*\*\*","verdict":"valid".*"operator":"partner","orig":"3360000001".*"end":"shutdown"' a.log ||
	fail "map-log of the partner's signed UL"
grep -q 'map-log {"peer":"home","dir":"out".*"signed":true' a.log || fail "map-log of our signed UL"
echo "ok: one map-log line per dialogue, with verdicts, signers and masked IMSIs (${SECONDS}s)"

kill -INT "$(bg_pid dumpcap)"
wait "$(bg_pid dumpcap)"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
exit 0
