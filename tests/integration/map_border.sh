#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# stiwfd as a MAP border node through a real osmo-stp over M3UA/SCTP:
# stiwfd (PC 100) with an sccp node and map-peers, and an SCCP endpoint
# (PC 200) that plays every other node: an attacker's (44...), a roaming
# partner's (33..., signing with the test PKI's operator Two), and our own
# network's HLR and VLR (4930...), behind routes that all lead back to it.
# Runs in a User-Mode-Linux guest when this kernel has no SCTP (uml/run.sh
# prints which transport it used); tshark judges the capture here.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/map_border.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

# the test PKI is made here: openssl is much slower inside the guest
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/map_border.guest.sh" "$out" 90 ||
	fail "the MAP border through osmo-stp failed"

# tshark, a decoder we did not write, judges what crossed the STP: every
# SCCP message decodes without expert information, the TC-ABORT refusing
# the partner's anyTimeInterrogation and the UDTS returning the attacker's
# are there, and our signature EXTERNAL rides in the Begin that left signed.
tshark -n -r "$out/capture.pcapng" -T fields -E separator='|' -e m3ua.protocol_data_opc \
	-e m3ua.protocol_data_dpc -e sccp.message_type -e sccp.called.digits -e tcap.dtid -e sccp.return_cause \
	-e tcap.result -e ber.direct_reference -e _ws.expert -e _ws.malformed -Y sccp >"$out/sccp.txt" \
	2>"$out/tshark.err" || fail "tshark cannot read the capture"
[ -s "$out/sccp.txt" ] || fail "tshark found no SCCP in the capture"
awk -F'|' '$9 != "" || $10 != ""' "$out/sccp.txt" | grep -q . && fail "tshark reports expert information: $(cat "$out/sccp.txt")"
grep -q '^100|200|0x09|3360000001|33000002||1|' "$out/sccp.txt" ||
	fail "tshark does not see the TC-ABORT (AARE reject-permanent) to 3360000001: $(cat "$out/sccp.txt")"
grep -q '^100|200|0x0a|44700000001||0x01|' "$out/sccp.txt" ||
	fail "tshark does not see the UDTS to 44700000001: $(cat "$out/sccp.txt")"
grep '^100|200|0x09|3360000009|' "$out/sccp.txt" | grep -q '1.3.6.1.4.1.99999.3057' ||
	fail "tshark does not see our signature EXTERNAL (map-signature oid 1.3.6.1.4.1.99999.3057) in the Begin to 3360000009"
grep -q '2.999.3057.1' "$out/sccp.txt" && fail "tshark sees the default OID where the agreed one was configured"
echo "ok: tshark decodes every SCCP message without expert information: the TC-ABORT, the UDTS, our signature"
rm -rf "$out"
echo "1 passed, 0 failed"
