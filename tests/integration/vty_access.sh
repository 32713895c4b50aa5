#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Who may do what on stiwfd's VTY console (telnet), against the real daemon:
#  - by default the console listens on loopback only: not on the host's
#    other addresses;
#  - a console bound to a non-loopback address without an enable password
#    is refused at start;
#  - without an enable password the console is read-only: "enable" asks for
#    a password nobody knows, so "write file" cannot run;
#  - with one, a wrong password is refused and the right one enables;
#  - enabled or not, a sip-peer at a foreign address cannot be added at
#    runtime (runtime-iwf-changes is refuse by default, and cannot be
#    switched from the console);
#  - a configuration holding a VTY password must not be readable by others.
set -u
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
. "$srcdir/tests/integration/lib.sh"
. "$srcdir/tests/integration/lib-bg.sh"

dir=$(mktemp -d "$top_builddir/tests/integration/vty_access.XXXXXX") || exit 1
base=$(stiwf_port_base)
sip_port=$base vty_port=$((base + 1))
passed=0
fail() { echo "FAIL: $*"; for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done; exit 1; }
ok() { echo "ok: $*"; passed=$((passed + 1)); }
echo "transport: VTY over TCP (telnet) on the host's addresses; SIP over UDP on loopback"

# can a TCP connection be made to ADDR PORT? (bash's /dev/tcp, no telnet needed)
reachable() {
	timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# An address of this host that is not loopback, if it has one.
other_addr=$(ip -o -4 addr show scope global 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }')

umask 077
printf 'right-password\n' >"$dir/right.pw"
printf 'wrong-password\n' >"$dir/wrong.pw"

# --- the default: no "line vty" at all; the console's default port
if [ -z "$other_addr" ]; then
	echo "skip: this host has no non-loopback IPv4 address to try the default binding on"
elif reachable 127.0.0.1 4270; then
	echo "skip: the default VTY port 4270 is in use here; the default binding is not tried"
else
	printf 'sip\n local 127.0.0.1 %s\n' "$sip_port" >"$dir/default.conf"
	stiwfd_start "$dir" "$dir/default.conf" || fail "stiwfd with the default console did not start"
	cp "$dir/stiwfd.log" "$dir/default.log"
	reachable 127.0.0.1 4270 || fail "the default console is not on 127.0.0.1:4270"
	reachable "$other_addr" 4270 && fail "the default console answers on $other_addr:4270"
	stiwfd_stop || fail "stiwfd did not stop cleanly"
	ok "by default the console is on 127.0.0.1:4270 and not on $other_addr"
fi

# --- a console on every address, without an enable password: refused
cat >"$dir/open.conf" <<CONF
line vty
 bind 0.0.0.0 $vty_port
sip
 local 127.0.0.1 $sip_port
CONF
rc=0
timeout 30 "$STIWFD" -c "$dir/open.conf" >"$dir/open.log" 2>&1 || rc=$?
[ $rc = 1 ] || fail "stiwfd with an open console and no enable password: exit $rc, want 1"
grep -q "binds 0.0.0.0, which is not a loopback address, and no 'enable password' is set" "$dir/open.log" ||
	fail "no reason given for refusing the open console"
ok "a console bound to 0.0.0.0 without an enable password is refused at start"

# --- no enable password: read-only
cat >"$dir/ro.conf" <<CONF
line vty
 bind 127.0.0.1 $vty_port
sip
 local 127.0.0.1 $sip_port
CONF
cp "$dir/ro.conf" "$dir/ro.conf.orig"
stiwfd_start "$dir" "$dir/ro.conf" || fail "stiwfd (read-only console) did not start"
grep -q "no 'enable password' configured: the VTY console is read-only" "$dir/stiwfd.log" ||
	fail "stiwfd did not say its console is read-only"
"$STIWF" vty --port "$vty_port" 'show version' >/dev/null || fail "show version on the read-only console"
rc=0
out=$("$STIWF" vty --port "$vty_port" enable "write file $dir/written.conf" 2>&1) || rc=$?
[ $rc = 1 ] || fail "enable without a password: exit $rc: $out"
[ -e "$dir/written.conf" ] && fail "write file wrote $dir/written.conf"
case $out in
*"asked for a password"*) ;;
*) fail "enable was not refused for want of a password: $out" ;;
esac
rc=0
out=$("$STIWF" vty --port "$vty_port" "write file $dir/written.conf" 2>&1) || rc=$?
[ $rc = 1 ] || fail "write file from the view mode: exit $rc: $out"
[ -e "$dir/written.conf" ] && fail "write file wrote $dir/written.conf"
cmp -s "$dir/ro.conf" "$dir/ro.conf.orig" || fail "the configuration file was rewritten"
ok "without an enable password 'enable' is refused and 'write file' cannot run"
rc=0
out=$("$STIWF" vty --port "$vty_port" 'configure terminal' 2>&1) || rc=$?
[ $rc = 1 ] || fail "configure terminal from the view mode: exit $rc: $out"
ok "the view mode cannot configure"
stiwfd_stop || fail "stiwfd did not stop cleanly"

