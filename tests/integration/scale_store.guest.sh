#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh and scale_store.sh): redis-server,
# osmo-stp of the test topology (contrib/ss7/), stiwfd B (PC 200) on
# Redis, the exchange at PC 100 (tests/ss7/isup_peer, role inject, gated
# with -g between its IAMs), SIPp callees.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
fail() {
	echo "FAIL: $*"
	for f in b.log b2.log stp.log inj.log redis.log; do
		echo "--- $f"
		tail -n 60 "$f" 2>/dev/null
	done
	for f in *.err; do [ -s "$f" ] && { echo "--- $f"; cat "$f"; }; done
	exit 1
}
STIWFD=$top_builddir/stiwfd
STIWF=$top_builddir/stiwf
PEER=$top_builddir/tests/ss7/isup_peer
. pki/pki.env
base=31400
REDIS=$base SIP_B=$((base + 1)) UAS=$((base + 3)) PROBE=$((base + 4))
mkdir -p ops
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
{
	printf 'log stderr\n logging level set-all notice\n'
	cat "$srcdir/contrib/ss7/iwf-a.cs7.cfg"
} >inj.cfg
# b_cfg FILE ON-FAILURE; a long HOP window (and so key TTL): the IAMs are
# signed at the start and the last is sent a slow guest's minute later
b_cfg() {
	cat >"$1" <<EOC
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
 logging level main info
 logging level iwf info
 logging level ss7 info
 logging level sip info
timer isup T22 1
line vty
 bind 127.0.0.1 $((base + 11))
sip
 local 127.0.0.1 $SIP_B
 transport udp
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 hop-window 600
 replay-store redis 127.0.0.1:$REDIS
 replay-store timeout 300
 replay-store on-failure $2
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
ss7-peer exchange
 cs7-instance 0
 point-code 100
 cic 1 8
 country-code 1
 number-format international
 hop-required
 sip-peer uas
EOC
	cat "$srcdir/contrib/ss7/iwf-b.cs7.cfg" >>"$1"
}
b_cfg b.cfg reject
b_cfg b2.cfg local
keys() { redis-cli -p "$REDIS" --scan --pattern 'stiwf:hop:*' | grep -c .; }
uas() {
	sipp_bg UAS_PID -sf "$1" -i 127.0.0.1 -p "$UAS" -m 1 -timeout 60s -trace_msg -message_file "$2.msgs" \
		-trace_err -error_file "$2.err" || fail "SIPp UAS"
}
iam() {
	"$STIWF" isup iam --called 12025550001 --calling "$1" --sign-key "$PKI_TSCA_OP1_FULL_KEY" \
		--sign-cert "$PKI_TSCA_OP1_FULL_CERT" || fail "stiwf isup iam"
}
a=$(iam 12025550006) c=$(iam 12025550007) d=$(iam 12025550008)

bg_start redis "Ready to accept connections" redis.log \
	redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD" ||
	fail "redis-server did not start"
bg_start stp "Available via telnet" stp.log osmo-stp -c "$srcdir/contrib/ss7/osmo-stp.cfg" ||
	fail "osmo-stp did not start"
bg_start b "DMAIN NOTICE ready:" b.log "$STIWFD" -c b.cfg || fail "stiwfd B did not start"
wait_log b.log "replay-store 127.0.0.1:$REDIS: connected" 1 10 || fail "B never connected to Redis"
id=$(sed -n 's/.*connected (instance id \([0-9a-f]*\)).*/\1/p' b.log | head -n 1)
out=$("$STIWF" vty --port $((base + 11)) 'show replay-store') || fail "VTY: $out"
case $out in
*"replay-store redis 127.0.0.1:$REDIS: connected, instance id $id, timeout 300 ms"*) ;;
*) fail "show replay-store: $out" ;;
esac

uas "$srcdir/tests/integration/sipp/uas_503.xml" uas1
bg_start inj "^isup_peer: inject" inj.log "$PEER" -c inj.cfg -r inject -d 200 -T22 1 -t 80000 -g \
	-s "$a" -s "$a" -s "$c" -s "$d" || fail "the exchange (isup_peer inject) did not start"
