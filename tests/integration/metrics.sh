#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Counters out of stiwfd, on this host's loopback:
#  - two INVITEs without Identity from sip-peer carrier (no M3UA here:
#    they end in 503), then a scrape of the Prometheus endpoint with curl:
#    the carrier's counters (calls:in 2, verstat:none 2, verstat:passed 0)
#    and the global ones agree with the calls;
#  - the endpoint answers 404, 405, 400 and 431 to what is not a
#    GET /metrics; it closes connections beyond its bound at once and an
#    idle connection after its timeout;
#  - the statsd reporter ("level peer") sends the carrier's counters to a
#    UDP socket (python3);
#  - "show metrics" on the VTY says what the endpoint says.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/metrics.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2)) m_port=$((base + 5)) statsd_port=$((base + 6))
SC=${srcdir:-.}/tests/integration/sipp
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }
command -v curl >/dev/null || fail "curl is needed (Debian package curl)"

echo "transport: SIP over UDP and HTTP on host loopback; M3UA configured but not reachable (no SS7 in this test)"

# the statsd receiver: every datagram, one per line, into statsd.txt
bg_start STATSD '^listening' "$dir/statsd.txt" python3 -u -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("listening", flush=True)
while True:
    data = s.recv(65536)
    for line in data.decode("ascii", "replace").split("\n"):
        if line:
            print(line, flush=True)
' "$statsd_port" || fail "the statsd receiver did not start"

cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level iwf info
stats interval 1
stats reporter statsd
 remote-ip 127.0.0.1
 remote-port $statsd_port
 prefix stiwf
 level peer
 enable
line vty
 bind 127.0.0.1 $vty_port
metrics listen 127.0.0.1 $m_port
sip
 local 127.0.0.1 $sip_port
 transport udp
sip-peer carrier
 remote 127.0.0.1 $((base + 3))
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
grep -q "metrics: Prometheus text on http://127.0.0.1:$m_port/metrics" "$dir/stiwfd.log" ||
	fail "no log line for the endpoint"

printf 'SEQUENTIAL\n12025550100;12025550199;\n' >"$dir/calls.csv"
sipp_run calls "$SC/uac_expect_503.xml" "127.0.0.1:$sip_port" "$sipp_port" 2 -inf "$dir/calls.csv" ||
	fail "SIPp calls: $(cat "$dir/calls.err" 2>/dev/null)"
wait_log "$dir/stiwfd.log" 'call-log \{' 2 20 || fail "no call-log lines"
grep 'call-log {' "$dir/stiwfd.log" | grep -q '"sip_peer":"carrier"' || fail "the calls are not the carrier's"

