#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The SIP call leg of stiwfd through the real daemon in "test-mode echo"
# (it answers every INVITE itself with 180 and 200), against SIPp:
#  - an answered call released by the caller's BYE;
#  - two Identity headers (shaken + div) reach the call layer, in order;
#  - a call CANCELled while ringing gets 487;
#  - a malformed INVITE (no From) and an unbounded one (overlong From) get 400;
#  - a BYE for an unknown dialog gets 481;
#  - outgoing calls from "sip test-call" to a SIPp callee that answers (then
#    cleared from the VTY with BYE) and to one that answers 486;
#  - no leg is left behind ("show sip calls").
# Under valgrind (STIWF_VALGRIND=1) the daemon must also stop without leaks.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

sc="${srcdir:-.}/tests/integration/sipp"
dir=$(mktemp -d "$top_builddir/tests/integration/sip_call.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2)) uas_port=$((base + 3))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }
# the console asks for the enable password before it takes test commands
vty() { "$STIWF" vty --port "$vty_port" --password-file "$dir/vty.pw" enable "$@"; }

# wait_log PATTERN: until stiwfd logged a line matching PATTERN (grep -E),
# reading its log as it grows; fails after 30 s without a new matching line.
wait_log() {
	local line rc=1 fd tpid
	exec {fd}< <(exec tail -n +1 -f "$dir/stiwfd.log")
	tpid=$!
	while IFS= read -r -t 30 line <&"$fd"; do
		if printf '%s\n' "$line" | grep -Eq -- "$1"; then
			rc=0
			break
		fi
	done
	kill "$tpid" 2>/dev/null
	exec {fd}<&-
	return $rc
}

echo "transport: SIP over UDP on host loopback (no SS7 in this test)"
# the configuration holds a VTY password: stiwfd wants it unreadable by others
(umask 077; printf 'sip-call-test\n' >"$dir/vty.pw"; : >"$dir/stiwfd.conf")
cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level sip info
 logging level main info
line vty
 bind 127.0.0.1 $vty_port
enable password sip-call-test
sip
 local 127.0.0.1 $sip_port
 transport udp
 test-mode echo
CONF

wrapper=""
if [ "${STIWF_VALGRIND:-0}" = 1 ]; then
	wrapper="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$dir/valgrind.log"
	echo "running stiwfd under valgrind"
fi
# shellcheck disable=SC2086
stiwfd_start "$dir" "$dir/stiwfd.conf" $wrapper || fail "stiwfd did not start"

# 1. answered, released by the caller's BYE
printf 'SEQUENTIAL\n12025550002;12025550001\n' >"$dir/call.csv"
sipp_run call "${srcdir:-.}/contrib/sipp/uac_call.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 \
	-inf "$dir/call.csv" || fail "answered call: $(cat "$dir/call.err" 2>/dev/null)"
grep -q '^SIP/2.0 180 Ringing' "$dir/call.msgs" || fail "no 180 before the 200"
grep -q '^m=audio 4000 RTP/AVP 0' "$dir/call.msgs" || fail "200 without the SDP answer"
wait_log 'echo .*: released \(BYE\)' || fail "the owner did not hear of the BYE"
echo "ok: INVITE answered 180 + 200 with SDP, ACK, released by the caller's BYE"

# 2. two Identity headers, PAI, Privacy, Date; BYE with a Reason
sipp_run ident "$sc/uac_two_identity.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "call with two Identity headers: $(cat "$dir/ident.err" 2>/dev/null)"
wait_log 'Identity 1/2: ppt=shaken' || fail "first Identity (shaken) not seen"
grep -Eq 'Identity 2/2: ppt=div' "$dir/stiwfd.log" || fail "second Identity (div) not seen"
grep -Eq 'echo .*: 12025550002 -> 12025550001@127.0.0.1, PAI tel:\+12025550002, privacy 0x10, 2 Identity, Max-Forwards 70' \
	"$dir/stiwfd.log" || fail "the call layer did not get From, Request-URI, PAI, Privacy, 2 Identity"
wait_log 'echo .*: released \(BYE\), Reason: Q.850;cause=16' || fail "BYE Reason not handed over"
echo "ok: two Identity headers (shaken, div) in order, PAI, Privacy: id reach the owner"

# 3. CANCEL while ringing: the echo owner waits 30 s before it answers
vty 'configure terminal' 'sip' 'test-mode echo answer-delay 30000' >/dev/null || fail "VTY test-mode"
sipp_run cancel "$sc/uac_cancel.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "CANCEL scenario: $(cat "$dir/cancel.err" 2>/dev/null)"
grep -q '^SIP/2.0 487 ' "$dir/cancel.msgs" || fail "no 487 for the cancelled INVITE"
wait_log 'echo .*: released \(CANCEL\)' || fail "the owner did not hear of the CANCEL"
vty 'configure terminal' 'sip' 'test-mode echo' >/dev/null || fail "VTY test-mode"
echo "ok: CANCEL while ringing: 200 to the CANCEL, 487 to the INVITE, owner told"

# 4. malformed and unbounded INVITEs
sipp_run nofrom "$sc/invite_no_from.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "INVITE without From: $(cat "$dir/nofrom.err" 2>/dev/null)"
wait_log 'refused with 400 by Sofia \(Via, From, To, Call-ID or CSeq' || fail "no log line for the missing From"
sipp_run longfrom "$sc/invite_long_from.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "INVITE with an overlong From: $(cat "$dir/longfrom.err" 2>/dev/null)"
grep -q '^SIP/2.0 400 Bad From Header' "$dir/longfrom.msgs" || fail "overlong From: not 400 Bad From Header"
wait_log 'INVITE refused with 400: From: user part longer than 63 octets' || fail "no log line naming From"
echo "ok: INVITE without From: 400; with a 100-digit From: 400 Bad From Header + Warning"

# 5. BYE outside any dialog
sipp_run byeunknown "$sc/bye_unknown.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "BYE for an unknown dialog: $(cat "$dir/byeunknown.err" 2>/dev/null)"
echo "ok: BYE for an unknown dialog: 481"

# 6. outgoing call, answered, then cleared from the VTY (BYE)
sipp_bg uas -sf "${srcdir:-.}/contrib/sipp/uas_answer.xml" -i 127.0.0.1 -p "$uas_port" -m 1 \
	-timeout 30s -timeout_error -trace_msg -message_file "$dir/uas.msgs" \
	-trace_err -error_file "$dir/uas.err" || fail "SIPp callee did not start"
out=$(vty "sip test-call sip:127.0.0.1:$uas_port 12025550001 +12025550002 allowed TN-Validation-Passed \
eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9.c2ln;info=<https://cert.example.org/a.pem>;ppt=shaken") ||
	fail "sip test-call: $out"
cid=$(printf '%s\n' "$out" | sed -n 's/^test call \([^ ]*\).*/\1/p' | tr -d '\r')
[ -n "$cid" ] || fail "sip test-call printed no Call-ID: $out"
wait_log "test call $cid: connected with an SDP answer" || fail "outgoing call not connected"
vty 'show sip calls' | grep -Eq "^$cid out CONFIRMED +\+12025550002 -> 12025550001 age" ||
	fail "show sip calls does not list the outgoing leg: $(vty 'show sip calls')"
vty "clear sip call $cid" >/dev/null || fail "clear sip call"
wait_log "test call $cid: released \(cleared\)" || fail "owner not told of the clearing"
wait_exit "$uas" 30 || fail "SIPp callee still running"
grep -q '^BYE sip:' "$dir/uas.msgs" || fail "callee got no BYE"
grep -q '^P-Asserted-Identity: <tel:+12025550002;verstat=TN-Validation-Passed>' "$dir/uas.msgs" ||
	fail "INVITE without PAI;verstat"
grep -q '^Identity: eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9.c2ln;info=<https://cert.example.org/a.pem>;ppt=shaken' \
	"$dir/uas.msgs" || fail "INVITE without the Identity header"
[ ! -s "$dir/uas.err" ] || fail "SIPp callee errors: $(cat "$dir/uas.err")"
echo "ok: outgoing INVITE with PAI;verstat and Identity, answered, cleared with BYE"

# 7. outgoing call to a busy callee, presentation restricted
sipp_bg busy -sf "$sc/uas_busy.xml" -i 127.0.0.1 -p "$uas_port" -m 1 \
	-timeout 30s -timeout_error -trace_msg -message_file "$dir/busy.msgs" \
	-trace_err -error_file "$dir/busy.err" || fail "SIPp busy callee did not start"
out=$(vty "sip test-call sip:127.0.0.1:$uas_port 12025550001 +12025550002 restricted none") ||
	fail "sip test-call: $out"
cid=$(printf '%s\n' "$out" | sed -n 's/^test call \([^ ]*\).*/\1/p' | tr -d '\r')
wait_log "test call $cid: failed 486 Busy Here, Reason: Q.850;cause=17" || fail "failed callback without 486"
wait_exit "$busy" 30 || fail "SIPp busy callee still running"
grep -q '^From: "Anonymous" <sip:anonymous@anonymous.invalid>' "$dir/busy.msgs" || fail "restricted: From not anonymous"
grep -q '^Privacy: id' "$dir/busy.msgs" || fail "restricted: no Privacy: id"
echo "ok: outgoing call to a busy callee: failed 486 with its Reason; anonymous From, Privacy: id"

# Nothing left behind, and the counters saw it all.
out=$(vty 'show sip calls' 'show sip') || fail "VTY: $out"
echo "$out" | sed 's/^/  vty| /'
echo "$out" | grep -q '^0 call leg(s)' || fail "call legs left behind"
echo "$out" | grep -Eq 'call:in +3 ' || fail "call:in is not 3"
echo "$out" | grep -Eq 'call:out +2 ' || fail "call:out is not 2"
echo "$out" | grep -Eq 'call:failed_4xx +2 ' || fail "call:failed_4xx is not 2 (400 long From, 486)"
echo "ok: no call leg left, counters"

stiwfd_stop INT
rc=$?
[ $rc -eq 0 ] || { [ -f "$dir/valgrind.log" ] && cat "$dir/valgrind.log"; fail "stiwfd exit status $rc"; }
if [ -f "$dir/valgrind.log" ]; then
	grep -E 'definitely lost|indirectly lost|ERROR SUMMARY' "$dir/valgrind.log" | sed 's/^==[0-9]*== /  valgrind| /'
	grep -q 'ERROR SUMMARY: 0 errors' "$dir/valgrind.log" || fail "valgrind found errors"
fi
echo "ok: clean shutdown"
rm -rf "$dir"
echo "1 passed, 0 failed"
