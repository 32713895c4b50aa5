#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The fault suite (docs/RELIABILITY.md), run where SCTP works (see
# tests/integration/uml/run.sh and tests/faults/run.sh):
#
#   SIPp UAC (tests/faults/uac_account.xml, every call accounted for)
#     -> Kamailio (contrib/cluster/kamailio-dispatcher.cfg, addresses and
#        probe interval replaced)
#     -> stiwfd B1 (active) / B2 (hot standby): PC 200, one AS in
#        traffic-mode override at osmo-stp, one Redis replay store
#     -> osmo-stp
#     -> stiwfd C (PC 300, ISUP->SIP, HOP required, same Redis)
#     -> SIPp UAS (answers every call)
#
# faults.env (written by run.sh) sets FAULT_CASES (F0,F1,...),
# FAULT_SOAK_MIN, FAULT_SHORT (1: the quick variants of F5 and F7) and
# maybe FAULT_RATE, FAULT_HOLD.  Each case puts load on the topology, does its harm
# while the calls run, waits for the caller to finish and counts: sent,
# answered, dropped (answered, then the BYE failed), failed by final code,
# lost (no final answer).  A lost call fails the case.  The table and the
# measured times go to results.txt.
set -u
. ./env
. ./faults.env
. "$srcdir/tests/integration/lib-bg.sh"
OUT=$PWD
STIWFD=$top_builddir/stiwfd
STIWF=$top_builddir/stiwf
SCEN=$srcdir/tests/faults/uac_account.xml
. "$OUT/pki/pki.env"

base=31800
REDIS=$base KAM=$((base + 1)) SIP_B1=$((base + 2)) SIP_B2=$((base + 3)) SIP_C=$((base + 4))
UAS=$((base + 5)) UAC=$((base + 6)) PROBE=$((base + 7))
VTY_B1=$((base + 11)) VTY_B2=$((base + 12)) VTY_C=$((base + 13))
CICS=64
# the caller: calls a second, hold time (ms); the replay store gets 3 s
# (not 200 ms) to answer: on a busy machine the guest is slow, and a slow
# answer would refuse calls in cases that expect all of them answered
RATE=${FAULT_RATE:-2}
HOLD=${FAULT_HOLD:-1500}

declare -A RUN LOGF
RESULTS=$OUT/results.txt
: >"$RESULTS"
say() { echo "$*"; echo "$*" >>"$RESULTS"; }

fail() {
	echo "FAIL: $*"
	echo "FAIL: $*" >>"$RESULTS"
	for f in "${LOGF[b1]:-}" "${LOGF[b2]:-}" c.log "${LOGF[stp]:-}" kam.log "${LOGF[redis]:-}"; do
		[ -f "$f" ] || continue
		echo "--- $f (last 40 lines)"
		tail -n 40 "$f"
	done
	for f in *.err; do [ -s "$f" ] && { echo "--- $f"; head -n 20 "$f"; }; done
	exit 1
}

mkdir -p ops
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
FAULT_SHORT=${FAULT_SHORT:-0}

# the x5u server B fetches the callers' certificates from (F5, F7): the
# tests' HTTPS server (tests/certs/httpsd) with its own test CA; B gives
# a fetch X5U_TIMEOUT ms
mkdir -p x5u-tls x5u-root
cp "$PKI_SHAKEN_SP_A_CHAIN" x5u-root/sp-a-chain.pem
httpsd_start x5u-tls x5u-root || fail "the x5u server (httpsd)"
X5U_PID=${BG_ALL_PIDS##* }
X5U=https://127.0.0.1:$HTTPSD_PORT
X5U_TIMEOUT=1000
# B's clock (F7): with F7 among the cases B runs under libfaketime, its
# offset read from b-clock at every call of time() (CLOCK_MONOTONIC, the
# timers, untouched); "+0" but in F7
FT_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
B_ENV=()
case ,$FAULT_CASES, in *,F7,*)
	[ -f "$FT_LIB" ] || fail "F7 needs libfaketime (contrib/install-deps.sh installs faketime)"
	echo "+0" >b-clock
	B_ENV=(env LD_PRELOAD="$FT_LIB" FAKETIME_TIMESTAMP_FILE="$PWD/b-clock" FAKETIME_NO_CACHE=1
		FAKETIME_DONT_FAKE_MONOTONIC=1)
	;;
esac

# ---- configuration ----

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
 asp asp-c 2906 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 asp asp-b1 2907 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 asp asp-b2 2908 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 as as-c m3ua
  asp asp-c
  routing-key 30 300
 as as-b m3ua
  asp asp-b1
  asp asp-b2
  traffic-mode override
  routing-key 20 200
 route-table system
  update route 300 16777215 linkset as-c
  update route 200 16777215 linkset as-b
EOC

log_head() {
	cat <<EOC
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
timer isup T22 1
line vty
 bind 127.0.0.1 $1
EOC
}

# b_cfg N SIPPORT VTYPORT: instance N of PC 200 (the cluster's template,
# contrib/cluster/stiwfd.conf.in, on loopback)
b_cfg() {
	{
		log_head "$3"
		cat <<EOC
sip
 local 127.0.0.1 $2
 transport udp
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-acl permit 127.0.0.0/8
 x5u-port $HTTPSD_PORT
 x5u-timeout $X5U_TIMEOUT
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
 hop-window 600
 replay-store redis 127.0.0.1:$REDIS
 replay-store on-failure reject
 replay-store timeout 3000
sip-peer acme
 remote 127.0.0.1 $KAM
 via-proxy 127.0.0.1 header X-Carrier acme
 country-code 1
ss7-peer far
 cs7-instance 0
 point-code 300
 cic 1 $CICS
 country-code 1
 number-format international
route 1 ss7-peer far
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
	} >"b$1.cfg"
}
b_cfg 1 "$SIP_B1" "$VTY_B1"
b_cfg 2 "$SIP_B2" "$VTY_B2"

{
	log_head "$VTY_C"
	cat <<EOC
sip
 local 127.0.0.1 $SIP_C
 transport udp
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 hop-window 600
 hop-skew 60
 replay-store redis 127.0.0.1:$REDIS
 replay-store on-failure reject
 replay-store timeout 3000
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
ss7-peer iwf
 cs7-instance 0
 point-code 200
 cic 1 $CICS
 country-code 1
 number-format international
 hop-required
 sip-peer uas
cs7 instance 0
 point-code format 24
 point-code 300
 asp asp-c 2905 2906 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-c m3ua
  asp asp-c
  routing-key 30 300
EOC
} >c.cfg

# The dispatcher as shipped, on loopback: the callers' address is
# 127.0.0.1 (carrier acme), OPTIONS every second instead of 10 (the cases
# would otherwise wait for the prober most of their time), 10 s instead
# of 60 for a final answer after a provisional one, and 5 s instead of 3
# for a provisional answer (a guest on a busy machine is slow).
sed -e "s#^listen=udp:192.0.2.10:5060#listen=udp:127.0.0.1:$KAM#" \
	-e "s#/etc/kamailio/dispatcher.list#$PWD/dispatcher.list#" \
	-e 's#198.51.100.1#127.0.0.1#' \
	-e 's#"ds_ping_interval", 10)#"ds_ping_interval", 1)#' \
	-e 's#"fr_inv_timer", 60000)#"fr_inv_timer", 10000)#' \
	-e 's#"fr_timer", 3000)#"fr_timer", 5000)#' \
	"$srcdir/contrib/cluster/kamailio-dispatcher.cfg" >kam.cfg
