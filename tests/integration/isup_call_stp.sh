#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ISUP call control (ss7/isup_trunk.c, ss7/isup_call_fsm.c) through a real
# osmo-stp over M3UA/SCTP: a caller (PC 100) places calls towards a
# simulated exchange (PC 200), both built on stiwf's ss7/ code.  Runs in a
# User-Mode-Linux guest when this kernel has no SCTP (uml/run.sh prints
# which transport it used); tshark judges the capture here afterwards.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/isup_call_stp.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/isup_call_stp.guest.sh" "$out" 90 ||
	fail "the calls through osmo-stp failed"

tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# Wireshark adds Notes to every GRS and GRA ("status subfield is not present
# with this message type", "no optional parameters are possible"): those are
# remarks on the message type, not on our encoding; warnings and errors fail.
grep -Eq 'Malformed|\[Expert Info \((Warning|Error)' "$out/decode.txt" &&
	fail "tshark reports malformed packets or expert warnings/errors"
# Each message crosses the STP: two M3UA DATA per ISUP message.
count() { grep -c "Message Type: $1 (" "$out/decode.txt"; }
n=$(count "Circuit group reset"); [ "$n" -ge 4 ] || fail "tshark saw $n GRS, want >= 4 (one each way)"
n=$(count "Circuit group reset acknowledgement"); [ "$n" -ge 4 ] || fail "tshark saw $n GRA, want >= 4"
n=$(count "Initial address"); [ "$n" -eq 6 ] || fail "tshark saw $n IAM, want 6 (3 calls, 2 hops)"
n=$(count "Address complete"); [ "$n" -eq 4 ] || fail "tshark saw $n ACM, want 4 (2 answered calls)"
n=$(count "Answer"); [ "$n" -eq 4 ] || fail "tshark saw $n ANM, want 4"
n=$(count "Release"); [ "$n" -eq 6 ] || fail "tshark saw $n REL, want 6 (each call once)"
n=$(count "Release complete"); [ "$n" -eq 6 ] || fail "tshark saw $n RLC, want 6"
for t in Blocking "Blocking acknowledgement" Unblocking "Unblocking acknowledgment"; do
	n=$(count "$t"); [ "$n" -eq 2 ] || fail "tshark saw $n '$t', want 2"
done
grep -q 'Cause indicator: User busy (17)' "$out/decode.txt" || fail "tshark: no REL cause 17"
grep -q 'Cause indicator: Normal call clearing (16)' "$out/decode.txt" || fail "tshark: no REL cause 16"
grep -q 'Called Party Number: 12025550017' "$out/decode.txt" || fail "tshark: busy called number"
grep -q 'OPC: 100' "$out/decode.txt" || fail "tshark: no M3UA OPC 100"
grep -q 'OPC: 200' "$out/decode.txt" || fail "tshark: no M3UA OPC 200"
echo "ok: tshark decodes GRS/GRA both ways, 3 calls (answered+released by caller, busy, answered+released by exchange), BLO/UBL"
rm -rf "$out"
echo "1 passed, 0 failed"
