#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The reference topology of ARCHITECTURE §6 with real peers on both sides, as
# contrib/demo.sh runs it: SIPp -> Kamailio+secsipid (signs) -> stiwfd A ->
# osmo-stp -> stiwfd B -> Kamailio+secsipid (verifies with the original
# signer's certificate) -> SIPp.  Passes when every call ends as expected.
set -u
. "${srcdir:-.}/tests/lib-needs.sh"; needs guest osmo-stp kamailio
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
out=$(mktemp -d "$top_builddir/tests/integration/topology_kamailio.XXXXXX") || exit 1
export srcdir top_builddir
fail() { echo "FAIL: $*"; echo "logs kept in $out"; exit 1; }
"$srcdir/contrib/gen-test-pki.sh" "$out/pki" >"$out/pki.log" 2>&1 || fail "test PKI"
bash "$srcdir/tests/integration/uml/run.sh" "$srcdir/contrib/demo/topology.guest.sh" "$out" 240 \
	>"$out/run.log" 2>&1
rc=$?
grep -E '^(transport|demo|call|  [AB]:)' "$out/run.log"
[ $rc -eq 0 ] || fail "the topology run failed (exit $rc)"
grep -q '^demo: 6 calls, 3 verified end to end, 3 rejected as expected, 0 unexpected$' "$out/run.log" ||
	fail "not every call ended as expected"
rm -rf "$out"
echo "1 passed, 0 failed"