grep -q "listen=udp:127.0.0.1:$KAM" kam.cfg && grep -q '"ds_ping_interval", 1)' kam.cfg &&
	grep -q '"fr_inv_timer", 10000)' kam.cfg && grep -q '"fr_timer", 5000)' kam.cfg || fail "contrib/cluster/kamailio-dispatcher.cfg changed: the test cannot adapt it"
cat >dispatcher.list <<EOC
1 sip:127.0.0.1:$SIP_B1 0 0 duid=b1;weight=50
1 sip:127.0.0.1:$SIP_B2 0 0 duid=b2;weight=50
EOC
printf 'SEQUENTIAL\n12025550002;12025550001\n12025550003;12025550004\n' >calls.csv

# ---- helpers ----

# epoch milliseconds now, and of a line with libosmocore's extended
# timestamp (YYYYmmddHHMMSSmmm, local time) or Kamailio's "at S.US"
now_ms() { date +%s%3N; }
osmo_ms() {
	local t=$1
	echo $(( $(date -d "${t:0:4}-${t:4:2}-${t:6:2} ${t:8:2}:${t:10:2}:${t:12:2}" +%s) * 1000 + 10#${t:14:3} ))
}
kam_ms() {
	local t=${1##* at }
	echo $(( ${t%%.*} * 1000 + 10#${t#*.} / 1000 ))
}
# nth_line FILE PATTERN N: the Nth line matching
nth_line() { grep -E -- "$2" "$1" | sed -n "${3}p"; }
count() { grep -Ec -- "$2" "$1" 2>/dev/null; }

# per-instance log names: a restarted process writes a new log, NAME.K.log
# (K-th run); lg NAME names the current one.  No symbolic links: tail -F
# (wait_log) would watch the link, not the file it points to.
lg() { echo "${LOGF[$1]}"; }
start_b() {
	local n=$1 k
	k=$(( ${RUN[b$n]:-0} + 1 ))
	RUN[b$n]=$k
	LOGF[b$n]=b$n.$k.log
	bg_start "b$n" "DMAIN NOTICE ready:" "b$n.$k.log" "${B_ENV[@]}" "$STIWFD" -c "b$n.cfg" || fail "stiwfd B$n did not start"
	wait_log "$(lg "b$n")" "replay-store 127.0.0.1:$REDIS: connected" 1 20 || fail "B$n never connected to Redis"
}
start_redis() {
	local k
	k=$(( ${RUN[redis]:-0} + 1 ))
	RUN[redis]=$k
	LOGF[redis]=redis.$k.log
	bg_start redis "Ready to accept connections" "redis.$k.log" \
		redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --dir "$PWD" ||
		fail "redis-server did not start"
}
start_stp() {
	local k
	k=$(( ${RUN[stp]:-0} + 1 ))
	RUN[stp]=$k
	LOGF[stp]=stp.$k.log
	bg_start stp "Available via telnet" "stp.$k.log" osmo-stp -c stp.cfg || fail "osmo-stp did not start"
}
sip_of() { case $1 in b1) echo "$SIP_B1" ;; b2) echo "$SIP_B2" ;; esac; }
vty_of() { case $1 in b1) echo "$VTY_B1" ;; b2) echo "$VTY_B2" ;; esac; }

# options SCENARIO PORT: one OPTIONS, answered as SCENARIO wants
options() {
	timeout 20 sipp -sf "$1" "127.0.0.1:$2" -i 127.0.0.1 -p "$PROBE" -m 1 -nostdin -timeout 10s \
		-timeout_error -trace_err -error_file "options-$2.err" >/dev/null 2>&1
}
OK_200=$srcdir/contrib/sipp/options.xml
NOT_READY=$srcdir/tests/integration/sipp/options_503.xml

# load NAME CALLS: the caller places CALLS calls at RATE a second in the
# background (LOAD_PID, a child of ours: its exit status is waited for);
# its account goes to NAME.uac.log, its last screen to NAME.screen.  A
# message the scenario does not expect (a 180 that overtook its 200
# between two proxy workers) does not abort the call.
load() {
	rm -f "$1.uac.log" "$1.err" "$1.screen"
	timeout $(( $2 / RATE + 120 )) sipp -sf "${LOAD_SCEN:-$SCEN}" "127.0.0.1:$KAM" -i 127.0.0.1 -p "$UAC" \
		-inf "${LOAD_CSV:-calls.csv}" \
		-m "$2" -r "$RATE" -d "$HOLD" -l 200 -recv_timeout 30000 -max_invite_retrans 4 -default_behaviors all,-abortunexp -nostdin \
		-trace_logs -log_file "$1.uac.log" -trace_err -error_file "$1.err" \
		-trace_screen -screen_file "$1.screen" >/dev/null 2>&1 &
	LOAD_PID=$!
	BG_ALL_PIDS="$BG_ALL_PIDS $LOAD_PID"
}
# load_wait NAME: until the caller ended (every call had its final answer
# or its 30 s receive timeout); SIPp's status 0 or 1 (some call failed)
load_wait() {
	local rc
	wait "$LOAD_PID"
	rc=$?
	[ $rc -le 1 ] || fail "$1: the caller ended with status $rc (124: it did not finish; see $1.screen)"
}

# account CASE NAME CALLS: count the caller's log; print the row; a call
# without a final answer, or a count that does not add up, fails
TABLE_HEAD=$(printf '%-4s %-10s %5s %8s %8s %7s %5s  %s' case run sent answered dropped failed lost \
	'failed/dropped by code')
account() {
	local c=$1 name=$2 calls=$3 log=$2.uac.log sent ans drop failn lost codes
	sent=$(count "$log" '^call [0-9]+ sent$')
	ans=$(count "$log" '^call [0-9]+ answered$')
	drop=$(count "$log" '^call [0-9]+ dropped [0-9]+$')
	failn=$(count "$log" '^call [0-9]+ failed [0-9]+$')
	lost=$(( sent - ans - drop - failn ))
	codes=$(grep -E '^call [0-9]+ (failed|dropped) ' "$log" | awk '{k=$3" "$4; n[k]++} END {for (k in n) printf "%s:%d ", k, n[k]}')
	ACC_SENT=$sent ACC_ANS=$ans ACC_DROP=$drop ACC_FAIL=$failn ACC_LOST=$lost
	printf '%-4s %-10s %5d %8d %8d %7d %5d  %s\n' "$c" "$name" "$sent" "$ans" "$drop" "$failn" "$lost" \
		"${codes:--}" >>table.txt
	say "$(printf '%-4s %-10s %5d %8d %8d %7d %5d  %s' "$c" "$name" "$sent" "$ans" "$drop" "$failn" "$lost" "${codes:--}")"
	[ "$sent" -eq "$calls" ] || fail "$c/$name: the caller placed $sent calls of $calls"
	[ "$lost" -eq 0 ] || fail "$c/$name: $lost call(s) without a final answer: $(awk '$3 == "sent" {s[$2] = 1} $3 != "sent" {delete s[$2]} END {for (k in s) printf "call %s ", k}' "$log")(see $name.err)"
}
# clean CASE NAME CALLS: a run with no harm: every call answered, each
# INVITE reached B and became an IAM at C
clean() {
	snap_counters "$2"
	load "$2" "$3"
	load_wait "$2"
	account "$1" "$2" "$3"
	[ "$ACC_ANS" -eq "$3" ] || fail "$1/$2: $ACC_ANS of $3 calls answered without a fault"
	check_calls "$1" "$3" "$3"
}

# the active and the standby instance of PC 200
ACTIVE=b1 STANDBY=b2

# ready NAME: the dispatcher takes instance NAME (its OPTIONS answered 200)
# and it answers 200 to us
# ds_pat NAME up|down: Kamailio's line when the dispatcher's verdict on
# instance NAME changes (its address in $ru or $du)
ds_pat() { echo "dispatcher: .*sip:127\.0\.0\.1:$(sip_of "$1")[ )].* $2 at"; }
dispatcher_up_count() { count kam.log "$(ds_pat "$1" up)"; }
dispatcher_down_count() { count kam.log "$(ds_pat "$1" down)"; }

# rss_fd PID: resident set (kB) and open fds of a process
rss_fd() {
	echo "$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") kB RSS, $(ls "/proc/$1/fd" | wc -l) fds"
}

