#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Liveness of sip-peers by OPTIONS (sip/sip_keepalive.h), on this host's
# loopback, with two SIPp instances as the carriers (-aa: they answer
# OPTIONS 200):
#  - both carriers come up on their first answer ("show peers");
#  - the first carrier stops: Sofia answers our OPTIONS 503 itself (ICMP
#    port unreachable), and after "keepalive failures 2" it is down: the
#    log says so and "show routes" marks its route;
#  - it starts again: up on the first answer, the route is no longer marked.
# The call that then takes the next route is checked in the route lookup's
# unit test (tests/iwf/peer_test, "route failover"): calls towards a
# sip-peer come from ISUP, which needs M3UA.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/sip_keepalive.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) p1_port=$((base + 3)) p2_port=$((base + 4))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }
vty() { "$STIWF" vty --port "$vty_port" "$@"; }
# configuration from the console needs the enable password
vty_conf() { "$STIWF" vty --port "$vty_port" --password-file "$dir/vty.pw" enable 'configure terminal' "$@"; }

echo "transport: SIP over UDP on host loopback (no SS7 in this test)"

(umask 077; printf 'keepalive-test\n' >"$dir/vty.pw"; : >"$dir/stiwfd.conf")
cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level sip info
line vty
 bind 127.0.0.1 $vty_port
enable password keepalive-test
runtime-iwf-changes allow
sip
 local 127.0.0.1 $sip_port
 transport udp
sip-peer p1
 remote 127.0.0.1 $p1_port
 keepalive interval 1
 keepalive failures 2
sip-peer p2
 remote 127.0.0.1 $p2_port
 keepalive interval 1
sip-peer quiet
 remote 127.0.0.1 $((base + 5))
route 49 sip-peer p1
route default sip-peer p2
CONF

# carrier NAME PORT: a SIPp UAS that answers OPTIONS (-aa)
carrier() {
	sipp_bg "$1" -sn uas -aa -i 127.0.0.1 -p "$2" -trace_err -error_file "$dir/$1.err" ||
		fail "SIPp $1 did not start"
}
carrier P1 "$p1_port"
carrier P2 "$p2_port"
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start"

wait_log "$dir/stiwfd.log" 'sip-peer p1: up \(OPTIONS answered 200' 1 30 || fail "p1 never came up"
wait_log "$dir/stiwfd.log" 'sip-peer p2: up \(OPTIONS answered 200' 1 30 || fail "p2 never came up"
out=$(vty 'show peers') || fail "VTY: $out"
echo "$out" | grep -A2 '^sip-peer p1:' | grep -q 'keepalive every 1 s, down after 2 failures: up' ||
	fail "show peers does not say p1 is up: $out"
echo "$out" | grep -A2 '^sip-peer p2:' | grep -q 'keepalive every 1 s, down after 3 failures: up' ||
	fail "show peers does not say p2 is up: $out"
echo "$out" | grep -A2 '^sip-peer quiet:' | grep -q keepalive && fail "a peer without keepalive shows one"
vty 'show routes' | grep -q '(down)' && fail "a route is marked down while both peers are up"
echo "ok: both carriers up on their first OPTIONS 200 (show peers)"

kill "$P1"
wait_exit "$P1" 10 || fail "SIPp p1 did not stop"
wait_log "$dir/stiwfd.log" 'sip-peer p1: down after 2 failed OPTIONS \(last (503|408)' 1 30 ||
	fail "p1 not marked down"
# the failures before it went down (more follow, one a second)
n=$(awk '/sip-peer p1: down after/ { exit } /sip-peer p1: OPTIONS failed/ { n++ } END { print n + 0 }' \
	"$dir/stiwfd.log")
[ "$n" -eq 2 ] || fail "p1 down after $n failures, want 2"
out=$(vty 'show routes') || fail "VTY: $out"
echo "$out" | sed 's/^/  vty| /'
echo "$out" | grep -Eq '^49 +sip-peer +p1 \(down\)$' || fail "show routes does not mark p1's route down"
echo "$out" | grep -Eq '^default +sip-peer +p2$' || fail "show routes marks p2's route"
vty 'show peers' | grep -A2 '^sip-peer p1:' | grep -q 'failures: down' || fail "show peers: p1 not down"
grep -q 'sip-peer p2: down' "$dir/stiwfd.log" && fail "p2 went down while it answers"
echo "ok: p1 down after 2 OPTIONS answered 503 (show routes: 49 sip-peer p1 (down))"

carrier P1B "$p1_port"
wait_log "$dir/stiwfd.log" 'sip-peer p1: up \(OPTIONS answered 200' 2 30 || fail "p1 did not come up again"
vty 'show routes' | grep -q '(down)' && fail "p1's route still marked down"
echo "ok: p1 up again on its first OPTIONS 200"

# 4. from the console while stiwfd runs: a keepalive for the quiet peer
#    (nothing listens there: down after 2 failures), and none for p2
vty_conf 'sip-peer quiet' 'keepalive failures 2' 'keepalive interval 1' >/dev/null || fail "VTY keepalive"
wait_log "$dir/stiwfd.log" 'sip-peer quiet: OPTIONS to sip:127.0.0.1:[0-9]+.* every 1 s, down after 2 failures' 1 10 ||
	fail "the keepalive set from the console did not start"
wait_log "$dir/stiwfd.log" 'sip-peer quiet: down after 2 failed OPTIONS' 1 30 || fail "quiet not marked down"
vty_conf 'sip-peer p2' 'no keepalive interval' >/dev/null || fail "VTY no keepalive"
wait_log "$dir/stiwfd.log" 'sip-peer p2: keepalive stopped, the carrier counts as up' 1 10 || fail "p2's keepalive not stopped"
out=$(vty 'show peers') || fail "VTY: $out"
echo "$out" | grep -A2 '^sip-peer quiet:' | grep -q 'keepalive every 1 s, down after 2 failures: down' ||
	fail "show peers does not say quiet is down: $out"
echo "$out" | grep -A2 '^sip-peer p2:' | grep -q keepalive && fail "p2 still shows a keepalive: $out"
echo "ok: keepalive set from the console takes effect at once (quiet down after 2 failures); 'no keepalive interval' stops p2's"

stiwfd_stop TERM || fail "stiwfd exit status $? after SIGTERM"
rm -rf "$dir"
echo "1 passed, 0 failed"