url="http://127.0.0.1:$m_port/metrics"
curl -sS -D "$dir/scrape.hdr" -o "$dir/scrape.txt" "$url" || fail "curl $url"
grep -q '^HTTP/1.1 200 OK' "$dir/scrape.hdr" || fail "scrape: $(head -1 "$dir/scrape.hdr")"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$dir/scrape.hdr" || fail "scrape: Content-Type"
metric() { # NAME LABELS: its value in the scrape, or "none"
	awk -v m="$1{$2}" '$1 == m { print $2; f = 1 } END { if (!f) print "none" }' "$dir/scrape.txt"
}
want() { # NAME LABELS VALUE
	v=$(metric "$1" "$2")
	[ "$v" = "$3" ] || fail "$1{$2} is $v, want $3"
	echo "  $1{$2} $v"
}
want stiwf_sip_peer_calls_in_total 'index="0",name="carrier"' 2
want stiwf_sip_peer_verstat_none_total 'index="0",name="carrier"' 2
want stiwf_sip_peer_verstat_passed_total 'index="0",name="carrier"' 0
want stiwf_sip_peer_verstat_failed_total 'index="0",name="carrier"' 0
want stiwf_ss7_peer_hop_valid_total 'index="0",name="exchange"' 0
want stiwf_ss7_peer_calls_in_total 'index="0",name="exchange"' 0
want stiwf_iwf_stir_none_total 'index="0"' 2
grep -q '^# TYPE stiwf_sip_peer_verstat_none_total counter$' "$dir/scrape.txt" || fail "no TYPE line"
[ "$(grep -c '^# TYPE stiwf_sip_peer_verstat_none_total ' "$dir/scrape.txt")" = 1 ] || fail "TYPE line twice"
echo "ok: the scrape counts 2 calls without Identity on sip-peer carrier"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$m_port/")" = 404 ] || fail "GET / not 404"
[ "$(code "http://127.0.0.1:$m_port/metrics/x")" = 404 ] || fail "GET /metrics/x not 404"
[ "$(code -X POST --data x "$url")" = 405 ] || fail "POST not 405"
curl -s -D - -o /dev/null -X DELETE "$url" | grep -q '^Allow: GET' || fail "405 without Allow: GET"
[ "$(code -H "X-Big: $(head -c 5000 /dev/zero | tr '\0' a)" "$url")" = 431 ] || fail "a 5000-octet header not 431"
# raw requests: bash's /dev/tcp
raw() { # REQUEST: the status line of the answer
	local fd line
	exec {fd}<>"/dev/tcp/127.0.0.1/$m_port" || return 1
	printf '%b' "$1" >&"$fd"
	IFS= read -r -t 10 line <&"$fd"
	exec {fd}<&-
	printf '%s\n' "${line%$'\r'}"
}
[ "$(raw 'GET /metrics HTTP/2.0\r\n\r\n')" = "HTTP/1.1 400 Bad Request" ] || fail "HTTP/2.0 not 400"
[ "$(raw '\x16\x03\x01\x02\x00\x01\x00')" = "HTTP/1.1 400 Bad Request" ] || fail "binary not 400"
[ "$(raw 'GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n')" = "HTTP/1.1 400 Bad Request" ] ||
	fail "a header line without colon not 400"
echo "ok: 404, 405 (Allow: GET), 431 and 400 for what is not a GET /metrics"

# The bound: 8 idle connections held, the 9th is closed at once; the idle
# ones are closed after the timeout (5 s), and a scrape works again.
fds=()
for i in 1 2 3 4 5 6 7 8; do
	exec {fd}<>"/dev/tcp/127.0.0.1/$m_port" || fail "connection $i"
	fds+=("$fd")
done
exec {fd9}<>"/dev/tcp/127.0.0.1/$m_port" || fail "connection 9 refused by the kernel"
IFS= read -r -t 10 line <&"$fd9"
rc=$?
[ $rc -eq 0 ] && fail "connection 9 got data: $line"
[ $rc -gt 128 ] && fail "connection 9 was not closed"
exec {fd9}<&-
wait_log "$dir/stiwfd.log" 'metrics: 8 connections open: one more closed' 1 10 || fail "no log line for the 9th connection"
for fd in "${fds[@]}"; do
	IFS= read -r -t 15 line <&"$fd"
	rc=$?
	[ $rc -gt 128 ] && fail "an idle connection was not closed by the timeout"
	exec {fd}<&-
done
wait_log "$dir/stiwfd.log" 'metrics: connection timed out after 5 s' 1 10 || fail "no timeout log line"
[ "$(code "$url")" = 200 ] || fail "no scrape after the bound"
echo "ok: the 9th connection closed at once, idle ones after 5 s, then scrapes again"

# statsd: the peer's counters, named after it (libosmocore:
# PREFIX.GROUP.NAME.COUNTER), as deltas per interval: their sum counts
statsd_sum() { # COUNTER
	awk -F'[:|]' -v m="stiwf.sip_peer.carrier.$1" '$1 == m { s += $2 } END { print s + 0 }' "$dir/statsd.txt"
}
timeout 20 tail -n +1 -F "$dir/statsd.txt" 2>/dev/null |
	awk -F'[:|]' '$1 == "stiwf.sip_peer.carrier.calls.in" { s += $2; if (s >= 2) exit }'
[ "$(statsd_sum verstat.none)" = 2 ] ||
	fail "statsd: sip_peer.carrier.verstat.none sums to $(statsd_sum verstat.none), want 2"
[ "$(statsd_sum calls.in)" = 2 ] || fail "statsd: sip_peer.carrier.calls.in sums to $(statsd_sum calls.in), want 2"
[ "$(statsd_sum verstat.passed)" = 0 ] || fail "statsd: verstat.passed is not 0"
grep -m1 -E '^stiwf\.sip_peer\.carrier\.verstat\.none:[1-9]' "$dir/statsd.txt" | sed 's/^/  statsd| /'
echo "ok: statsd sends sip_peer.carrier counters (level peer)"

out=$("$STIWF" vty --port "$vty_port" 'show metrics') || fail "VTY show metrics: $out"
echo "$out" | grep -q '^stiwf_sip_peer_verstat_none_total{index="0",name="carrier"} 2' ||
	fail "show metrics does not count the calls"
echo "ok: show metrics"

stiwfd_stop || fail "stiwfd did not stop cleanly"
rm -rf "$dir"
echo "5 passed, 0 failed"
