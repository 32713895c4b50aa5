#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwfd with a real SIP peer: SIPp pings it with OPTIONS (200 expected,
# Allow listing INVITE), sends an INVITE (501 with a Warning expected: no
# call routing exists yet), and the VTY console answers "show version" and
# counts what SIPp sent.  Under valgrind (STIWF_VALGRIND=1) the daemon must
# also stop without leaks or memory errors.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/options_vty.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }

echo "transport: SIP over UDP on host loopback (no SS7 in this test)"

# A bad configuration stops stiwfd before it binds anything, naming the line.
printf 'sip\n local 127.0.0.1 5060\n transport carrier-pigeon\n' >"$dir/bad.conf"
"$STIWFD" -c "$dir/bad.conf" >"$dir/bad.out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "bad config: exit status $rc, want 1"
grep -q "bad configuration: $dir/bad.conf:3: \" transport carrier-pigeon\"" "$dir/bad.out" ||
	fail "bad config error does not name line 3: $(cat "$dir/bad.out")"
"$STIWFD" -c "$dir/missing.conf" >"$dir/bad.out" 2>&1 && fail "a missing config file must fail"
grep -q "missing.conf: No such file or directory" "$dir/bad.out" || fail "missing config not named"
echo "ok: bad and missing configuration refused with file:line"

cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level sip info
line vty
 bind 127.0.0.1 $vty_port
sip
 local 127.0.0.1 $sip_port
 transport udp
CONF

wrapper=""
if [ "${STIWF_VALGRIND:-0}" = 1 ]; then
	wrapper="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$dir/valgrind.log"
	echo "running stiwfd under valgrind"
fi
# shellcheck disable=SC2086
stiwfd_start "$dir" "$dir/stiwfd.conf" $wrapper || fail "stiwfd did not start"

# Hostile input first: malformed datagrams must not hurt the daemon.
printf 'INVITE sip:x SIP/2.0\r\nVia: \377\377garbage\r\nContent-Length: 99999\r\n\r\n' >/dev/udp/127.0.0.1/$sip_port
printf '\0\0\0\0 not sip at all' >/dev/udp/127.0.0.1/$sip_port
head -c 3000 /dev/zero | tr '\0' 'A' >/dev/udp/127.0.0.1/$sip_port

sipp_run options "${srcdir:-.}/contrib/sipp/options.xml" "127.0.0.1:$sip_port" "$sipp_port" 5 ||
	fail "SIPp OPTIONS scenario failed: $(cat "$dir/options.err" 2>/dev/null)"
# one 200 per OPTIONS transaction: count Call-IDs, since under valgrind
# SIPp retransmits and each retransmission is answered again
n=$(awk '/^SIP\/2.0 /{ok = /^SIP\/2.0 200 OK/} ok && /^Call-ID:/{print $2; ok = 0}' "$dir/options.msgs" | sort -u | wc -l)
[ "$n" -eq 5 ] || fail "expected 200 to 5 OPTIONS, got it for $n"
grep -q '^Allow:.*INVITE' "$dir/options.msgs" || fail "OPTIONS answer without Allow: INVITE"
echo "ok: malformed datagrams ignored, then 5 OPTIONS answered 200 OK"

sipp_run invite "${srcdir:-.}/contrib/sipp/invite_rejected.xml" "127.0.0.1:$sip_port" "$sipp_port" 2 ||
	fail "SIPp INVITE scenario failed: $(cat "$dir/invite.err" 2>/dev/null)"
grep -q '^Warning: 399 stiwfd "no call routing is configured"' "$dir/invite.msgs" ||
	fail "501 without the Warning"
echo "ok: 2 INVITEs rejected with 501 and a Warning"

sipp_run message "${srcdir:-.}/tests/integration/sipp/message_405.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "SIPp MESSAGE scenario failed: $(cat "$dir/message.err" 2>/dev/null)"
grep -q $'^Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK\r$' "$dir/message.msgs" || fail "405 without the exact Allow"
echo "ok: MESSAGE refused with 405 and Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, PRACK"

out=$("$STIWF" vty --port "$vty_port" 'show version' 'show sip') || fail "VTY: $out"
echo "$out" | sed 's/^/  vty| /'
echo "$out" | grep -q '^stiwfd [0-9]' || fail "show version did not name stiwfd"
echo "$out" | grep -Eq 'sip:rx_options +5 ' || fail "show sip does not count 5 OPTIONS"
echo "$out" | grep -Eq 'sip:rx_invite +2 ' || fail "show sip does not count 2 INVITEs"
echo "$out" | grep -Eq "SIP agent on sip:127.0.0.1:$sip_port;transport=udp" || fail "show sip binding"
"$STIWF" vty --port "$vty_port" 'show nonsense' >/dev/null && fail "a bad VTY command must fail"
echo "ok: VTY show version and show sip"

# SIGTERM normally; the valgrind run uses SIGINT (Ctrl-C) to cover both.
sig=${STIWF_STOP_SIGNAL:-TERM}
stiwfd_stop "$sig"
rc=$?
[ $rc -eq 0 ] || { [ -f "$dir/valgrind.log" ] && cat "$dir/valgrind.log"; fail "stiwfd exit status $rc after SIGTERM"; }
grep -Eq 'signal (15|2) .*shutting down' "$dir/stiwfd.log" || fail "no shutdown log line"
if [ -f "$dir/valgrind.log" ]; then
	grep -E 'definitely lost|indirectly lost|ERROR SUMMARY' "$dir/valgrind.log" | sed 's/^==[0-9]*== /  valgrind| /'
	grep -q 'ERROR SUMMARY: 0 errors' "$dir/valgrind.log" || fail "valgrind found errors"
fi
echo "ok: clean shutdown on SIG$sig"
rm -rf "$dir"
echo "1 passed, 0 failed"
