#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwfd under descriptor exhaustion, on the host: a peer opens 1100 idle
# TCP connections to the SIP port and 1100 to the VTY console, then a
# signed INVITE arrives whose PASSporT needs an x5u fetch (a new libcurl
# socket on the event loop).
# 1. With the default bounds (sip max-tcp-connections 256, line vty
#    max-sessions 32) stiwfd refuses the connections beyond them and says
#    so, holds no more descriptors than the bounds allow, fetches the x5u,
#    gives the call its verdict (verification passed; no M3UA here, so 503
#    with cause 38), answers OPTIONS (503 with its readiness reason, no
#    AS active), and, once the flood lets go, OPTIONS over TCP and the VTY.
# 2. With the bounds lifted it holds all 2200 connections: the x5u fetch
#    and a VTY session then have descriptors far above 1023 (FD_SETSIZE),
#    which the event loop must serve like any other.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"
SC=${srcdir:-.}/tests/integration/sipp
HOLD=${srcdir:-.}/tests/integration/conn_hold.py
FLOOD=1100

dir=$(mktemp -d "$top_builddir/tests/integration/conn_flood.XXXXXX")
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) uac_port=$((base + 2)) opt_port=$((base + 3))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; tail -n 40 "$dir/stiwfd.log"; exit 1; }

echo "transport: SIP over UDP and TCP on host loopback; M3UA configured but never up"
# room for the flood in this shell (and so in stiwfd, which also raises
# its own soft limit to the hard one)
ulimit -S -n $((2 * FLOOD + 1024)) 2>/dev/null || ulimit -S -n "$(ulimit -Hn)"
[ "$(ulimit -S -n)" -gt $((2 * FLOOD + 200)) ] || { echo "SKIP: open files limit $(ulimit -Hn) too low"; exit 77; }

"${srcdir:-.}/contrib/gen-test-pki.sh" "$dir/pki" >"$dir/pki.log" 2>&1 || fail "test PKI"
. "$dir/pki/pki.env"
mkdir -p "$dir/tls"
httpsd_start "$dir/tls" "$dir/pki/shaken" || fail "x5u server (httpsd)"
x5u_a=https://127.0.0.1:$HTTPSD_PORT/pem/sp-a-chain.pem
x5u_b=https://127.0.0.1:$HTTPSD_PORT/pem/sp-b-chain.pem

# the configuration holds the enable password: stiwfd wants it unreadable by others
(umask 077; printf 'conn-flood-test\n' >"$dir/vty.pw"; : >"$dir/stiwfd.conf")
conf() {	# conf [EXTRA-SIP-LINE [EXTRA-VTY-LINE]]
	cat <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging print level 1
 logging level set-all notice
line vty
 bind 127.0.0.1 $vty_port
${2:-}
enable password conn-flood-test
sip
 local 127.0.0.1 $sip_port
 transport udp+tcp
${1:-}
stir
 trust-dir $PKI_SHAKEN_TRUST_DIR
 x5u-ca-file $HTTPSD_CA
 x5u-acl permit 127.0.0.0/8
 x5u-port $HTTPSD_PORT
 credential key $PKI_SHAKEN_SP_B_KEY chain $PKI_SHAKEN_SP_B_CHAIN x5u $x5u_b
tsca
 trust-dir $PKI_TSCA_TRUST_DIR
 credential key $PKI_TSCA_OP1_FULL_KEY chain $PKI_TSCA_OP1_FULL_CHAIN
sip-peer uac
 remote 127.0.0.1 $uac_port
 country-code 1
ss7-peer exchange
 point-code 200
 cic 1 31
 country-code 1
route 1 ss7-peer exchange
EOF
	cat "${srcdir:-.}/contrib/ss7/iwf-a.cs7.cfg"
}

sed 's|<recv response="200" rtd="true" rrs="true"/>|<recv response="503"/>|' "${srcdir:-.}/contrib/sipp/uac_call_identity.xml" |
	sed '/<pause milliseconds/,$d' >"$dir/uac_signed_503.xml"
echo '</scenario>' >>"$dir/uac_signed_503.xml"

# flood NAME PORT [--greeting]: FLOOD idle connections, held until release NAME
flood() {
	bg_start "$1" '^(HELD|FAILED)' "$dir/$1.log" python3 "$HOLD" 127.0.0.1 "$2" "$FLOOD" ${3:-} ||
		fail "$1 flood did not start"
	grep -q "^HELD $FLOOD" "$dir/$1.log" || fail "$1 flood: $(cat "$dir/$1.log")"
}
release() {
	kill -USR1 "$(bg_pid "$1")"
	wait_log "$dir/$1.log" '^RELEASED' 1 60 || fail "$1 flood: stiwfd did not close its connections"
}
alive() {
	kill -0 "$STIWFD_PID" 2>/dev/null || fail "stiwfd died ($1)"
}
nfds() { ls "/proc/$STIWFD_PID/fd" | wc -l; }

