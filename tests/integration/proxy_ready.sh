#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwfd behind a proxy (docs/SCALING.md), on this host's loopback:
#  - OPTIONS readiness: an ss7-peer whose AS is not active (no M3UA here)
#    makes OPTIONS get 503 with Retry-After and a Reason;
#  - carrier identity: calls from the proxy's address are told apart by the
#    header it sets (via-proxy ... header X-Carrier VALUE); the same header
#    from any other address is ignored (403, no sip-peer); a carrier that
#    reaches us from its own source address (one local address per carrier
#    at the proxy) is matched by that address.
# The matched calls then end with 503: there is no SS7 link.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/proxy_ready.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2))
SC=${srcdir:-.}/tests/integration/sipp
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }

echo "transport: SIP over UDP on host loopback; M3UA configured but not reachable (no SS7 in this test)"

cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level sip info
 logging level iwf info
line vty
 bind 127.0.0.1 $vty_port
sip
 local 127.0.0.1 $sip_port
 transport udp
sip-peer acme
 remote 127.0.0.1 $((base + 3))
 via-proxy 127.0.0.1 header X-Carrier acme-1
 country-code 1
sip-peer zeta
 remote 127.0.0.1 $((base + 3))
 via-proxy 127.0.0.1 header X-Carrier zeta-2
 country-code 1
sip-peer direct
 remote 127.0.0.3 5060
 country-code 1
ss7-peer exchange
 cs7-instance 0
 point-code 100
 cic 1 8
route 1 ss7-peer exchange
cs7 instance 0
 point-code format 24
 point-code 200
 asp asp-b 2905 $((base + 4)) m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 as as-b m3ua
  asp asp-b
  routing-key 20 200
CONF
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start"

sipp_run options "$SC/options_503.xml" "127.0.0.1:$sip_port" "$sipp_port" 2 ||
	fail "OPTIONS not answered 503 with Retry-After and Reason: $(cat "$dir/options.err" 2>/dev/null)"
grep -q '^Reason:.*ss7-peer exchange: no AS active' "$dir/options.msgs" ||
	fail "the 503's Reason does not name the ss7-peer without an active AS"
echo "ok: OPTIONS answered 503 with Retry-After and 'ss7-peer exchange: no AS active' while no AS is active"

# invite NAME SRCADDR CARRIER: one INVITE from SRCADDR with X-Carrier: CARRIER
n_calls=0
invite() {
	printf 'SEQUENTIAL\n%s;\n' "$3" >"$dir/$1.csv"
	timeout 30 sipp -sf "$SC/invite_carrier.xml" "127.0.0.1:$sip_port" -i "$2" -p "$sipp_port" -m 1 \
		-inf "$dir/$1.csv" -nostdin -timeout 20s -timeout_error -trace_msg -message_file "$dir/$1.msgs" \
		-trace_err -error_file "$dir/$1.err" >/dev/null 2>&1 || fail "SIPp $1: $(cat "$dir/$1.err" 2>/dev/null)"
	n_calls=$((n_calls + 1))
	# the call-log line comes when the call ends, around the final
	# response: wait for it (bounded) rather than race the log
	wait_log "$dir/stiwfd.log" 'call-log \{' "$n_calls" 10 || fail "$1: no call-log line"
	grep 'call-log {' "$dir/stiwfd.log" | tail -n 1 >"$dir/$1.json"
}
# expect NAME PEER STATUS: the last call's sip_peer (or null) and final status
expect() {
	case $(cat "$dir/$1.json") in
	*"\"sip_peer\":$2,"*"\"sip_status\":$3,"*) ;;
	*) fail "$1: want sip_peer $2 and status $3: $(cat "$dir/$1.json")" ;;
	esac
}

invite zeta 127.0.0.1 zeta-2
expect zeta '"zeta"' 503
invite acme 127.0.0.1 acme-1
expect acme '"acme"' 503
echo "ok: from the proxy's address, X-Carrier zeta-2 and acme-1 are sip-peers zeta and acme"
invite unknown 127.0.0.1 nobody
expect unknown null 403
echo "ok: from the proxy's address, an X-Carrier no peer has: 403, no sip-peer"
invite spoofed 127.0.0.4 acme-1
expect spoofed null 403
echo "ok: X-Carrier acme-1 from 127.0.0.4 (not the proxy) is ignored: 403, no sip-peer"
invite direct 127.0.0.3 acme-1
expect direct '"direct"' 503
echo "ok: from 127.0.0.3 (one source address per carrier) the call is sip-peer direct's, its X-Carrier ignored"

stiwfd_stop || fail "stiwfd did not stop cleanly"
rm -rf "$dir"
echo "5 passed, 0 failed"