# calls_in VTYPORT: calls in that instance's table ("show calls")
calls_in() {
	"$STIWF" vty --port "$1" 'show calls' 2>/dev/null | sed -n 's/^\([0-9]*\) call(s).*/\1/p'
}
# trunk VTYPORT NAME FIELD: a figure of "show isup trunk NAME": free
# (circuits idle), circuits, out (IAMs sent), in (IAMs taken)
trunk() {
	"$STIWF" vty --port "$1" "show isup trunk $2" 2>/dev/null | awk -v f="$3" '
		/^ISUP trunk/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^free/) fr = $i; if ($(i+1) ~ /^circuits/) c = $i } }
		/^ calls out/ { o = $3; n = $5 }
		END { if (f == "free") print fr; else if (f == "circuits") print c; else if (f == "out") print o; else print n }'
}
# sip_in VTYPORT: INVITEs the instance took ("show calls summary")
sip_in() {
	"$STIWF" vty --port "$1" 'show calls summary' 2>/dev/null | awk '$1 == "call:sip_in" {print $2}'
}
# alive NAME: that instance runs (F1 kills one; it restarts later)
alive() { kill -0 "$(bg_pid "$1")" 2>/dev/null; }
# snap_counters TAG: INVITEs taken by B1 and B2, IAMs they sent, IAMs C
# took, before a run (a restarted instance starts from 0: the counts of
# the instances alive at the end are compared with what they were then,
# or 0 if they started since)
declare -A SNAP
snap_counters() {
	local b
	for b in b1 b2; do
		SNAP[$1.$b.pid]=$(bg_pid $b)
		alive $b || continue
		SNAP[$1.$b.inv]=$(sip_in "$(vty_of $b)")
		SNAP[$1.$b.out]=$(trunk "$(vty_of $b)" far out)
	done
	SNAP[$1.c.in]=$(trunk "$VTY_C" iwf in)
	SNAP_TAG=$1
}
# wait_idle CASE SECONDS: until no call is in B1's, B2's or C's table and
# every circuit is idle at both ends (the last calls' BYEs and RLC); an
# instance that is not running (killed in F1, not yet restarted) is left out
idle_now() {
	local b
	for b in b1 b2; do
		alive $b || continue
		[ "$(calls_in "$(vty_of $b)")" = 0 ] || return 1
	done
	[ "$(calls_in "$VTY_C")" = 0 ] || return 1
	[ "$(trunk "$VTY_C" iwf free)" = "$CICS" ] || return 1
	[ "$(trunk "$(vty_of "$ACTIVE")" far free)" = "$CICS" ] || return 1
}
wait_idle() {
	local deadline=$((SECONDS + $2))
	until idle_now; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.5
	done
}
# check_calls CASE INVITES IAMS: after a run (since snap_counters): no call
# left in any table, every circuit idle at both ends, INVITEs taken by B1
# and B2 = INVITES (or, with INVITES "-", not checked: the proxy answered
# some itself), IAMs sent by them = IAMs taken by C = IAMS
check_calls() {
	local c=$1 inv=0 out=0 cin b v
	wait_idle "$c" 30 || fail "$c: calls left after the run: B1 $(calls_in "$VTY_B1"), B2 $(calls_in "$VTY_B2"), C $(calls_in "$VTY_C") in their tables; circuits idle: C $(trunk "$VTY_C" iwf free), $ACTIVE $(trunk "$(vty_of "$ACTIVE")" far free) of $CICS"
	for b in b1 b2; do
		alive $b || continue
		v=$(sip_in "$(vty_of $b)")
		[ "$(bg_pid $b)" = "${SNAP[$SNAP_TAG.$b.pid]}" ] && v=$((v - SNAP[$SNAP_TAG.$b.inv]))
		inv=$((inv + v))
		v=$(trunk "$(vty_of $b)" far out)
		[ "$(bg_pid $b)" = "${SNAP[$SNAP_TAG.$b.pid]}" ] && v=$((v - SNAP[$SNAP_TAG.$b.out]))
		out=$((out + v))
	done
	cin=$(( $(trunk "$VTY_C" iwf in) - SNAP[$SNAP_TAG.c.in] ))
	say "$c: accounting: INVITEs taken by B $inv, IAMs sent $out, IAMs taken by C $cin; no call in any table, all $CICS circuits idle"
	[ "$2" = - ] || [ "$inv" -eq "$2" ] || fail "$c: B took $inv INVITEs of $2 placed"
	[ "$out" -eq "$cin" ] || fail "$c: B sent $out IAMs, C took $cin"
	[ "$3" = - ] || [ "$out" -eq "$3" ] || fail "$c: $out IAMs for $3 expected"
}

# ---- the topology ----

start_redis
start_stp
echo "redis, osmo-stp up (${SECONDS}s)"
bg_start c "DMAIN NOTICE ready:" c.log "$STIWFD" -c c.cfg || fail "stiwfd C did not start"
wait_log c.log "replay-store 127.0.0.1:$REDIS: connected" 1 20 || fail "C never connected to Redis"
echo "C up (${SECONDS}s)"
start_b 1
echo "B1 up (${SECONDS}s)"
wait_log "$(lg b1)" "user part SI 5 available" 1 30 || fail "B1's AS never became active"
wait_log "$(lg b1)" "far: all $CICS circuits reset" 1 30 || fail "B1's circuits were never reset"
wait_log c.log "iwf: all $CICS circuits reset" 1 30 || fail "C's circuits were never reset"
echo "B1 active, circuits reset both ways (${SECONDS}s)"
start_b 2
echo "B2 up (${SECONDS}s)"
options "$NOT_READY" "$SIP_B2" || fail "the standby B2 did not answer OPTIONS 503"
options "$OK_200" "$SIP_B1" || fail "the active B1 did not answer OPTIONS 200"
sipp_bg UAS_PID -sf "$srcdir/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$UAS" -trace_err -error_file uas.err ||
	fail "SIPp UAS"
