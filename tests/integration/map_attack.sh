#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The SigPloit MAP attack set against stiwfd at the border of an HLR's
# network, through a real osmo-stp over M3UA/SCTP, under each of the
# policies reject, screen and tag (map_attack.guest.sh says what each must
# do; lib-map-attack.sh draws the topology and holds the messages, whose
# sources map_attack_vectors.md names).  Runs in a User-Mode-Linux guest
# when this kernel has no SCTP (uml/run.sh prints which transport it
# used); tshark judges the capture here.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/map_attack.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

# the test PKI is made here: openssl is much slower inside the guest
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
start=$SECONDS
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/map_attack.guest.sh" "$out" 150 ||
	fail "the MAP attack set through osmo-stp failed"
echo "ok: the guest run took $((SECONDS - start))s"

# tshark, a decoder we did not write, judges what crossed the STP: no
# SCCP message with expert information or malformed; the attacker got 14
# UDTS back (8 under reject, 6 under screen); A's 9 Begins to B carry our
# signature EXTERNAL and nothing that reached our HLR/VLR (PC 400) does.
tshark -n -r "$out/capture.pcapng" -T fields -E separator='|' -e m3ua.protocol_data_opc \
	-e m3ua.protocol_data_dpc -e sccp.message_type -e sccp.called.digits \
	-e ber.direct_reference -e _ws.expert -e _ws.malformed -e sctp.srcport -Y sccp >"$out/sccp.txt" \
	2>"$out/tshark.err" || fail "tshark cannot read the capture"
[ -s "$out/sccp.txt" ] || fail "tshark found no SCCP in the capture"
# every message crosses the loopback twice, to the STP and from it: count
# the second leg (source port 2905, the STP's)
grep '|2905$' "$out/sccp.txt" >"$out/delivered.txt"
awk -F'|' '$6 != "" || $7 != ""' "$out/sccp.txt" | grep -q . &&
	fail "tshark reports expert information: $(awk -F'|' '$6 != "" || $7 != ""' "$out/sccp.txt" | head)"
n=$(grep -c '^200|300|0x0a|' "$out/delivered.txt")
[ "$n" -eq 14 ] || fail "tshark sees $n UDTS to the attacker, not 14"
n=$(grep '^100|200|0x09|' "$out/delivered.txt" | grep -c '2\.999\.3057\.1')
[ "$n" -eq 9 ] || fail "tshark sees $n signed Begins from A to B, not 9"
grep '^200|400|' "$out/sccp.txt" | grep -q '2\.999\.3057\.1' && fail "a signature reached our HLR/VLR"
n=$(grep -c '^200|400|0x09|' "$out/delivered.txt")
[ "$n" -eq 19 ] || fail "tshark sees $n UDTs reach our HLR/VLR, not 19 (3 + 5 + 11)"
echo "ok: tshark decodes all $(wc -l <"$out/delivered.txt") SCCP messages without expert information: 14 UDTS to the attacker, 9 signed Begins A->B, 19 UDTs to our HLR/VLR, none with the token"
rm -rf "$out"
echo "1 passed, 0 failed"