# --- an enable password in a file others may read: refused
cat >"$dir/pw.conf" <<CONF
line vty
 bind 127.0.0.1 $vty_port
enable password right-password
sip
 local 127.0.0.1 $sip_port
sip-peer carrier
 remote 127.0.0.20 5060
CONF
chmod 644 "$dir/pw.conf"
rc=0
timeout 30 "$STIWFD" -c "$dir/pw.conf" >"$dir/pw-mode.log" 2>&1 || rc=$?
[ $rc = 1 ] || fail "stiwfd with a world-readable password file: exit $rc, want 1"
grep -q "has mode 0644 and holds a VTY password" "$dir/pw-mode.log" || fail "no reason given for the file mode"
ok "a configuration holding a VTY password and readable by others is refused"
chmod 640 "$dir/pw.conf"

# --- enable password: wrong refused, right accepted; no runtime peers
stiwfd_start "$dir" "$dir/pw.conf" || fail "stiwfd (password console) did not start"
rc=0
out=$("$STIWF" vty --port "$vty_port" --password-file "$dir/wrong.pw" enable "write file $dir/written.conf" 2>&1) || rc=$?
[ $rc = 1 ] || fail "a wrong enable password: exit $rc: $out"
case $out in
*"asked for a password that it refused"*) ;;
*) fail "a wrong enable password was not refused: $out" ;;
esac
[ -e "$dir/written.conf" ] && fail "write file with a wrong password wrote $dir/written.conf"
"$STIWF" vty --port "$vty_port" --password-file "$dir/right.pw" enable 'show running-config' \
	>"$dir/running.txt" || fail "the right enable password did not enable"
grep -q '^sip-peer carrier$' "$dir/running.txt" || fail "show running-config after enable"
ok "a wrong enable password is refused, the right one enables"

rc=0
out=$("$STIWF" vty --port "$vty_port" --password-file "$dir/right.pw" enable 'configure terminal' \
	'sip-peer intruder' 'remote 203.0.113.9 5060' 2>&1) || rc=$?
[ $rc = 1 ] || fail "a runtime sip-peer: exit $rc: $out"
case $out in
*"sip-peer: trust domains, peers and routes are read from the configuration file only"*) ;;
*) fail "a runtime sip-peer was not refused: $out" ;;
esac
for cmd in 'remote 203.0.113.9 5060' 'runtime-iwf-changes allow' 'no sip-peer carrier' 'route default sip-peer carrier'; do
	case $cmd in remote*) pre='sip-peer carrier' ;; *) pre='' ;; esac
	rc=0
	# shellcheck disable=SC2086
	out=$("$STIWF" vty --port "$vty_port" --password-file "$dir/right.pw" enable 'configure terminal' \
		${pre:+"$pre"} "$cmd" 2>&1) || rc=$?
	[ $rc = 1 ] || fail "runtime '$cmd': exit $rc: $out"
done
out=$("$STIWF" vty --port "$vty_port" 'show peers') || fail "show peers"
case $out in
*intruder* | *203.0.113.9*) fail "the foreign peer got in: $out" ;;
*"sip-peer carrier: remote 127.0.0.20 5060 udp"*) ;;
*) fail "the configured peer changed: $out" ;;
esac
wait_log "$dir/stiwfd.log" 'VTY: runtime change refused: sip-peer' 1 10 || fail "the refusal was not logged"
ok "a runtime sip-peer at a foreign address, peer changes and runtime-iwf-changes are refused"
stiwfd_stop || fail "stiwfd did not stop cleanly"

rm -rf "$dir"
echo "$passed passed, 0 failed"
