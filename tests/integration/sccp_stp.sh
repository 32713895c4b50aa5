#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwf's own SCCP (service indicator 3) through a real osmo-stp over
# M3UA/SCTP, between two endpoints built on ss7/sccp_user.c: a UDT and
# user data longer than an MTP3 SIF in XUDT segments, there and back,
# reassembled byte for byte.  Runs in a User-Mode-Linux guest when this
# kernel has no SCTP (uml/run.sh prints which).
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/sccp_stp.XXXXXX")
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/sccp_stp.guest.sh" "$out" 60 ||
	fail "the exchange through osmo-stp failed"

# tshark, a decoder we did not write, judges what crossed the STP: per
# direction and hop one UDT and one message of 900 octets in 4 XUDT
# segments.  The two hops of a message carry the same OPC, DPC and local
# reference, and tshark would reassemble their interleaved segments as one
# message: each SCTP association (A's, port 2906; B's, port 2907) is judged
# on its own.
: >"$out/sccp.txt"
for port in 2906 2907; do
	tshark -n -r "$out/capture.pcapng" -Y "sctp.port == $port" -w "$out/assoc-$port.pcapng" 2>>"$out/tshark.err" ||
		fail "tshark cannot read the capture"
	tshark -n -r "$out/assoc-$port.pcapng" -T fields -E separator='|' -e m3ua.protocol_data_opc \
		-e m3ua.protocol_data_dpc -e m3ua.protocol_data_si -e sccp.message_type -e sccp.msg.reassembled.length \
		-e _ws.expert -e _ws.malformed -Y sccp >>"$out/sccp.txt" 2>>"$out/tshark.err" ||
		fail "tshark cannot read the association on port $port"
done
[ -s "$out/sccp.txt" ] || fail "tshark found no SCCP in the capture"
grep -v '^[0-9]*|[0-9]*|3|' "$out/sccp.txt" | grep -q . && fail "SCCP not on service indicator 3"
awk -F'|' '$6 != "" || $7 != ""' "$out/sccp.txt" | grep -q . && fail "tshark reports expert information: $(cat "$out/sccp.txt")"
udt=$(awk -F'|' '$4 == "0x09"' "$out/sccp.txt" | wc -l)
xudt=$(awk -F'|' '$4 == "0x11"' "$out/sccp.txt" | wc -l)
whole=$(awk -F'|' '$5 != ""' "$out/sccp.txt")
# A->STP, STP->B, and the echo B->STP, STP->A
[ "$udt" -eq 4 ] || fail "tshark saw $udt UDT, want 4 (two hops there and back)"
[ "$xudt" -eq 16 ] || fail "tshark saw $xudt XUDT, want 16 (4 segments, two hops there and back)"
[ "$(echo "$whole" | grep -c '^100|200|3|0x11|900|')" -eq 2 ] &&
	[ "$(echo "$whole" | grep -c '^200|100|3|0x11|900|')" -eq 2 ] &&
	[ "$(echo "$whole" | wc -l)" -eq 4 ] ||
	fail "tshark did not reassemble 900 octets on each hop both ways: $whole"
echo "ok: tshark sees 4 UDT and 16 XUDT on SI 3, reassembles 900 octets on each hop both ways, no expert information"
rm -rf "$out"
echo "1 passed, 0 failed"
