#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The end-to-end capacity benchmark (tests/bench/e2e.sh), run where SCTP
# works (a User-Mode-Linux guest on kernels without it; see
# tests/integration/uml/run.sh), in the guest's output directory.  It reads
# ./env, ./bench.env (the host's choices) and pki/ (made on the host), and
# writes result.json: one JSON object, the figures below.  Progress goes to
# stdout (guest.log).
#
#   pair      SIPp UAC (signed INVITEs) -> stiwfd A (PC 100) -> osmo-stp ->
#             stiwfd B0 (PC 200) -> SIPp UAS, at rising call rates
#   kamailio  SIPp UAC -> Kamailio+secsipid signing -> SIPp UAS, the same
#             rates: the baseline
#   kam_vs    SIPp UAC (the pair's signed INVITEs) -> Kamailio+secsipid
#             verifying the Identity against SP A's certificate, taking it
#             out and signing afresh with SP B's key -> SIPp UAS: the crypto
#             of one IWF node (WITH_VERIFY_SIGN in contrib/kamailio/secsipid.cfg)
#   kam_chain SIPp UAC (signed) -> Kamailio verify+sign (as kam_vs) ->
#             a second Kamailio verify+sign (SP B's certificate) -> SIPp
#             UAS: two such hops chained, what the pair is set against
# For each, the CPU time of its nodes per call (from /proc ticks: the
# pair's stiwfd A, B0 and osmo-stp; every process of each Kamailio).
#   direct    SIPp UAC -> SIPp UAS, the same rates: SIPp's own response
#             times, which the added delays are measured against
#   memory    VmRSS of stiwfd A and of B0..B2 idle, then holding
#             E2E_HOLD_CALLS established calls spread over three trunks
#             (a CIC is 12 bits: one signalling relation carries at most
#             4095 circuits)
#
# The INVITEs of the pair carry PASSporTs signed once up front by
# "stiwf passport sign" with SP A's key of the test PKI, one per number
# pair; max-age 3600 keeps them fresh for the whole run.
set -u
. ./env
. ./bench.env
. "$srcdir/tests/integration/lib-bg.sh"
. pki/pki.env
# bench.env names the programs (the build tree's or the installed ones)
STIWFD=${STIWFD:-$top_builddir/stiwfd}
STIWF=${STIWF:-$top_builddir/stiwf}
BS=$srcdir/tests/bench
KAMCFG=$srcdir/contrib/kamailio/secsipid.cfg
NB=3
SIP_A=33000 UAS=33010 UAC=33011 KAM=33012 VTY_A=33020
# a callee port per path, so that what one path leaves behind after a
# failed step (retransmissions, BYEs) cannot reach the callee of the next
UAS_PAIR=$UAS UAS_KAM=33013 UAS_DIRECT=33014
# Kamailio verify+sign: alone (kam_vs) and two chained (kam_c1 -> kam_c2)
KAM_VS=33015 KAM_C1=33016 KAM_C2=33017 UAS_KAM_VS=33018 UAS_CHAIN=33019
# stiwfd B$i: SIP 33001+i, VTY 33021+i, ASP port 2907+i, PC 200+i, RC 20+i

say() { echo "e2e: $*"; }
fail() {
	say "FAIL: $*"
	for f in a.log b0.log b1.log b2.log stp.log kam.log kam_vs.log kam_c1.log kam_c2.log tls/httpsd.log; do
		echo "--- $f"
		tail -n 40 "$f" 2>/dev/null
	done
	exit 1
}

# ---- small tools: no JSON or statistics program needed in the guest ----