bg_start kam "dispatcher: .*sip:127\.0\.0\.1:$SIP_B2[ )].* down at" kam.log kamailio -DD -E -f kam.cfg ||
	fail "Kamailio did not start, or did not take the standby out of its set"
say "topology: redis, osmo-stp, C (PC 300), B1 active and B2 standby (PC 200), Kamailio dispatcher, SIPp UAS (${SECONDS}s)"
say "load: $RATE calls/s, held ${HOLD} ms, $CICS circuits"
say ""
say "$TABLE_HEAD"

# ---- the cases ----

case_F0() {
	clean F0 f0 $((RATE * 12))
}

# F1: SIGKILL of the active instance while calls are up
case_F1() {
	local n=$((RATE * 30)) base_ans trig inprog kill_ms t_as t_gra t_up up0 s av0 grs0 gra0
	s=$STANDBY
	base_ans=$(count "$(lg "$ACTIVE")" '"answered":true')
	up0=$(dispatcher_up_count "$s")
	av0=$(count "$(lg "$s")" "user part SI 5 available")
	grs0=$(count "$(lg "$s")" "far: peer 300 reachable: resetting all circuits")
	gra0=$(count "$(lg "$s")" "far: all $CICS circuits reset")
	load f1-kill "$n"
	# the trigger: calls established through the active instance (its
	# call-log), a fifth of the run.  Its log, frozen by the SIGKILL, says
	# how many calls it held: INVITEs taken less calls ended.
	trig=$(( base_ans + n / 5 ))
	wait_log "$(lg "$ACTIVE")" '"answered":true' "$trig" 120 || fail "F1: $ACTIVE never answered $trig calls"
	kill_ms=$(now_ms)
	kill -KILL "$(bg_pid "$ACTIVE")"
	wait "$(bg_pid "$ACTIVE")" 2>/dev/null
	inprog=$(( $(count "$(lg "$ACTIVE")" 'VERIFY\}: INVITE [^ ]+ from ') - $(count "$(lg "$ACTIVE")" 'call-log \{') ))
	[ "$inprog" -gt 0 ] || fail "F1: $ACTIVE held no call when it was killed"
	wait_log "$(lg "$s")" "user part SI 5 available" $((av0 + 1)) 60 || fail "F1: $s never became active"
	wait_log "$(lg "$s")" "far: peer 300 reachable: resetting all circuits" $((grs0 + 1)) 10 || fail "F1: $s sent no GRS"
	wait_log "$(lg "$s")" "far: all $CICS circuits reset" $((gra0 + 1)) 30 || fail "F1: $s got no GRA"
	wait_log kam.log "$(ds_pat "$s" up)" $((up0 + 1)) 60 ||
		fail "F1: the dispatcher never took $s"
	t_as=$(( $(osmo_ms "$(nth_line "$(lg "$s")" 'user part SI 5 available' $((av0 + 1)))") - kill_ms ))
	t_gra=$(( $(osmo_ms "$(nth_line "$(lg "$s")" "far: all $CICS circuits reset" $((gra0 + 1)))") - kill_ms ))
	t_up=$(( $(kam_ms "$(nth_line kam.log "$(ds_pat "$s" up)" $((up0 + 1)))") - kill_ms ))
	load_wait f1-kill
	account F1 f1-kill "$n"
	[ "$ACC_ANS" -gt 0 ] || fail "F1: no call answered"
	STANDBY=$ACTIVE ACTIVE=$s
	# calls after the takeover: every one answered
	clean F1 f1-after $((RATE * 4))
	say "F1: SIGKILL of the active B with $inprog call(s) in progress; the standby's AS active after ${t_as} ms," \
		"its GRS answered (GRA) after ${t_gra} ms, the dispatcher sends it calls after ${t_up} ms"
	MEASURED+=("F1 takeover after SIGKILL ($inprog calls up): AS active ${t_as} ms, GRA ${t_gra} ms, dispatcher ${t_up} ms")
	# the killed instance comes back, as the standby
	start_b "${STANDBY#b}"
	options "$NOT_READY" "$(sip_of "$STANDBY")" || fail "F1: the restarted $STANDBY is not a standby (OPTIONS)"
	grep -q "resetting all circuits" "$(lg "$STANDBY")" && fail "F1: the restarted $STANDBY reset circuits as a standby"
	say "F1: the killed instance restarted as the standby (OPTIONS 503, no GRS)"
}

# F2: the standby restarts under load: no call disturbed, no second reset
case_F2() {
	local n=$((RATE * 12)) grs0 k
	grs0=$(count c.log "iwf: CIC [0-9]+: GRS for")
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	load f2 "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 4)) 120 || fail "F2: no calls answered"
	kill -TERM "$(bg_pid "$STANDBY")"
	wait "$(bg_pid "$STANDBY")" || fail "F2: the standby $STANDBY did not stop cleanly"
	start_b "${STANDBY#b}"
	load_wait f2
	account F2 f2 "$n"
	[ "$ACC_ANS" -eq "$n" ] || fail "F2: a standby restart disturbed calls"
	options "$NOT_READY" "$(sip_of "$STANDBY")" || fail "F2: the restarted standby did not answer OPTIONS 503"
	grep -q "resetting all circuits" "$(lg "$STANDBY")" && fail "F2: the restarted standby reset circuits"
	[ "$(count c.log "iwf: CIC [0-9]+: GRS for")" -eq "$grs0" ] || fail "F2: the far end got a GRS"
	say "F2: standby restarted under load: every call answered, no GRS from it, none at the far end"
}

