#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# End to end through two IWFs and a real STP (ARCHITECTURE §6 reference topology):
# SIPp UAC -> stiwfd A (PC 100) -> osmo-stp -> stiwfd B (PC 200) -> SIPp UAS,
# with the test PKI and an HTTPS x5u server.  Runs in a User-Mode-Linux
# guest when this kernel has no SCTP (uml/run.sh prints which transport it
# used); tshark judges the ISUP capture here afterwards.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/iwf_e2e.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

# the test PKI is made here: openssl is much slower inside the guest
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/iwf_e2e.guest.sh" "$out" 150 ||
	fail "the calls through the two IWFs failed"

tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# Wireshark adds Notes to every GRS and GRA (remarks on the message type),
# and cannot dissect our token ("Warning/Undecoded" on the APM-user
# information); any other warning or error fails, and so does anything
# malformed.
grep -E 'Malformed|\[Expert Info \((Warning|Error)' "$out/decode.txt" |
	grep -v 'Warning/Undecoded): No further dissection of APM-user information' | grep -q . &&
	fail "tshark reports malformed packets or expert warnings/errors"
# Each message crosses the STP: two M3UA DATA per ISUP message.
count() { grep -c "Message Type: $1 (" "$out/decode.txt"; }
n=$(count "Initial address"); [ "$n" -eq 8 ] || fail "tshark saw $n IAM, want 8 (4 calls reach ISUP, 2 hops)"
n=$(count "Answer"); [ "$n" -eq 4 ] || fail "tshark saw $n ANM, want 4 (2 answered calls)"
n=$(count "Address complete"); [ "$n" -eq 6 ] || fail "tshark saw $n ACM, want 6 (3 calls rang)"
n=$(count "Release"); [ "$n" -eq 8 ] || fail "tshark saw $n REL, want 8"
n=$(count "Release complete"); [ "$n" -eq 8 ] || fail "tshark saw $n RLC, want 8"
grep -q 'Cause indicator: User busy (17)' "$out/decode.txt" || fail "tshark: no REL cause 17"
grep -q 'Cause indicator: Normal call clearing (16)' "$out/decode.txt" || fail "tshark: no REL cause 16"
grep -q 'Application transport' "$out/decode.txt" || fail "tshark: no Application Transport parameter in the IAMs"
echo "ok: tshark decodes 4 IAMs with the Application Transport token, 3 ringing and 2 answered calls, REL 16 and 17, no malformed packet"
rm -rf "$out"
echo "1 passed, 0 failed"