# pct FILE: "MEDIAN P99 N" of the numbers in FILE (nearest rank), or
# "null null 0" when it holds none
pct() {
	sort -g "$1" 2>/dev/null | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "null null 0"; exit }
			i = int(NR * 0.99); if (i < NR * 0.99) i++
			if (i < 1) i = 1
			print v[int((NR + 1) / 2)], v[i], NR
		}'
}
# pct_json FILE: {"median":M,"p99":P,"n":N}
pct_json() {
	local m p n
	# shellcheck disable=SC2046
	set -- $(pct "$1")
	m=$1 p=$2 n=$3
	printf '{"median":%s,"p99":%s,"n":%s}' "$m" "$p" "$n"
}
# statf FILE NAME: the last value of column NAME of a SIPp -trace_stat file
statf() {
	awk -F';' -v n="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
		{ v = $c }
		END { print (c && v != "") ? v + 0 : 0 }' "$1" 2>/dev/null || echo 0
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
# cpu_ticks PID: user + system CPU time so far, in clock ticks
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# sid_ticks SID: the same for every process of session SID (bg_start
# makes one per process it starts: Kamailio and all its children)
sid_ticks() {
	awk -v sid="$1" '$6 == sid { s += $14 + $15 } END { print s + 0 }' /proc/[0-9]*/stat 2>/dev/null
}
HZ=$(getconf CLK_TCK)

# ---- the test PKI, the signed INVITEs, the x5u server ----

mkdir -p tls ops kam kam_vs kam_c1 kam_c2
httpsd_start tls pki/shaken || fail "x5u server (httpsd)"
X5U_A=https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem
X5U_B=https://127.0.0.1:$HTTPSD_PORT/pem/sp-b-chain.pem
cp "$PKI_TSCA_OP1_FULL_CHAIN" ops/
cat >map.conf <<EOM
operator op1
 key-id $PKI_TSCA_OP1_FULL_KEYID
 prefix 1202555
EOM
CALLING=12025550002
# called number 1202555100$i goes to B$i; the load steps call B0 only
printf 'SEQUENTIAL\n%s;12025551000\n' "$CALLING" >plain.csv
printf 'SEQUENTIAL\n' >signed.csv
printf 'SEQUENTIAL\n' >hold.csv
for i in $(seq 0 $((NB - 1))); do
	v=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$X5U_A" --attest A \
		--orig "$CALLING" --dest "1202555100$i") || fail "stiwf passport sign"
	[ "$i" = 0 ] && printf '%s;1202555100%s;%s;%s\n' "$CALLING" "$i" "${v%%;*}" "$X5U_A" >>signed.csv
	printf '%s;1202555100%s;%s;%s\n' "$CALLING" "$i" "${v%%;*}" "$X5U_A" >>hold.csv
done
say "test PKI, $NB signed PASSporTs (stiwf passport sign, SP A), x5u server on port $HTTPSD_PORT"

# ---- configurations ----

logcfg() {
	# NOTICE: what a loaded production node logs; the call-log lines
	# and the trunk's "all N circuits reset" are at NOTICE
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging level set-all notice
timer isup T22 2
EOM
}
stir_node() {	# stir_node KEY CHAIN
	cat <<EOM
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-port $HTTPSD_PORT
 x5u-acl permit 127.0.0.0/8
 max-age 3600
 credential key $1 chain $2 x5u $X5U_A
EOM
}
{
	logcfg
	printf 'line vty\n bind 127.0.0.1 %s\nsip\n local 127.0.0.1 %s\n transport udp\n' "$VTY_A" "$SIP_A"
	stir_node "$PKI_SHAKEN_SP_A_KEY" "$PKI_SHAKEN_SP_A_CHAIN"
	cat <<EOM
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
sip-peer uac
 remote 127.0.0.1 $UAC
 on-stir-failure reject
 country-code 1
EOM
	for i in $(seq 0 $((NB - 1))); do
		printf 'ss7-peer b%s\n cs7-instance 0\n point-code %s\n cic 1 %s\n' "$i" $((200 + i)) "$E2E_CICS"
		printf ' country-code 1\n number-format international\n'
	done
	for i in $(seq 0 $((NB - 1))); do
		printf 'route 1202555100%s ss7-peer b%s\n' "$i" "$i"
	done
	cat "$srcdir/contrib/ss7/iwf-a.cs7.cfg"
} >a.cfg
for i in $(seq 0 $((NB - 1))); do
	{
		logcfg
		printf 'line vty\n bind 127.0.0.1 %s\nsip\n local 127.0.0.1 %s\n transport udp\n' \
			$((VTY_A + 1 + i)) $((SIP_A + 1 + i))
		stir_node "$PKI_SHAKEN_SP_B_KEY" "$PKI_SHAKEN_SP_B_CHAIN"
		cat <<EOM
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 cert-dir $PWD/ops
 map-file $PWD/map.conf
sip-peer uas
 remote 127.0.0.1 $UAS
 country-code 1
ss7-peer iwf-a
 cs7-instance 0
 point-code 100
 cic 1 $E2E_CICS
 country-code 1
 number-format international
 sip-peer uas
cs7 instance 0
 point-code format 24
 point-code $((200 + i))
 asp asp-b$i 2905 $((2907 + i)) m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-b$i m3ua
  asp asp-b$i
  routing-key $((20 + i)) $((200 + i))
EOM
	} >"b$i.cfg"
done
{
	cat <<EOM
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging level set-all notice
line vty
 bind 127.0.0.1 4239
cs7 instance 0
 point-code format 24
 point-code 1
 xua rkm routing-key-allocation static-only
 listen m3ua 2905
  local-ip 127.0.0.1
 asp asp-a 2906 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
 as as-a m3ua
  asp asp-a
  routing-key 10 100
EOM
	for i in $(seq 0 $((NB - 1))); do
		printf ' asp asp-b%s %s 2905 m3ua\n  local-ip 127.0.0.1\n  remote-ip 127.0.0.1\n' "$i" $((2907 + i))
		printf ' as as-b%s m3ua\n  asp asp-b%s\n  routing-key %s %s\n' "$i" "$i" $((20 + i)) $((200 + i))
	done
	printf ' route-table system\n  update route 100 16777215 linkset as-a\n'
	for i in $(seq 0 $((NB - 1))); do
		printf '  update route %s 16777215 linkset as-b%s\n' $((200 + i)) "$i"
	done
} >stp.cfg

# ---- start ----

bg_start stp "Available via telnet" stp.log osmo-stp -c stp.cfg || fail "osmo-stp did not start"
for i in $(seq 0 $((NB - 1))); do
	bg_start "b$i" "DMAIN NOTICE ready:" "b$i.log" "$STIWFD" -c "b$i.cfg" || fail "stiwfd B$i did not start"
done
# shellcheck disable=SC2086 # E2E_A_WRAPPER: words (e2e.sh --heap-probe)
bg_start a "DMAIN NOTICE ready:" a.log ${E2E_A_WRAPPER:-} "$STIWFD" -c a.cfg || fail "stiwfd A did not start"
bg_start kam "kamailio ready" kam.log kamailio -f "$KAMCFG" -DD -E -Y "$PWD/kam" \
	-A WITH_SIGN -A "LISTEN=udp:127.0.0.1:$KAM" -A "NEXT_HOP=\"sip:127.0.0.1:$UAS_KAM\"" \
	-A "X5U=\"$X5U_A\"" -A "SIGN_KEY=\"$PKI_SHAKEN_SP_A_KEY\"" || fail "Kamailio (signing) did not start"
# kam_verify_sign NAME PORT NEXT-HOP-PORT VERIFY-CERT: a Kamailio that
# verifies with VERIFY-CERT and signs as SP B; the PASSporTs signed up
# front are as old as the run (max-age 3600 at the stiwfd nodes too)
kam_verify_sign() {
	bg_start "$1" "kamailio ready" "$1.log" kamailio -f "$KAMCFG" -DD -E -Y "$PWD/$1" \
		-A WITH_VERIFY_SIGN -A EXPIRE=3600 -A "LISTEN=udp:127.0.0.1:$2" \
		-A "NEXT_HOP=\"sip:127.0.0.1:$3\"" -A "VERIFY_CERT=\"$4\"" \
		-A "X5U=\"$X5U_B\"" -A "SIGN_KEY=\"$PKI_SHAKEN_SP_B_KEY\""
}
kam_verify_sign kam_vs $KAM_VS $UAS_KAM_VS "$PKI_SHAKEN_SP_A_CERT" || fail "Kamailio (verify+sign) did not start"
kam_verify_sign kam_c2 $KAM_C2 $UAS_CHAIN "$PKI_SHAKEN_SP_B_CERT" || fail "Kamailio (second hop) did not start"
kam_verify_sign kam_c1 $KAM_C1 $KAM_C2 "$PKI_SHAKEN_SP_A_CERT" || fail "Kamailio (first hop) did not start"
wait_log a.log "all $E2E_CICS circuits reset" "$NB" 120 || fail "A's circuits were never all reset"
for i in $(seq 0 $((NB - 1))); do
	wait_log "b$i.log" "all $E2E_CICS circuits reset" 1 120 || fail "B$i's circuits were never all reset"
done
say "osmo-stp, stiwfd A (PC 100) and B0..B$((NB - 1)) (PC 200..$((199 + NB)), $E2E_CICS circuits each, all reset), four Kamailio up (${SECONDS}s)"
pid_a=$(bg_pid a)
rss_idle_a=$(rss_kb "$pid_a")
rss_idle_b=""
for i in $(seq 0 $((NB - 1))); do
	rss_idle_b="$rss_idle_b $(rss_kb "$(bg_pid "b$i")")"
done

# ---- the load steps ----

# node_ticks PATH: "NODE TICKS" lines, the CPU time so far of each node
# of PATH: the pair's A, B0 and osmo-stp; all the processes of each
# Kamailio (kamailio, kam_vs; kam_chain: hop1, hop2); direct: none
node_ticks() {
	case $1 in
	pair) printf 'a %s\nb %s\nstp %s\n' "$(cpu_ticks "$pid_a")" "$(cpu_ticks "$(bg_pid b0)")" \
		"$(cpu_ticks "$(bg_pid stp)")" ;;
	kamailio) printf 'kam %s\n' "$(sid_ticks "$(bg_pid kam)")" ;;
	kam_vs) printf 'kam %s\n' "$(sid_ticks "$(bg_pid kam_vs)")" ;;
	kam_chain) printf 'hop1 %s\nhop2 %s\n' "$(sid_ticks "$(bg_pid kam_c1)")" "$(sid_ticks "$(bg_pid kam_c2)")" ;;
	esac
}

