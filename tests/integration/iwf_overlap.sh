#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Overlap address signalling and suspend/resume at the border
# (ARCHITECTURE §8.4) through a real STP: an exchange
# sends IAM + SAMs, SUS/RES and an APM to IWF B; SIPp is the callee and a
# caller of an incomplete number.  Runs in a User-Mode-Linux guest when
# this kernel has no SCTP (uml/run.sh prints which transport it used);
# tshark judges the ISUP capture here afterwards.
set -u
srcdir=${srcdir:-.}
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp tshark
top_builddir=${top_builddir:-.}
mkdir -p "$top_builddir/tests/integration"
out=$(mktemp -d "$top_builddir/tests/integration/iwf_overlap.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/iwf_overlap.guest.sh" "$out" 200 ||
	fail "the overlap and suspension calls failed"

tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# as in iwf_e2e.sh: only the Notes on GRS/GRA and the undissected APM-user
# information (the tokens, and the APM of call 1)
grep -E 'Malformed|\[Expert Info \((Warning|Error)' "$out/decode.txt" |
	grep -v 'Warning/Undecoded): No further dissection of APM-user information' | grep -q . &&
	fail "tshark reports malformed packets or expert warnings/errors"
count() { grep -c -- "$1" "$out/decode.txt"; }
# every ISUP message crosses the STP: two M3UA DATA
n=$(count "Message Type: Initial address ("); [ "$n" -eq 12 ] || fail "tshark saw $n IAM, want 12 (5 in, 1 out)"
n=$(count "Message Type: Subsequent address ("); [ "$n" -eq 12 ] || fail "tshark saw $n SAM, want 12 (6)"
n=$(count "Message Type: Suspend ("); [ "$n" -eq 4 ] || fail "tshark saw $n SUS, want 4 (2)"
n=$(count "Message Type: Resume ("); [ "$n" -eq 2 ] || fail "tshark saw $n RES, want 2 (1)"
n=$(count "Suspend/Resume indicator: network initiated"); [ "$n" -eq 6 ] ||
	fail "tshark saw $n network-initiated SUS/RES indicators, want 6"
n=$(count "Cause indicator: Invalid number format (address incomplete) (28)"); [ "$n" -eq 4 ] ||
	fail "tshark saw $n REL cause 28, want 4 (T35 at B, the exchange's)"
n=$(count "Cause indicator: Recovery on timer expiry (102)"); [ "$n" -eq 2 ] || fail "tshark saw $n REL cause 102, want 2 (T38)"
n=$(count "Cause indicator: Call rejected (21)"); [ "$n" -eq 2 ] || fail "tshark saw $n REL cause 21, want 2 (HOP over 7 digits)"
n=$(count "Message Type: Reset circuit ("); [ "$n" -eq 0 ] || fail "tshark saw $n RSC: a circuit was reset"
echo "ok: tshark decodes 6 IAMs, 6 SAMs, SUS/RES network initiated, REL 28 (T35, exchange), REL 102 (T38), REL 21, no RSC, no malformed packet"
rm -rf "$out"
echo "1 passed, 0 failed"
