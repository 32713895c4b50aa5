#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# More ARCHITECTURE §4 cases end to end through two IWFs and a real STP (the
# topology of iwf_e2e.sh, iwf_topology.sh): the callee hangs up, a
# non-canonical PASSporT, IAMs by a revoked operator, a replayed IAM, one
# signed before B's start and one bound to another network, injected by a
# third and fourth ASP, glare on a single circuit.  Runs in a
# User-Mode-Linux guest when this kernel has no SCTP (uml/run.sh prints
# which transport it used); tshark judges the ISUP capture here afterwards.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest sipp osmo-stp tshark
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
mkdir -p "$top_builddir/tests/integration"
out=$(mktemp -d "$top_builddir/tests/integration/iwf_e2e2.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }

"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/tests/integration/iwf_e2e2.guest.sh" "$out" 200 ||
	fail "the calls through the two IWFs failed"

tshark -n -r "$out/capture.pcapng" -V -o 'isup.variant:ITU Standard' >"$out/decode.txt" 2>&1 ||
	fail "tshark cannot read the capture"
# as in iwf_e2e.sh: only the Notes on GRS/GRA and the undissected token
grep -E 'Malformed|\[Expert Info \((Warning|Error)' "$out/decode.txt" |
	grep -v 'Warning/Undecoded): No further dissection of APM-user information' | grep -q . &&
	fail "tshark reports malformed packets or expert warnings/errors"
count() { grep -c "$1" "$out/decode.txt"; }
# Each ISUP message crosses the STP: two M3UA DATA.  IAMs: 1 callee hangs
# up, 1 non-canonical, 5 injected at PC 300, 1 at PC 400, 2 in the glare,
# 1 held and resumed.
n=$(count "Message Type: Initial address ("); [ "$n" -eq 22 ] || fail "tshark saw $n IAM, want 22 (11 IAMs, 2 hops)"
n=$(count "Message Type: Answer ("); [ "$n" -eq 12 ] || fail "tshark saw $n ANM, want 12 (6 answered calls)"
n=$(count "Message Type: Address complete ("); [ "$n" -eq 12 ] || fail "tshark saw $n ACM, want 12"
n=$(count "Message Type: Release ("); [ "$n" -eq 20 ] || fail "tshark saw $n REL, want 20 (10 calls released on ISUP)"
n=$(count "In-band information indicator: in-band information or an appropriate pattern is now available"); [ "$n" -eq 2 ] ||
	fail "tshark saw $n ACM with in-band information, want 2 (the callee rang with SDP)"
n=$(count "Message Type: Call progress ("); [ "$n" -eq 4 ] || fail "tshark saw $n CPG, want 4 (hold and resume, 2 hops)"
n=$(count "Notification indicator: Remote hold (121)"); [ "$n" -eq 2 ] || fail "tshark saw $n CPG remote hold, want 2"
n=$(count "Notification indicator: Remote retrieval (122)"); [ "$n" -eq 2 ] || fail "tshark saw $n CPG remote retrieval, want 2"
n=$(count "Cause indicator: Call rejected (21)"); [ "$n" -eq 8 ] ||
	fail "tshark saw $n REL cause 21, want 8 (revoked operator, replay, startup quiet, other network under hop-required)"
n=$(count "Cause indicator: Normal call clearing (16)"); [ "$n" -eq 12 ] || fail "tshark saw $n REL cause 16, want 12"
# the call that lost the glare sends no REL (Q.764 §2.9.1.4 b))
n=$(count "Cause indicator: .*(34)"); [ "$n" -eq 0 ] || fail "tshark saw cause 34 on the wire"
echo "ok: tshark decodes 11 IAMs, 6 answered calls, an ACM with in-band information, 2 CPGs with a generic notification, REL 21 for the revoked operator, the replay, the IAM from before B's start and the one bound elsewhere, no REL for the call that lost the glare, no malformed packet"
rm -rf "$out"
echo "1 passed, 0 failed"