# step PATH RATE: E2E_STEP_SECS seconds of calls at RATE per second along
# PATH; leaves the step's JSON object in $PATH-$RATE/step.json and returns
# 0 when no call failed and the rate held (at least 90% of the target)
step() {
	local path=$1 rate=$2 n=$(($2 * E2E_STEP_SECS)) d=$1-$2 sf csv target na=0 nb=0
	local created ok failed unexp retx rtt achieved good=0 uas
	case $path in
	pair) target=127.0.0.1:$SIP_A sf=$BS/uac_identity.xml csv=$PWD/signed.csv uas=$UAS_PAIR ;;
	kamailio) target=127.0.0.1:$KAM sf=$BS/uac.xml csv=$PWD/plain.csv uas=$UAS_KAM ;;
	kam_vs) target=127.0.0.1:$KAM_VS sf=$BS/uac_identity.xml csv=$PWD/signed.csv uas=$UAS_KAM_VS ;;
	kam_chain) target=127.0.0.1:$KAM_C1 sf=$BS/uac_identity.xml csv=$PWD/signed.csv uas=$UAS_CHAIN ;;
	direct) target=127.0.0.1:$UAS_DIRECT sf=$BS/uac.xml csv=$PWD/plain.csv uas=$UAS_DIRECT ;;
	esac
	mkdir -p "$d"
	if [ "$path" = pair ]; then
		na=$(grep -c 'call-log {' a.log)
		nb=$(grep -c 'call-log {' b0.log)
	fi
	# the CPU time of what the path puts between the callers and callees
	node_ticks "$path" >"$d/ticks0"
	sipp_bg UAS_PID -sf "$BS/uas.xml" -i 127.0.0.1 -p "$uas" -m "$n" -timeout $((E2E_STEP_SECS + 30))s \
		-trace_err -error_file "$d/uas.err" || fail "SIPp UAS"
	(cd "$d" && timeout $((E2E_STEP_SECS + 45)) sipp -sf "$sf" "$target" -i 127.0.0.1 -p "$UAC" \
		-inf "$csv" -m "$n" -r "$rate" -d "$E2E_CALL_MS" -nostdin -timeout $((E2E_STEP_SECS + 20))s \
		-trace_stat -stf uac.stat -trace_rtt -rtt_freq 1 -trace_err -error_file uac.err \
		>/dev/null 2>&1)
	# the callee ends once it saw every call; after a failed call it may not
	wait_exit "$UAS_PID" 10 || kill -KILL "$UAS_PID" 2>/dev/null
	node_ticks "$path" >"$d/ticks1"
	created=$(statf "$d/uac.stat" TotalCallCreated)
	# "NODE TICKS CALLS" of the step: what each node spent on its calls
	awk -v n="$created" 'NR == FNR { t0[$1] = $2; next } { print $1, $2 - t0[$1], n }' \
		"$d/ticks0" "$d/ticks1" >"$d/cpu"
	[ "$path" = pair ] && PAIR_CALLS=$((PAIR_CALLS + created))
	ok=$(statf "$d/uac.stat" 'SuccessfulCall(C)')
	failed=$((created - ok))
	unexp=$(statf "$d/uac.stat" 'FailedUnexpectedMessage(C)')
	retx=$(statf "$d/uac.stat" 'FailedMaxUDPRetrans(C)')
	rtt=$(ls "$d"/*_rtt.csv 2>/dev/null | head -n 1)
	awk -F';' '$3 == 1 { print $2 }' "$rtt" >"$d/rtd180" 2>/dev/null
	awk -F';' '$3 == 2 { print $2 }' "$rtt" >"$d/rtd200" 2>/dev/null
	# answers per second over the step, from SIPp's own clock
	achieved=$(awk -F';' '$3 == 2 { if (n == 0) f = $1; l = $1; n++ }
		END { if (n > 1 && l > f) printf "%.1f", (n - 1) * 1000 / (l - f); else print 0 }' "$rtt" 2>/dev/null)
	[ -n "$achieved" ] || achieved=0
	if [ "$failed" = 0 ] && [ "$created" = "$n" ] &&
		awk -v a="$achieved" -v t="$rate" 'BEGIN { exit !(a >= 0.9 * t) }'; then
		good=1
	fi
	{
		printf '{"target_cps":%s,"achieved_cps":%s,"calls":%s,"successful":%s,"failed":%s,' \
			"$rate" "$achieved" "$created" "$ok" "$failed"
		printf '"failed_unexpected":%s,"failed_retrans":%s,"retransmissions":%s,"ok":%s,' \
			"$unexp" "$retx" "$(statf "$d/uac.stat" 'Retransmissions(C)')" \
			"$([ $good = 1 ] && echo true || echo false)"
		printf '"rtd_180_ms":%s,"rtd_200_ms":%s' "$(pct_json "$d/rtd180")" "$(pct_json "$d/rtd200")"
		# all the path's nodes, then each node on a path of several
		awk -v hz="$HZ" -v path="$path" '
			{ t += $2; n = $3; node[NR] = $1; v[NR] = $2 }
			END {
				if (n < 1) n = 1
				printf ",\"cpu_ms_per_call\":%.3f", t * 1000 / hz / n
				if (path == "pair" || path == "kam_chain")
					for (i = 1; i <= NR; i++)
						if (node[i] != "stp")
							printf ",\"cpu_ms_per_call_%s\":%.3f", node[i], v[i] * 1000 / hz / n
			}' "$d/cpu"
		if [ "$path" = pair ]; then
			# the IWFs' own post-dial delay: every call-log line of the step
			wait_log a.log 'call-log \{' $((na + n)) $([ $good = 1 ] && echo 30 || echo 5)
			wait_log b0.log 'call-log \{' $((nb + n)) $([ $good = 1 ] && echo 30 || echo 5)
			grep 'call-log {' a.log | tail -n +$((na + 1)) |
				sed -n 's/.*"transit_us":\([0-9]*\).*/\1/p' | awk '{ printf "%.3f\n", $1 / 1000 }' >"$d/a_ms"
			grep 'call-log {' b0.log | tail -n +$((nb + 1)) |
				sed -n 's/.*"transit_us":\([0-9]*\).*/\1/p' | awk '{ printf "%.3f\n", $1 / 1000 }' >"$d/b_ms"
			printf ',"transit_a_ms":%s,"transit_b_ms":%s' "$(pct_json "$d/a_ms")" "$(pct_json "$d/b_ms")"
		fi
		printf '}'
	} >"$d/step.json"
	say "$path $rate cps: $created calls, $ok successful, $failed failed, achieved $achieved cps, INVITE->180 median/p99 $(pct "$d/rtd180" | cut -d' ' -f1,2) ms (${SECONDS}s)"
	[ $good = 1 ]
}