# F3: osmo-stp restarts (ready time), then stops for 5 s (SIGSTOP)
case_F3() {
	local n=$((RATE * 20)) k t0 t_stp t_as t_gra t_up up1 up2 un0 g0 u0
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	un0=$(count "$(lg "$ACTIVE")" "user part SI 5 unavailable")
	up1=$(dispatcher_up_count b1) up2=$(dispatcher_up_count b2)
	load f3-restart "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 5)) 120 || fail "F3: no calls answered"
	g0=$(count "$(lg "$ACTIVE")" "far: all $CICS circuits reset")
	kill -TERM "$(bg_pid stp)"
	wait "$(bg_pid stp)" 2>/dev/null
	wait_log "$(lg "$ACTIVE")" "user part SI 5 unavailable" $((un0 + 1)) 30 || fail "F3: $ACTIVE did not see the STP go"
	t0=$(now_ms)
	start_stp
	t_stp=$(( $(osmo_ms "$(grep -m1 'Available via telnet' "$(lg stp)")") - t0 ))
	# the instance of PC 200 the dispatcher takes first (OPTIONS 200: its
	# AS active, its circuits reset) serves it now
	wait_log kam.log "dispatcher: .*sip:127\.0\.0\.1:($SIP_B1|$SIP_B2)[ )].* up at" $((up1 + up2 + 1)) 90
	if [ "$(dispatcher_up_count b1)" -gt "$up1" ]; then
		[ $ACTIVE = b1 ] || g0=$(count "$(lg b1)" "far: all $CICS circuits reset")
		ACTIVE=b1 STANDBY=b2 u0=$up1
	elif [ "$(dispatcher_up_count b2)" -gt "$up2" ]; then
		[ $ACTIVE = b2 ] || g0=$(count "$(lg b2)" "far: all $CICS circuits reset")
		ACTIVE=b2 STANDBY=b1 u0=$up2
	else
		fail "F3: the dispatcher took no instance of PC 200 back after osmo-stp restarted"
	fi
	t_as=$(( $(osmo_ms "$(grep 'user part SI 5 available' "$(lg "$ACTIVE")" | tail -n 1)") - t0 ))
	t_gra=$(( $(osmo_ms "$(grep -E "far: all $CICS circuits reset" "$(lg "$ACTIVE")" | tail -n 1)") - t0 ))
	t_up=$(( $(kam_ms "$(nth_line kam.log "$(ds_pat "$ACTIVE" up)" $((u0 + 1)))") - t0 ))
	load_wait f3-restart
	account F3 f3-restart "$n"
	options "$NOT_READY" "$(sip_of "$STANDBY")" || fail "F3: $STANDBY is not the standby after the restart"
	say "F3: osmo-stp restarted: listening after ${t_stp} ms; $ACTIVE active after ${t_as} ms, circuits reset (GRA)" \
		"after ${t_gra} ms, calls through the dispatcher after ${t_up} ms"
	MEASURED+=("F3 osmo-stp restart: STP up ${t_stp} ms, AS active ${t_as} ms, GRA ${t_gra} ms, dispatcher ${t_up} ms")

	# SIGSTOP for 5 s under load: the fault lasts 5 s (its duration, not a wait)
	n=$((RATE * 15))
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	load f3-sigstop "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 4)) 120 || fail "F3: no calls answered"
	kill -STOP "$(bg_pid stp)"
	t0=$(now_ms)
	sleep 5
	kill -CONT "$(bg_pid stp)"
	load_wait f3-sigstop
	account F3 f3-sigstop "$n"
	options "$OK_200" "$(sip_of "$ACTIVE")" || fail "F3: $ACTIVE not ready after osmo-stp continued"
	say "F3: osmo-stp stopped 5 s under load: $ACC_ANS of $n answered, 0 lost"
	clean F3 f3-after $((RATE * 4))
}

# F6: 40 ms +- 10 ms delay and 1 % loss on lo (every hop: SIP, M3UA, Redis)
case_F6() {
	local n=$((RATE * 15)) mod
	mod=/usr/lib/uml/modules/$(uname -r)/kernel/net/sched/sch_netem.ko
	[ -f "$mod" ] && insmod "$mod" 2>/dev/null
	tc qdisc add dev lo root netem delay 40ms 10ms loss 1% || fail "F6: tc netem on lo (sch_netem)"
	load f6-netem "$n"
	load_wait f6-netem
	tc qdisc del dev lo root
	account F6 f6-netem "$n"
	say "F6: 40+-10 ms delay, 1 % loss on every hop: $ACC_ANS of $n answered, 0 lost"
	clean F6 f6-after $((RATE * 4))
}

# F4: Redis goes away under load.  The instances are configured
# "replay-store on-failure reject" (the default: fail closed): while the
# store is gone, B answers OPTIONS 503 (the dispatcher takes it out) and C
# refuses a signed IAM it cannot check (REL 21); once Redis is back they
# connect again and calls go through.
case_F4() {
	local n=$((RATE * 20)) k d0 u0 t0 t_down t_back t_up store_rel
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	d0=$(dispatcher_down_count "$ACTIVE")
	u0=$(dispatcher_up_count "$ACTIVE")
	local c0 b0
	c0=$(count c.log "replay-store 127.0.0.1:$REDIS: connected")
	b0=$(count "$(lg "$ACTIVE")" "replay-store 127.0.0.1:$REDIS: connected")
	load f4-redis "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 4)) 120 || fail "F4: no calls answered"
	t0=$(now_ms)
	kill -KILL "$(bg_pid redis)"
	wait_log kam.log "$(ds_pat "$ACTIVE" down)" $((d0 + 1)) 30 ||
		fail "F4: the dispatcher kept $ACTIVE without its replay store"
	t_down=$(( $(kam_ms "$(nth_line kam.log "$(ds_pat "$ACTIVE" down)" $((d0 + 1)))") - t0 ))
	options "$NOT_READY" "$(sip_of "$ACTIVE")" || fail "F4: $ACTIVE did not answer 503 without its replay store"
	t_back=$(now_ms)
	start_redis
	wait_log "$(lg "$ACTIVE")" "replay-store 127.0.0.1:$REDIS: connected" $((b0 + 1)) 30 || fail "F4: $ACTIVE never reconnected"
	wait_log c.log "replay-store 127.0.0.1:$REDIS: connected" $((c0 + 1)) 30 || fail "F4: C never reconnected"
	wait_log kam.log "$(ds_pat "$ACTIVE" up)" $((u0 + 1)) 30 ||
		fail "F4: the dispatcher never took $ACTIVE back"
	t_up=$(( $(kam_ms "$(nth_line kam.log "$(ds_pat "$ACTIVE" up)" $((u0 + 1)))") - t_back ))
	load_wait f4-redis
	account F4 f4-redis "$n"
	[ "$ACC_FAIL" -gt 0 ] || fail "F4: no call refused while the replay store was gone (fail closed)"
	# fail closed: no call C took without checking its HOP in the store
	store_rel=$(grep 'call-log {' c.log | grep -c '"hop_reason":"replay-store"')
	grep 'call-log {' c.log | grep '"hop_reason":"replay-store"' | grep -q '"answered":true' &&
		fail "F4: C answered a call whose HOP the store could not check"
	say "F4: Redis killed under load (on-failure reject): the dispatcher took B out after ${t_down} ms," \
		"$ACC_FAIL calls refused (final codes above; $store_rel released by C with cause 21, store not answering)," \
		"none answered unchecked; B back in the dispatcher ${t_up} ms after Redis restarted"
	clean F4 f4-after $((RATE * 4))
	MEASURED+=("F4 Redis down: B out of the dispatcher ${t_down} ms after the kill, back ${t_up} ms after the restart")
	# in the full set only: Redis paused, then flushed
	[ "$FAULT_SHORT" = 1 ] && return
	f4_pause
	f4_flush
}

