#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs where SCTP works (see uml/run.sh and scale_failover.sh):
#   redis-server; osmo-stp with AS "as-b" (PC 200) in traffic-mode override
#   with ASPs asp-b1 and asp-b2, and AS "as-x" (PC 100) for the exchange;
#   stiwfd B (asp-b1) and B' (asp-b2), both PC 200, "replay-store redis";
#   the exchange: tests/ss7/isup_peer, role inject, gated (-g) so that its
#   second IAM (the first one again) waits until B is dead; SIPp as callee.
set -u
. ./env
. "$srcdir/tests/integration/lib-bg.sh"
fail() {
	echo "FAIL: $*"
	for f in b1.log b2.log stp.log inj.log redis.log; do
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
base=31300
REDIS=$base SIP_B1=$((base + 1)) SIP_B2=$((base + 2)) UAS=$((base + 3)) PROBE=$((base + 4))
mkdir -p ops
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/

cat >stp.cfg <<EOC
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print extended-timestamp 1
 logging level set-all notice
 logging level lss7 info
line vty
 bind 127.0.0.1 4239
cs7 instance 0
 point-code format 24
 point-code 1
 xua rkm routing-key-allocation static-only
 listen m3ua 2905
  local-ip 127.0.0.1
 asp asp-x 2906 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 asp asp-b1 2907 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 asp asp-b2 2908 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 as as-x m3ua
  asp asp-x
  routing-key 10 100
 as as-b m3ua
  asp asp-b1
  asp asp-b2
  traffic-mode override
  routing-key 20 200
 route-table system
  update route 100 16777215 linkset as-x
  update route 200 16777215 linkset as-b
EOC
cat >inj.cfg <<EOC
log stderr
 logging level set-all notice
cs7 instance 0
 point-code format 24
 point-code 100
 asp asp-x 2905 2906 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-x m3ua
  asp asp-x
  routing-key 10 100
EOC
# b_cfg N SIPPORT VTYPORT: instance N of PC 200 (contrib/cluster/ does the
# same for a real deployment)
b_cfg() {
	cat >"b$1.cfg" <<EOC
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging print extended-timestamp 1
 logging level set-all notice
 logging level main info
 logging level iwf info
 logging level ss7 info
 logging level sip info
timer isup T22 1
line vty
 bind 127.0.0.1 $3
sip
 local 127.0.0.1 $2
 transport udp
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 hop-window 600
 replay-store redis 127.0.0.1:$REDIS
 replay-store timeout 500
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
cs7 instance 0
 point-code format 24
 point-code 200
 asp asp-b$1 2905 290$((6 + $1)) m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-b m3ua
  asp asp-b$1
  routing-key 20 200
EOC
}
b_cfg 1 "$SIP_B1" $((base + 11))
b_cfg 2 "$SIP_B2" $((base + 12))

# options SCENARIO PORT: one OPTIONS to an instance, answered as SCENARIO wants
options() {
	timeout 20 sipp -sf "$1" "127.0.0.1:$2" -i 127.0.0.1 -p "$PROBE" -m 1 -nostdin -timeout 10s \
		-timeout_error -trace_err -error_file "options-$2.err" >/dev/null 2>&1
}
OK=$srcdir/contrib/sipp/options.xml
NOT_READY=$srcdir/tests/integration/sipp/options_503.xml
# ms_of LINE: the milliseconds of the day of a log line's extended timestamp
ms_of() {
	local t=${1:8:9}
	echo $(( 10#${t:0:2} * 3600000 + 10#${t:2:2} * 60000 + 10#${t:4:2} * 1000 + 10#${t:6:3} ))
}

bg_start redis "Ready to accept connections" redis.log \
	redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD" ||
	fail "redis-server did not start"
bg_start stp "Available via telnet" stp.log osmo-stp -c stp.cfg || fail "osmo-stp did not start"
bg_start b1 "DMAIN NOTICE ready:" b1.log "$STIWFD" -c b1.cfg || fail "stiwfd B did not start"
wait_log b1.log "user part SI 5 available" 1 15 || fail "B's AS never became active"
bg_start b2 "DMAIN NOTICE ready:" b2.log "$STIWFD" -c b2.cfg || fail "stiwfd B' did not start"
wait_log b2.log "replay-store 127.0.0.1:$REDIS: connected" 1 10 || fail "B' never connected to Redis"
options "$NOT_READY" "$SIP_B2" || fail "the standby B' did not answer OPTIONS 503"
echo "ok: B active, B' standby (its ASP not active: OPTIONS 503), both on Redis 127.0.0.1:$REDIS (${SECONDS}s)"

iam=$("$STIWF" isup iam --called 12025550001 --calling 12025550006 --sign-key "$PKI_TSCA_OP1_FULL_KEY" \
	--sign-cert "$PKI_TSCA_OP1_FULL_CERT") || fail "stiwf isup iam"
sipp_bg UAS_PID -sf "$srcdir/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$UAS" -m 1 -timeout 60s \
	-trace_msg -message_file uas.msgs -trace_err -error_file uas.err || fail "SIPp UAS"
bg_start inj "^isup_peer: inject" inj.log "$PEER" -c inj.cfg -r inject -d 200 -T22 1 -t 60000 -g \
	-s "$iam" -s "$iam" || fail "the exchange (isup_peer inject) did not start"
wait_log inj.log "inject 1: answered" 1 20 || fail "B did not take the signed IAM"
wait_log inj.log "inject 2: waiting for SIGUSR1" 1 10 || fail "the exchange did not finish the first call"
wait_log b1.log "exchange: all 8 circuits reset" 1 10 || fail "B's circuits were never reset"
wait_log b1.log 'call-log \{' 1 10 || fail "B wrote no call-log line"
case $(grep 'call-log {' b1.log | tail -n 1) in
*'"hop":"valid"'*'"answered":true'*) ;;
*) fail "B's call-log for the signed IAM: $(grep 'call-log {' b1.log | tail -n 1)" ;;
esac
options "$OK" "$SIP_B1" || fail "B (active, circuits reset) did not answer OPTIONS 200"
grep -q "resetting all circuits" b2.log && fail "the standby B' sent GRS while standby"
options "$NOT_READY" "$SIP_B2" || fail "the standby B' did not answer OPTIONS 503"
echo "ok: B took the signed IAM (HOP valid, answered), OPTIONS 200 from B, 503 from B', no GRS from B' (${SECONDS}s)"

kill_line=$(date +%Y%m%d%H%M%S%3N)
kill -KILL "$(bg_pid b1)"
wait_log b2.log "user part SI 5 available" 1 30 || fail "B' never became active after B died"
wait_log b2.log "exchange: peer 100 reachable: resetting all circuits" 1 5 || fail "B' sent no GRS"
wait_log b2.log "exchange: CIC 1: GRA, 8 circuits reset" 1 15 || fail "B' got no GRA"
active_ms=$(( $(ms_of "$(grep -m1 'user part SI 5 available' b2.log)") - $(ms_of "$kill_line") ))
gra_ms=$(( $(ms_of "$(grep -m1 'GRA, 8 circuits reset' b2.log)") - $(ms_of "$kill_line") ))
options "$OK" "$SIP_B2" || fail "B' (now active, circuits reset) did not answer OPTIONS 200"
echo "ok: SIGKILL of B: B' active after ${active_ms} ms, its GRS answered (GRA) after ${gra_ms} ms, OPTIONS 200 from B' (guest clock; ${SECONDS}s)"

kill -USR1 "$(bg_pid inj)"
wait_log inj.log "inject 2: released by the exchange, cause 21" 1 20 || fail "the replay at B' was not refused with REL 21"
wait_log inj.log "inject: all 2 calls ended" 1 10 || fail "the exchange did not end"
wait_log b2.log 'call-log \{' 1 10 || fail "B' wrote no call-log line"
l=$(grep 'call-log {' b2.log | tail -n 1)
case $l in
*'"hop":"invalid","hop_reason":"replay"'*'"cause":21,'*) ;;
*) fail "B' call-log for the replayed IAM: $l" ;;
esac
echo "ok: the same IAM replayed to B' after the failover: REL 21, call-log hop_reason replay (the Redis key B set) (${SECONDS}s)"

wait "$(bg_pid inj)" || fail "the exchange failed"
kill -TERM "$(bg_pid b2)"
wait "$(bg_pid b2)" || fail "stiwfd B' did not stop cleanly"
kill -TERM "$(bg_pid stp)" "$(bg_pid redis)"
wait "$(bg_pid stp)" 2>/dev/null
echo "ok: B' stopped cleanly (${SECONDS}s)"
exit 0