# steps PATH [UPTO]: the rising rates (up to UPTO) until a step fails or
# the time is up; sets MAX_<PATH> (the highest rate without failure, 0 if
# none) and LAST_<PATH> (the last rate tried), and leaves the rates that
# held in $PATH.ok
steps() {
	local path=$1 upto=${2:-0} r max=0
	: >"$path.ok"
	for r in $E2E_RATES; do
		[ "$upto" -gt 0 ] && [ "$r" -gt "$upto" ] && break
		eval "LAST_$path=$r"
		if [ "$SECONDS" -ge "$E2E_STEPS_UNTIL" ]; then
			say "$path: no time left for $r cps"
			break
		fi
		if step "$path" "$r"; then
			max=$r
			echo "$r" >>"$path.ok"
		else
			break
		fi
	done
	eval "MAX_$path=$max"
}

# pooled PATH FILE RATES...: FILE of the steps at RATES of PATH, pooled
pooled() {
	local path=$1 f=$2 r
	shift 2
	for r in "$@"; do
		cat "$path-$r/$f" 2>/dev/null
	done
}

# kam_stop NAME...: a path's Kamailio go once its steps are done: what
# its failed last step left queued (retransmitted requests, transactions
# timing out) must not take the guest's one CPU from the next path
kam_stop() {
	local n p
	for n in "$@"; do
		p=$(bg_pid "$n")
		kill -KILL -- "-$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}

LAST_kamailio=0 LAST_kam_vs=0 LAST_kam_chain=0 LAST_pair=0 PAIR_CALLS=0
# Kamailio first, on a quiet machine; then the pair; the direct run only
# as far as the others went (it is their reference)
steps kamailio
kam_stop kam
steps kam_vs
kam_stop kam_vs
steps kam_chain
kam_stop kam_c1 kam_c2
steps pair
# the calls of the pair's failed step end (T7, release) before the rest:
# A writes a call-log line for every call
wait_log a.log 'call-log \{' "$PAIR_CALLS" 60 || say "pair: some calls of the last step are still up"
upto=$LAST_pair
for r in $LAST_kamailio $LAST_kam_vs $LAST_kam_chain; do
	[ "$r" -gt "$upto" ] && upto=$r
done
steps direct "$upto"
E2E_STEPS_UNTIL=0
say "max cps without failure: pair $MAX_pair, Kamailio signing $MAX_kamailio, verify+sign $MAX_kam_vs, two chained $MAX_kam_chain, direct $MAX_direct"

# ---- memory: E2E_HOLD_CALLS established calls held ----

# the held calls are set up at the pair's highest rate without failure,
# but at least E2E_HOLD_RATE_MIN (the run's time budget) and at most
# E2E_HOLD_RATE
hold_rate=$MAX_pair
[ "$hold_rate" -lt "$E2E_HOLD_RATE_MIN" ] && hold_rate=$E2E_HOLD_RATE_MIN
[ "$hold_rate" -gt "$E2E_HOLD_RATE" ] && hold_rate=$E2E_HOLD_RATE
mkdir -p hold
# the held calls count once established, with or without a 180 first
sed 's|<recv response="180" rtd="1"/>|<recv response="180" optional="true" rtd="1"/>|' "$BS/uac_identity.xml" >hold/uac.xml
sipp_bg HUAS_PID -sf "$BS/uas.xml" -i 127.0.0.1 -p "$UAS_PAIR" -m "$E2E_HOLD_CALLS" -timeout 600s \
	-trace_err -error_file hold/uas.err || fail "SIPp UAS (hold)"
sipp_bg HUAC_PID -sf hold/uac.xml "127.0.0.1:$SIP_A" -i 127.0.0.1 -p "$UAC" \
	-inf "$PWD/hold.csv" -m "$E2E_HOLD_CALLS" -r "$hold_rate" -d 600000 -timeout 600s \
	-trace_logs -log_file "$PWD/hold/established.log" -trace_err -error_file "$PWD/hold/uac.err" ||
	fail "SIPp UAC (hold)"
: >>hold/established.log
held=0
# as long as the calls take at that rate, but not past E2E_HOLD_UNTIL
# seconds into the run: the figures come out even when fewer calls could
# be established in the time
# setups slow down as the held calls pile up: twice the nominal time
hold_wait=$((2 * E2E_HOLD_CALLS / hold_rate + 60))
[ $((SECONDS + hold_wait)) -gt "$E2E_HOLD_UNTIL" ] && hold_wait=$((E2E_HOLD_UNTIL - SECONDS))
[ "$hold_wait" -lt 10 ] && hold_wait=10
if wait_log hold/established.log established "$E2E_HOLD_CALLS" "$hold_wait"; then
	held=$E2E_HOLD_CALLS
else
	held=$(grep -c established hold/established.log)
fi
rss_held_a=$(rss_kb "$pid_a")
if [ "${E2E_HEAP_PROBE:-0}" = 1 ]; then
	# e2e.sh --heap-probe: where A's memory is, with the calls held
	cp "/proc/$pid_a/smaps" heapprobe.smaps
	if [ -n "${E2E_A_WRAPPER:-}" ]; then
		vgdb --pid="$pid_a" detailed_snapshot "$PWD/a.massif" >heapprobe.log 2>&1
	else
		# malloc_stats() prints to A's stderr: a.log
		gdb -p "$pid_a" -batch -ex 'call (void)malloc_stats()' >heapprobe.log 2>&1
	fi
	say "heap probe of A: heapprobe.smaps, $([ -n "${E2E_A_WRAPPER:-}" ] && echo a.massif || echo "malloc_stats() in a.log")"
fi
rss_held_b=""
for i in $(seq 0 $((NB - 1))); do
	rss_held_b="$rss_held_b $(rss_kb "$(bg_pid "b$i")")"
done
say "memory: $held of $E2E_HOLD_CALLS calls established at $hold_rate cps; VmRSS A $rss_idle_a -> $rss_held_a kB, B0..B$((NB - 1)) $rss_idle_b ->$rss_held_b kB (${SECONDS}s)"
kill -KILL "$HUAC_PID" "$HUAS_PID" 2>/dev/null

# ---- the result ----

kb_per_call() {	# IDLE HELD
	awk -v i="$1" -v h="$2" -v n="$held" 'BEGIN { if (n > 0) printf "%.2f", (h - i) / n; else print "null" }'
}
# cpu_sum PATH NODES RATES...: "TICKS CALLS" of NODES (one node, several
# as a+b, or all: every node of PATH) summed over the steps of PATH at
# RATES (each step's calls counted once)
cpu_sum() {
	local path=$1 node=$2
	shift 2
	pooled "$path" cpu "$@" | awk -v node="$node" '
		BEGIN { k = split(node, w, "+"); for (i = 1; i <= k; i++) want[w[i]] = 1 }
		NR == 1 { first = $1 }
		node == "all" || ($1 in want) { t += $2 }
		(node == "all" && $1 == first) || $1 == w[1] { n += $3 }
		END { print t + 0, n + 0 }'
}
# cpu_ms PATH NODE RATES...: NODE's CPU ms per call pooled over the steps
# at RATES (total CPU over total calls), or null
cpu_ms() {
	# shellcheck disable=SC2046
	set -- $(cpu_sum "$@")
	awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "null" }'
}
# common PATH1 PATH2: the rates that held on both
common() {
	local r
	for r in $(cat "$1.ok"); do
		grep -qx "$r" "$2.ok" && printf ' %s' "$r"
	done
}
# cpu_ratio PATH1 NODE1 PATH2 NODE2: NODE1's CPU per call over NODE2's,
# each pooled over the rates that held on both paths, or null
cpu_ratio() {
	local rates t1 n1 t2 n2
	rates=$(common "$1" "$3")
	[ -n "$rates" ] || { echo null; return; }
	# (no process substitution: the guest has no /dev/fd)
	# shellcheck disable=SC2046,SC2086
	set -- "$@" $(cpu_sum "$1" "$2" $rates) $(cpu_sum "$3" "$4" $rates)
	t1=$5 n1=$6 t2=$7 n2=$8
	awk -v t1="$t1" -v n1="$n1" -v t2="$t2" -v n2="$n2" \
		'BEGIN { if (n1 > 0 && n2 > 0 && t2 > 0) printf "%.3f", (t1 / n1) / (t2 / n2); else print "null" }'
}
# path_json PATH: steps, max, pooled response times, CPU per call pooled
# over the steps that held (and the pair's transit times)
path_json() {
	local path=$1 rates first=1 r max
	rates=$(cat "$path.ok")
	eval "max=\$MAX_$path"
	printf '"%s":{"steps":[' "$path"
	for r in $E2E_RATES; do
		[ -f "$path-$r/step.json" ] || continue
		[ $first = 1 ] || printf ','
		first=0
		cat "$path-$r/step.json"
	done
	printf '],"max_cps_no_failure":%s' "$max"
	# shellcheck disable=SC2086
	pooled "$path" rtd180 $rates >"$path.rtd180"
	printf ',"rtd_180_ms":%s' "$(pct_json "$path.rtd180")"
	# shellcheck disable=SC2086
	case $path in
	pair) printf ',"cpu_ms_per_call":%s,"cpu_ms_per_call_a":%s,"cpu_ms_per_call_b":%s' \
		"$(cpu_ms pair all $rates)" "$(cpu_ms pair a $rates)" "$(cpu_ms pair b $rates)" ;;
	kam_chain) printf ',"cpu_ms_per_call":%s,"cpu_ms_per_call_hop1":%s,"cpu_ms_per_call_hop2":%s' \
		"$(cpu_ms kam_chain all $rates)" "$(cpu_ms kam_chain hop1 $rates)" "$(cpu_ms kam_chain hop2 $rates)" ;;
	kamailio | kam_vs) printf ',"cpu_ms_per_call":%s' "$(cpu_ms "$path" all $rates)" ;;
	esac
	if [ "$path" = pair ]; then
		# shellcheck disable=SC2086
		pooled pair a_ms $rates >pair.a_ms
		# shellcheck disable=SC2086
		pooled pair b_ms $rates >pair.b_ms
		printf ',"transit_a_ms":%s,"transit_b_ms":%s' "$(pct_json pair.a_ms)" "$(pct_json pair.b_ms)"
	fi
	printf '}'
}
# added PATH: median and p99 of PATH's INVITE->180 minus the direct run's,
# both pooled over the rates that held on PATH and on the direct run
added() {
	local r rates="" dm dp pm pp
	for r in $(cat "$1.ok"); do
		grep -qx "$r" direct.ok && rates="$rates $r"
	done
	[ -n "$rates" ] || { printf '{"median":null,"p99":null}'; return; }
	# shellcheck disable=SC2086
	pooled "$1" rtd180 $rates >"$1.added.p"
	# shellcheck disable=SC2086
	pooled direct rtd180 $rates >"$1.added.d"
	# (no process substitution: the guest has no /dev/fd)
	# shellcheck disable=SC2046
	set -- $(pct "$1.added.p") $(pct "$1.added.d")
	pm=$1 pp=$2 dm=$4 dp=$5
	if [ "$pm" = null ] || [ "$dm" = null ]; then
		printf '{"median":null,"p99":null}'
	else
		awk -v a="$pm" -v b="$dm" -v c="$pp" -v d="$dp" \
			'BEGIN { printf "{\"median\":%.3f,\"p99\":%.3f}", a - b, c - d }'
	fi
}
{
	printf '{"quick":%s,"step_seconds":%s,"call_hold_ms":%s,"rates":[%s],' "$E2E_QUICK" "$E2E_STEP_SECS" \
		"$E2E_CALL_MS" "$(echo $E2E_RATES | tr ' ' ',')"
	printf '"pair_signing":"PASSporTs signed up front by stiwf passport sign (test PKI, SP A), one per number pair",'
	path_json pair
	printf ','
	path_json kamailio
	printf ','
	path_json kam_vs
	printf ','
	path_json kam_chain
	printf ','
	path_json direct
	printf ',"added_delay_ms":{"method":"INVITE->180 (SIPp rtd) through the path minus the direct UAC->UAS run, pooled over the rates that held on both","pair":%s,"kamailio":%s,"kam_vs":%s,"kam_chain":%s}' \
		"$(added pair)" "$(added kamailio)" "$(added kam_vs)" "$(added kam_chain)"
	for k in kamailio kam_vs kam_chain; do
		mk=0
		eval "mk=\$MAX_$k"
		printf ',"ratio_pair_to_%s":%s' "$k" \
			"$(awk -v p="$MAX_pair" -v k="$mk" 'BEGIN { if (k > 0) printf "%.2f", p / k; else print "null" }')"
	done
	printf ',"cpu_ratio_method":"CPU time (user+system, /proc ticks) of a node over the calls created, each pooled over the steps at the rates that held on both paths; stiwfd A or B0 alone against all the processes of the Kamailio verify+sign (kam_vs); the pair (A + B0, without osmo-stp) against both chained Kamailio (kam_chain)"'
	printf ',"cpu_ratio_a_to_kam_vs":%s,"cpu_ratio_b_to_kam_vs":%s' \
		"$(cpu_ratio pair a kam_vs all)" "$(cpu_ratio pair b kam_vs all)"
	printf ',"cpu_ratio_pair_to_kam_chain":%s' "$(cpu_ratio pair a+b kam_chain all)"
	printf ',"memory":{"target_calls":%s,"held_calls":%s,"setup_cps":%s,"trunks":%s,"cics_per_trunk":%s,' \
		"$E2E_HOLD_CALLS" "$held" "$hold_rate" "$NB" "$E2E_CICS"
	# with fewer calls held than asked for, the RSS at the target is the
	# idle RSS plus the measured cost per call times the target, and says so
	printf '"a":{"rss_kb_idle":%s,"rss_kb_held":%s,"kb_per_call":%s,"rss_kb_at_target":%s,"at_target_extrapolated":%s},"b":[' \
		"$rss_idle_a" "$rss_held_a" "$(kb_per_call "$rss_idle_a" "$rss_held_a")" \
		"$(awk -v i="$rss_idle_a" -v h="$rss_held_a" -v n="$held" -v t="$E2E_HOLD_CALLS" \
			'BEGIN { if (n > 0) printf "%d", i + (h - i) * t / n; else print "null" }')" \
		"$([ "$held" -lt "$E2E_HOLD_CALLS" ] && echo true || echo false)"
	set -- $rss_held_b
	first=1
	for ri in $rss_idle_b; do
		[ $first = 1 ] || printf ','
		first=0
		printf '{"rss_kb_idle":%s,"rss_kb_held":%s}' "$ri" "$1"
		shift
	done
	printf ']}}\n'
} >result.json.tmp

# the figures are taken: the IWFs, still holding their calls, go at once
for n in a $(seq 0 $((NB - 1)) | sed 's/^/b/'); do
	kill -KILL "$(bg_pid "$n")" 2>/dev/null
	wait "$(bg_pid "$n")" 2>/dev/null
done
mv result.json.tmp result.json
say "done (${SECONDS}s)"