# signed_call NAME FETCHES: a call signed by SP A; its x5u is the
# FETCHESth fetch httpsd sees (each stiwfd starts with an empty cache)
signed_call() {
	local value
	value=$("$STIWF" passport sign --key "$PKI_SHAKEN_SP_A_KEY" --x5u "$x5u_a" --attest A \
		--orig 12025550002 --dest 12025550001) || fail "stiwf passport sign"
	printf 'SEQUENTIAL\n12025550002;12025550001;%s;%s\n' "${value%%;*}" "$x5u_a" >"$dir/$1.csv"
	timeout 40 sipp -sf "$dir/uac_signed_503.xml" "127.0.0.1:$sip_port" -i 127.0.0.1 -p "$uac_port" \
		-inf "$dir/$1.csv" -m 1 -nostdin -timeout 30s -timeout_error -trace_msg -message_file "$dir/$1.msgs" \
		-trace_err -error_file "$dir/$1.err" >/dev/null 2>&1 || { alive "$1"; fail "$1: no 503"; }
	grep -q '^Reason: Q.850;cause=38' "$dir/$1.msgs" || fail "$1: 503 without Reason: Q.850;cause=38"
	wait_log "$dir/stiwfd.log" 'call-log \{.*"verstat":"TN-Validation-Passed","code":0,.*"cause":38' 1 20 ||
		fail "$1: the call-log line does not show the PASSporT verified and cause 38"
	[ "$(grep -c "^REQ /pem/sp-a-chain.pem" "$dir/tls/httpsd.log")" -eq "$2" ] || fail "$1: the x5u was not fetched"
}

options() {	# options NAME [SIPP-ARGS...]
	local name=$1
	shift
	# no AS is ever active here, so readiness (docs/SCALING.md) answers
	# 503 with Retry-After and the reason: the answer proves the loop alive
	sipp_run "$name" "$SC/options_503.xml" "127.0.0.1:$sip_port" "$opt_port" 1 "$@" ||
		{ alive "$name"; fail "$name: SIPp OPTIONS failed: $(cat "$dir/$name.err" 2>/dev/null)"; }
	grep -q '^Reason:.*ss7-peer exchange: no AS active' "$dir/$name.msgs" ||
		fail "$name: OPTIONS not answered 503 naming the ss7-peer without an active AS"
}

## 1. default bounds
conf >"$dir/stiwfd.conf"
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start"
flood sip1 "$sip_port"
flood vty1 "$vty_port" --greeting
alive "after the floods"
grep -Eq 'open files limit [0-9]+ \(hard' "$dir/stiwfd.log" || fail "stiwfd did not log its open files limit"
wait_log "$dir/stiwfd.log" 'SIP: 256 connections open, the configured bound: refusing new ones' 1 20 ||
	fail "no log line for the SIP bound"
wait_log "$dir/stiwfd.log" 'VTY: 32 connections open, the configured bound: refusing new ones' 1 20 ||
	fail "no log line for the VTY bound"
n=$(nfds)
[ "$n" -lt $((256 + 32 + 100)) ] || fail "stiwfd holds $n descriptors under the floods, beyond its bounds"
echo "ok: $FLOOD + $FLOOD connections: stiwfd keeps 256 SIP and 32 VTY ones, refuses the rest ($n descriptors)"

signed_call call1 1
options options_udp1
alive "after the call"
echo "ok: under the floods, a signed INVITE (x5u fetched) verified and ended 503 cause 38; OPTIONS over UDP 503 (not ready: no AS)"

release vty1
out=$("$STIWF" vty --port "$vty_port" --password-file "$dir/vty.pw" 'show version' 'enable' 'show running-config') || fail "VTY: $out"
echo "$out" | grep -q '^stiwfd [0-9]' || fail "show version did not name stiwfd"
echo "$out" | grep -q '^ max-sessions 32' || fail "running config lacks line vty max-sessions 32"
echo "$out" | grep -q '^ max-tcp-connections 256' || fail "running config lacks sip max-tcp-connections 256"
echo "$out" | grep -q '^ tcp-idle-timeout 300' || fail "running config lacks sip tcp-idle-timeout 300"
release sip1
options options_tcp1 -t t1
echo "ok: once the floods let go: the VTY answers, OPTIONS over TCP 503 (not ready: no AS)"
stiwfd_stop TERM || fail "stiwfd exit status $? after SIGTERM"

## 2. bounds lifted: descriptors above FD_SETSIZE
conf ' max-tcp-connections 0' ' max-sessions 0' >"$dir/stiwfd.conf"
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start (bounds lifted)"
flood sip2 "$sip_port"
flood vty2 "$vty_port" --greeting
alive "after the floods, bounds lifted"
n=$(nfds)
[ "$n" -gt $((2 * FLOOD)) ] || fail "stiwfd holds only $n descriptors with the bounds lifted"
signed_call call2 2
options options_udp2
out=$("$STIWF" vty --port "$vty_port" 'show version') || fail "VTY (session fd above $((2 * FLOOD))): $out"
echo "$out" | grep -q '^stiwfd [0-9]' || fail "show version did not name stiwfd"
alive "at the end"
echo "ok: bounds lifted, $n descriptors: x5u fetch, verdict, OPTIONS and a VTY session above fd 1023 all served"
release vty2
release sip2
stiwfd_stop TERM || fail "stiwfd exit status $? after SIGTERM"
rm -rf "$dir"
echo "1 passed, 0 failed"