# F4, Redis paused: CLIENT PAUSE for twice the store's timeout (3 s) under
# load: the connection stays, the answers do not come.  C, "on-failure
# reject", refuses each IAM whose check timed out (REL 21) and answers
# none unchecked; when the pause ends calls go through again
f4_pause() {
	local n=$((RATE * 16)) k r0 t0 tmo refused
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	r0=$(grep 'call-log {' c.log | grep -c '"hop_reason":"replay-store"')
	tmo=$(count c.log "HOP by [0-9a-f]+: replay store 127\.0\.0\.1:$REDIS: .*refusing")
	snap_counters f4-pause
	load f4-pause "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 4)) 120 || fail "F4: no calls answered before the pause"
	t0=$(now_ms)
	redis-cli -p "$REDIS" CLIENT PAUSE 6000 ALL | grep -qx OK || fail "F4: CLIENT PAUSE"
	load_wait f4-pause
	account F4 f4-pause "$n"
	check_calls F4 - -
	refused=$(( $(grep 'call-log {' c.log | grep -c '"hop_reason":"replay-store"') - r0 ))
	[ "$refused" -gt 0 ] || fail "F4: no IAM refused while Redis was paused for 6 s (store timeout 3 s)"
	grep 'call-log {' c.log | grep '"hop_reason":"replay-store"' | grep -q '"answered":true' &&
		fail "F4: C answered a call whose HOP the paused store did not check"
	say "F4: Redis paused 6 s under load (store timeout 3 s, on-failure reject): $refused IAM(s) released by C" \
		"(REL $(grep 'call-log {' c.log | grep '"hop_reason":"replay-store"' | tail -n 1 | sed -n 's/.*"cause":\([0-9]*\).*/\1/p'))," \
		"$(( $(count c.log "HOP by [0-9a-f]+: replay store 127\.0\.0\.1:$REDIS: .*refusing") - tmo )) store check(s) failed in C's log," \
		"$ACC_ANS of $n answered, none unchecked, 0 lost"
	clean F4 f4-pause-after $((RATE * 4))
}

# F4, Redis flushed (FLUSHALL) under load: the store is there and answers;
# the HOPs it knew are forgotten.  A flush is not a fault of the store:
# every call goes on.  What a flush costs: a HOP that reached an instance
# before it can be replayed once to another instance sharing the store
# within its window; the instance that saw it still refuses it (its own
# table is checked first, iwf/call_fsm.c:hop_verify_done)
f4_flush() {
	local n=$((RATE * 10)) k keys0 keys1
	k=$(count "$(lg "$ACTIVE")" '"answered":true')
	snap_counters f4-flush
	load f4-flush "$n"
	wait_log "$(lg "$ACTIVE")" '"answered":true' $((k + n / 3)) 120 || fail "F4: no calls answered before the flush"
	keys0=$(redis-cli -p "$REDIS" DBSIZE)
	redis-cli -p "$REDIS" FLUSHALL | grep -qx OK || fail "F4: FLUSHALL"
	load_wait f4-flush
	keys1=$(redis-cli -p "$REDIS" DBSIZE)
	account F4 f4-flush "$n"
	[ "$ACC_ANS" -eq "$n" ] || fail "F4: $ACC_ANS of $n calls answered across a FLUSHALL"
	check_calls F4 "$n" "$n"
	[ "$keys1" -gt 0 ] || fail "F4: no HOP stored after the FLUSHALL"
	say "F4: Redis flushed under load ($keys0 HOP keys dropped): $n of $n answered; $keys1 key(s) stored since"
}

# ---- F5, F7: calls that carry a PASSporT (Identity) ----

