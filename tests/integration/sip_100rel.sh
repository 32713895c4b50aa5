#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reliable provisional responses (RFC 3262) and hold/resume re-INVITEs
# (RFC 3264 §8.4) on the SIP leg of stiwfd ("test-mode echo": it answers
# every INVITE itself with 180 and 200), against SIPp:
#  - a caller that requires 100rel gets its 180 reliably (Require: 100rel,
#    RSeq), and the 200 only after its PRACK;
#  - the same caller holds (a=sendonly) and gets a=recvonly with the next
#    o= version, resumes and gets a=sendrecv, changes the codec and gets
#    488, then hangs up;
#  - an outgoing call offers 100rel, PRACKs the callee's reliable 183;
#  - with "100rel disabled", a caller that requires it gets 420 with
#    Unsupported: 100rel;
#  - no leg is left behind.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs sipp
. "${srcdir:-.}/tests/integration/lib.sh"
. "${srcdir:-.}/tests/integration/lib-bg.sh"

sc="${srcdir:-.}/tests/integration/sipp"
dir=$(mktemp -d "$top_builddir/tests/integration/sip_100rel.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1)) sipp_port=$((base + 2)) uas_port=$((base + 3))
fail() { echo "FAIL: $*"; echo "--- stiwfd log:"; cat "$dir/stiwfd.log"; exit 1; }
vty() { "$STIWF" vty --port "$vty_port" --password-file "$dir/vty.pw" enable "$@"; }
logged() { wait_log "$dir/stiwfd.log" "$1" "${2:-1}" 30; }

echo "transport: SIP over UDP on host loopback (no SS7 in this test)"
(umask 077; printf 'sip-100rel-test\n' >"$dir/vty.pw"; : >"$dir/stiwfd.conf")
cat >"$dir/stiwfd.conf" <<CONF
log stderr
 logging level set-all notice
 logging level sip info
 logging level main info
line vty
 bind 127.0.0.1 $vty_port
enable password sip-100rel-test
sip
 local 127.0.0.1 $sip_port
 transport udp
 test-mode echo
CONF
stiwfd_start "$dir" "$dir/stiwfd.conf" || fail "stiwfd did not start"

# 1. 100rel required by the caller, then hold, resume, codec change
sipp_run rel "$sc/uac_100rel_hold.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "100rel + hold scenario: $(cat "$dir/rel.err" 2>/dev/null)"
awk '/^SIP\/2.0 180/{r=1} r&&/^RSeq: [0-9]+/{ok=1} /^$/{r=0} END{exit !ok}' "$dir/rel.msgs" ||
	fail "the 180 was not sent reliably (no RSeq)"
grep -q '^Allow:.*PRACK' "$dir/rel.msgs" || fail "Allow does not list PRACK"
logged 're-INVITE: streams sendonly, were sendrecv \(hold\)' || fail "no log line for the hold"
logged 're-INVITE: streams sendrecv, were sendonly \(resume\)' || fail "no log line for the resume"
logged 're-INVITE changes the media: 488' || fail "no log line for the codec change"
logged 'echo .*: released \(BYE\)' || fail "the owner did not hear of the BYE"
echo "ok: reliable 180 PRACKed before the 200; hold answered recvonly (o= version 2), resume sendrecv (3), codec change 488"

# 2. outgoing call: the callee's reliable 183 is PRACKed
sipp_bg uas -sf "$sc/uas_100rel.xml" -i 127.0.0.1 -p "$uas_port" -m 1 \
	-timeout 30s -timeout_error -trace_msg -message_file "$dir/uas.msgs" \
	-trace_err -error_file "$dir/uas.err" || fail "SIPp callee did not start"
out=$(vty "sip test-call sip:127.0.0.1:$uas_port 12025550001 +12025550002 allowed TN-Validation-Passed") ||
	fail "sip test-call: $out"
cid=$(printf '%s\n' "$out" | sed -n 's/^test call \([^ ]*\).*/\1/p' | tr -d '\r')
[ -n "$cid" ] || fail "sip test-call printed no Call-ID: $out"
logged "test call $cid: connected with an SDP answer" || fail "outgoing call not connected"
vty "clear sip call $cid" >/dev/null || fail "clear sip call"
wait_exit "$uas" 30 || fail "SIPp callee still running: $(cat "$dir/uas.err" 2>/dev/null)"
[ ! -s "$dir/uas.err" ] || fail "SIPp callee errors: $(cat "$dir/uas.err")"
grep -q '^PRACK sip:' "$dir/uas.msgs" || fail "no PRACK for the reliable 183"
echo "ok: outgoing INVITE offers 100rel; the callee's reliable 183 PRACKed, call answered and cleared"

# 3. 100rel disabled: a caller requiring it is refused
vty 'configure terminal' 'sip' '100rel disabled' >/dev/null || fail "VTY 100rel disabled"
vty 'show running-config' | grep -q '^ 100rel disabled' || fail "running-config does not say 100rel disabled"
sipp_run norel "$sc/uac_require_100rel_420.xml" "127.0.0.1:$sip_port" "$sipp_port" 1 ||
	fail "Require: 100rel with 100rel disabled: $(cat "$dir/norel.err" 2>/dev/null)"
echo "ok: with 100rel disabled, Require: 100rel gets 420 Unsupported: 100rel"

out=$(vty 'show sip calls') || fail "VTY: $out"
echo "$out" | grep -q '^0 call leg(s)' || fail "call legs left behind: $out"
echo "ok: no call leg left"
stiwfd_stop INT || fail "stiwfd exit status $?"
rm -rf "$dir"
echo "4 passed, 0 failed"