wait_log inj.log "inject 1: released by the exchange, cause 41" 1 25 || fail "the callee's 503 did not make REL 41"
wait_log b.log "forgotten: cause 41 lets the exchange route the IAM again" 1 5 || fail "B did not forget the HOP"
wait_log inj.log "inject 2: waiting for SIGUSR1" 1 10 || fail "the exchange did not finish the first call"
[ "$(keys)" = 0 ] || fail "the HOP's key is still in Redis after REL 41: $(redis-cli -p "$REDIS" --scan)"
echo "ok: IAM taken by B, the callee's 503 made REL 41, B deleted its Redis key (${SECONDS}s)"

uas "$srcdir/contrib/sipp/uas_answer.xml" uas2
kill -USR1 "$(bg_pid inj)"
wait_log inj.log "inject 2: answered" 1 20 || fail "the same IAM offered again was not taken"
wait_log inj.log "inject 3: waiting for SIGUSR1" 1 10 || fail "the exchange did not finish the second call"
[ "$(keys)" = 1 ] || fail "want one HOP key in Redis, have $(keys)"
[ "$(redis-cli -p "$REDIS" get "$(redis-cli -p "$REDIS" --scan --pattern 'stiwf:hop:*')")" = "$id" ] ||
	fail "the key does not hold B's instance id $id"
echo "ok: the exchange's second try with the same IAM was taken (answered), its key holds B's instance id (${SECONDS}s)"

kill -KILL "$(bg_pid redis)"
wait_log b.log "replay-store 127.0.0.1:$REDIS: .*connecting again" 1 10 || fail "B did not see Redis go"
timeout 20 sipp -sf "$srcdir/tests/integration/sipp/options_503.xml" "127.0.0.1:$SIP_B" -i 127.0.0.1 -p "$PROBE" \
	-m 1 -nostdin -timeout 10s -timeout_error -trace_msg -message_file options.msgs >/dev/null 2>&1 ||
	fail "B without its replay store did not answer OPTIONS 503"
grep -q "^Reason:.*replay store 127.0.0.1:$REDIS not connected" options.msgs || fail "the 503 does not say why"
out=$("$STIWF" vty --port $((base + 11)) 'show replay-store') || fail "VTY: $out"
case $out in
*": not connected, instance id $id"*"first seen 2, replays 0"*"keys deleted 1"*) ;;
*) fail "show replay-store without Redis: $out" ;;
esac
kill -USR1 "$(bg_pid inj)"
wait_log inj.log "inject 3: released by the exchange, cause 21" 1 20 || fail "B took a signed IAM without its store"
wait_log b.log 'call-log \{' 3 10 || fail "B wrote no call-log line"
case $(grep 'call-log {' b.log | tail -n 1) in
*'"hop_reason":"replay-store"'*'"reason":"isup-replay-store-release"'*'"cause":21,'*) ;;
*) fail "B's call-log without its store: $(grep 'call-log {' b.log | tail -n 1)" ;;
esac
echo "ok: Redis gone: OPTIONS 503 'replay store ... not connected', a signed IAM released with REL 21, call-log hop_reason replay-store (${SECONDS}s)"

kill -TERM "$(bg_pid b)"
wait "$(bg_pid b)" || fail "stiwfd B did not stop cleanly"
bg_start b2 "DMAIN NOTICE ready:" b2.log "$STIWFD" -c b2.cfg || fail "stiwfd B (on-failure local) did not start"
wait_log b2.log "iwf-a: all 8 circuits reset|exchange: all 8 circuits reset" 1 20 || fail "B's circuits were never reset"
uas "$srcdir/contrib/sipp/uas_answer.xml" uas3
kill -USR1 "$(bg_pid inj)"
wait_log inj.log "inject 4: answered" 1 20 || fail "B with on-failure local did not take the IAM"
grep -q "replay store 127.0.0.1:$REDIS: .*the local cache decides" b2.log || fail "B did not say the local cache decided"
echo "ok: with on-failure local and no Redis, B takes the signed IAM on its local cache (${SECONDS}s)"

wait_log inj.log "inject: all 4 calls ended" 1 10 || fail "the exchange did not end"
wait "$(bg_pid inj)" || fail "the exchange failed"
kill -TERM "$(bg_pid b2)"
wait "$(bg_pid b2)" || fail "stiwfd B did not stop cleanly"
kill -TERM "$(bg_pid stp)"
wait "$(bg_pid stp)" 2>/dev/null
echo "ok: B stopped cleanly (${SECONDS}s)"
exit 0