# the caller with an Identity header: [field2] the PASSporT, its x5u
# [field3];[field4] (SIPp's injection file splits on ';')
SCEN_ID=$OUT/uac_identity.xml
sed 's#^\( *\)P-Asserted-Identity: .*#&\n\1Identity: [field2];info=<[field3];[field4]>;alg=ES256;ppt=shaken#' "$SCEN" >"$SCEN_ID"
grep -q '^ *Identity: \[field2\]' "$SCEN_ID" || fail "the Identity header did not go into the caller's scenario"
X5U_CACHED="$X5U/pem/sp-a-chain.pem;w=1"
# id_csv FILE N URL PARAMS [SIGNER-PREFIX...]: N calls signed by SP A,
# alternating: odd ones from 12025550002 with the x5u B has cached
# (X5U_CACHED), even ones from 12025550003 with URL;PARAMSk=FILE-i, a URL
# B has never fetched; the PASSporTs signed now (run by SIGNER-PREFIX,
# e.g. env LD_PRELOAD=libfaketime FAKETIME=-30, when given)
id_csv() {
	local f=$1 n=$2 url=$3 par=$4 i v orig dest u p
	shift 4
	echo SEQUENTIAL >"$f"
	for ((i = 1; i <= n; i++)); do
		if [ $((i % 2)) = 1 ]; then
			orig=12025550002 dest=12025550001 u=${X5U_CACHED%%;*} p=${X5U_CACHED#*;}
		else
			orig=12025550003 dest=12025550004 u=$url p="${par}k=${f%.csv}-$i"
		fi
		v=$("$@" "$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$u;$p" --attest A \
			--orig "$orig" --dest "$dest") || fail "stiwf passport sign"
		printf '%s;%s;%s;%s;%s\n' "$orig" "$dest" "${v%%;*}" "$u" "$p" >>"$f"
	done
}
# pctl P: the P-th percentile (nearest rank) of the numbers on stdin
pctl() { sort -n | awk -v p="$1" '{v[NR] = $1} END {if (!NR) {print "-"; exit} r = int((p * NR + 99) / 100); if (r < 1) r = 1; print v[r]}'; }
# id_run CASE NAME N URL PARAMS [SIGNER-PREFIX...]: the calls of id_csv through the topology;
# every call accounted for (answered: B's policy "on-stir-failure
# continue", the default, carries a failed verdict on), and B's call-log
# lines of the run in NAME.calls (cached group: NAME.a, the other: NAME.b,
# "verstat code transit_us" each)
id_run() {
	local c=$1 name=$2 n=$3 k
	id_csv "$name.csv" "$n" "$4" "$5" "${@:6}"
	k=$(grep -c 'call-log {' "$(lg "$ACTIVE")")
	snap_counters "$name"
	LOAD_SCEN=$SCEN_ID LOAD_CSV=$name.csv load "$name" "$n"
	load_wait "$name"
	account "$c" "$name" "$n"
	[ "$ACC_ANS" -eq "$n" ] || fail "$c/$name: $ACC_ANS of $n calls answered (the policy carries a failed verdict on)"
	check_calls "$c" "$n" "$n"
	grep 'call-log {' "$(lg "$ACTIVE")" | tail -n +$((k + 1)) >"$name.calls"
	id_split "$name"
}
id_split() {
	local g
	for g in a:12025550002 b:12025550003; do
		grep "\"calling\":\"[^\"]*${g#*:}\"" "$1.calls" |
			sed -n 's/.*"verstat":"\([^"]*\)","code":\([0-9]*\).*"transit_us":\([0-9]*\).*/\1 \2 \3/p' >"$1.${g%%:*}"
	done
	[ $(( $(wc -l <"$1.a") + $(wc -l <"$1.b") )) -eq "$(wc -l <"$1.calls")" ] ||
		fail "$1: B's call-log lines do not all carry a verstat, a code and transit_us"
}
# id_stats NAME GROUP: "p50 p99 max" of INVITE-to-IAM (ms) of the group
id_stats() {
	local f=$1.$2
	echo "$(awk '{print $3 / 1000}' "$f" | pctl 50) $(awk '{print $3 / 1000}' "$f" | pctl 99) $(awk '{print $3 / 1000}' "$f" | pctl 100)"
}
# id_expect NAME GROUP VERSTAT: every call of the group got that verstat
id_expect() {
	local bad
	[ -s "$1.$2" ] || fail "$1: no call of group $2 in B's call-log"
	bad=$(awk -v v="$3" '$1 != v' "$1.$2" | sort | uniq -c | head -n 3)
	[ -z "$bad" ] || fail "$1: group $2 wanted verstat $3, got: $bad"
}

# F7: clock skew.  B's clock (the HOP signer) set off C's by libfaketime:
# within C's hop-skew (60 s; hop-window 600) every call verified; ahead
# beyond it ("future") or behind beyond window + skew ("stale") C releases
# every IAM (hop-required: REL 21, B answers 403) and logs the HOP's 'iat'.
# (Behind by no more than about a minute within the window: C checks the
# signer's chain at the HOP's iat, and the test PKI is made minutes before
# the run: an iat before it is "not yet valid".)  Then the PASSporT:
# signed by a clock behind B's (libfaketime again: its wrapper, faketime,
# needs sem_open, which the guest lacks), within the iat max-age (60 s)
# verified, beyond it the verdict is failed (code 403,
# Stale Date) with a log line naming 'iat'.
f7_hop() { # NAME OFFSET within|future|stale
	local name=$1 n=$((RATE * 5)) v0 r0 cnt
	[ "$FAULT_SHORT" != 1 ] || n=$((RATE * 2))
	echo "$2" >b-clock
	v0=$(count c.log '"hop":"valid"')
	r0=$(count c.log "HOP by [0-9a-f]+ not checked: $3: 'iat' [0-9]+ is -?[0-9]+ s from now [0-9]+ \\(hop-window 600, hop-skew 60\\)")
	snap_counters "$name"
	load "$name" "$n"
	load_wait "$name"
	account F7 "$name" "$n"
	check_calls F7 "$n" "$n"
	if [ "$3" = within ]; then
		[ "$ACC_ANS" -eq "$n" ] || fail "F7/$name: B's clock $2 s off, within hop-skew: $ACC_ANS of $n answered"
		[ $(( $(count c.log '"hop":"valid"') - v0 )) -eq "$n" ] || fail "F7/$name: C did not find every HOP valid"
		say "F7: B's clock $2 s off C's (within hop-skew 60): $n of $n calls verified (HOP valid) and answered"
	else
		cnt=$(grep -Ec '^call [0-9]+ failed 403$' "$name.uac.log")
		[ "$cnt" -eq "$n" ] || fail "F7/$name: B's clock $2 s off, beyond: $cnt of $n calls refused with 403"
		[ $(( $(count c.log "HOP by [0-9a-f]+ not checked: $3: 'iat' [0-9]+ is -?[0-9]+ s from now [0-9]+ \\(hop-window 600, hop-skew 60\\)") - r0 )) -eq "$n" ] ||
			fail "F7/$name: C's log does not name the HOP's 'iat' ($3) for every call"
		say "F7: B's clock $2 s off C's (beyond): $n of $n IAMs released by C (HOP $3, REL cause $(grep 'call-log {' c.log | tail -n 1 | sed -n 's/.*"cause":\([0-9]*\).*/\1/p')), the caller got 403; C's log: $(grep -E "not checked: $3: 'iat'" c.log | tail -n 1 | sed 's/.*HOP by [0-9a-f]* //')"
	fi
}
case_F7() {
	f7_hop f7-ahead30 +30 within
	f7_hop f7-ahead120 +120 future
	if [ "$FAULT_SHORT" != 1 ]; then
		f7_hop f7-behind40 -40 within
		f7_hop f7-behind700 -700 stale
	fi
	echo "+0" >b-clock
	clean F7 f7-after $((RATE * (FAULT_SHORT == 1 ? 2 : 3)))
	[ "$FAULT_SHORT" = 1 ] && return
	# the PASSporT's iat: the signer's clock behind B's
	local l0 n=$((RATE * 3))
	id_run F7 f7-pp30 "$n" "$X5U/pem/sp-a-chain.pem" "" env LD_PRELOAD="$FT_LIB" FAKETIME=-30 FAKETIME_DONT_FAKE_MONOTONIC=1
	id_expect f7-pp30 a TN-Validation-Passed
	id_expect f7-pp30 b TN-Validation-Passed
	say "F7: PASSporTs signed by a clock 30 s behind (max-age 60): $n of $n verified"
	l0=$(count "$(lg "$ACTIVE")" "PASSporT 'iat' [0-9]+ is more than 60 s from now")
	id_run F7 f7-pp120 "$n" "$X5U/pem/sp-a-chain.pem" "" env LD_PRELOAD="$FT_LIB" FAKETIME=-120 FAKETIME_DONT_FAKE_MONOTONIC=1
	id_expect f7-pp120 a TN-Validation-Failed
	id_expect f7-pp120 b TN-Validation-Failed
	[ "$(awk '$2 != 403' f7-pp120.a f7-pp120.b | wc -l)" -eq 0 ] || fail "F7/f7-pp120: a verdict code other than 403 (Stale Date)"
	[ $(( $(count "$(lg "$ACTIVE")" "PASSporT 'iat' [0-9]+ is more than 60 s from now") - l0 )) -ge "$n" ] ||
		fail "F7/f7-pp120: B's log does not name the PASSporT's 'iat' for every call"
	say "F7: PASSporTs signed by a clock 120 s behind: $n of $n verdicts failed with code 403 (Stale Date), carried on (on-stir-failure continue), B's log: $(grep -E "PASSporT 'iat' [0-9]+ is more than" "$(lg "$ACTIVE")" | grep -v 'call-log {' | tail -n 1 | sed "s/.*\\(PASSporT 'iat'\\)/\\1/")"
}

# F5: the x5u server fails: slow (answers after 3 x x5u-timeout), stopped
# (SIGSTOP: connections accepted, never answered), killed (refused).  Half
# the calls carry an x5u B has cached, half one it must fetch.  Every
# fetch ends within x5u-timeout: the verdict (failed, carried on) comes
# within X5U_TIMEOUT + X5U_MARGIN ms of the INVITE; the cached calls do
# not wait for it.  p50/p99 of INVITE-to-IAM of both groups are printed;
# speed is not asserted.
X5U_MARGIN=${X5U_MARGIN:-2000}
f5_phase() { # NAME URL PARAMS what
	local name=$1 n=$((RATE * 8)) a b max
	[ "$FAULT_SHORT" != 1 ] || n=$((RATE * 3))
	id_run F5 "$name" "$n" "$2" "$3"
	if [ "$4" = up ]; then
		id_expect "$name" a TN-Validation-Passed
		id_expect "$name" b TN-Validation-Passed
	else
		id_expect "$name" a TN-Validation-Passed
		id_expect "$name" b TN-Validation-Failed
		max=$(awk 'BEGIN {m = 0} $3 > m {m = $3} END {print int(m / 1000)}' "$name.b")
		[ "$max" -le $((X5U_TIMEOUT + X5U_MARGIN)) ] ||
			fail "F5/$name: a verdict took $max ms, beyond x5u-timeout $X5U_TIMEOUT + $X5U_MARGIN ms"
	fi
	a=$(id_stats "$name" a) b=$(id_stats "$name" b)
	say "F5: x5u server $4: INVITE to IAM p50/p99/max (ms): cached $(echo $a | tr ' ' /), fetched $(echo $b | tr ' ' /); fetched verdicts: $(awk '{print $1 " " $2}' "$name.b" | sort | uniq -c | awk '{printf "%s %s code %s; ", $1, $2, $3}')"
	MEASURED+=("F5 x5u server $4: INVITE to IAM p50/p99/max ms: cached $(echo $a | tr ' ' /), to fetch $(echo $b | tr ' ' /)")
}
case_F5() {
	# the cached x5u: fetched once, B keeps it (its floor: 24 h)
	[ "$FAULT_SHORT" = 1 ] || f5_phase f5-up "$X5U/pem/sp-a-chain.pem" "" up
	[ "$FAULT_SHORT" = 1 ] || f5_phase f5-slow "$X5U/redirect" "ms=$((X5U_TIMEOUT * 3))&to=/pem/sp-a-chain.pem&" "slow ($((X5U_TIMEOUT * 3)) ms)"
	[ "$FAULT_SHORT" != 1 ] || f5_phase f5-up "$X5U/pem/sp-a-chain.pem" "" up
	kill -STOP "$X5U_PID"
	f5_phase f5-stop "$X5U/pem/sp-a-chain.pem" "" "stopped (SIGSTOP)"
	kill -CONT "$X5U_PID"
	[ "$FAULT_SHORT" = 1 ] && return
	kill -KILL "$X5U_PID"
	f5_phase f5-kill "$X5U/pem/sp-a-chain.pem" "" "killed"
}

# soak MINUTES: a steady RATE calls a second for MINUTES; every minute a
# row: resident set and open fds of the active B and of C, calls in their
# tables, calls answered so far.  Flat means: at the end, each one's RSS
# within SOAK_RSS_PCT % or SOAK_RSS_KB kB (whichever is larger) of its
# value at the 5-minute mark (the first minute when shorter), fds equal to
# that mark's, no call left in either table, every circuit idle, and
# INVITEs taken = IAMs sent = IAMs received = calls placed.
SOAK_RSS_PCT=${SOAK_RSS_PCT:-10} SOAK_RSS_KB=${SOAK_RSS_KB:-4096}
soak() {
	local min=$1 n pb pc t0 m row ref_b ref_c end_b end_c refm lim
	n=$((RATE * 60 * min))
	pb=$(bg_pid "$ACTIVE") pc=$(bg_pid c)
	snap_counters pre
	say ""
	say "soak: $min min at $RATE calls/s ($n calls), held ${HOLD} ms; a row a minute"
	say "$(printf '%4s %9s %5s %7s %9s %5s %7s %9s' min B-rss-kB B-fds B-calls C-rss-kB C-fds C-calls answered)"
	soak_row() {
		printf '%4s %9s %5s %7s %9s %5s %7s %9s' "$1" \
			"$(awk '/^VmRSS:/ {print $2}' "/proc/$pb/status")" "$(ls "/proc/$pb/fd" | wc -l)" \
			"$(calls_in "$(vty_of "$ACTIVE")")" \
			"$(awk '/^VmRSS:/ {print $2}' "/proc/$pc/status")" "$(ls "/proc/$pc/fd" | wc -l)" \
			"$(calls_in "$VTY_C")" "$(count soak.uac.log '^call [0-9]+ answered$')"
	}
	t0=$SECONDS
	load soak "$n"
	refm=5
	[ "$min" -ge 5 ] || refm=1
	for ((m = 0; m <= min; m++)); do
		# the sampling period (a measurement cadence, not a wait for an event)
		while [ $((SECONDS - t0)) -lt $((m * 60)) ]; do sleep 1; done
		row=$(soak_row "$m")
		say "$row"
		[ "$m" -ne "$refm" ] || { ref_b=$(echo "$row" | awk '{print $2, $3}'); ref_c=$(echo "$row" | awk '{print $5, $6}'); }
	done
	load_wait soak
	# the calls of the last minute end (hold time, BYE)
	wait_idle soak 30
	row=$(soak_row end)
	say "$row"
	account soak soak "$n"
	[ "$ACC_ANS" -eq "$n" ] || fail "soak: $ACC_ANS of $n calls answered without a fault"
	check_calls soak "$n" "$n"
	end_b=$(echo "$row" | awk '{print $2, $3}') end_c=$(echo "$row" | awk '{print $5, $6}')
	flat() { # NAME "RSS FDS"(ref) "RSS FDS"(end)
		local r0=${2% *} f0=${2#* } r1=${3% *} f1=${3#* }
		lim=$(( r0 * SOAK_RSS_PCT / 100 ))
		[ "$lim" -ge "$SOAK_RSS_KB" ] || lim=$SOAK_RSS_KB
		[ $((r1 - r0)) -le "$lim" ] ||
			fail "soak: $1's RSS grew from $r0 kB (minute $refm) to $r1 kB: more than $lim kB"
		[ "$f1" -eq "$f0" ] || fail "soak: $1 held $f0 fds at minute $refm and $f1 at the end"
		say "soak: $1 flat: RSS $r0 kB at minute $refm, $r1 kB at the end ($((r1 - r0)) kB, bound $lim kB); fds $f0 and $f1"
	}
	flat "$ACTIVE" "$ref_b" "$end_b"
	flat C "$ref_c" "$end_c"
	MEASURED+=("soak $min min ($n calls, all answered): $ACTIVE RSS ${ref_b% *} -> ${end_b% *} kB, fds ${ref_b#* } -> ${end_b#* }; C RSS ${ref_c% *} -> ${end_c% *} kB, fds ${ref_c#* } -> ${end_c#* }")
}

MEASURED=()
IFS=, read -r -a cases <<<"$FAULT_CASES"
for c in "${cases[@]}"; do
	type "case_$c" >/dev/null 2>&1 || fail "no case $c"
	"case_$c"
done
[ "${FAULT_SOAK_MIN:-0}" -gt 0 ] && soak "$FAULT_SOAK_MIN"

say ""
say "measured (guest clock):"
for m in "${MEASURED[@]}"; do say "  $m"; done

# everything stops cleanly
kill -TERM "$(bg_pid kam)" "$UAS_PID"
for p in b1 b2 c; do
	kill -TERM "$(bg_pid $p)"
	wait "$(bg_pid $p)" || fail "stiwfd $p did not stop cleanly"
done
kill -TERM "$(bg_pid stp)" "$(bg_pid redis)"
say "faults: ${#cases[@]} case(s) passed (${SECONDS}s)"
exit 0
